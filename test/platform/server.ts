/**
 * The platform simulator: a real HTTP server on loopback with durable sqlite storage
 * and seeded demo data. `startPlatform` is the in-process entry for tests, the e2e harness and the
 * start script; cli.ts wraps it for `npm run platform`. Never shipped in the installer.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createAdmin } from './admin.js';
import type { Admin } from './admin.js';
import { getMeta, openDb } from './db.js';
import { Faults } from './faults.js';
import { DEMO_PASSWORD, backfillStationIds } from './gen/inspectors.js';
import { seedDatabase } from './gen/seed.js';
import { loadMasterKey } from './master-key.js';
import { logSigner } from './log-key.js';
import { rewriteLog } from './log-store.js';
import { startPublisher } from './publisher.js';
import { createRouter } from './router.js';
import type { Platform } from './state.js';
import { createTus } from './routes/uploads.js';
import { buildStationBundle, type BuiltStationBundle, type StationBundleRequest } from './station-bundle.js';
import { bundlePublicKeyHex } from './bundle-key.js';
import { importResultsBundle, type ImportOptions, type ImportResult } from './usb-import.js';
import { writeInspectorReceipts, writeReceiptsBundle, type ReceiptsBundleResult } from './usb-receipts.js';

export interface PlatformOptions {
  dataDir: string;
  seed?: number;
  enterprises?: number;
  port?: number;
  host?: string;
  faults?: boolean;
  publishDelayMs?: number;
  /** Review every result before publication (待审核 → 已公示 / 审核退回). */
  review?: boolean;
  tokenTtlSeconds?: number;
  invalidRecords?: number;
  now?: () => Date;
  /** Required by the test-only admin routes; random per start unless given. */
  adminSecret?: string;
  /** 32-byte hex seed of the log key; the committed demo seed unless given (tests use another to show a mismatch). */
  logKeySeed?: string;
  /** 32-byte hex seed of the USB bundle key (X25519); the committed demo seed unless given. */
  bundleKeySeed?: string;
  /** Lines per gzip member of the credit-file snapshot (default: one feed page). */
  snapshotMemberLines?: number;
}

export interface DemoLogin {
  certNo: string;
  password: string;
  name: string;
  inspectorId: string;
}

export interface StartedPlatform {
  url: string;
  logins: DemoLogin[];
  close(): Promise<void>;
  admin: Admin;
  /** The value for the admin secret header of /v1/admin/* and /__admin/*. */
  adminSecret: string;
  /** The log's verifier key (C2SP signed-note form): what the app pins as `platformLogKey`. */
  logKey: string;
  /** A signed station bundle for the named inspectors (what the admin route and the CLI hand out). */
  stationBundle(req: StationBundleRequest): Promise<BuiltStationBundle>;
  /** The raw X25519 public key (hex) results bundles are encrypted to: what the app pins as `platformBundleKey`. */
  bundleKey: string;
  /** USB transfer, in process (the same functions the admin routes and the CLI call). */
  usb: {
    importResults(bytes: Uint8Array, options?: ImportOptions): Promise<ImportResult>;
    receipts(bundleId: string): Promise<ReceiptsBundleResult>;
    inspectorReceipts(inspectorId: string): Promise<ReceiptsBundleResult>;
  };
  /** TEST-ONLY: makes the platform rewrite its log history (drop or reorder an entry). */
  rewriteLog(kind: 'drop' | 'reorder', index: number): void;
}

/** Demo logins, the inspector with the most assigned tasks first. */
function demoLogins(p: Platform): DemoLogin[] {
  const rows = p.db
    .prepare(
      `SELECT i.id, i.cert_no, json_extract(i.json, '$.name') AS name,
              (SELECT COUNT(*) FROM task_team tt WHERE tt.inspector_id = i.id AND tt.active = 1) AS n
              FROM inspectors i ORDER BY n DESC, i.id`,
    )
    .all() as { id: string; cert_no: string; name: string; n: number }[];
  return rows.map((r) => ({ certNo: r.cert_no, password: DEMO_PASSWORD, name: r.name, inspectorId: r.id }));
}

export async function startPlatform(opts: PlatformOptions): Promise<StartedPlatform> {
  const db = openDb(opts.dataDir);
  const now = opts.now ?? (() => new Date());
  if (getMeta(db, 'generated') === null) {
    seedDatabase(db, {
      seed: opts.seed ?? 1,
      enterprises: opts.enterprises ?? 2000,
      invalidRecords: opts.invalidRecords ?? 0,
      now: now(),
    });
  }
  backfillStationIds(db);
  if (opts.adminSecret !== undefined && opts.adminSecret.length < 16)
    throw new Error('adminSecret must be at least 16 characters');
  const uploadsDir = join(opts.dataDir, 'uploads');
  mkdirSync(uploadsDir, { recursive: true });
  const p: Platform = {
    db,
    now,
    uploadsDir,
    tokenTtlSeconds: opts.tokenTtlSeconds ?? 3600,
    publishDelayMs: opts.publishDelayMs ?? 0,
    faults: opts.faults ? new Faults() : null,
    masterKey: loadMasterKey(opts.dataDir),
    adminSecret: opts.adminSecret ?? randomBytes(18).toString('base64url'),
    review: opts.review ?? false,
    logKey: logSigner(opts.logKeySeed),
    ...(opts.logKeySeed ? { logKeySeed: opts.logKeySeed } : {}),
    ...(opts.bundleKeySeed ? { bundleKeySeed: opts.bundleKeySeed } : {}),
    ...(opts.snapshotMemberLines ? { snapshotMemberLines: opts.snapshotMemberLines } : {}),
  };
  const admin = createAdmin(p);
  const handle = createRouter(p, admin, createTus(p));
  const server = http.createServer((req, res) => void handle(req, res).catch(() => res.destroy()));
  server.keepAliveTimeout = 5000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const stopPublisher = startPublisher(p);
  const { port } = server.address() as AddressInfo;
  let closed = false;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    logins: demoLogins(p),
    admin,
    adminSecret: p.adminSecret,
    logKey: p.logKey.verifierKey,
    bundleKey: bundlePublicKeyHex(opts.bundleKeySeed),
    usb: {
      importResults: (bytes, options) => importResultsBundle(p, bytes, options),
      receipts: (bundleId) => writeReceiptsBundle(p, bundleId),
      inspectorReceipts: (inspectorId) => writeInspectorReceipts(p, inspectorId),
    },
    rewriteLog: (kind, index) => rewriteLog(db, kind, index),
    stationBundle: (req) => buildStationBundle(p, req),
    async close() {
      if (closed) return;
      closed = true;
      stopPublisher();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      db.close();
    },
  };
}
