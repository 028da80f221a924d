/**
 * The keystroke journal: a copy of the whole inspection form in IndexedDB (the field database's
 * journal table), written on every change ahead of the debounced draft save. If the app dies
 * between a keystroke and the save's commit (killed, crashed, closed) the next open of the same
 * draft replays the journal into the form and saves it. Cleared once a save has committed with
 * nothing typed after it. Read back through a zod schema: anything that does not parse is dropped,
 * never half-applied. Keyed by resultId, so a finalized record (whose form never opens again) can
 * never be touched by an old journal.
 *
 * Why IndexedDB and not localStorage: Chromium writes localStorage to disk some time after the
 * call returns, so a killed browser lost the last second of typing; a committed IndexedDB
 * transaction is on disk. Each write is one small transaction; while one is committing, newer
 * changes of the same form wait as ONE pending write (the latest form wins), so a fast typist
 * queues at most one transaction behind the one in flight. Journals left in localStorage by
 * earlier versions are moved into IndexedDB once, then deleted there.
 */
import { z } from 'zod';
import type { JournalRepo, JournalRow } from '../../db/index.js';
import {
  CHECK_METHODS,
  FINDING_HANDLINGS,
  FOLLOW_UPS,
  ITEM_OUTCOMES,
  RESULT_CODES,
} from '../../../../shared/domain/results.js';
import { canonicalJson } from '../../../../shared/domain/canonical.js';
import type { Draft } from './inspection.api.js';

/** Where earlier versions kept the journal, one localStorage key per draft. */
const LEGACY_PREFIX = 'inspection-journal:';
const JOURNAL_VERSION = 1;

const LenientSchema = z.object({
  code: z.string(),
  decision: z.enum(['', 'apply', 'decline']),
  minorHarm: z.boolean(),
  reason: z.string(),
});

const DraftItemSchema = z.object({
  itemCode: z.string(),
  outcome: z.enum(ITEM_OUTCOMES),
  note: z.string(),
  finding: z
    .object({
      description: z.string(),
      legalBasis: z.string(),
      severity: z.enum(['general', 'key']),
      handling: z.enum(FINDING_HANDLINGS),
      rectifyDeadline: z.string().nullable(),
      // Journals written before the field existed still replay (as no decision).
      lenient: LenientSchema.nullable().default(null),
    })
    .nullable(),
});

const SignatureSchema = z.object({
  slot: z.string(),
  role: z.enum(['inspector', 'party']),
  name: z.string(),
  certNo: z.string(),
  post: z.string(),
  idNo: z.string(),
  refused: z.boolean(),
  refusalNote: z.string(),
  witnessName: z.string(),
  witnessIdNo: z.string(),
  attachmentId: z.string().nullable(),
  signedAt: z.string().nullable(),
});

const DraftSchema = z.object({
  taskId: z.string(),
  resultId: z.string(),
  startedAt: z.string(),
  inspectedOn: z.string(),
  items: z.array(DraftItemSchema),
  findings: z.string(),
  resultCodes: z.array(z.enum(RESULT_CODES)),
  checkMethods: z.array(z.enum(CHECK_METHODS)),
  followUps: z.array(z.enum(FOLLOW_UPS)),
  replaces: z.string().nullable(),
  updatedAt: z.string(),
  captions: z.record(z.string(), z.string()),
  signatures: z.array(SignatureSchema),
  templates: z.array(z.string()),
  // Journals written before the field existed still replay (as an empty note).
  usccNote: z.string().max(2000).default(''),
});

const JournalSchema = z.object({
  v: z.literal(JOURNAL_VERSION),
  writtenAt: z.string(),
  draft: DraftSchema,
});

/** The localStorage journal of earlier versions: only read (once) and deleted. */
export interface LegacyJournalStore {
  keys(): string[];
  getItem(key: string): string | null;
  removeItem(key: string): void;
}

/** Where a journal lives; the app has one, tests make their own. */
export interface JournalTarget {
  readonly repo: JournalRepo;
  readonly legacy: LegacyJournalStore | null;
}

export function localStorageLegacy(): LegacyJournalStore | null {
  try {
    if (typeof localStorage === 'undefined') return null;
    const ls = localStorage;
    return {
      keys: () =>
        Array.from({ length: ls.length }, (_, i) => ls.key(i) ?? '').filter((k) => k.startsWith(LEGACY_PREFIX)),
      getItem: (k) => ls.getItem(k),
      removeItem: (k) => ls.removeItem(k),
    };
  } catch {
    return null; // localStorage may be missing or throw in odd embeddings
  }
}

interface PendingWrite {
  row: JournalRow;
  readonly done: Promise<boolean>;
}

/** Per target: the queue of journal transactions, in the order they were asked for. */
interface Queue {
  tail: Promise<unknown>;
  /** A write not started yet, per resultId: newer changes replace its row instead of queueing. */
  readonly pending: Map<string, PendingWrite>;
  migrated: Promise<void> | null;
}

const queues = new WeakMap<JournalTarget, Queue>();

function queueOf(target: JournalTarget): Queue {
  let q = queues.get(target);
  if (!q) {
    q = { tail: Promise.resolve(), pending: new Map(), migrated: null };
    queues.set(target, q);
  }
  return q;
}

function enqueue<T>(q: Queue, job: () => Promise<T>): Promise<T> {
  const run = q.tail.then(job, job);
  q.tail = run.catch(() => undefined);
  return run;
}

function toRow(draft: Draft, now: Date): JournalRow {
  return { resultId: draft.resultId, taskId: draft.taskId, v: JOURNAL_VERSION, writtenAt: now.toISOString(), draft };
}

/**
 * Journals the whole form. Resolves true once a transaction holding this form (or a newer one)
 * committed, false when it could not be written (quota, no IndexedDB).
 */
export function writeJournal(draft: Draft, now: Date, target: JournalTarget): Promise<boolean> {
  const q = queueOf(target);
  const row = toRow(draft, now);
  const waiting = q.pending.get(draft.resultId);
  if (waiting) {
    waiting.row = row;
    return waiting.done;
  }
  const write: PendingWrite = {
    row,
    done: enqueue(q, async () => {
      // From here on a newer change queues a new write: this one's row is being stored.
      if (q.pending.get(draft.resultId) === write) q.pending.delete(draft.resultId);
      try {
        await target.repo.put(write.row);
        return true;
      } catch {
        return false;
      }
    }),
  };
  q.pending.set(draft.resultId, write);
  return write.done;
}

/** Removes the draft's journal after whatever was journaled before this call (later writes stay). */
export function clearJournal(resultId: string, target: JournalTarget): Promise<void> {
  const q = queueOf(target);
  q.pending.delete(resultId); // a write queued earlier still runs before the removal
  return enqueue(q, async () => {
    try {
      await target.repo.remove(resultId);
    } catch {
      // A journal we cannot remove is replayed once more next time: same content, harmless.
    }
  });
}

type ParsedJournal = z.infer<typeof JournalSchema>;

function parseJournal(value: unknown): ParsedJournal | null {
  const parsed = JournalSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Moves every localStorage journal of earlier versions into IndexedDB (a newer one there wins), then deletes it. */
async function migrateLegacy(target: JournalTarget): Promise<void> {
  const legacy = target.legacy;
  if (!legacy) return;
  let keys: string[];
  try {
    keys = legacy.keys();
  } catch {
    return;
  }
  for (const key of keys) {
    try {
      const raw = legacy.getItem(key);
      let json: unknown = null;
      try {
        json = raw === null ? null : JSON.parse(raw);
      } catch {
        json = null;
      }
      const journal = parseJournal(json);
      if (journal && key === LEGACY_PREFIX + journal.draft.resultId) {
        await target.repo.putIfNewer({
          resultId: journal.draft.resultId,
          taskId: journal.draft.taskId,
          v: journal.v,
          writtenAt: journal.writtenAt,
          draft: journal.draft,
        });
      }
      legacy.removeItem(key); // moved, or unreadable: either way never read from here again
    } catch {
      // IndexedDB refused: the old journal stays where it is and is tried again on the next start.
    }
  }
}

/** Same form content (the save stamp aside, and whatever the key order)? */
function sameContent(a: Draft, b: Draft): boolean {
  return canonicalJson({ ...a, updatedAt: '' }) === canonicalJson({ ...b, updatedAt: '' });
}

/**
 * The journaled form for this draft, if one is waiting and differs from what was saved: only for
 * the same task and resultId, and only when it parses. A journal that does not parse, or says the
 * same as the draft, is removed. Never rejects: a journal that cannot be read is no journal.
 */
export async function readJournal(draft: Draft, target: JournalTarget): Promise<Draft | null> {
  const q = queueOf(target);
  q.migrated ??= enqueue(q, () => migrateLegacy(target));
  // Behind every write asked for so far, so this page's own last keystrokes are seen.
  return enqueue(q, async () => {
    let row: JournalRow | null;
    try {
      row = await target.repo.get(draft.resultId);
    } catch {
      return null;
    }
    if (!row) return null;
    const journal = parseJournal({ v: row.v, writtenAt: row.writtenAt, draft: row.draft });
    const stale =
      !journal ||
      journal.draft.resultId !== draft.resultId ||
      journal.draft.taskId !== draft.taskId ||
      sameContent(journal.draft, draft);
    if (stale) {
      await target.repo.remove(draft.resultId).catch(() => undefined);
      return null;
    }
    return journal.draft;
  });
}

/** Resolves once every journal write and clear asked for so far has committed or failed (a lock waits here). */
export function flushJournal(target: JournalTarget): Promise<void> {
  return queueOf(target).tail.then(() => undefined);
}
