/**
 * Reading and verifying a station bundle before anything is written: the container (recipient =
 * this station, sender = the pinned platform key, every frame's tag, the signature, the replay
 * guard, each entry's hash), then the contents (formats, this inspector is in it, the credit-file
 * snapshot matches its own manifest member by member and as a whole). Any failure answers a zh-CN
 * reason and nothing has been touched.
 */
import {
  STATION_ENTRY,
  StationDocBlocksSchema,
  StationInfoSchema,
  StationTasksSchema,
  openBundle,
  stationRecipientKeys,
  type BundleHeader,
  type StationDocBlock,
  type StationInfo,
  type StationTasks,
} from '../../../../shared/bundle/index.js';
import { DOC_TYPES, ReferenceSchema, type DocType, type Reference } from '../../../../shared/protocol/index.js';
import { parseVerifierKey } from '../../../../shared/transparency/signed-note.js';
import type { StationImportErrorKind, StationImportProgress } from './station-bundle.api.js';

export interface StationContents {
  readonly header: BundleHeader;
  readonly info: StationInfo;
  readonly reference: Reference;
  readonly tasks: StationTasks;
  readonly tasksCursor: string;
  /** This device's blocks only. */
  readonly blocks: readonly (StationDocBlock & { docType: DocType })[];
  /** The snapshot file's bytes (gzip members, verified against info.enterprises). */
  readonly enterprises: Uint8Array;
}

export type OpenOutcome =
  | { readonly ok: true; readonly contents: StationContents }
  | { readonly ok: false; readonly error: { readonly kind: StationImportErrorKind; readonly message: string } };

export interface OpenDeps {
  readonly stationKey: { readonly keyId: string; readonly key: Uint8Array } | null;
  /** The deployment's pinned platform key (`platformLogKey`, signed-note verifier form). */
  readonly platformKey: string | null;
  readonly inspectorId: string;
  readonly deviceId: string;
  readonly seen: (bundleId: string) => Promise<boolean>;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: StationImportProgress) => void;
}

class Cancelled extends Error {}

const fail = (kind: StationImportErrorKind, message: string): OpenOutcome => ({ ok: false, error: { kind, message } });

/** The file's bytes as they are read, with progress, stopping at a cancel. */
async function* readFile(file: Blob, d: OpenDeps): AsyncGenerator<Uint8Array> {
  const reader = file.stream().getReader();
  let done = 0;
  try {
    for (;;) {
      if (d.signal?.aborted) throw new Cancelled();
      const next = await reader.read();
      if (next.done) return;
      done += next.value.byteLength;
      d.onProgress?.({ step: 'reading', message: '正在读取并核验数据包…', done, total: file.size });
      yield next.value;
    }
  } finally {
    reader.releaseLock();
  }
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

function parseJson(bytes: Uint8Array | undefined): unknown {
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}

/** The snapshot entry must be exactly the file its manifest describes, member by member. */
async function snapshotMatches(info: StationInfo, bytes: Uint8Array): Promise<boolean> {
  const m = info.enterprises;
  if (bytes.byteLength !== m.bytes) return false;
  if ((await sha256Hex(bytes)) !== m.sha256) return false;
  for (const member of m.members) {
    const part = bytes.subarray(member.offset, member.offset + member.bytes);
    if (part.byteLength !== member.bytes || (await sha256Hex(part)) !== member.sha256) return false;
  }
  return true;
}

export async function openStationBundle(file: Blob, d: OpenDeps): Promise<OpenOutcome> {
  if (!d.stationKey)
    return fail('no-station-key', '本机还没有本所的站所密钥：请本所任一执法人员先在本机联网登录一次，再导入数据包');
  const verifier = d.platformKey ? parseVerifierKey(d.platformKey) : null;
  if (!verifier?.ok) throw new Error('the deployment pins no valid platform key (platformLogKey)');
  let opened: Awaited<ReturnType<typeof openBundle>>;
  try {
    opened = await openBundle(readFile(file, d), {
      recipient: await stationRecipientKeys(d.stationKey.key, d.stationKey.keyId),
      // The platform signs as its log (name and key of the pinned verifier key), as for receipts bundles.
      trustedSenders: [{ senderId: verifier.value.name, publicKey: verifier.value.publicKey }],
      seenBundleIds: { has: d.seen },
      expectKind: 'station',
    });
  } catch (e) {
    if (e instanceof Cancelled) return fail('cancelled', '已取消导入，未写入任何数据');
    throw e;
  }
  if (!opened.ok) {
    const { kind, message } = opened.error;
    if (kind === 'wrong-recipient')
      return fail(kind, '无法导入：该数据包不是发给本所的（站所密钥不符），请向平台申请本所的站所数据包');
    if (kind === 'untrusted-sender') return fail(kind, '无法导入：数据包不是由本平台签发的');
    return fail(kind, `无法导入：${message}`);
  }
  const entry = (name: string) => opened.entries.find((e) => e.name === name)?.bytes;
  const bad = (what: string) => fail('bad-contents', `无法导入：数据包内容不符合格式（${what}），未写入任何数据`);

  const info = StationInfoSchema.safeParse(parseJson(entry(STATION_ENTRY.info)));
  if (!info.success) return bad('站所信息');
  if (info.data.stationKeyId !== d.stationKey.keyId) return bad('站所密钥编号');
  const me = info.data.inspectors.find((i) => i.inspectorId === d.inspectorId);
  if (!me) return fail('not-for-you', '无法导入：该数据包中没有您的任务（平台导出时未包含您），请联系平台管理员');
  const reference = ReferenceSchema.safeParse(parseJson(entry(STATION_ENTRY.reference)));
  if (!reference.success) return bad('参考数据');
  const tasks = StationTasksSchema.safeParse(parseJson(entry(STATION_ENTRY.tasks(me.inspectorId))));
  if (!tasks.success || tasks.data.nextCursor !== me.tasksCursor) return bad('任务');
  const blocks = StationDocBlocksSchema.safeParse(parseJson(entry(STATION_ENTRY.docBlocks(me.inspectorId))));
  if (!blocks.success) return bad('文书编号');
  const mine: (StationDocBlock & { docType: DocType })[] = [];
  for (const b of blocks.data.blocks) {
    if (b.deviceId !== d.deviceId) continue;
    if (!(DOC_TYPES as readonly string[]).includes(b.docType) || b.to < b.from) return bad('文书编号');
    mine.push({ ...b, docType: b.docType as DocType });
  }
  const enterprises = entry(STATION_ENTRY.enterprises);
  if (!enterprises || !(await snapshotMatches(info.data, enterprises))) return bad('企业档案');
  return {
    ok: true,
    contents: {
      header: opened.header,
      info: info.data,
      reference: reference.data,
      tasks: tasks.data,
      tasksCursor: me.tasksCursor,
      blocks: mine,
      enterprises,
    },
  };
}
