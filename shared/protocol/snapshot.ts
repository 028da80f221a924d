/**
 * Credit-file snapshots: an immutable, content-addressed file of every live credit file in the
 * caller's scope up to one feed sequence, so the initial download is one static file (read with
 * HTTP Range, resumable at any byte) instead of pages the platform builds and compresses per request.
 * The delta feed continues from `cursor`.
 */
import { z } from 'zod';
import { CursorSchema } from './common.js';

export const SNAPSHOT_PATH = '/v1/sync/enterprises/snapshot';

export const SnapshotManifestSchema = z.object({
  /** Where the file is served (a path under the platform URL, or an absolute URL). */
  url: z.string().min(1),
  /** SHA-256 of the file's bytes as served (lower-case hex); the file's ETag is this value quoted. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().positive(),
  /** Records in the file (upsert lines; a snapshot holds no tombstones). */
  records: z.number().int().nonnegative(),
  /** The last feed sequence the file covers. */
  coversSeq: z.number().int().nonnegative(),
  /** The feed cursor for `coversSeq`: the delta feed continues from it. */
  cursor: CursorSchema,
  /** gzip over NDJSON, one upsert change per line, in sequence order, exactly as the feed sends them. */
  encoding: z.literal('gzip'),
  layout: z.literal('ndjson'),
  createdAt: z.string(),
});
export type SnapshotManifest = z.infer<typeof SnapshotManifestSchema>;
