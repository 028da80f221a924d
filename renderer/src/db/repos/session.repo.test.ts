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

  it('keeps the session row and replaces only its tokens', async () => {
    const repo = sessionRepo(dbs.field);
    await repo.updateTokens('ignored', false);
    expect(await repo.current()).toBeNull();
    await repo.save({
      key: 'current',
      certNo: '33010000001',
      inspector: { id: 'i' } as never,
      platformUrl: 'http://p',
      tokens: null,
      offlineUnlocked: false,
      signedInAt: 'x',
    });
    await repo.updateTokens('{"t":1}', true);
    expect(await repo.current()).toMatchObject({ certNo: '33010000001', tokens: '{"t":1}', offlineUnlocked: true });
  });
});
