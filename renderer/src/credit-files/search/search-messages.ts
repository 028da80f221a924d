/** Messages between the app and the search worker, validated with zod on both sides. */
import { z } from 'zod';
import { CREDIT_CLASSES, WARNING_COLORS } from '../../../../shared/domain/credit.js';
import { ENTERPRISE_STATUSES } from '../../../../shared/protocol/index.js';
import type { Exactly, SummaryField } from '../summary-columns.js';

export const SearchFiltersSchema = z.object({
  creditClasses: z.array(z.enum(CREDIT_CLASSES)).readonly().optional(),
  warningColors: z.array(z.enum(WARNING_COLORS)).readonly().optional(),
  statuses: z.array(z.enum(ENTERPRISE_STATUSES)).readonly().optional(),
  regions: z
    .array(z.string().regex(/^\d{6}$/))
    .readonly()
    .optional(),
});

export const ToSearchWorkerSchema = z.discriminatedUnion('type', [
  /** Opens the credit-file cache by name (one per station). */
  z.object({ type: z.literal('init'), cacheName: z.string().min(1) }),
  /** The station cache key (null: forget it): sealed rows are opened in the worker, never in clear at rest. */
  z.object({
    type: z.literal('key'),
    cacheKey: z
      .object({
        keyId: z.string().min(1),
        key: z.instanceof(Uint8Array).refine((k) => k.length === 32, '站点缓存密钥应为32字节'),
      })
      .nullable(),
  }),
  z.object({
    type: z.literal('search'),
    id: z.number().int(),
    query: z.string().max(200),
    filters: SearchFiltersSchema,
    limit: z.number().int().positive().max(1000),
  }),
  z.object({ type: z.literal('warm'), id: z.number().int() }),
  /** Write the index blobs now if a write is waiting; answered with 'ready' once written. */
  z.object({ type: z.literal('settle'), id: z.number().int() }),
  z.object({ type: z.literal('follow') }),
]);
export type ToSearchWorker = z.infer<typeof ToSearchWorkerSchema>;

const HitSchema = z.object({
  uscc: z.string(),
  name: z.string(),
  legalRep: z.string(),
  address: z.string(),
  region: z.string(),
  creditClass: z.enum(CREDIT_CLASSES),
  warningColor: z.enum(WARNING_COLORS).nullable(),
  status: z.enum(ENTERPRISE_STATUSES),
  matchedIn: z.enum(['uscc', 'name', 'legalRep', 'address', 'filter']),
});

// The hit's fields are the summary columns: a column added there must be added here too.
const hitHasEveryColumn: Exactly<keyof z.infer<typeof HitSchema>, SummaryField | 'matchedIn'> = true;
void hitHasEveryColumn;

export const FromSearchWorkerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('answer'),
    id: z.number().int(),
    answer: z.object({
      hits: z.array(HitSchema.readonly()).readonly(),
      total: z.number(),
      indexed: z.number(),
      tookMs: z.number(),
    }),
  }),
  z.object({ type: z.literal('ready'), id: z.number().int() }),
  z.object({ type: z.literal('failed'), id: z.number().int(), message: z.string() }),
  /** Another index answers from now on (see SearchEngine.onIndex). */
  z.object({ type: z.literal('index') }),
]);
export type FromSearchWorker = z.infer<typeof FromSearchWorkerSchema>;
