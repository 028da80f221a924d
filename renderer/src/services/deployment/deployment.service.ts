/** The deployment config as the platform adapter reads it (Electron's config file, or the browser build's app-config.json). */
import type { PlatformAdapter } from '../../platform/adapter.js';
import type { DeploymentService } from './deployment.api.js';

export function createDeploymentService(adapter: PlatformAdapter): DeploymentService {
  return {
    async get() {
      const c = await adapter.config();
      return { platformUrl: c.platformUrl, demo: c.demo, stationName: c.stationName };
    },
  };
}
