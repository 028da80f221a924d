/**
 * Anyone can verify a paper: the QR page says what the paper must say (document, enterprise, date,
 * items and result in words, current or 已更正, log inclusion when there is one) and nothing internal;
 * a hash alone (a PDF copy or an evidence photo, hashed in the visitor's browser) finds the same
 * content or says 未找到; a QR printed on another paper shows that other paper's true content.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/domain/canonical.js';
import { ReserveResponseSchema } from '../../shared/protocol/index.js';
import type { Task } from '../../shared/protocol/index.js';
import type { Harness, UnsignedUpload } from './testkit.js';
import { allTasks, authed, buildUpload, login, putResult, sha256Hex, startTemp, tusUpload } from './testkit.js';

let h: Harness;
let token: string;
let call: ReturnType<typeof authed>;
let tasks: Task[];
let spare: Task[];
/** One live result per task: each further paper takes a task of its own. */
const nextTask = (): Task => spare.shift()!;

beforeAll(async () => {
  h = await startTemp({ publishDelayMs: 0 });
  token = (await login(h.platform.url, h.platform.logins[0]!.certNo)).accessToken;
  call = authed(h.platform.url, token);
  const all = (await allTasks(call)).filter((t) => t.status === 'assigned');
  // Two papers of two different enterprises.
  const other = all.find((t) => t.enterprise.uscc !== all[0]!.enterprise.uscc)!;
  tasks = [all[0]!, other];
  spare = all.filter((t) => !tasks.includes(t));
});
afterAll(() => h.stop());

const post = (path: string, body: unknown) =>
  call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const page = async (path: string) => {
  const res = await fetch(`${h.platform.url}${path}`);
  return { status: res.status, csp: res.headers.get('content-security-policy') ?? '', html: await res.text() };
};

interface Paper {
  up: UnsignedUpload;
  task: Task;
  docNo: string;
  docHash: string;
  fileHash: string;
}

/** Uploads a result with one failed item and registers a printed notice (its QR hash and PDF file hash). */
async function printPaper(task: Task, resultId: string, evidence: Buffer | null = null): Promise<Paper> {
  const block = ReserveResponseSchema.parse(
    await (
      await post('/v1/doc-numbers/reserve', {
        requestId: `req-${resultId}`,
        deviceId: 'dev-test-1',
        docType: 'notice',
        count: 1,
      })
    ).json(),
  );
  const docHash = sha256Hex(`qr-${resultId}`);
  const fileHash = sha256Hex(`pdf-${resultId}`);
  const draft = buildUpload(task, resultId);
  let payload = {
    ...draft.payload,
    itemResults: draft.payload.itemResults.map((i, n) => (n === 0 ? { ...i, outcome: 'fail' as const } : i)),
  };
  let attachments: UnsignedUpload['attachments'] = [];
  if (evidence) {
    const sha256 = sha256Hex(evidence);
    const id = `att-${resultId}`;
    const meta = { attachmentId: id, resultId, sha256, mime: 'image/jpeg' };
    const { location, status } = await tusUpload(h.platform.url, token, meta, evidence);
    expect(status).toBe(204);
    attachments = [{ id, sha256, size: evidence.length, mime: 'image/jpeg', uploadUrl: location }];
    payload = {
      ...payload,
      evidence: [
        {
          id,
          kind: 'photo',
          sha256,
          size: evidence.length,
          mime: 'image/jpeg',
          caption: '现场照片',
          capturedAt: new Date().toISOString(),
        },
      ],
    };
  }
  const up = { ...draft, payload, attachments, contentHash: sha256Hex(canonicalJson(payload)) };
  expect((await putResult(call, up, `op-${resultId}`)).status).toBe(201);
  const report = await post('/v1/doc-numbers/report', {
    deviceId: 'dev-test-1',
    used: [{ docType: 'notice', serial: block.from, resultId, docHash, fileHash }],
    voided: [],
  });
  expect(report.status).toBe(200);
  h.platform.admin.publishNow();
  return { up, task, docNo: `${block.prefix}${String(block.from).padStart(4, '0')}号`, docHash, fileHash };
}

/** Ids and hashes the public must never see on a paper's page. */
function internals(p: Paper): string[] {
  return [
    p.up.payload.resultId,
    p.up.taskId,
    p.up.deviceId,
    p.up.contentHash,
    ...p.task.team.map((m) => m.inspectorId),
    ...p.up.attachments.map((a) => a.id),
  ];
}

function expectPaperContent(html: string, p: Paper): void {
  expect(html).toContain('核验通过');
  expect(html).toContain('随机抽查检查通知书');
  expect(html).toContain(p.docNo);
  expect(html).toContain(p.task.enterprise.name);
  expect(html).toContain(p.task.enterprise.uscc);
  expect(html).toContain(p.up.payload.inspectedOn);
  expect(html).toContain('未发现问题');
  // Every item in words with its outcome in words, never a code.
  expect(html).toContain(`<td>${p.task.items[0]!.name}</td><td>不符合</td>`);
  for (const item of p.task.items) {
    expect(html).toContain(item.name);
    expect(html).not.toContain(item.code);
  }
  expect(html).not.toMatch(/>(pass|fail|na|unchecked|NO_PROBLEM)</);
}

describe('the QR page says what the paper must say', () => {
  let a: Paper;
  let b: Paper;
  beforeAll(async () => {
    a = await printPaper(tasks[0]!, 'res-paper-a');
    b = await printPaper(tasks[1]!, 'res-paper-b');
  });

  it('shows document, enterprise, date, items and result in words; no internal ids; a strict CSP', async () => {
    const r = await page(`/public/verify?result=res-paper-a&hash=${a.docHash}`);
    expect(r.status).toBe(200);
    expectPaperContent(r.html, a);
    expect(r.html).toContain('现行有效');
    for (const secret of internals(a)) expect(r.html).not.toContain(secret);
    expect(r.csp).toContain("script-src 'self'");
    expect(r.csp).not.toContain('unsafe-eval');
    expect(r.html).not.toContain('<script');
    // Every accepted result is in the platform's log: the page names its entry.
    expect(r.html).toContain('日志收录');
  });

  it('a valid QR printed on another paper shows the true content of the paper it belongs to', async () => {
    // The forged paper names enterprise A but carries B's QR: the page shows B's enterprise and number.
    const r = await page(`/public/verify?result=res-paper-b&hash=${b.docHash}`);
    expectPaperContent(r.html, b);
    expect(r.html).not.toContain(a.task.enterprise.name);
    expect(r.html).not.toContain(a.docNo);
    // A's QR hash under B's result is not a paper of B.
    const mixed = await page(`/public/verify?result=res-paper-b&hash=${a.docHash}`);
    expect(mixed.html).toContain('核验未通过');
    expect(mixed.html).not.toContain(b.task.enterprise.name);
  });

  it('a hash alone finds the paper by its PDF file or QR hash; any other file is 未找到', async () => {
    const byFile = await page(`/public/verify/hash/${a.fileHash}`);
    expectPaperContent(byFile.html, a);
    expect(byFile.html).toContain('文书 PDF 文件与平台登记的文件一致');
    for (const secret of internals(a)) expect(byFile.html).not.toContain(secret);
    expectPaperContent((await page(`/public/verify/hash/${b.docHash.toUpperCase()}`)).html, b);
    const changed = await page(`/public/verify/hash/${sha256Hex('a changed pdf')}`);
    expect(changed.html).toContain('未找到：该文件与平台记录不符');
    expect(changed.html).not.toContain(a.task.enterprise.name);
    const json = (await (
      await fetch(`${h.platform.url}/public/verify/hash/${a.fileHash}`, { headers: { accept: 'application/json' } })
    ).json()) as { found: boolean; paper: Record<string, unknown> };
    expect(json.found).toBe(true);
    for (const secret of internals(a)) expect(JSON.stringify(json)).not.toContain(secret);
    expect((await fetch(`${h.platform.url}/public/verify/hash/not-a-hash`)).status).toBe(400);
  });

  it('a voided paper no longer verifies, by QR or by file', async () => {
    const c = await printPaper(nextTask(), 'res-paper-c');
    expect((await page(`/public/verify/hash/${c.fileHash}`)).html).toContain('核验通过');
    const serial = Number(/(\d{4})号$/.exec(c.docNo)![1]);
    await post('/v1/doc-numbers/report', {
      deviceId: 'dev-test-1',
      used: [],
      voided: [{ docType: 'notice', serial, reason: '打印错误' }],
    });
    expect((await page(`/public/verify/hash/${c.fileHash}`)).html).toContain('未找到');
    expect((await page(`/public/verify?result=res-paper-c&hash=${c.docHash}`)).html).toContain('核验未通过');
  });
});

describe('evidence, corrections and the log', () => {
  it('an evidence photo found by its hash names the record it belongs to', async () => {
    const photo = Buffer.from('jpeg bytes of an on-site photo');
    const p = await printPaper(nextTask(), 'res-paper-photo', photo);
    const r = await page(`/public/verify/hash/${sha256Hex(photo)}`);
    expect(r.html).toContain('该文件是下列检查记录的现场证据');
    expect(r.html).toContain(p.task.enterprise.name);
    for (const secret of internals(p)) expect(r.html).not.toContain(secret);
  });

  it('a corrected record is marked 已更正 without naming the correction by id', async () => {
    const task = nextTask();
    const orig = await printPaper(task, 'res-paper-old');
    const draft = buildUpload(task, 'res-paper-new', { note: '更正' });
    const payload = { ...draft.payload, replaces: 'res-paper-old' };
    expect(
      (await putResult(call, { ...draft, payload, contentHash: sha256Hex(canonicalJson(payload)) }, 'op-new')).status,
    ).toBe(201);
    h.platform.admin.publishNow();
    const r = await page(`/public/verify?result=res-paper-old&hash=${orig.docHash}`);
    expect(r.html).toContain('已更正');
    expect(r.html).not.toContain('现行有效');
    expect(r.html).not.toContain('res-paper-new');
  });

  it('shows the log inclusion only when the receipt carries a log entry', async () => {
    const p = await printPaper(nextTask(), 'res-paper-log');
    const url = `/public/verify?result=res-paper-log&hash=${p.docHash}`;
    const logged = (await page(url)).html;
    expect(logged).toContain('日志收录');
    expect(logged).toMatch(/第 \d+ 条（收录时日志共 \d+ 条）/);
    // A receipt stored before the log existed carries no entry: the page claims none.
    const db = new Database(join(h.dataDir, 'platform.sqlite'));
    try {
      const row = db.prepare('SELECT receipt_json FROM results WHERE result_id = ?').get('res-paper-log') as {
        receipt_json: string;
      };
      const { log: _log, ...unlogged } = JSON.parse(row.receipt_json) as Record<string, unknown>;
      db.prepare('UPDATE results SET receipt_json = ? WHERE result_id = ?').run(
        JSON.stringify(unlogged),
        'res-paper-log',
      );
    } finally {
      db.close();
    }
    expect((await page(url)).html).not.toContain('日志收录');
  });
});

describe('the file check page', () => {
  it('loads its script from this origin only, and the script sends nothing but the hash', async () => {
    const r = await page('/public/check');
    expect(r.html).toContain('<script src="/public/check.js" defer></script>');
    expect(r.html.match(/<script/g)?.length).toBe(1);
    expect(r.csp).toContain("script-src 'self'");
    expect(r.csp).toContain("connect-src 'self'");
    const js = await fetch(`${h.platform.url}/public/check.js`);
    expect(js.headers.get('content-type')).toContain('javascript');
    const text = await js.text();
    expect(text).toContain("crypto.subtle.digest('SHA-256'");
    expect(text).not.toMatch(/\beval\(|new Function|fetch\(|XMLHttpRequest|FormData/);
  });
});
