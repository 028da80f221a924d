/**
 * What someone who copied (or sits at) the laptop can do to the app's on-disk IndexedDB, run inside a
 * page of the same profile and origin. Bundled by esbuild from the app's own modules (the sealing
 * middleware, the vault's unwrap, the canonical JSON): an attacker can read the shipped JavaScript
 * too, so this gives them nothing the app does not already hand out. What it never uses is the
 * device key: the edit is re-chained with plain SHA-256, as anyone could.
 */
import { canonicalJson } from '../../shared/domain/canonical.js';
import {
  DeviceDb,
  deviceDbName,
  openPartition,
  partitionDbName,
  sha256Hex,
  type FieldDb,
} from '../../renderer/src/db/index.js';
import { unwrapDataKey } from '../../renderer/src/vault/keys.js';

async function onlyVault() {
  const device = new DeviceDb(deviceDbName(''));
  try {
    const vaults = await device.vaults.toArray();
    if (vaults.length !== 1) throw new Error(`expected one inspector's vault on this profile, found ${vaults.length}`);
    return vaults[0]!;
  } finally {
    device.close();
  }
}

function partition(partitionId: string, key: Uint8Array): FieldDb {
  return openPartition(partitionDbName('', partitionId), { current: () => key });
}

export interface WithoutPassword {
  /** The result row's fields as stored: the key and the indexed paths, then the sealed blob. */
  readonly storedFields: string[];
  /** Whether the findings text appears anywhere in the stored row (as JSON). */
  readonly findingsInClear: boolean;
  /** What reading the partition under a guessed key gives. */
  readonly guessedKeyRead: string;
}

/** Without the password: the row is sealed, and no other key opens it. */
export async function tryWithoutPassword(resultId: string, findings: string): Promise<WithoutPassword> {
  const vault = await onlyVault();
  const raw = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const req = indexedDB.open(partitionDbName('', vault.partitionId));
    req.onerror = () => reject(req.error ?? new Error('open failed'));
    req.onsuccess = () => {
      const db = req.result;
      const get = db.transaction('results').objectStore('results').get(resultId);
      get.onerror = () => reject(get.error ?? new Error('get failed'));
      get.onsuccess = () => {
        db.close();
        resolve(get.result as Record<string, unknown>);
      };
    };
  });
  const guess = crypto.getRandomValues(new Uint8Array(32));
  const db = partition(vault.partitionId, guess);
  const guessedKeyRead = await db.results.get(resultId).then(
    (row) => (row ? 'opened' : 'missing'),
    (e: unknown) => (e instanceof Error ? e.name : 'refused'),
  );
  db.close();
  const text = JSON.stringify(raw, (_k, v: unknown) => (v instanceof Uint8Array ? Array.from(v) : v));
  return { storedFields: Object.keys(raw).sort(), findingsInClear: text.includes(findings), guessedKeyRead };
}

export interface Rechained {
  readonly editedSeq: number;
  readonly contentHash: string;
}

/**
 * With the password (an insider, or the inspector): open the partition, rewrite the result's
 * findings, give it the matching content hash, and re-chain the audit log from the edited entry with
 * plain hashes, moving every stored checkpoint onto the new chain so nothing looks out of place.
 */
export async function editAndRechain(password: string, resultId: string, findings: string): Promise<Rechained> {
  const vault = await onlyVault();
  const opened = await unwrapDataKey(vault.wrapped, password, vault.inspectorId);
  if (!opened.ok) throw new Error(`unwrap failed: ${opened.error.kind}`);
  const db = partition(vault.partitionId, opened.dataKey);
  try {
    const row = await db.results.get(resultId);
    if (!row) throw new Error(`no result ${resultId}`);
    const payload = { ...row.payload, findings };
    const contentHash = await sha256Hex(canonicalJson(payload));
    const edited = row.auditCheckpoint.count;
    const entry = await db.audit.get(edited);
    if (!entry) throw new Error(`no audit entry ${edited}`);
    await db.audit.put({ ...entry, detail: { ...entry.detail, contentHash } });
    let prev = (await db.audit.get(edited - 1))?.hash ?? '0'.repeat(64);
    const rehashed = new Map<number, string>();
    for (const e of await db.audit.where('seq').aboveOrEqual(edited).sortBy('seq')) {
      const hash = await sha256Hex(
        canonicalJson({ seq: e.seq, prevHash: prev, at: e.at, kind: e.kind, subjectId: e.subjectId, detail: e.detail }),
      );
      await db.audit.put({ ...e, prevHash: prev, hash });
      rehashed.set(e.seq, hash);
      prev = hash;
    }
    await db.results.update(resultId, { payload, contentHash });
    await db.checkpoints.update(resultId, { contentHash });
    for (const other of await db.results.toArray()) {
      const moved = rehashed.get(other.auditCheckpoint.count);
      if (moved === undefined) continue;
      await db.results.update(other.resultId, { auditCheckpoint: { ...other.auditCheckpoint, headHash: moved } });
      await db.checkpoints.update(other.resultId, { headHash: moved });
    }
    return { editedSeq: edited, contentHash };
  } finally {
    db.close();
    opened.dataKey.fill(0);
  }
}
