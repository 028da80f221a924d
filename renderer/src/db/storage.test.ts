import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { disposeDatabases, freshDatabases } from '../testing/builders.js';
import { openDatabases } from './databases.js';
import { storageHealth, type MarkerMirror } from './storage.js';

function mirror(): MarkerMirror & { value: string | null } {
  const m = {
    value: null as string | null,
    get: () => m.value,
    set: (v: string) => {
      m.value = v;
    },
  };
  return m;
}

let dbs: ReturnType<typeof freshDatabases>;
beforeEach(() => {
  dbs = freshDatabases();
});
afterEach(() => disposeDatabases(dbs));

describe('storageHealth', () => {
  it('fresh on first start, ok afterwards', async () => {
    const m = mirror();
    expect((await storageHealth(dbs, m)).state).toBe('fresh');
    expect(m.value).toMatch(/^store-/);
    expect((await storageHealth(dbs, m)).state).toBe('ok');
  });

  it('detects a wiped store instead of starting fresh silently', async () => {
    const m = mirror();
    await storageHealth(dbs, m);
    await dbs.field.delete();
    const reopened = openDatabases(dbs.prefix);
    const health = await storageHealth(reopened, m);
    expect(health.state).toBe('wiped');
    expect(health.message).toContain('数据库已丢失');
    expect(await reopened.field.meta.get('marker')).toBeUndefined();
    reopened.field.close();
    reopened.cache.close();
    dbs = { ...reopened, prefix: dbs.prefix };
  });
});
