/**
 * zh-CN wording of the 执法过程记录: what each audit-chain entry records, its time in China time
 * (the legal record is read against Beijing time whatever the laptop's zone), and which hash
 * identifies the thing it is about.
 */
import { formatSeconds } from '../../../../shared/domain/media-clips.js';
import { DOC_TYPE_LABELS, type DocType } from '../../../../shared/protocol/docnumbers.js';
import type { Task } from '../../../../shared/protocol/index.js';
import type { ProcessRecordEntry } from '../../services/index.js';

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000; // UTC+8 all year: China has no daylight saving time

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `2026-05-06 10:00:05` in China time; '—' for an unreadable value. */
export function chinaTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '—';
  const d = new Date(ms + CHINA_OFFSET_MS);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

const EVIDENCE_KIND: Readonly<Record<string, string>> = {
  photo: '照片',
  scan: '扫描件',
  signature: '签名',
  video: '录像',
  audio: '录音',
};

function text(v: string | number | boolean | null | undefined): string {
  return v === null || v === undefined ? '' : String(v);
}

function docLabel(detail: ProcessRecordEntry['detail']): string {
  const type = text(detail['docType']);
  if (type === 'caseFile') return `案卷（任务 ${text(detail['docNo'])}）`;
  const label = type in DOC_TYPE_LABELS ? DOC_TYPE_LABELS[type as DocType] : '文书';
  return `${label} ${text(detail['docNo'])}`;
}

/** Whose signature: a team member by name (slot `inspector-<id>`), or the party's side. */
export function signerName(slot: string, team: Task['team']): string {
  if (slot === 'party') return '当事人（或见证人）';
  const id = slot.replace(/^inspector-/, '');
  const member = team.find((m) => m.inspectorId === id);
  return member ? `检查人员 ${member.name}` : `检查人员（${id}）`;
}

function seconds(v: unknown): string {
  return typeof v === 'number' ? formatSeconds(v) : '?';
}

/** The event in zh-CN. */
export function eventText(entry: ProcessRecordEntry, team: Task['team']): string {
  const d = entry.detail;
  switch (entry.kind) {
    case 'evidence.added':
      // A marked-up copy names the original it was drawn on; the original itself is never changed.
      if (d['annotationOf'])
        return `标注照片：在原照片（SHA-256 ${shortHash(text(d['originalSha256']))}）上标注，原件未改动`;
      return `采集证据：${EVIDENCE_KIND[text(d['evidenceKind'])] ?? '附件'}`;
    case 'evidence.removed':
      return `删除证据：${EVIDENCE_KIND[text(d['evidenceKind'])] ?? '附件'}（原因：${text(d['reason'])}）`;
    case 'evidence.reclaimed':
      return `清理证据原件以释放空间：${EVIDENCE_KIND[text(d['evidenceKind'])] ?? '附件'}（平台回执已覆盖其 SHA-256，记录保留）`;
    case 'media.clip-marked':
      return `标记录像/录音片段：${seconds(d['fromS'])}–${seconds(d['toS'])}`;
    case 'media.clip-removed':
      return `删除录像/录音片段：${seconds(d['fromS'])}–${seconds(d['toS'])}`;
    case 'signature.added':
      return `签名：${signerName(text(d['signer']), team)}`;
    case 'result.finalized':
      return d['replaces'] ? '更正后的检查记录定稿' : '检查记录定稿';
    case 'result.correction':
      return `更正检查记录（说明：${text(d['note'])}）`;
    case 'document.issued':
      return `出具文书：${docLabel(d)}`;
    case 'document.printed':
      return `打印文书：${docLabel(d)}`;
    case 'document.voided':
      return `作废文书：${docLabel(d)}（原因：${text(d['reason'])}）`;
    case 'result.uploaded':
      return `上传至平台（平台接收时间 ${chinaTime(text(d['receivedAt']))}）`;
    case 'result.published':
      return '平台已公示检查结果';
    case 'log.alarm.acknowledged':
      return `确认平台记录被改写警报并恢复上传（原因：${text(d['reason'])}）`;
    default:
      return `其他记录（${entry.kind}）`;
  }
}

/** The hash of what the entry is about: the file, the document or the record's content. */
export function subjectHash(entry: ProcessRecordEntry): string | null {
  const d = entry.detail;
  const v = d['sha256'] ?? d['docHash'] ?? d['contentHash'] ?? null;
  return typeof v === 'string' ? v : null;
}

export function shortHash(hash: string): string {
  return `${hash.slice(0, 8)}…${hash.slice(-4)}`;
}

/**
 * The 核验 verdict: the chain, then the device-key signatures on each finalized result's checkpoint
 * (a log re-chained with plain hashes passes the first and fails the second).
 */
export function verdictText(brokenAt: number | null, entries: number, badSignatures: readonly string[] = []): string {
  if (brokenAt !== null) return `第 ${brokenAt} 条记录被改动`;
  if (badSignatures.length > 0)
    return `链完整（共 ${entries} 条记录），但 ${badSignatures.length} 条定稿结果的设备签名校验失败，结果或日志在定稿后被改动`;
  return `链完整（共 ${entries} 条记录）`;
}
