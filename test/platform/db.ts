/**
 * The simulator's durable storage: one better-sqlite3 database (WAL, synchronous=FULL) in the data
 * directory. Owns the schema and the small key/value `meta` table (sequences, horizon, generation).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type Db = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS enterprises (
  uscc TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, version INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0, name TEXT NOT NULL,
  /** UTF-8 JSON as a BLOB: the feed splices bytes without decoding them. */
  json BLOB);
CREATE INDEX IF NOT EXISTS enterprises_live ON enterprises (deleted);
CREATE TABLE IF NOT EXISTS inspectors (
  id TEXT PRIMARY KEY, cert_no TEXT NOT NULL UNIQUE, salt TEXT NOT NULL, password_hash TEXT NOT NULL, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
  token TEXT PRIMARY KEY, kind TEXT NOT NULL, inspector_id TEXT NOT NULL, device_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0,
  /** Time (ms) of the password login this token descends from; refreshes carry it forward. */
  auth_at INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS plans (id TEXT PRIMARY KEY, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tasks (
  id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, version INTEGER NOT NULL, status TEXT NOT NULL,
  enterprise_uscc TEXT NOT NULL, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS task_team (
  task_id TEXT NOT NULL, inspector_id TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (task_id, inspector_id));
CREATE INDEX IF NOT EXISTS task_team_by_inspector ON task_team (inspector_id);
CREATE TABLE IF NOT EXISTS draws (plan_id TEXT PRIMARY KEY, seed TEXT NOT NULL, algorithm TEXT NOT NULL,
  candidate_hash TEXT NOT NULL, drawn_hash TEXT NOT NULL, drawn_json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS attachments (
  id TEXT PRIMARY KEY, result_id TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL, mime TEXT NOT NULL,
  upload_id TEXT NOT NULL, inspector_id TEXT NOT NULL, stored_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results (
  result_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, task_id TEXT NOT NULL, inspector_id TEXT NOT NULL,
  enterprise_uscc TEXT NOT NULL, state TEXT NOT NULL, held_reason TEXT, received_at TEXT NOT NULL,
  receipt_json TEXT NOT NULL, body_json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS results_by_uscc ON results (enterprise_uscc);
CREATE TABLE IF NOT EXISTS publications (
  id INTEGER PRIMARY KEY AUTOINCREMENT, result_id TEXT NOT NULL UNIQUE, enterprise_uscc TEXT NOT NULL, published_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency (
  key TEXT PRIMARY KEY, inspector_id TEXT NOT NULL, request_hash TEXT NOT NULL, state TEXT NOT NULL,
  status INTEGER, response_json TEXT, result_id TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS doc_counters (doc_type TEXT PRIMARY KEY, next INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS doc_reservations (
  request_id TEXT PRIMARY KEY, device_id TEXT NOT NULL, doc_type TEXT NOT NULL, from_no INTEGER NOT NULL, to_no INTEGER NOT NULL,
  response_json TEXT NOT NULL, inspector_id TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS doc_reports (
  doc_type TEXT NOT NULL, serial INTEGER NOT NULL, device_id TEXT NOT NULL, kind TEXT NOT NULL,
  result_id TEXT, reason TEXT, PRIMARY KEY (doc_type, serial));
CREATE TABLE IF NOT EXISTS data_keys (
  inspector_id TEXT PRIMARY KEY, key_id TEXT NOT NULL, wrapped BLOB NOT NULL, device_id TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS station_keys (station_id TEXT PRIMARY KEY, key_id TEXT NOT NULL, wrapped BLOB NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS key_releases (
  id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, inspector_id TEXT NOT NULL, device_id TEXT NOT NULL,
  key_id TEXT NOT NULL, released_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS devices (device_id TEXT PRIMARY KEY, revoked INTEGER NOT NULL, changed_at TEXT NOT NULL);
`;

/** Columns added after a data directory may already exist; old rows get the default. */
function migrate(db: Db): void {
  const tokenColumns = (db.prepare('PRAGMA table_info(tokens)').all() as { name: string }[]).map((c) => c.name);
  // 0 = "no password login on record": such tokens can never release a key.
  if (!tokenColumns.includes('auth_at')) db.exec('ALTER TABLE tokens ADD COLUMN auth_at INTEGER NOT NULL DEFAULT 0');
  const reservationColumns = (db.prepare('PRAGMA table_info(doc_reservations)').all() as { name: string }[]).map(
    (c) => c.name,
  );
  // '' = reserved before numbers were tied to an inspector: nobody can report such a block any more.
  if (!reservationColumns.includes('inspector_id'))
    db.exec("ALTER TABLE doc_reservations ADD COLUMN inspector_id TEXT NOT NULL DEFAULT ''");
}

export function openDb(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'platform.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  migrate(db);
  // Requests that were mid-flight when the process died are gone; their keys must not stay locked.
  db.prepare("DELETE FROM idempotency WHERE state = 'processing'").run();
  return db;
}

export function getMeta(db: Db, key: string): string | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

export function setMeta(db: Db, key: string, value: string | number): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    key,
    String(value),
  );
}

/** Next value of a named sequence (call inside a transaction). */
export function nextSeq(db: Db, name: string, count = 1): number {
  const current = Number(getMeta(db, `seq:${name}`) ?? '0');
  setMeta(db, `seq:${name}`, current + count);
  return current + 1;
}
