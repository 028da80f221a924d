/**
 * The enterprise part of the pull: the compacted credit-file feed, page by page, as a pipeline: the
 * next page downloads while the current one is validated and the previous one is written (each page
 * with its cursor in one transaction, in order).
 * One bad record is quarantined with its reason; 410 restarts the stream from 0 in a new generation.
 */
import { EnterpriseChangeEnvelopeSchema, EnterpriseSchema, type Enterprise, type EnterpriseChange } from '../../../shared/protocol/index.js';
import { compileValidator } from './compiled-validator.js';
import type { EnterprisesRepo, QuarantineRow } from '../db/index.js';
import type { HttpError } from '../platform/http.js';
import type { EnterpriseFeedFetcher, PageHeader, PageResult, RawLine } from './enterprise-feed.js';
import type { ProgressTracker } from './progress.js';
import { publishTimings, resetTimings, timings } from './enterprise-timings.js';

const MAX_RESTARTS = 2;

/** Compiled once from the shared schema (agreement tested in compiled-validator.test.ts). */
const validEnterprise = compileValidator(EnterpriseSchema);
function isEnterprise(v: unknown): v is Enterprise {
  return validEnterprise(v);
}

export interface EnterprisePullDeps {
  readonly repo: EnterprisesRepo;
  readonly feed: EnterpriseFeedFetcher;
  readonly pageSize: number;
  readonly now: () => Date;
  readonly signal?: AbortSignal;
}

function issueText(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || '(根)'}：${i.message}`).join('；');
}

function quarantineRow(key: string, reason: string, line: RawLine, at: string): QuarantineRow {
  const raw = line.text ?? (() => { try { return JSON.stringify(line.value); } catch { return String(line.value); } })();
  return { key: `enterprises:${key}`, stream: 'enterprises', reason, raw: raw.slice(0, 4000), at };
}

/** Envelope first, then the record itself: one bad record is quarantined alone. */
export function parseEnterpriseLines(lines: readonly RawLine[], at: string): { changes: EnterpriseChange[]; texts: (string | null)[]; bad: QuarantineRow[] } {
  const changes: EnterpriseChange[] = [];
  const texts: (string | null)[] = [];
  const bad: QuarantineRow[] = [];
  lines.forEach((line, i) => {
    if (line.value === undefined) {
      bad.push(quarantineRow(`line-${at}-${i}`, '变更记录不是合法的 JSON', line, at));
      return;
    }
    // Fast path for the common upsert line: the record schema checks everything that matters, so
    // the envelope is checked by hand instead of copying the record through a loose schema first.
    // The record goes through the validator compiled from the shared schema (same checks, no issue
    // building or copying); a record it rejects goes through zod itself for the reason.
    const v = line.value as Record<string, unknown> | null;
    if (v && typeof v === 'object' && v['kind'] === 'upsert' && Number.isSafeInteger(v['seq']) && (v['seq'] as number) > 0 && isEnterprise(v['enterprise'])) {
      changes.push({ kind: 'upsert', seq: v['seq'] as number, enterprise: v['enterprise'] });
      texts.push(line.text);
      return;
    }
    const env = EnterpriseChangeEnvelopeSchema.safeParse(line.value);
    if (!env.success) {
      const seq = line.value && typeof line.value === 'object' ? String((line.value as Record<string, unknown>)['seq'] ?? 'unknown') : 'unknown';
      bad.push(quarantineRow(`seq-${seq}`, `变更记录格式错误：${issueText(env.error.issues)}`, line, at));
      return;
    }
    if (env.data.kind === 'tombstone') {
      changes.push(env.data);
      texts.push(null);
      return;
    }
    const record = EnterpriseSchema.safeParse(env.data.enterprise);
    if (!record.success) {
      bad.push(quarantineRow(env.data.enterprise.uscc, `企业档案不符合协议：${issueText(record.error.issues)}`, line, at));
      return;
    }
    changes.push({ kind: 'upsert', seq: env.data.seq, enterprise: record.data });
    texts.push(line.text);
  });
  return { changes, texts, bad };
}

/** One page request; `follow` arranges for the request after it to start once its header is known. */
interface PageRequest {
  readonly cursor: string;
  readonly result: Promise<PageResult>;
  readonly hooks: { header: PageHeader | null; onHeader: ((header: PageHeader) => void) | null };
}

export async function pullEnterprises(d: EnterprisePullDeps, tracker: ProgressTracker): Promise<HttpError | null> {
  resetTimings();
  const started = performance.now();
  try {
    return await pullLoop(d, tracker);
  } finally {
    timings.totalMs = performance.now() - started;
    publishTimings();
  }
}

/**
 * Page requests with one look-ahead: when the header of the page the loop waits for arrives (NDJSON:
 * its first line, while its records still stream), the next page is requested at once, so the
 * server builds page N+1 while page N is still downloading, parsed, validated and written.
 */
function pageRequests(d: EnterprisePullDeps) {
  let next: PageRequest | null = null;
  const request = (cursor: string): PageRequest => {
    const hooks: PageRequest['hooks'] = { header: null, onHeader: null };
    const result = d.feed(cursor, d.pageSize, d.signal, (h) => {
      hooks.header = h;
      hooks.onHeader?.(h);
    });
    result.catch(() => undefined); // awaited later; never an unhandled rejection when a write fails first
    return { cursor, result, hooks };
  };
  const follow = (req: PageRequest): PageRequest => {
    const go = (h: PageHeader) => {
      if (h.hasMore && !next && !d.signal?.aborted) next = request(h.nextCursor);
    };
    if (req.hooks.header) go(req.hooks.header);
    else req.hooks.onHeader = go;
    return req;
  };
  return {
    first: (cursor: string) => {
      next = null;
      return follow(request(cursor));
    },
    /** The request for `cursor`: the look-ahead one when it matches, else a new one. */
    after: (cursor: string) => {
      const ahead = next && next.cursor === cursor ? next : null;
      next = null;
      return follow(ahead ?? request(cursor));
    },
  };
}

async function pullLoop(d: EnterprisePullDeps, tracker: ProgressTracker): Promise<HttpError | null> {
  const pages = pageRequests(d);
  let restarts = 0;
  const state = await d.repo.state();
  const have = state.cursor === '0' ? 0 : await d.repo.count();
  // A resumed initial download continues its count; a delta counts its own changes from 0.
  let delta = state.cursor !== '0' && !state.restarting && (await d.repo.complete());
  tracker.start('enterprises', delta ? 0 : state.total, delta ? 0 : have);
  let done = 0;
  let pending = pages.first(state.cursor);
  // Up to two page writes are queued while the next page is validated, so IndexedDB goes from one
  // page's commit straight to the next. Order is safe: each page names the cursor it was requested
  // with, and its transaction refuses to commit unless that is the stored cursor (so if a write
  // fails, the one queued behind it fails too and the stored cursor never skips a page).
  const writes: Promise<void>[] = [];
  const settle = async (keep = 0) => {
    while (writes.length > keep) await writes.shift();
  };
  for (;;) {
    if (d.signal?.aborted) {
      await settle();
      return { kind: 'aborted', message: '同步已取消' };
    }
    const w0 = performance.now();
    const res = await pending.result;
    timings.waitMs += performance.now() - w0;
    if (!res.ok) {
      await settle();
      if (res.error.kind === 'http' && res.error.status === 410 && restarts < MAX_RESTARTS) {
        restarts += 1;
        await d.repo.restart();
        tracker.start('enterprises');
        done = 0;
        delta = false;
        pending = pages.first('0');
        continue;
      }
      return res.error;
    }
    const page = res.page;
    const fromCursor = pending.cursor;
    if (page.hasMore) pending = pages.after(page.nextCursor);
    const at = d.now().toISOString();
    const v0 = performance.now();
    const { changes, texts, bad } = parseEnterpriseLines(page.lines, at);
    timings.validateMs += performance.now() - v0;
    await settle(1);
    const isDelta = delta;
    const write = async () => {
      const t0 = performance.now();
      await d.repo.applyPage({ changes, texts, quarantined: bad, fromCursor, nextCursor: page.nextCursor, hasMore: page.hasMore, total: page.total, at });
      timings.writeMs += performance.now() - t0;
      timings.pages += 1;
      timings.records += page.lines.length;
      done += page.lines.length - bad.length;
      tracker.advance(page.lines.length - bad.length, isDelta ? done + (page.hasMore ? d.pageSize : 0) : page.total, bad.length);
    };
    const writing = write();
    writing.catch(() => undefined); // awaited by settle(); never an unhandled rejection meanwhile
    writes.push(writing);
    if (!page.hasMore) {
      await settle();
      return null;
    }
  }
}
