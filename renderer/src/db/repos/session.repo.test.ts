import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { disposeDatabases, freshDatabases } from '../../testing/builders.js';
import type { Databases } from '../databases.js';
import { metaRepo } from './meta.repo.js';
import { sessionRepo } from './session.repo.js';

let dbs: Databases;
beforeEach(() => {
  dbs = freshDatabases();
});
afterEach(() => disposeDatabases(dbs));

describe('metaRepo and sessionRepo', () => {
  it('generates the device id once', async () => {
    const meta = metaRepo(dbs.field);
    const id = await meta.deviceId();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await meta.deviceId()).toBe(id);
  });

  it('keeps the first non-extractable key stored', async () => {
    const repo = sessionRepo(dbs.field);
    const k1 = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const k2 = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    await repo.putKeyIfAbsent('k', k1);
    const kept = await repo.putKeyIfAbsent('k', k2);
    const stored = await repo.key('k');
    expect(stored?.extractable).toBe(false);
    const iv = new Uint8Array(12);
    const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, k1, new TextEncoder().encode('x'));
    await expect(crypto.subtle.decrypt({ name: 'AES-GCM', iv }, kept, sealed)).resolves.toBeInstanceOf(ArrayBuffer);
  });
});
