/**
 * A data directory made by an earlier simulator (tokens without the password-login time,
 * inspectors without a station id) opens, and gets both.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { API, ErrorBodySchema, StationCacheKeyResponseSchema } from '../../shared/protocol/index.js';
import { startPlatform } from './server.js';
import { authed, login } from './testkit.js';

const dataDir = mkdtempSync(join(tmpdir(), 'platform-migrate-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('older data directories', () => {
  it('gain the token column and station ids; old sessions cannot release keys', async () => {
    const first = await startPlatform({ dataDir, seed: 4, enterprises: 100, port: 0 });
    const who = first.logins[0]!;
    const oldSession = await login(first.url, who.certNo, who.password, 'dev-old');
    await first.close();

    const db = new Database(join(dataDir, 'platform.sqlite'));
    db.exec('ALTER TABLE tokens DROP COLUMN auth_at');
    db.exec("UPDATE inspectors SET json = json_remove(json, '$.stationId')");
    db.close();

    const second = await startPlatform({ dataDir, port: 0 });
    try {
      const call = authed(second.url, oldSession.accessToken);
      expect((await call('/v1/sync/tasks?limit=1')).status).toBe(200);
      const key = await call(API.dataKey);
      expect(key.status).toBe(403);
      expect(ErrorBodySchema.parse(await key.json()).error.code).toBe('REAUTH_REQUIRED');
      const fresh = await login(second.url, who.certNo, who.password, 'dev-old');
      expect(fresh.inspector.stationId).toBe(oldSession.inspector.stationId);
      const station = StationCacheKeyResponseSchema.parse(
        await (await authed(second.url, fresh.accessToken)(API.stationCacheKey)).json(),
      );
      expect(station.stationId).toBe(oldSession.inspector.stationId);
    } finally {
      await second.close();
    }
  });
});
