/**
 * Downstream feeds: the inspector's tasks and the compacted enterprise
 * credit-file feed. Cursors are server sequences; a cursor below the tombstone horizon gets 410.
 */
import { CursorSchema, TaskSchema } from '../../../shared/protocol/index.js';
import type { TaskChange, TaskFeedPage } from '../../../shared/protocol/index.js';
import { requireInspector } from '../auth.js';
import { getMeta } from '../db.js';
import type { Ctx, Reply } from '../http.js';
import { HttpError, json } from '../http.js';
import type { Platform } from '../state.js';

function pageParams(ctx: Ctx, defLimit: number, maxLimit: number): { cursor: number; limit: number } {
  const rawCursor = ctx.url.searchParams.get('cursor') ?? '0';
  const c = CursorSchema.safeParse(rawCursor === '' ? '0' : rawCursor);
  if (!c.success) throw new HttpError(400, 'BAD_REQUEST', `cursor 参数无效：${rawCursor}`);
  const rawLimit = ctx.url.searchParams.get('limit');
  const limit = rawLimit === null ? defLimit : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit)
    throw new HttpError(400, 'BAD_REQUEST', `limit 应为 1 至 ${maxLimit} 之间的整数`);
  return { cursor: Number(c.data), limit };
}

interface TaskRow {
  seq: number;
  id: string;
  version: number;
  json: string;
  active: number;
}

export function tasksFeed(p: Platform, ctx: Ctx): Reply {
  const me = requireInspector(p, ctx);
  const { cursor, limit } = pageParams(ctx, 200, 1000);
  return json(200, taskPage(p, me.id, cursor, limit));
}

/** One page of an inspector's task feed after `cursor` (the route's answer; the station bundle reads it too). */
export function taskPage(p: Platform, inspectorId: string, cursor: number, limit: number): TaskFeedPage {
  const rows = p.db
    .prepare(
      `SELECT t.seq, t.id, t.version, t.json, tt.active FROM tasks t JOIN task_team tt ON tt.task_id = t.id
              WHERE tt.inspector_id = ? AND t.seq > ? ORDER BY t.seq LIMIT ?`,
    )
    .all(inspectorId, cursor, limit + 1) as TaskRow[];
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  const changes: TaskChange[] = page.map((r) => {
    const task = TaskSchema.parse(JSON.parse(r.json));
    // A former team member sees the task as reassigned (never silently vanished).
    return { kind: 'upsert', seq: r.seq, task: r.active ? task : { ...task, status: 'reassigned' } };
  });
  const total = (
    p.db.prepare('SELECT COUNT(*) AS n FROM task_team WHERE inspector_id = ?').get(inspectorId) as { n: number }
  ).n;
  const last = page[page.length - 1];
  return { changes, nextCursor: String(last ? last.seq : cursor), hasMore, total };
}

const CLOSE = Buffer.from('}');
const COMMA = Buffer.from(',');
const NEWLINE = Buffer.from('\n');

interface EntRow {
  seq: number;
  uscc: string;
  deleted: number;
  json: Buffer | string | null;
}

export function tombstoneHorizon(p: Platform): number {
  return Number(getMeta(p.db, 'tombstoneHorizon') ?? '0');
}

/**
 * Enterprise cursors carry the purge epoch once tombstones were purged: `{epoch}{seq:12 digits}`
 * (plain `{seq}` in epoch 0). Only a cursor issued before the last purge and below the horizon may
 * have missed a tombstone; a fresh download that started at 0 after the purge pages on undisturbed.
 */
const SEQ_DIGITS = 12;
function decodeEntCursor(raw: number, text: string): { epoch: number; seq: number } {
  if (text.length <= SEQ_DIGITS) return { epoch: 0, seq: raw };
  return { epoch: Number(text.slice(0, -SEQ_DIGITS)), seq: Number(text.slice(-SEQ_DIGITS)) };
}
export function encodeEntCursor(epoch: number, seq: number): string {
  return epoch === 0 ? String(seq) : `${epoch}${String(seq).padStart(SEQ_DIGITS, '0')}`;
}

/** Live count, cached per feed head (every change moves `seq:ent`): a 200k COUNT per page adds up. */
const liveCounts = new WeakMap<Platform, { head: string | null; n: number }>();
function liveEnterprises(p: Platform): number {
  const head = getMeta(p.db, 'seq:ent');
  const cached = liveCounts.get(p);
  if (cached && cached.head === head) return cached.n;
  const n = (p.db.prepare('SELECT COUNT(*) AS n FROM enterprises WHERE deleted = 0').get() as { n: number }).n;
  liveCounts.set(p, { head, n });
  return n;
}

/** Time spent building enterprise pages (query + splice) and bytes produced, for the bench breakdown. */
export const feedStats = { ms: 0, bytes: 0, pages: 0 };

export function enterprisesFeed(p: Platform, ctx: Ctx): Reply {
  const t0 = performance.now();
  try {
    const reply = enterprisesPage(p, ctx);
    if (reply.raw && typeof reply.raw.body !== 'string') feedStats.bytes += reply.raw.body.length;
    feedStats.pages += 1;
    return reply;
  } finally {
    feedStats.ms += performance.now() - t0;
  }
}

function enterprisesPage(p: Platform, ctx: Ctx): Reply {
  requireInspector(p, ctx);
  const params = pageParams(ctx, 1000, 5000);
  const { epoch: cursorEpoch, seq: cursor } = decodeEntCursor(params.cursor, ctx.url.searchParams.get('cursor') ?? '0');
  const limit = params.limit;
  const horizon = tombstoneHorizon(p);
  const epoch = Number(getMeta(p.db, 'purgeEpoch') ?? '0');
  if (cursor > 0 && cursor < horizon && cursorEpoch < epoch) {
    throw new HttpError(
      410,
      'CURSOR_EXPIRED',
      `游标 ${cursor} 早于删除记录保留期限（${horizon}），请从 0 重新同步企业档案`,
    );
  }
  const rows = p.db
    .prepare('SELECT seq, uscc, deleted, json FROM enterprises WHERE seq > ? ORDER BY seq LIMIT ?')
    .all(cursor, limit + 1) as EntRow[];
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  const total = liveEnterprises(p);
  const last = page[page.length - 1];
  const nextCursor = encodeEntCursor(
    cursor === 0 || cursorEpoch === epoch ? epoch : cursorEpoch,
    last ? last.seq : cursor,
  );
  // The stored UTF-8 bytes are spliced in as-is (fast, and invalid records reach the client
  // unchanged), gathered as pieces and copied once into the body.
  const header = { nextCursor, hasMore, total };
  const ndjson = /application\/x-ndjson/.test(String(ctx.req.headers.accept ?? ''));
  const parts: Buffer[] = ndjson ? [Buffer.from(JSON.stringify(header)), NEWLINE] : [Buffer.from('{"changes":[')];
  page.forEach((r, i) => {
    if (!ndjson && i > 0) parts.push(COMMA);
    if (r.deleted || !r.json)
      parts.push(Buffer.from(`{"kind":"tombstone","seq":${r.seq},"uscc":${JSON.stringify(r.uscc)}}`));
    else
      parts.push(
        Buffer.from(`{"kind":"upsert","seq":${r.seq},"enterprise":`),
        typeof r.json === 'string' ? Buffer.from(r.json) : r.json,
        CLOSE,
      );
    if (ndjson) parts.push(NEWLINE);
  });
  if (ndjson) return { status: 200, raw: { body: Buffer.concat(parts), type: 'application/x-ndjson; charset=utf-8' } };
  parts.push(Buffer.from(`],"nextCursor":"${nextCursor}","hasMore":${hasMore},"total":${total}}`));
  const body = Buffer.concat(parts);
  return { status: 200, raw: { body, type: 'application/json; charset=utf-8' } };
}
