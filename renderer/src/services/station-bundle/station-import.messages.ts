/** Messages between the window and the station import worker, validated with zod on both sides. */
import { z } from 'zod';
import { SnapshotManifestSchema } from '../../../../shared/protocol/index.js';

export const ToImportWorkerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    cacheName: z.string().min(1),
    cacheKey: z.object({
      keyId: z.string().min(1),
      key: z.instanceof(Uint8Array).refine((k) => k.length === 32, '站点缓存密钥应为32字节'),
    }),
    pageSize: z.number().int().positive(),
    manifest: SnapshotManifestSchema,
    /** The verified snapshot file (transferred, not copied). */
    bytes: z.instanceof(Uint8Array),
  }),
  z.object({ type: z.literal('cancel') }),
]);
export type ToImportWorker = z.infer<typeof ToImportWorkerSchema>;

export const FromImportWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), written: z.number(), total: z.number() }),
  z.object({
    type: z.literal('done'),
    outcome: z.union([
      z.object({ imported: z.number(), skipped: z.string().nullable() }),
      z.object({ cancelled: z.literal(true), imported: z.number() }),
      z.object({ failed: z.string() }),
    ]),
  }),
]);
export type FromImportWorker = z.infer<typeof FromImportWorkerSchema>;
