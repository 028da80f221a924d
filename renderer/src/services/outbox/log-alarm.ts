/**
 * Reviewing a 平台记录被改写 alarm. While it stands, this inspector's uploads stay stopped. The
 * inspector (with their supervisor) sees the two signed checkpoints that contradict each other,
 * exports them with the failed proof as evidence anyone can re-verify with the pinned platform key,
 * and may resume only by acknowledging with a reason. The acknowledgement goes on the audit chain,
 * signed by the device key; the alarm is archived, never reset, and the next checkpoint must extend
 * the one that raised it.
 */
import { canonicalJson } from '../../../../shared/domain/canonical.js';
import {
  sha256Hex,
  transparencyRepo,
  type LogAlarmRecord,
  type LogAlarmReviewRow,
  type TransparencyRepo,
} from '../../db/index.js';
import type { Runtime } from '../runtime.js';

export const ACK_KIND = 'log.alarm.acknowledged';
export const REASON_MIN = 5;
export const REASON_MAX = 500;

export interface CheckpointSide {
  readonly size: number;
  readonly rootHash: string;
  /** When the app saw it (ISO); null for an alarm raised before the evidence was kept. */
  readonly seenAt: string | null;
}

export interface LogAlarmView {
  readonly message: string;
  readonly at: string;
  readonly seen: CheckpointSide;
  readonly newer: CheckpointSide;
  /** Whether both signed checkpoints were kept (alarms raised by earlier versions have only sizes and roots). */
  readonly exportable: boolean;
}

export interface LogAlarmAck {
  readonly id: string;
  readonly acknowledgedAt: string;
  readonly reason: string;
  readonly seenSize: number;
  readonly newSize: number;
  readonly auditSeq: number;
  /** The device-key signature over the acknowledgement still verifies. */
  readonly signatureValid: boolean;
}

export type AcknowledgeOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly error: { readonly kind: 'invalid' | 'no-alarm' | 'changed'; readonly message: string };
    };

/** The acknowledgement's content, hashed from the record as stored (so an edited reason no longer verifies). */
function ackContentHash(a: {
  id: string;
  at: string;
  reason: string;
  alarm: Pick<LogAlarmRecord, 'seenSize' | 'seenRoot' | 'newSize' | 'newRoot'>;
}): Promise<string> {
  const { seenSize, seenRoot, newSize, newRoot } = a.alarm;
  return sha256Hex(
    canonicalJson({ kind: ACK_KIND, id: a.id, at: a.at, reason: a.reason, seenSize, seenRoot, newSize, newRoot }),
  );
}

function view(a: LogAlarmRecord): LogAlarmView {
  return {
    message: a.message,
    at: a.at,
    seen: { size: a.seenSize, rootHash: a.seenRoot, seenAt: a.evidence?.seenAt ?? null },
    newer: { size: a.newSize, rootHash: a.newRoot, seenAt: a.at },
    exportable: a.evidence !== undefined,
  };
}

/** What the device key signs for an acknowledgement: its own canonical record under a reserved id. */
function signedFields(
  review: Pick<LogAlarmReviewRow, 'id' | 'contentHash' | 'deviceId' | 'deviceSeq' | 'auditSeq' | 'auditHash'>,
) {
  return {
    resultId: `${ACK_KIND}:${review.id}`,
    contentHash: review.contentHash,
    deviceId: review.deviceId,
    deviceSeq: review.deviceSeq,
    count: review.auditSeq,
    headHash: review.auditHash,
  };
}

export interface LogAlarmReview {
  current(): Promise<LogAlarmView | null>;
  /** The evidence as JSON text (a file the inspector hands over), or null when there is nothing to export. */
  evidenceJson(): Promise<string | null>;
  acknowledge(reason: string, expected: { newSize: number; newRoot: string }): Promise<AcknowledgeOutcome>;
  acknowledged(): Promise<readonly LogAlarmAck[]>;
}

export function createLogAlarmReview(
  rt: Runtime,
  repo: TransparencyRepo = transparencyRepo(rt.dbs.field),
): LogAlarmReview {
  return {
    async current() {
      const a = await repo.alarm();
      return a ? view(a) : null;
    },

    async evidenceJson() {
      const a = await repo.alarm();
      if (!a?.evidence) return null;
      const key = (await rt.deps.adapter.config()).platformLogKey;
      return JSON.stringify(
        {
          format: 'smart-inspect/log-rewrite-evidence/v1',
          howToVerify:
            '用平台日志公钥（platformLogKey）分别核验两个签名检查点（C2SP signed note）；两者签名均有效，但 consistencyProof 不能证明较小的树是较大的树的前缀（或两者大小相同而根哈希不同），说明平台改写了已公开的日志。',
          platformLogKey: key,
          detectedAt: a.at,
          message: a.message,
          seen: {
            size: a.seenSize,
            rootHash: a.seenRoot,
            seenAt: a.evidence.seenAt,
            signedCheckpoint: a.evidence.seenNote,
          },
          new: { size: a.newSize, rootHash: a.newRoot, seenAt: a.at, signedCheckpoint: a.evidence.newNote },
          consistencyProof: a.evidence.proof,
        },
        null,
        2,
      );
    },

    async acknowledge(reasonText, expected) {
      const reason = reasonText.trim();
      if (reason.length < REASON_MIN || reason.length > REASON_MAX)
        return {
          ok: false,
          error: {
            kind: 'invalid',
            message: `请填写恢复上传的原因（${REASON_MIN}–${REASON_MAX} 个字），例如管理员核查的结论`,
          },
        };
      const alarm = await repo.alarm();
      if (!alarm) return { ok: false, error: { kind: 'no-alarm', message: '当前没有平台记录被改写的警报' } };
      const at = rt.now().toISOString();
      const id = `ack-${crypto.randomUUID()}`;
      const contentHash = await ackContentHash({ id, at, reason, alarm });
      const outcome = await rt.repos.audit.recording(
        [
          {
            at,
            kind: ACK_KIND,
            subjectId: id,
            detail: {
              reason,
              seenSize: alarm.seenSize,
              seenRoot: alarm.seenRoot,
              newSize: alarm.newSize,
              newRoot: alarm.newRoot,
              contentHash,
            },
          },
        ],
        async ([entry]) => {
          if (!entry) throw new Error('no audit entry prepared');
          // Signed outside the transaction (WebCrypto cannot be awaited inside one).
          const signed = await rt.deviceKey.signNext({
            resultId: `${ACK_KIND}:${id}`,
            contentHash,
            count: entry.seq,
            headHash: entry.hash,
          });
          return repo.acknowledge({
            expected,
            audit: entry,
            review: {
              id,
              reason,
              acknowledgedAt: at,
              auditSeq: entry.seq,
              auditHash: entry.hash,
              contentHash,
              deviceId: signed.deviceId,
              deviceSeq: signed.deviceSeq,
              signature: signed.signature,
            },
            next: {
              size: alarm.newSize,
              rootHash: alarm.newRoot,
              note: alarm.evidence?.newNote ?? '',
              seenAt: alarm.at,
            },
          });
        },
      );
      if (outcome === 'changed')
        return { ok: false, error: { kind: 'changed', message: '警报内容已变化，请重新查看后再确认' } };
      rt.emit('outbox');
      return { ok: true };
    },

    async acknowledged() {
      const rows = await repo.reviews();
      const out: LogAlarmAck[] = [];
      for (const r of rows.sort((a, b) => a.acknowledgedAt.localeCompare(b.acknowledgedAt))) {
        const entry = await rt.repos.audit.at(r.auditSeq);
        const contentHash = await ackContentHash({ id: r.id, at: r.acknowledgedAt, reason: r.reason, alarm: r.alarm });
        const signatureValid =
          entry !== null &&
          entry.hash === r.auditHash &&
          (await rt.deviceKey.verify(signedFields({ ...r, contentHash }), r.signature));
        out.push({
          id: r.id,
          acknowledgedAt: r.acknowledgedAt,
          reason: r.reason,
          seenSize: r.alarm.seenSize,
          newSize: r.alarm.newSize,
          auditSeq: r.auditSeq,
          signatureValid,
        });
      }
      return out;
    },
  };
}
