/**
 * The station bundle a station without a network receives on a USB stick: the named inspectors'
 * tasks (their whole task feed), the credit-file snapshot (the very file the network snapshot route
 * serves, with its member manifest and the cursor it covers), the reference data with its ETag, and
 * document-number blocks reserved for each inspector on each device they have signed in on, through
 * the same reservation as the network route, so no number is handed out twice. Signed by the
 * platform's key (the one the app already pins as `platformLogKey`; the bundle's signature has its
 * own context string, so it can never pass for a log checkpoint or receipt) and encrypted to the
 * station's recipient key (shared/bundle/station.ts says why the station, not a device).
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { DOC_TYPES, type DocType } from '../../shared/protocol/index.js';
import {
  STATION_ENTRY,
  sealBundle,
  stationRecipientKeys,
  type BundleEntryInput,
  type StationDocBlock,
  type StationInfo,
  type StationInspector,
  type StationTasks,
} from '../../shared/bundle/index.js';
import { importSigningPrivateKey } from '../../shared/bundle/index.js';
import { inspectorById, isDeviceRevoked } from './auth.js';
import { HttpError } from './http.js';
import { reserveBlock } from './routes/docnumbers.js';
import { stationCacheKey, stationIdOf } from './routes/keys.js';
import { currentReference } from './routes/reference.js';
import { taskPage } from './routes/sync.js';
import { currentSnapshot, snapshotFile } from './snapshot-build.js';
import type { Platform } from './state.js';

/** Numbers per document type and device in a station bundle: what a laptop asks for at a time. */
export const STATION_BLOCK_SIZE = 20;
const TASK_PAGE = 1000;

export interface StationBundleRequest {
  readonly inspectorIds: readonly string[];
  /** Numbers per type and device (default STATION_BLOCK_SIZE). */
  readonly blockSize?: number;
}

export interface BuiltStationBundle {
  readonly info: StationInfo;
  /** The bundle's bytes, produced frame by frame (the snapshot entry is read from disk as it goes). */
  readonly bytes: AsyncGenerator<Uint8Array>;
}

const json = (name: string, value: unknown): BundleEntryInput => ({
  name,
  data: new TextEncoder().encode(JSON.stringify(value)),
});

function allTasks(p: Platform, inspectorId: string): StationTasks {
  const changes: unknown[] = [];
  let cursor = 0;
  let total = 0;
  for (;;) {
    const page = taskPage(p, inspectorId, cursor, TASK_PAGE);
    changes.push(...page.changes);
    cursor = Number(page.nextCursor);
    total = page.total;
    if (!page.hasMore) break;
  }
  return { changes, nextCursor: String(cursor), total };
}

/** Devices an inspector has signed in on and that are not revoked, oldest token first. */
function devicesOf(p: Platform, inspectorId: string): string[] {
  const rows = p.db
    .prepare('SELECT device_id FROM tokens WHERE inspector_id = ? GROUP BY device_id ORDER BY MIN(rowid)')
    .all(inspectorId) as { device_id: string }[];
  return rows.map((r) => r.device_id).filter((d) => !isDeviceRevoked(p, d));
}

/**
 * Builds a station bundle. Unknown inspectors, or inspectors of different stations (one bundle is
 * encrypted to one station), are refused with a 422 before anything is reserved.
 */
export async function buildStationBundle(p: Platform, req: StationBundleRequest): Promise<BuiltStationBundle> {
  const ids = [...new Set(req.inspectorIds)];
  if (ids.length === 0) throw new HttpError(422, 'VALIDATION', '请至少指定一名执法人员');
  const inspectors = ids.map((id) => {
    const found = inspectorById(p, id);
    if (!found) throw new HttpError(422, 'VALIDATION', `没有这名执法人员：${id}`);
    return found;
  });
  const stations = new Set(inspectors.map(stationIdOf));
  if (stations.size !== 1)
    throw new HttpError(422, 'VALIDATION', '一个站所数据包只能包含同一站所的执法人员（数据包按站所加密）');
  const stationId = [...stations][0]!;
  const blockSize = req.blockSize ?? STATION_BLOCK_SIZE;

  const snapshot = await currentSnapshot(p);
  const file = snapshotFile(p, snapshot.sha256);
  if (statSync(file).size !== snapshot.bytes) throw new Error(`snapshot file ${file} does not match its manifest`);
  const { reference, etag } = currentReference(p);

  // Tasks, cursors and number blocks are taken in one transaction: the cursors then name exactly
  // the changes in the bundle, and a failure reserves nothing.
  const { station, perInspector } = p.db.transaction(() => {
    const key = stationCacheKey(p, stationId);
    const out = inspectors.map((ins) => {
      const tasks = allTasks(p, ins.id);
      const deviceIds = devicesOf(p, ins.id);
      const blocks: StationDocBlock[] = [];
      for (const deviceId of deviceIds)
        for (const docType of DOC_TYPES as readonly DocType[]) {
          const requestId = `station-${randomUUID()}`;
          const b = reserveBlock(p, { requestId, deviceId, inspectorId: ins.id, docType, count: blockSize });
          blocks.push({ deviceId, requestId, docType: b.docType, prefix: b.prefix, from: b.from, to: b.to });
        }
      const entry: StationInspector = {
        inspectorId: ins.id,
        tasksCursor: tasks.nextCursor,
        tasksTotal: tasks.total,
        deviceIds,
      };
      return { entry, tasks, blocks };
    });
    return { station: key, perInspector: out };
  })();

  const info: StationInfo = {
    format: 1,
    stationId,
    stationKeyId: station.keyId,
    createdAt: p.now().toISOString(),
    inspectors: perInspector.map((i) => i.entry),
    reference: { etag },
    enterprises: snapshot,
  };
  const entries: BundleEntryInput[] = [
    json(STATION_ENTRY.info, info),
    json(STATION_ENTRY.reference, reference),
    ...perInspector.flatMap((i) => [
      json(STATION_ENTRY.tasks(i.entry.inspectorId), i.tasks),
      json(STATION_ENTRY.docBlocks(i.entry.inspectorId), { blocks: i.blocks }),
    ]),
    {
      name: STATION_ENTRY.enterprises,
      size: snapshot.bytes,
      async *read() {
        for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 }))
          yield new Uint8Array(chunk as Buffer);
      },
    },
  ];
  const recipient = await stationRecipientKeys(new Uint8Array(station.key), station.keyId);
  station.key.fill(0);
  const signingKey = await importSigningPrivateKey(new Uint8Array(p.logKey.pkcs8));
  const bytes = sealBundle(entries, {
    kind: 'station',
    senderId: p.logKey.origin,
    signingKey,
    senderPublicKey: new Uint8Array(p.logKey.publicKey),
    recipientPublicKey: recipient.publicKey,
    createdAt: p.now(),
  });
  return { info, bytes };
}
