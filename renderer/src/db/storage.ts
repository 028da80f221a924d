/**
 * Start-up storage checks: ask for persistent storage and detect a wiped
 * store — the field database's marker is missing while a marker kept elsewhere (localStorage in the
 * browser) says this profile had data — instead of silently starting fresh.
 */
import type { Databases } from './databases.js';
import { metaRepo } from './repos/meta.repo.js';

export interface MarkerMirror {
  get(): string | null;
  set(marker: string): void;
}

export type StorageState = 'ok' | 'fresh' | 'wiped' | 'mismatch';
export interface StorageHealth {
  readonly state: StorageState;
  readonly persisted: boolean;
  /** zh-CN explanation for the recovery screen (null when ok/fresh). */
  readonly message: string | null;
}

const MIRROR_KEY = 'smart-inspect.store-marker';

/** `name` tells partitions apart: each inspector's store has its own marker. */
export function localStorageMirror(name = ''): MarkerMirror {
  const key = name ? `${MIRROR_KEY}.${name}` : MIRROR_KEY;
  return {
    get: () => (typeof localStorage === 'undefined' ? null : localStorage.getItem(key)),
    set: (m) => {
      if (typeof localStorage !== 'undefined') localStorage.setItem(key, m);
    },
  };
}

async function requestPersistence(): Promise<boolean> {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  if (!storage?.persist) return false;
  try {
    return (await storage.persisted()) || (await storage.persist());
  } catch {
    return false;
  }
}

/** Checks the store; writes the marker only when the store is healthy or fresh. */
export async function storageHealth(
  dbs: Databases,
  mirror: MarkerMirror = localStorageMirror(),
): Promise<StorageHealth> {
  const persisted = await requestPersistence();
  const meta = metaRepo(dbs.field);
  const marker = await meta.marker();
  const remembered = mirror.get();
  if (!marker && remembered) {
    return {
      state: 'wiped',
      persisted,
      message: '本机数据库已丢失或被清除（检测到曾有数据）。请勿直接重新开始，请联系管理员核对平台回执后再恢复。',
    };
  }
  if (marker && remembered && marker !== remembered) {
    return { state: 'mismatch', persisted, message: '本机数据库与记录的标识不一致，可能已被替换。请联系管理员。' };
  }
  const ensured = await meta.ensureMarker();
  mirror.set(ensured);
  return { state: marker ? 'ok' : 'fresh', persisted, message: null };
}
