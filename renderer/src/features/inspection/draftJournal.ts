/**
 * The keystroke journal: a synchronous copy of the inspection form in localStorage, written on
 * every change before the (asynchronous, debounced) IndexedDB save. If the app dies between a
 * keystroke and the save's commit — killed, crashed, closed — the next open of the same draft
 * replays the journal into the form and saves it. Cleared once a save has committed with nothing
 * typed after it. Read back through a zod schema: anything that does not parse is dropped, never
 * half-applied. Keyed by resultId, so a finalized record (whose form never opens again) can never
 * be touched by an old journal.
 */
import { z } from 'zod';
import { CHECK_METHODS, FINDING_HANDLINGS, FOLLOW_UPS, ITEM_OUTCOMES, RESULT_CODES } from '../../../../shared/domain/results.js';
import { canonicalJson } from '../../../../shared/domain/canonical.js';
import type { Draft } from '../../services/index.js';

const KEY_PREFIX = 'inspection-journal:';
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
      lenient: LenientSchema.nullable().optional(),
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

export interface JournalStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** localStorage when the page has it (it may be missing or throw in odd embeddings). */
function defaultStore(): JournalStore | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

const keyFor = (resultId: string): string => KEY_PREFIX + resultId;

/** Writes the whole form synchronously. Returns false when the journal could not be written (quota, no storage). */
export function writeJournal(draft: Draft, now: Date, store: JournalStore | null = defaultStore()): boolean {
  if (!store) return false;
  try {
    store.setItem(keyFor(draft.resultId), JSON.stringify({ v: JOURNAL_VERSION, writtenAt: now.toISOString(), draft }));
    return true;
  } catch {
    return false;
  }
}

export function clearJournal(resultId: string, store: JournalStore | null = defaultStore()): void {
  try {
    store?.removeItem(keyFor(resultId));
  } catch {
    // A journal we cannot remove is replayed once more next time: same content, harmless.
  }
}

/** Same form content (the save stamp aside, and whatever the key order)? */
function sameContent(a: Draft, b: Draft): boolean {
  return canonicalJson({ ...a, updatedAt: '' }) === canonicalJson({ ...b, updatedAt: '' });
}

/**
 * The journaled form for this draft, if one is waiting and differs from what was saved: only for the same task and resultId, and
 * only when it parses. A journal that does not parse is removed.
 */
export function readJournal(draft: Draft, store: JournalStore | null = defaultStore()): Draft | null {
  if (!store) return null;
  let raw: string | null;
  try {
    raw = store.getItem(keyFor(draft.resultId));
  } catch {
    return null;
  }
  if (raw === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = null;
  }
  const parsed = JournalSchema.safeParse(json);
  if (!parsed.success || parsed.data.draft.resultId !== draft.resultId || parsed.data.draft.taskId !== draft.taskId) {
    clearJournal(draft.resultId, store);
    return null;
  }
  const journaled: Draft = parsed.data.draft;
  if (sameContent(journaled, draft)) {
    clearJournal(draft.resultId, store);
    return null;
  }
  return journaled;
}
