/** Messages between the app and the pull worker, validated with zod on both sides. */
import { z } from 'zod';

const ProgressSchema = z.object({
  phase: z.enum(['idle', 'reference', 'tasks', 'enterprises', 'done', 'error', 'cancelled']),
  done: z.number(),
  total: z.number(),
  recordsPerSecond: z.number(),
  etaSeconds: z.number().nullable(),
  quarantined: z.number(),
  message: z.string(),
  bytes: z
    .object({ done: z.number(), total: z.number(), perSecond: z.number(), etaSeconds: z.number().nullable() })
    .optional(),
});

export const ToWorkerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    baseUrl: z.string().url(),
    accessToken: z.string().nullable(),
    dbPrefix: z.string(),
    /** The field database to open: the unlocked inspector's partition. */
    fieldName: z.string().min(1),
    /** The partition's data key (memory only, never stored by the worker); null for a clear database. */
    dataKey: z.instanceof(Uint8Array).nullable(),
    pageSize: z.number().int().positive(),
    /** The credit-file cache to write (one per station) and the station cache key it is sealed under. */
    cacheName: z.string().min(1),
    cacheKey: z
      .object({
        keyId: z.string().min(1),
        key: z.instanceof(Uint8Array).refine((k) => k.length === 32, '站点缓存密钥应为32字节'),
      })
      .nullable(),
    /** Collect the credit-file pipeline's phase times and publish them on the diagnostics channel (the bench). */
    diagnostics: z.boolean().optional(),
  }),
  z.object({
    type: z.literal('token'),
    accessToken: z.string().nullable(),
    outcome: z.enum(['refreshed', 'rejected', 'unreachable']),
  }),
  z.object({ type: z.literal('cancel') }),
  /** Open the credit-file cache now (at unlock), before any sync: no key travels with this. */
  z.object({ type: z.literal('open'), cacheName: z.string().min(1) }),
]);
export type ToWorker = z.infer<typeof ToWorkerSchema>;

export const FromWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), progress: ProgressSchema }),
  /** The worker got a 401: the app refreshes (single-flight) and answers with `token`. */
  z.object({ type: z.literal('refresh') }),
  z.object({
    type: z.literal('done'),
    ok: z.boolean(),
    message: z.string(),
    sessionExpired: z.boolean(),
    /** The link failed (dropped, timed out, platform busy): the same pull may be tried again later. */
    transient: z.boolean(),
  }),
]);
export type FromWorker = z.infer<typeof FromWorkerSchema>;
