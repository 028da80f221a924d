/**
 * Storage health and the recovery ledger, and the audit-log integrity check (tampered local records
 * are caught before anything is uploaded). The ledger is a small list of result ids and their
 * upload state kept in localStorage, beside the store marker, so that when the database is lost the
 * recovery screen can say which results the platform had confirmed by receipt (safe) and which were
 * lost with the store. It holds no payloads and no tokens: ids, the enterprise name (public on 公示
 * anyway) and a state.
 */
import { z } from 'zod';
import { localStorageMirror, storageHealth, type MarkerMirror, type SealingKeySource } from '../../db/index.js';
import { fromBase64Url, openJson, sealJson, toBase64Url, VaultLockedError } from '../../vault/index.js';
import type { OutboxEntry } from '../outbox/outbox.api.js';
import type { IntegrityReport, IntegrityService, LedgerEntry, StorageService } from './storage.api.js';
import type { Runtime } from '../runtime.js';
import { checkSignedCheckpoints, signatureMessage } from './signed-checkpoints.js';

export interface LedgerStore {
  get(): string | null;
  set(value: string | null): void;
}

const LEDGER_KEY = 'smart-inspect.result-ledger';
const LEDGER_LIMIT = 500;

/** `name` tells partitions apart: each inspector's ledger has its own entry. */
export function localStorageLedger(name = ''): LedgerStore {
  const ok = typeof localStorage !== 'undefined';
  const key = name ? `${LEDGER_KEY}.${name}` : LEDGER_KEY;
  return {
    get: () => (ok ? localStorage.getItem(key) : null),
    set: (v) => {
      if (!ok) return;
      if (v === null) localStorage.removeItem(key);
      else localStorage.setItem(key, v);
    },
  };
}

/**
 * The ledger sealed under the inspector's data key (it names enterprises and results): stored as
 * base64url of sealJson, bound to its name so one partition's ledger cannot be swapped for another's.
 */
export function sealedLedger(inner: LedgerStore, keys: SealingKeySource, name: string): LedgerStore {
  const aad = new TextEncoder().encode(`smart-inspect/ledger:${name}`);
  return {
    get() {
      const raw = inner.get();
      if (raw === null) return null;
      const bytes = fromBase64Url(raw);
      if (!bytes) return null;
      const opened = openJson(requireKey(keys), bytes, aad);
      return typeof opened === 'string' ? opened : null;
    },
    set(v) {
      inner.set(v === null ? null : toBase64Url(sealJson(requireKey(keys), v, aad)));
    },
  };
}

function requireKey(keys: SealingKeySource): Uint8Array {
  const key = keys.current();
  if (!key) throw new VaultLockedError('ledger');
  return key;
}

/** An in-memory ledger (tests, tools). */
export function memoryLedger(): LedgerStore & { value: string | null } {
  const m = {
    value: null as string | null,
    get: () => m.value,
    set: (v: string | null) => {
      m.value = v;
    },
  };
  return m;
}

const LedgerSchema = z.array(
  z.object({
    resultId: z.string().min(1),
    taskId: z.string().min(1),
    enterpriseName: z.string(),
    state: z.enum(['waiting', 'uploading', 'accepted', 'published', 'needs_review', 'paused']),
    confirmed: z.boolean(),
    seenAt: z.string(),
  }),
);

function readLedger(store: LedgerStore): LedgerEntry[] {
  const raw = store.get();
  if (!raw) return [];
  try {
    const parsed = LedgerSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** Merges the outbox into the ledger; a result once confirmed by receipt stays confirmed. */
export function mergeLedger(
  ledger: readonly LedgerEntry[],
  entries: readonly OutboxEntry[],
  at: string,
): LedgerEntry[] {
  const byId = new Map(ledger.map((e) => [e.resultId, e]));
  for (const e of entries) {
    const before = byId.get(e.resultId);
    const confirmed = (before?.confirmed ?? false) || e.state === 'accepted' || e.state === 'published';
    if (before && before.state === e.state && before.confirmed === confirmed) continue;
    byId.set(e.resultId, {
      resultId: e.resultId,
      taskId: e.taskId,
      enterpriseName: e.enterpriseName,
      state: e.state,
      confirmed,
      seenAt: at,
    });
  }
  return [...byId.values()].sort((a, b) => b.seenAt.localeCompare(a.seenAt)).slice(0, LEDGER_LIMIT);
}

export interface StorageOptions {
  readonly markerMirror?: MarkerMirror;
  readonly ledger?: LedgerStore;
}

export function createStorageService(rt: Runtime, o: StorageOptions = {}): StorageService {
  const mirror = o.markerMirror ?? localStorageMirror();
  const store = o.ledger ?? localStorageLedger();
  return {
    health: () => storageHealth(rt.dbs, mirror),
    ledger: () => readLedger(store),
    remember(entries) {
      const before = store.get();
      const next = JSON.stringify(mergeLedger(readLedger(store), entries, rt.now().toISOString()));
      if (next !== before) store.set(next);
    },
    async acceptFresh() {
      const lost = readLedger(store)
        .filter((e) => !e.confirmed)
        .map((e) => e.resultId);
      const confirmed = readLedger(store).filter((e) => e.confirmed).length;
      const { meta, audit } = rt.repos;
      const previous = mirror.get();
      const marker = await meta.ensureMarker();
      await audit.append({
        at: rt.now().toISOString(),
        kind: 'store.recovered',
        subjectId: marker,
        detail: {
          previousMarker: previous,
          lostResults: lost.join(','),
          lostCount: lost.length,
          confirmedCount: confirmed,
        },
      });
      mirror.set(marker);
      store.set(null);
    },
  };
}

export function integrityMessage(brokenAt: number): string {
  return `本机审计日志校验失败：第 ${brokenAt} 条及之后的记录被修改或删除。涉及的检查结果已暂停上传，请勿继续修改本机数据，并立即联系管理员核查。`;
}

export function createIntegrityService(rt: Runtime): IntegrityService {
  return {
    async check(): Promise<IntegrityReport> {
      const audit = rt.repos.audit;
      const brokenAt = await audit.verify();
      // Counted by key: the last entry may be the edited one, which does not open.
      const entries = await audit.count();
      const findings = await checkSignedCheckpoints(rt);
      const unsigned = findings.map((f) => f.resultId);
      return {
        ok: brokenAt === null && unsigned.length === 0,
        brokenAt,
        entries,
        badSignatures: unsigned,
        message:
          brokenAt !== null ? integrityMessage(brokenAt) : unsigned.length > 0 ? signatureMessage(findings) : null,
      };
    },
  };
}
