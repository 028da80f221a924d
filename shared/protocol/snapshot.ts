/**
 * Credit-file snapshots: an immutable, content-addressed file of every live credit file in the
 * caller's scope up to one feed sequence, so the initial download is one static file (read with
 * HTTP Range, resumable at any byte) instead of pages the platform builds and compresses per request.
 * The delta feed continues from `cursor`.
 */
import { z } from 'zod';
import { CursorSchema } from './common.js';

export const SNAPSHOT_PATH = '/v1/sync/enterprises/snapshot';
/**
 * The current snapshot's bytes under a fixed name (same ETag, Range and If-Range rules as the file's
 * own URL), so a client can ask for them in the same round trip as the manifest.
 */
export const SNAPSHOT_CURRENT_PATH = `${SNAPSHOT_PATH}/current`;

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * One gzip member of the file: a page of lines compressed on its own, so a client can verify,
 * decompress and import it as soon as its bytes are in, while the rest still downloads.
 */
export const SnapshotMemberSchema = z.strictObject({
  /** Byte offset of the member in the file. */
  offset: z.number().int().nonnegative(),
  bytes: z.number().int().positive(),
  /** SHA-256 of the member's bytes (lower-case hex). */
  sha256: Sha256Hex,
  records: z.number().int().nonnegative(),
  /** The feed cursor once this member's records are in (the last member's is the file's). */
  cursor: CursorSchema,
});
export type SnapshotMember = z.infer<typeof SnapshotMemberSchema>;

const ManifestShape = z.object({
  /** Where the file is served (a path under the platform URL, or an absolute URL). */
  url: z.string().min(1),
  /** SHA-256 of the file's bytes as served (lower-case hex); the file's ETag is this value quoted. */
  sha256: Sha256Hex,
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
  /** The file as consecutive gzip members, in file order, covering every byte exactly once. */
  members: z.array(SnapshotMemberSchema).min(1),
});

/** The members must tile the file and add up to it; a manifest that does not is refused whole. */
export const SnapshotManifestSchema = ManifestShape.superRefine((m, ctx) => {
  let at = 0;
  let records = 0;
  for (const [i, member] of m.members.entries()) {
    if (member.offset !== at)
      ctx.addIssue({ code: 'custom', path: ['members', i, 'offset'], message: `快照分段应从第 ${at} 字节开始` });
    at = member.offset + member.bytes;
    records += member.records;
  }
  if (at !== m.bytes) ctx.addIssue({ code: 'custom', path: ['members'], message: '快照分段的总长度与文件长度不符' });
  if (records !== m.records)
    ctx.addIssue({ code: 'custom', path: ['members'], message: '快照分段的记录数之和与文件记录数不符' });
  if (m.members.at(-1)?.cursor !== m.cursor)
    ctx.addIssue({ code: 'custom', path: ['members'], message: '快照最后一段的游标应与文件游标一致' });
});
export type SnapshotManifest = z.infer<typeof SnapshotManifestSchema>;
