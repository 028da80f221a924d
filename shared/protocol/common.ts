/**
 * Building blocks of the platform protocol: ids, dates, error bodies, cursors.
 * Both the app and the simulator parse every body with these schemas.
 */
import { z } from 'zod';
import { USCC_PATTERN } from '../domain/uscc.js';
import { isValidIsoDate } from '../domain/dates.js';

export const IsoDateSchema = z.string().refine(isValidIsoDate, { message: '日期格式应为 YYYY-MM-DD' });
export const IsoDateTimeSchema = z.iso.datetime({ offset: true });
/** Shape of an USCC. The check character is validated by the domain (irregular codes exist). */
export const UsccSchema = z.string().regex(USCC_PATTERN, '统一社会信用代码格式不正确');
export const IdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'id may only contain letters, digits, _ . : -');
export const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex characters');
export const CursorSchema = z
  .string()
  .max(64)
  .regex(/^[0-9]+$/, 'cursor must be a decimal sequence');

export const ERROR_CODES = [
  'BAD_REQUEST',
  'VALIDATION',
  'UNAUTHORIZED',
  'TOKEN_EXPIRED',
  'FORBIDDEN',
  /** The caller is not (or no longer) on the result's task team: that result only is refused. */
  'NOT_YOUR_TASK',
  /**
   * A result names another enterprise or team than its task (or `replaces` a result of another
   * task): that result only is refused.
   */
  'TASK_MISMATCH',
  /** `payload.evidence` lists a file that is not among the result's uploaded attachments (or with another hash). */
  'EVIDENCE_MISMATCH',
  /** The upload or attachment id belongs to another inspector or another result. */
  'NOT_YOUR_UPLOAD',
  /** The device of the access token (or of the login) was revoked: everything from it is refused. */
  'DEVICE_REVOKED',
  /**
   * A signed result names no device key registered for the caller's inspector and device (or none
   * is registered yet): the device registers its key and sends again.
   */
  'DEVICE_KEY_UNREGISTERED',
  /** The audit checkpoint's signature does not verify under the registered device key. */
  'SIGNATURE_INVALID',
  /** Another device key is already registered for this inspector on this device; it is never replaced. */
  'DEVICE_KEY_EXISTS',
  /** The action needs a recent password sign-in; a refreshed session is not enough. */
  'REAUTH_REQUIRED',
  /** A different data key is already escrowed for this inspector; fetch that one. */
  'KEY_EXISTS',
  'NO_KEY',
  'NOT_FOUND',
  'CURSOR_EXPIRED',
  'RESULT_CONFLICT',
  'TASK_CANCELLED',
  'TASK_REASSIGNED',
  'ATTACHMENTS_MISSING',
  'IN_FLIGHT',
  'IDEMPOTENCY_KEY_REUSED',
  'TOO_LARGE',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.unknown().optional(),
    missing: z.array(IdSchema).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** A page of a change feed: cursors are opaque server sequences, never client clocks. */
export function feedPageSchema<T extends z.ZodType>(change: T) {
  return z.object({
    changes: z.array(change),
    nextCursor: CursorSchema,
    hasMore: z.boolean(),
    /** Live records in the feed at this moment (for progress); a delta may be smaller. */
    total: z.number().int().nonnegative(),
  });
}
