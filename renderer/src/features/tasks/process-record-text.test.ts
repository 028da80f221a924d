import { describe, expect, it } from 'vitest';
import type { ProcessRecordEntry } from '../../services/index.js';
import { chinaTime, eventText, shortHash, subjectHash, verdictText } from './process-record-text.js';

const team = [{ inspectorId: 'insp-7', name: '张三', certNo: 'C1', role: 'leader', certExpiry: '2030-01-01' }] as const;

function entry(kind: string, detail: ProcessRecordEntry['detail']): ProcessRecordEntry {
  return { seq: 1, at: '2026-05-06T02:00:00Z', kind, subjectId: 's', detail, hash: 'h'.repeat(64), prevHash: '' };
}

describe('执法过程记录 wording', () => {
  it('shows times in China time whatever the zone of the ISO value', () => {
    expect(chinaTime('2026-05-06T17:30:05Z')).toBe('2026-05-07 01:30:05');
    expect(chinaTime('2026-05-06T10:00:00+08:00')).toBe('2026-05-06 10:00:00');
    expect(chinaTime('not a time')).toBe('—');
  });

  it('names each event in zh-CN with what it is about', () => {
    const t = [...team];
    expect(eventText(entry('evidence.added', { evidenceKind: 'photo' }), t)).toBe('采集证据：照片');
    expect(eventText(entry('evidence.removed', { evidenceKind: 'scan', reason: '拍错了' }), t)).toBe(
      '删除证据：扫描件（原因：拍错了）',
    );
    expect(eventText(entry('evidence.reclaimed', { evidenceKind: 'photo' }), t)).toBe(
      '清理证据原件以释放空间：照片（平台回执已覆盖其 SHA-256，记录保留）',
    );
    expect(eventText(entry('signature.added', { signer: 'inspector-insp-7' }), t)).toBe('签名：检查人员 张三');
    expect(eventText(entry('signature.added', { signer: 'party' }), t)).toBe('签名：当事人（或见证人）');
    expect(eventText(entry('document.issued', { docType: 'record', docNo: 'X1号' }), t)).toBe(
      '出具文书：现场检查笔录 X1号',
    );
    expect(eventText(entry('result.finalized', { replaces: null }), t)).toBe('检查记录定稿');
    expect(eventText(entry('evidence.added', { evidenceKind: 'video' }), t)).toBe('采集证据：录像');
    expect(eventText(entry('media.clip-marked', { fromS: 60, toS: 95.5 }), t)).toBe('标记录像/录音片段：1:00–1:35');
    expect(eventText(entry('media.clip-removed', { fromS: 0, toS: 5 }), t)).toBe('删除录像/录音片段：0:00–0:05');
    expect(
      eventText(
        entry('evidence.added', { evidenceKind: 'photo', annotationOf: 'ev-1', originalSha256: 'cd'.repeat(32) }),
        t,
      ),
    ).toBe('标注照片：在原照片（SHA-256 cdcdcdcd…cdcd）上标注，原件未改动');
    expect(eventText(entry('document.printed', { docType: 'caseFile', docNo: 'T-0001' }), t)).toBe(
      '打印文书：案卷（任务 T-0001）',
    );
    expect(eventText(entry('result.uploaded', { receivedAt: '2026-05-06T03:00:00Z' }), t)).toBe(
      '上传至平台（平台接收时间 2026-05-06 11:00:00）',
    );
    expect(eventText(entry('store.recovered', {}), t)).toBe('其他记录（store.recovered）');
  });

  it('shortens hashes and words the verdict', () => {
    const h = 'ab'.repeat(32);
    expect(shortHash(h)).toBe('abababab…abab');
    expect(subjectHash(entry('document.issued', { docHash: h }))).toBe(h);
    expect(subjectHash(entry('result.published', {}))).toBeNull();
    expect(verdictText(null, 12)).toBe('链完整（共 12 条记录）');
    expect(verdictText(3, 12)).toBe('第 3 条记录被改动');
    expect(verdictText(null, 12, ['r-1'])).toBe(
      '链完整（共 12 条记录），但 1 条定稿结果的设备签名校验失败，结果或日志在定稿后被改动',
    );
  });
});
