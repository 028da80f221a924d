/**
 * Offline updates through the Electron bridge: main verifies the package (signature, version,
 * platform, size, SHA-256) and stages it; this only relays. The bridge is looked up on every call
 * because it is a property of the page, present in Electron and absent in the browser build.
 */
import { bridge } from '../../platform/adapter.js';
import type { UpdatesService } from './updates.api.js';

export function createUpdatesService(): UpdatesService {
  return {
    available: () => bridge() !== null,
    async version() {
      const api = bridge();
      if (!api) return null;
      const r = await api.appInfo();
      return r.ok ? r.value.version : null;
    },
    async pickPackage() {
      const api = bridge();
      if (!api) return { ok: false, message: '浏览器版不支持从文件夹安装更新' };
      const r = await api.pickUpdatePackage();
      return r.ok ? { ok: true, staged: r.value.staged } : { ok: false, message: r.error.message };
    },
    async install(stagedId) {
      const api = bridge();
      if (!api) return { ok: false, message: '浏览器版不支持从文件夹安装更新' };
      const r = await api.installStagedUpdate({ stagedId });
      return r.ok ? { ok: true, action: r.value.action, path: r.value.path } : { ok: false, message: r.error.message };
    },
  };
}
