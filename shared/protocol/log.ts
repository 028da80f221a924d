/**
 * The platform's transparency log: `GET /v1/log/checkpoint` (the latest signed checkpoint),
 * `GET /v1/log/proof/inclusion?index=&size=` and `GET /v1/log/proof/consistency?from=&to=`. Hashes are
 * lowercase hex; a checkpoint is the C2SP signed-note text.
 */
import { z } from 'zod';
import { Sha256Schema } from './common.js';

export const LogCheckpointResponseSchema = z.object({ checkpoint: z.string().min(1).max(4000) });
export type LogCheckpointResponse = z.infer<typeof LogCheckpointResponseSchema>;

export const InclusionProofResponseSchema = z.object({
  index: z.number().int().nonnegative(),
  treeSize: z.number().int().positive(),
  leafHash: Sha256Schema,
  proof: z.array(Sha256Schema).max(64),
});
export type InclusionProofResponse = z.infer<typeof InclusionProofResponseSchema>;

export const ConsistencyProofResponseSchema = z.object({
  from: z.number().int().nonnegative(),
  to: z.number().int().positive(),
  proof: z.array(Sha256Schema).max(128),
});
export type ConsistencyProofResponse = z.infer<typeof ConsistencyProofResponseSchema>;
