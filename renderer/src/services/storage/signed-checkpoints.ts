/**
 * Checks each finalized result against the checkpoint the device key signed at finalize: the
 * result's content still hashes to the signed content hash, the audit entry at the signed position
 * still carries the signed head hash, and the signature verifies under this partition's device key.
 * A log re-chained with plain hashes verifies as a chain but no longer matches what was signed;
 * an edited result needs a new content hash the key never signed.
 */
import { canonicalJson } from '../../../../shared/domain/canonical.js';
import { sha256Hex, type ResultRow } from '../../db/index.js';
import type { PushSigning } from '../../sync/push-signing.js';
import type { Runtime } from '../runtime.js';

export type CheckpointProblem = 'unsigned' | 'content' | 'chain' | 'signature';

export interface CheckpointFinding {
  readonly resultId: string;
  readonly problem: CheckpointProblem;
}

const PROBLEM_TEXT: Record<CheckpointProblem, string> = {
  unsigned: '没有设备签名',
  content: '内容与签名时不一致',
  chain: '审计日志与签名时不一致',
  signature: '设备签名无法验证',
};

export function checkpointProblemText(problem: CheckpointProblem): string {
  return PROBLEM_TEXT[problem];
}

async function checkOne(rt: Runtime, result: ResultRow, deviceId: string): Promise<CheckpointProblem | null> {
  const [cp] = await rt.repos.checkpoints.read([result.resultId]);
  const signed = cp?.row;
  if (!signed) return 'unsigned';
  const contentHash = await sha256Hex(canonicalJson(result.payload));
  if (contentHash !== result.contentHash) return 'content';
  const { count, headHash } = result.auditCheckpoint;
  const entry = await rt.repos.audit.at(count);
  if (!entry || entry.hash !== headHash) return 'chain';
  // Every field comes from the records as they are now, none from the checkpoint row: a field
  // changed anywhere since finalize makes the signature fail.
  const ok = await rt.deviceKey.verify(
    { resultId: result.resultId, contentHash, deviceId, deviceSeq: result.deviceSeq, count, headHash },
    signed.signature,
  );
  return ok ? null : 'signature';
}

/** Findings for the given results (default: every finalized result), in the order given. */
export async function checkSignedCheckpoints(rt: Runtime, only?: readonly string[]): Promise<CheckpointFinding[]> {
  const results = only
    ? (await Promise.all(only.map((id) => rt.repos.results.get(id)))).filter((r): r is ResultRow => r !== null)
    : await rt.repos.results.all();
  const deviceId = await rt.repos.meta.deviceId();
  const findings: CheckpointFinding[] = [];
  for (const result of results) {
    const problem = await checkOne(rt, result, deviceId);
    if (problem) findings.push({ resultId: result.resultId, problem });
  }
  return findings;
}

export function signatureMessage(findings: readonly CheckpointFinding[]): string {
  const first = findings[0];
  const what = first ? `（例如结果 ${first.resultId}：${checkpointProblemText(first.problem)}）` : '';
  return `本机检查结果的设备签名校验失败：${findings.length} 条定稿结果与设备密钥签名时的内容或审计日志不一致${what}。涉及的检查结果已暂停上传，请勿继续修改本机数据，并立即联系管理员核查。`;
}

/** The push engine's view of the device key: stored signatures, registration, the pre-drain check. */
export function pushSigning(rt: Runtime): PushSigning {
  return {
    signature: async (resultId) => (await rt.repos.checkpoints.get(resultId))?.signature ?? null,
    registered: (force) => rt.deviceKey.registered(force),
    refused: async (resultIds) =>
      new Map((await checkSignedCheckpoints(rt, resultIds)).map((f) => [f.resultId, checkpointProblemText(f.problem)])),
  };
}
