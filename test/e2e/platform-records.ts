/**
 * What the simulator actually stored, read from its sqlite database (read-only): which inspector
 * and which device an accepted result came from, and which device an inspector signed in from. The
 * API answers only what an inspector may see; these checks are about the platform's own record.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';

export interface StoredResult {
  readonly resultId: string;
  readonly taskId: string;
  /** The inspector of the session that uploaded it (from the access token, not the body). */
  readonly inspectorId: string;
  readonly deviceId: string;
  readonly findings: string;
}

function withDb<T>(dataDir: string, read: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, 'platform.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export function storedResults(dataDir: string): StoredResult[] {
  return withDb(dataDir, (db) => {
    const rows = db
      .prepare('SELECT result_id, task_id, inspector_id, body_json FROM results ORDER BY received_at')
      .all() as {
      result_id: string;
      task_id: string;
      inspector_id: string;
      body_json: string;
    }[];
    return rows.map((r) => {
      const body = JSON.parse(r.body_json) as { deviceId?: unknown; payload?: { findings?: unknown } };
      return {
        resultId: r.result_id,
        taskId: r.task_id,
        inspectorId: r.inspector_id,
        deviceId: String(body.deviceId),
        findings: typeof body.payload?.findings === 'string' ? body.payload.findings : '',
      };
    });
  });
}

/** The devices (other than the e2e probe's) an inspector has signed in from, oldest first. */
export function devicesOf(dataDir: string, inspectorId: string): string[] {
  return withDb(dataDir, (db) =>
    (
      db
        .prepare(
          "SELECT device_id FROM tokens WHERE inspector_id = ? AND device_id <> 'e2e-probe' GROUP BY device_id ORDER BY MIN(rowid)",
        )
        .all(inspectorId) as { device_id: string }[]
    ).map((r) => r.device_id),
  );
}
