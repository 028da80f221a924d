/**
 * The app's check of the platform's transparency log. A result counts as safe (accepted or
 * published) only when its receipt carries the platform's signature and a proof that the result,
 * exactly as this device sent it, is in the log, all verified against the platform log key pinned in
 * the deployment config. Every checkpoint seen is kept; a newer one is taken only with a consistency
 * proof from the latest one, so a platform that drops, reorders or edits an entry is caught, and
 * an older one must prove it is a prefix of what was seen since.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { API, ConsistencyProofResponseSchema, LogCheckpointResponseSchema } from '../../../shared/protocol/index.js';
import type { Receipt } from '../../../shared/protocol/index.js';
import { verifyConsistency } from '../../../shared/transparency/merkle-verify.js';
import { verifyReceipt } from '../../../shared/transparency/receipt-verify.js';
import type { SentResult } from '../../../shared/transparency/receipt-verify.js';
import { openCheckpoint, parseVerifierKey } from '../../../shared/transparency/signed-note.js';
import type { Checkpoint, Ed25519Verify, VerifierKey } from '../../../shared/transparency/signed-note.js';
import type { LogAlarmEvidence, LogAlarmRecord, LogCheckpointRow, TransparencyRepo } from '../db/index.js';
import type { HttpClient } from '../platform/http.js';

export type LogVerdict =
  | { readonly ok: true; readonly index: number | null; readonly treeSize: number }
  | {
      readonly ok: false;
      /** unverifiable: this receipt or checkpoint cannot be trusted; rewritten: the log's history changed; unreachable: try later. */
      readonly kind: 'unverifiable' | 'rewritten' | 'unreachable';
      readonly reason: string;
      readonly advice: string;
    };

export interface ReceiptVerifier {
  /** Verifies the receipt against what this device sent and records its checkpoint. */
  check(receipt: Receipt, sent: SentResult): Promise<LogVerdict>;
  /** Fetches the platform's latest checkpoint and checks that it extends the ones seen. */
  monitor(): Promise<LogVerdict>;
  alarm(): Promise<LogAlarmRecord | null>;
}

export interface ReceiptVerifierDeps {
  readonly http: HttpClient;
  readonly repo: TransparencyRepo;
  /** The pinned `platformLogKey` of the deployment config, or null when none is configured. */
  readonly logKey: () => Promise<string | null>;
  readonly verify?: Ed25519Verify;
  readonly now?: () => number;
}

export const LOG_FAILED = '平台日志校验失败';
export const LOG_REWRITTEN = '平台记录被改写';
const KEEP = '本地记录已完整保留，未上传的结果不会丢失。';

/** Ed25519 through WebCrypto (Chromium and Node both implement it). */
export const webCryptoEd25519: Ed25519Verify = async (publicKey, message, signature) => {
  try {
    const key = await crypto.subtle.importKey('raw', Uint8Array.from(publicKey), 'Ed25519', false, ['verify']);
    return await crypto.subtle.verify('Ed25519', key, Uint8Array.from(signature), Uint8Array.from(message));
  } catch {
    return false;
  }
};

const unverifiable = (detail: string): LogVerdict => ({
  ok: false,
  kind: 'unverifiable',
  reason: `${LOG_FAILED}：${detail}`,
  advice: `${KEEP}该结果暂不视为已被平台接收，上传已暂停。请联系管理员核对平台日志公钥与平台是否一致。`,
});
const unreachable = (detail: string): LogVerdict => ({
  ok: false,
  kind: 'unreachable',
  reason: `暂时无法取得平台日志证明（${detail}），稍后重试`,
  advice: KEEP,
});

export function createReceiptVerifier(deps: ReceiptVerifierDeps): ReceiptVerifier {
  const verify = deps.verify ?? webCryptoEd25519;
  const now = deps.now ?? (() => Date.now());

  async function pinnedKey(): Promise<{ ok: true; key: VerifierKey } | { ok: false; verdict: LogVerdict }> {
    const text = await deps.logKey();
    if (!text)
      return { ok: false, verdict: unverifiable('本机未配置平台日志公钥（platformLogKey），无法确认平台回执') };
    const parsed = parseVerifierKey(text);
    return parsed.ok ? { ok: true, key: parsed.value } : { ok: false, verdict: unverifiable(parsed.error.message) };
  }

  async function rewritten(
    seen: LogCheckpointRow,
    cp: Checkpoint,
    newNote: string,
    why: string,
    proof: LogAlarmEvidence['proof'],
  ): Promise<LogVerdict> {
    const reason = `${LOG_REWRITTEN}：平台日志与本机此前验证过的记录不一致（已验证 ${seen.size} 条，平台现称 ${cp.size} 条；${why}）`;
    await deps.repo.raise({
      message: reason,
      at: new Date(now()).toISOString(),
      seenSize: seen.size,
      seenRoot: seen.rootHash,
      newSize: cp.size,
      newRoot: bytesToHex(cp.rootHash),
      // Both signed notes and the failed proof: anyone with the pinned key can check the contradiction.
      evidence: { seenNote: seen.note, seenAt: seen.seenAt, newNote, proof },
    });
    return {
      ok: false,
      kind: 'rewritten',
      reason,
      advice: `${KEEP}本检查员的上传已全部停止。请立即联系管理员，并保留本机数据作为证据。`,
    };
  }

  /** Proves `older` is a prefix of `newer` with the platform's consistency proof. */
  async function consistent(
    older: { size: number; rootHash: Uint8Array },
    newer: { size: number; rootHash: Uint8Array },
  ): Promise<{ ok: true } | { ok: false; unreachable: boolean; message: string; proof?: LogAlarmEvidence['proof'] }> {
    const res = await deps.http.request({
      method: 'GET',
      path: API.logConsistency,
      query: { from: older.size, to: newer.size },
      schema: ConsistencyProofResponseSchema,
    });
    if (!res.ok) {
      const transient = res.error.kind === 'network' || res.error.kind === 'timeout';
      const answered = res.error.kind === 'http' && res.error.status < 500;
      return { ok: false, unreachable: transient || !answered, message: `平台未给出一致性证明（${res.error.kind}）` };
    }
    if (res.notModified) return { ok: false, unreachable: true, message: '平台未给出一致性证明' };
    const proof = res.value.proof.map((h) => hexToBytes(h));
    const checked = verifyConsistency(older.size, newer.size, proof, older.rootHash, newer.rootHash);
    return checked.ok
      ? { ok: true }
      : {
          ok: false,
          unreachable: false,
          message: checked.error.message,
          proof: { from: older.size, to: newer.size, hashes: res.value.proof },
        };
  }

  /** Records a verified checkpoint if it is consistent with every one seen. */
  async function observe(cp: Checkpoint, note: string): Promise<LogVerdict | null> {
    const latest = await deps.repo.latest();
    const row = { size: cp.size, rootHash: bytesToHex(cp.rootHash), note, seenAt: new Date(now()).toISOString() };
    if (!latest) {
      await deps.repo.put(row);
      return null;
    }
    const same = await deps.repo.get(cp.size);
    if (same)
      return same.rootHash === row.rootHash ? null : rewritten(same, cp, note, '同一大小的日志根哈希不同', null);
    const latestRoot = hexToBytes(latest.rootHash);
    const [older, newer] =
      cp.size > latest.size
        ? [{ size: latest.size, rootHash: latestRoot }, cp]
        : [cp, { size: latest.size, rootHash: latestRoot }];
    const proof = await consistent(older, newer);
    if (!proof.ok)
      return proof.unreachable
        ? unreachable(proof.message)
        : rewritten(latest, cp, note, proof.message, proof.proof ?? null);
    await deps.repo.put(row);
    return null;
  }

  return {
    async check(receipt, sent) {
      if (await deps.repo.alarm()) return alarmVerdict();
      const pinned = await pinnedKey();
      if (!pinned.ok) return pinned.verdict;
      const checked = await verifyReceipt(receipt, sent, pinned.key, verify);
      if (!checked.ok) return unverifiable(checked.error.message);
      const problem = await observe(checked.checkpoint, checked.checkpoint.note);
      return problem ?? { ok: true, index: receipt.log?.index ?? null, treeSize: checked.checkpoint.size };
    },
    async monitor() {
      if (await deps.repo.alarm()) return alarmVerdict();
      const pinned = await pinnedKey();
      if (!pinned.ok) return pinned.verdict;
      const res = await deps.http.request({
        method: 'GET',
        path: API.logCheckpoint,
        schema: LogCheckpointResponseSchema,
      });
      if (!res.ok || res.notModified) return unreachable('读取平台日志检查点失败');
      const cp = await openCheckpoint(res.value.checkpoint, pinned.key, verify);
      if (!cp.ok) return unverifiable(cp.error.message);
      return (await observe(cp.value, res.value.checkpoint)) ?? { ok: true, index: null, treeSize: cp.value.size };
    },
    alarm: () => deps.repo.alarm(),
  };

  async function alarmVerdict(): Promise<LogVerdict> {
    const alarm = await deps.repo.alarm();
    return {
      ok: false,
      kind: 'rewritten',
      reason: alarm?.message ?? LOG_REWRITTEN,
      advice: `${KEEP}本检查员的上传已全部停止。请立即联系管理员，并保留本机数据作为证据。`,
    };
  }
}
