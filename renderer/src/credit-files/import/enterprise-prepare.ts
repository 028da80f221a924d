/**
 * Preparing one page of the credit-file feed for storage, line by line as it streams in: the
 * envelope and the record are validated the moment the line is parsed, and all that is kept of a
 * valid record is its summary and its bytes as received. The parsed object tree dies young (the
 * garbage collector's cheap case), and the prepared page is small enough to pass between threads.
 * One bad record is quarantined with its reason; it never fails the page.
 */
import { z } from 'zod';
import {
  CursorSchema,
  EnterpriseChangeEnvelopeSchema,
  EnterpriseSchema,
  EnterpriseUpsertSchema,
  type Enterprise,
} from '../../../../shared/protocol/index.js';
import type { EnterpriseSummary, QuarantineRow, SealedPageChunk, SummaryChange } from '../../db/index.js';
import { compileByteValidator } from '../validate/byte-validator.js';
import { SUMMARY_CAPTURES, summaryOf } from '../summary-columns.js';
import { compileValidator } from '../validate/compiled-validator.js';

/** Compiled once from the shared schema (agreement tested in compiled-validator.test.ts). */
const validEnterprise = compileValidator(EnterpriseSchema);
function isEnterprise(v: unknown): v is Enterprise {
  return validEnterprise(v);
}

/**
 * Upsert lines checked as bytes against the shared schema. The captures are the seq, the version
 * and the summary columns, read without decoding the rest of the line.
 */
const validUpsertLine = compileByteValidator(EnterpriseUpsertSchema, SUMMARY_CAPTURES);
const captured: unknown[] = [];
/** Captured slots before the columns': the seq and the version. */
const FIRST_COLUMN_SLOT = 2;

/** Copies only the summary fields, so the parsed record's object tree is not kept alive. */
export function summarize(e: EnterpriseSummary): EnterpriseSummary {
  return summaryOf(e.version, (c) => c.fromText(c.read(e)));
}

/** The first line of an NDJSON page (and the header of a page crossing between workers). */
export const PageHeaderSchema = z.object({
  nextCursor: CursorSchema,
  hasMore: z.boolean(),
  total: z.number().int().nonnegative(),
});
export type PageHeader = Readonly<z.infer<typeof PageHeaderSchema>>;

/** A page ready for the repository: summaries, each upsert's stored bytes, and the quarantined lines. */
export interface PreparedPage extends PageHeader {
  /** Its chunks sealed for the cache (enterprise-seal.ts), when the preparing thread had the station key. */
  readonly sealed?: readonly SealedPageChunk[];
  readonly changes: readonly SummaryChange[];
  /** Aligned with `changes`: an upsert's line as UTF-8 bytes; null for a tombstone. */
  readonly raws: readonly (Uint8Array | null)[];
  readonly bad: readonly QuarantineRow[];
  /** Lines the page held (valid + quarantined). */
  readonly lineCount: number;
}

function issueText(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(根)'}：${i.message}`)
    .join('；');
}

const utf8 = new TextEncoder();

export class PagePreparer {
  private readonly changes: SummaryChange[] = [];
  private readonly raws: (Uint8Array | null)[] = [];
  private readonly bad: QuarantineRow[] = [];
  private lineCount = 0;
  /** Time spent validating this page's lines (diagnostics). */
  validateMs = 0;

  constructor(private readonly at: string) {}

  /**
   * One line of the page: its parsed value (undefined when it was not JSON), its bytes as received
   * (null when the page came as one JSON body: the value is then re-serialized for storage), and its
   * text for the quarantine.
   */
  add(value: unknown, raw: Uint8Array | null, text: string | null): void {
    const t0 = performance.now();
    this.lineCount += 1;
    this.classify(value, raw, text);
    const ms = performance.now() - t0;
    this.validateMs += ms;
  }

  /**
   * One record line as bytes, for the fast path: true if it is a valid upsert (kept with its
   * summary and these very bytes); false leaves the line untouched for `add` (decode, parse, zod).
   */
  addBytes(raw: Uint8Array): boolean {
    const t0 = performance.now();
    const ok = validUpsertLine(raw, 0, raw.byteLength, captured);
    if (ok) {
      this.lineCount += 1;
      this.changes.push({
        kind: 'upsert',
        seq: captured[0] as number,
        enterprise: summaryOf(captured[1] as number, (_, k) => captured[FIRST_COLUMN_SLOT + k]),
      });
      this.raws.push(raw);
    }
    const ms = performance.now() - t0;
    this.validateMs += ms;
    return ok;
  }

  finish(header: PageHeader): PreparedPage {
    return { ...header, changes: this.changes, raws: this.raws, bad: this.bad, lineCount: this.lineCount };
  }

  private classify(value: unknown, raw: Uint8Array | null, text: string | null): void {
    if (value === undefined) {
      this.quarantine(`line-${this.at}-${this.lineCount - 1}`, '变更记录不是合法的 JSON', value, text);
      return;
    }
    // Fast path for the common upsert line: the record schema checks everything that matters, so
    // the envelope is checked by hand instead of copying the record through a loose schema first.
    // The record goes through the validator compiled from the shared schema (same checks, no issue
    // building or copying); a record it rejects goes through zod itself for the reason.
    const v = value as Record<string, unknown> | null;
    if (
      v &&
      typeof v === 'object' &&
      v['kind'] === 'upsert' &&
      Number.isSafeInteger(v['seq']) &&
      (v['seq'] as number) > 0 &&
      isEnterprise(v['enterprise'])
    ) {
      this.upsert(v['seq'] as number, v['enterprise'], raw ?? utf8.encode(JSON.stringify(value)));
      return;
    }
    const env = EnterpriseChangeEnvelopeSchema.safeParse(value);
    if (!env.success) {
      const seq =
        value && typeof value === 'object' ? String((value as Record<string, unknown>)['seq'] ?? 'unknown') : 'unknown';
      this.quarantine(`seq-${seq}`, `变更记录格式错误：${issueText(env.error.issues)}`, value, text);
      return;
    }
    if (env.data.kind === 'tombstone') {
      this.changes.push(env.data);
      this.raws.push(null);
      return;
    }
    const record = EnterpriseSchema.safeParse(env.data.enterprise);
    if (!record.success) {
      this.quarantine(env.data.enterprise.uscc, `企业档案不符合协议：${issueText(record.error.issues)}`, value, text);
      return;
    }
    this.upsert(env.data.seq, record.data, raw ?? utf8.encode(JSON.stringify(value)));
  }

  private upsert(seq: number, enterprise: Enterprise, raw: Uint8Array): void {
    this.changes.push({ kind: 'upsert', seq, enterprise: summarize(enterprise) });
    this.raws.push(raw);
  }

  private quarantine(key: string, reason: string, value: unknown, text: string | null): void {
    const raw =
      text ??
      (() => {
        try {
          return JSON.stringify(value);
        } catch {
          return String(value);
        }
      })();
    this.bad.push({ key: `enterprises:${key}`, stream: 'enterprises', reason, raw: raw.slice(0, 4000), at: this.at });
  }
}

/** Prepares a list of already-parsed lines (the JSON-body path and tests). */
export function prepareValues(values: readonly unknown[], header: PageHeader, at: string): PreparedPage {
  const p = new PagePreparer(at);
  for (const v of values) p.add(v, null, null);
  return p.finish(header);
}
