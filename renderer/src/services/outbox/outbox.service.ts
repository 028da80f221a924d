/**
 * The outbox as the UI sees it, and the push schedule: drain on demand, on reconnect (every
 * waiting op due immediately) and on a timer; receipts polled until published. Also the review
 * flow for set-aside results: keep with a note, or resend as a correction (never a silent discard).
 */
import { canonicalJson } from '../../../../shared/domain/canonical.js';
import { sha256Hex, type OutboxRow, type ReviewRow, type SetAsideRow, type UploadRow } from '../../db/index.js';
import { createPushEngine, type DrainReport, type PushEngine } from '../../sync/push-engine.js';
import { createReceiptVerifier } from '../../sync/receipt-verify.js';
import { createLogAlarmReview } from './log-alarm.js';
import { isLegacyReceipt, mediaChunksRepo, transparencyRepo } from '../../db/index.js';
import { createTusUploader } from '../../sync/tus-upload.js';
import type { OutboxEntry, OutboxService } from './outbox.api.js';
import type { Runtime } from '../runtime.js';
import { pushSigning } from '../storage/signed-checkpoints.js';

export const DRAIN_INTERVAL_MS = 15_000;
export const RECEIPT_POLL_EVERY = 4;

function progressOf(row: OutboxRow, uploads: readonly UploadRow[]): number | null {
  if (row.state !== 'uploading' || uploads.length === 0) return null;
  const total = uploads.reduce((n, u) => n + u.size, 0);
  const done = uploads.reduce((n, u) => n + (u.done ? u.size : Math.min(u.offset, u.size)), 0);
  return total === 0 ? 100 : Math.floor((done / total) * 100);
}

function toEntry(
  row: OutboxRow,
  uploads: readonly UploadRow[],
  aside: SetAsideRow | undefined,
  review: ReviewRow | undefined,
  replaces: string | null,
): OutboxEntry {
  return {
    opId: row.opId,
    resultId: row.resultId,
    taskId: row.taskId,
    enterpriseName: row.enterpriseName,
    state: row.state,
    attempts: row.attempts,
    lastAttemptAt: row.lastAttemptAt,
    nextAttemptAt: row.nextAttemptAt === null ? null : new Date(row.nextAttemptAt).toISOString(),
    lastError: row.lastError,
    advice: row.advice,
    publicationDeadline: row.publicationDeadline,
    progress: progressOf(row, uploads),
    setAsideCode: row.state === 'needs_review' ? (aside?.code ?? null) : null,
    review: review
      ? { decision: review.decision, note: review.note, at: review.at, correctionResultId: review.correctionResultId }
      : null,
    replaces,
    underReview: row.state === 'accepted' && row.receipt?.publication.state === 'under_review',
    // Receipts are stored only after they verified, so an accepted op's logged receipt is a verified one.
    logIndex:
      (row.state === 'accepted' || row.state === 'published') && row.receipt?.log ? row.receipt.log.index : null,
    unlogged: (row.state === 'accepted' || row.state === 'published') && isLegacyReceipt(row.receipt),
  };
}

export interface OutboxController extends OutboxService {
  readonly engine: PushEngine;
  drain(): Promise<DrainReport | null>;
  /** Starts the timer and the reconnect listener; returns a stop function. */
  startBackground(): () => void;
}

export function createOutboxService(rt: Runtime): OutboxController {
  const { outbox, uploads, reviews, results, attachments, meta, audit } = rt.repos;
  const uploader = createTusUploader({
    baseUrl: rt.baseUrl,
    fetch: rt.deps.fetch ?? ((input, init) => fetch(input, init)),
    tokens: rt.tokens,
    uploads,
    source: attachments,
    media: mediaChunksRepo(rt.dbs.field),
    now: () => rt.now().getTime(),
    onProgress: () => rt.emit('outbox'),
  });
  const logVerifier = createReceiptVerifier({
    http: rt.http,
    repo: transparencyRepo(rt.dbs.field),
    logKey: async () => (await rt.deps.adapter.config()).platformLogKey,
    now: () => rt.now().getTime(),
  });
  const engine = createPushEngine({
    logVerifier,
    uploader,
    http: rt.http,
    outbox,
    results,
    deviceId: () => meta.deviceId(),
    now: () => rt.now().getTime(),
    ...(rt.deps.random ? { random: rt.deps.random } : {}),
    locks: rt.deps.locks ?? null,
    onChange: () => rt.emit('outbox'),
    auditGate: () => audit.verify(),
    signing: pushSigning(rt),
  });

  async function drain(): Promise<DrainReport | null> {
    if (!rt.baseUrl() || !rt.tokens.hasTokens()) return null;
    const report = await engine.drain();
    await engine.pollReceipts();
    return report;
  }

  async function list(): Promise<OutboxEntry[]> {
    const [rows, allUploads, decisions, allResults] = await Promise.all([
      outbox.list(),
      uploads.all(),
      reviews.all(),
      results.all(),
    ]);
    const replacesOf = new Map(allResults.map((r) => [r.resultId, r.payload.replaces]));
    const out: OutboxEntry[] = [];
    for (const row of rows) {
      const aside = row.state === 'needs_review' ? ((await outbox.setAsideInfo(row.opId)) ?? undefined) : undefined;
      const review = decisions.filter((d) => d.opId === row.opId).at(-1);
      out.push(
        toEntry(
          row,
          allUploads.filter((u) => u.resultId === row.resultId),
          aside,
          review,
          replacesOf.get(row.resultId) ?? null,
        ),
      );
    }
    return out;
  }

  async function resendAsCorrection(opId: string, note: string): Promise<string> {
    const op = await outbox.get(opId);
    const original = op ? await results.get(op.resultId) : null;
    if (!op || !original) throw new Error(`找不到待上传记录 ${opId}`);
    const aside = await outbox.setAsideInfo(opId);
    const at = rt.now().toISOString();
    // The evidence is copied under new ids: the platform keeps each attachment id to the result it was
    // uploaded for, so the correction's payload must name the copies, not the original's files.
    const attachmentIds: Record<string, string> = Object.fromEntries(
      (await attachments.forResult(original.resultId)).map((a) => [a.id, `att-${crypto.randomUUID()}`]),
    );
    const { evidence, signatures } = original.payload;
    const payload = {
      ...original.payload,
      resultId: `r-${crypto.randomUUID()}`,
      replaces: aside?.conflictWith ?? original.resultId,
      finishedAt: at,
      ...(evidence ? { evidence: evidence.map((e) => ({ ...e, id: attachmentIds[e.id] ?? e.id })) } : {}),
      ...(signatures
        ? {
            signatures: signatures.map((g) => ({
              ...g,
              attachmentId: g.attachmentId ? (attachmentIds[g.attachmentId] ?? g.attachmentId) : null,
            })),
          }
        : {}),
    };
    const contentHash = await sha256Hex(canonicalJson(payload));
    const newOpId = `op-${crypto.randomUUID()}`;
    const row = await audit.recording(
      [
        {
          at,
          kind: 'result.correction',
          subjectId: payload.resultId,
          detail: { taskId: original.taskId, replaces: payload.replaces, of: original.resultId, note, contentHash },
        },
      ],
      async ([entry]) => {
        if (!entry) throw new Error('no audit entry prepared');
        // Signed outside the transaction; a moved head or sequence prepares and signs again.
        const checkpoint = await rt.deviceKey.signNext({
          resultId: payload.resultId,
          contentHash,
          count: entry.seq,
          headHash: entry.hash,
        });
        return reviews.correct({
          opId,
          note,
          at,
          payload,
          contentHash,
          newOpId,
          audit: entry,
          checkpoint,
          attachmentIds,
        });
      },
    );
    rt.emit('outbox');
    rt.emit('tasks');
    return row.resultId;
  }

  return {
    engine,
    drain,
    list,
    async logAlarm() {
      return (await logVerifier.alarm())?.message ?? null;
    },
    alarmReview: createLogAlarmReview(rt),
    async pushNow() {
      await outbox.makeAllDue();
      await drain();
    },
    subscribe(listener) {
      return rt.on('outbox', listener);
    },
    async keepWithNote(opId, note) {
      await reviews.keep(opId, note.trim(), rt.now().toISOString());
      rt.emit('outbox');
    },
    resendAsCorrection,
    startBackground() {
      let ticks = 0;
      const timer = setInterval(() => {
        if (!rt.deps.network.online()) return;
        ticks += 1;
        void (ticks % RECEIPT_POLL_EVERY === 0 ? drain() : engine.drain().catch(() => null));
      }, DRAIN_INTERVAL_MS);
      const off = rt.deps.network.subscribe((online) => {
        if (online) void outbox.makeAllDue().then(drain);
      });
      return () => {
        clearInterval(timer);
        off();
      };
    },
  };
}
