/**
 * The transparency log, readable by anyone (it holds hashes only): the latest signed checkpoint,
 * inclusion proofs and consistency proofs between two tree sizes.
 */
import type { ConsistencyProofResponse, InclusionProofResponse } from '../../../shared/protocol/index.js';
import type { Ctx, Reply } from '../http.js';
import { HttpError, json } from '../http.js';
import { checkpointNote, logTree } from '../log-store.js';
import type { Platform } from '../state.js';

function intParam(ctx: Ctx, name: string): number {
  const raw = ctx.url.searchParams.get(name);
  if (raw === null || !/^(0|[1-9][0-9]{0,15})$/.test(raw) || !Number.isSafeInteger(Number(raw)))
    throw new HttpError(400, 'BAD_REQUEST', `查询参数 ${name} 应为非负整数`);
  return Number(raw);
}

export function getCheckpoint(p: Platform): Reply {
  return json(200, { checkpoint: checkpointNote(p, logTree(p.db)) }, { 'Cache-Control': 'no-store' });
}

export function getInclusionProof(p: Platform, ctx: Ctx): Reply {
  const index = intParam(ctx, 'index');
  const size = intParam(ctx, 'size');
  const tree = logTree(p.db);
  if (size > tree.size || index >= size)
    throw new HttpError(400, 'BAD_REQUEST', `日志共 ${tree.size} 条，无法给出第 ${index} 条在 ${size} 条树中的证明`);
  const body: InclusionProofResponse = {
    index,
    treeSize: size,
    leafHash: tree.hash(index, 1).toString('hex'),
    proof: tree.inclusion(index, size).map((h) => h.toString('hex')),
  };
  return json(200, body);
}

export function getConsistencyProof(p: Platform, ctx: Ctx): Reply {
  const from = intParam(ctx, 'from');
  const to = intParam(ctx, 'to');
  const tree = logTree(p.db);
  if (to > tree.size || from > to || to === 0)
    throw new HttpError(400, 'BAD_REQUEST', `日志共 ${tree.size} 条，无法给出从 ${from} 到 ${to} 的一致性证明`);
  const body: ConsistencyProofResponse = {
    from,
    to,
    proof: tree.consistency(from, to).map((h) => h.toString('hex')),
  };
  return json(200, body);
}
