/**
 * USB results transfer end to end on the data layer (fake-indexeddb) against the real simulator:
 * finalize offline, export (outbox untouched), import on the platform, receipts bundle back, and the
 * outbox shows the results safe exactly as a network receipt would; then the network returns and
 * nothing is sent twice. Every refused receipts file leaves the partition as it was.
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exportPublicKey,
  generateRecipientKeyPair,
  generateSigningKeyPair,
  sealBundleToBytes,
} from '../../shared/bundle/index.js';
import { INDEX_ENTRY, ReceiptsIndexSchema, type ReceiptsIndex } from '../../shared/bundle/usb-contents.js';
import type { DocType } from '../../shared/protocol/index.js';
import { auditRepo, outboxRepo, usbBundlesRepo, type Databases } from '../../renderer/src/db/index.js';
import type { CreatedServices } from '../../renderer/src/services/compose.js';
import { manualNetwork } from '../../renderer/src/services/network/network.service.js';
import { disposeDatabases, freshDatabases, testAdapter, testServices } from '../../renderer/src/testing/builders.js';
import { wavFile } from '../../renderer/src/testing/media.testkit.js';
import { platformBundleKeys } from '../platform/bundle-key.js';
import { DEMO_LOG_ORIGIN } from '../platform/log-key.js';
import { startPlatform, type StartedPlatform } from '../platform/server.js';
import { finalizePassing } from './simulator-kit.js';

let platform: StartedPlatform;
let dataDir: string;
let s: CreatedServices;
const dbs = freshDatabases();
const network = manualNetwork(true);
/** Every result PUT the app sends to the platform. */
const puts: string[] = [];
const countingFetch: typeof fetch = (input, init) => {
  if (init?.method === 'PUT' && String(input).includes('/v1/results/')) puts.push(String(input));
  return fetch(input, init);
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'usb-results-'));
  platform = await startPlatform({ dataDir, seed: 7, enterprises: 150, port: 0 });
  s = testServices(dbs, {
    adapter: testAdapter(platform.url),
    network,
    now: () => new Date(),
    fetch: countingFetch,
  });
  const login = platform.logins[0]!;
  const signedIn = await s.auth.signIn(login.certNo, login.password);
  if (!signedIn.ok) throw new Error('sign-in failed');
  await s.sync.start();
});
afterAll(async () => {
  await disposeDatabases(dbs);
  await platform.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const finalizeOne = (taskId: string): Promise<string> => finalizePassing(s, taskId);

/** What a receipts import may change: outbox, receipts, audit chain, checkpoints, USB bundle rows. */
async function partitionState(d: Databases): Promise<unknown> {
  return {
    outbox: await outboxRepo(d.field).list(),
    receipts: await d.field.receipts.toArray(),
    audit: await auditRepo(d.field).count(),
    checkpoints: await d.field.logCheckpoints.toArray(),
    usb: await d.field.usbBundles.toArray(),
    results: (await d.field.results.toArray()).map((r) => r.receipt),
  };
}

describe('USB results transfer', () => {
  let resultIds: string[];
  let exported: Uint8Array;
  let receipts: Uint8Array;
  let replyKey: Uint8Array;

  it('exports the unsent results without touching the outbox, and records the export on the audit chain', async () => {
    network.set(false);
    const tasks = (await s.tasks.list()).filter((t) => t.taskStatus === 'assigned').slice(0, 2);
    resultIds = [await finalizeOne(tasks[0]!.id), await finalizeOne(tasks[1]!.id)];
    // A document number used offline: its report travels in the bundle too.
    const numbers = s.internals.runtime.repos.docNumbers;
    const docType = Object.entries(await numbers.remaining()).find(([, n]) => n > 0)?.[0] as DocType | undefined;
    if (!docType) throw new Error('the sync reserved no document numbers');
    await numbers.take({ docType, taskId: tasks[0]!.id, resultId: resultIds[0]!, at: new Date().toISOString() });
    expect(await numbers.unreported()).toHaveLength(1);
    const before = await outboxRepo(dbs.field).list();
    const auditBefore = await auditRepo(dbs.field).count();
    expect(await s.usbResults.pendingCount()).toBe(2);
    // Cancelled while sealing: no file, no export row, no audit entry.
    const abort = new AbortController();
    const cancelled = await s.usbResults.exportResults({
      signal: abort.signal,
      onProgress: (p) => (p.step === 'seal' ? abort.abort() : undefined),
    });
    expect(cancelled).toEqual({ ok: false, error: { kind: 'cancelled', message: '已取消导出，未生成文件' } });
    expect(await dbs.field.usbBundles.count()).toBe(0);
    expect(await auditRepo(dbs.field).count()).toBe(auditBefore);
    const steps = new Set<string>();
    const out = await s.usbResults.exportResults({ onProgress: (p) => steps.add(p.step) });
    if (!out.ok) throw new Error(out.error.message);
    expect(out.count).toBe(2);
    expect(out.fileName).toMatch(/^results-\d{8}-\d{4}\.sibundle$/);
    expect([...steps]).toEqual(['collect', 'seal']);
    expect(await outboxRepo(dbs.field).list()).toEqual(before);
    const entries = await auditRepo(dbs.field).list();
    expect(entries.length).toBe(auditBefore + 1);
    expect(entries.at(-1)).toMatchObject({ kind: 'results.exported', subjectId: out.bundleId });
    expect(await auditRepo(dbs.field).verify()).toBeNull();
    exported = new Uint8Array(await out.file.arrayBuffer());
    expect(await s.internals.runtime.repos.docNumbers.unreported()).toHaveLength(1);
    replyKey = (await usbBundlesRepo(dbs.field).exports())[0]!.replyPublicKey;
  });

  it('imports on the platform as uploads; the receipts bundle comes back', async () => {
    const imported = await platform.usb.importResults(exported);
    if (!imported.ok) throw new Error(imported.error.message);
    expect(imported.outcomes.map((o) => [o.resultId, o.status])).toEqual(resultIds.map((id) => [id, 201]));
    expect(imported.docReport).toEqual({ accepted: true, message: null });
    platform.admin.publishNow();
    for (const id of resultIds) expect(platform.admin.counts(id)).toEqual({ results: 1, publications: 1 });
    const back = await platform.usb.receipts(imported.bundleId);
    if (!back.ok) throw new Error(back.error.message);
    receipts = back.bytes;
  });

  describe('refuses receipts files that do not hold, changing nothing', () => {
    const forged = async (edit: (index: ReceiptsIndex) => ReceiptsIndex, signer?: 'stranger'): Promise<Uint8Array> => {
      const keys = await platformBundleKeys(DEMO_LOG_ORIGIN);
      const index = ReceiptsIndexSchema.parse(JSON.parse(new TextDecoder().decode((await openAsApp(receipts)).bytes)));
      const stranger = await generateSigningKeyPair();
      return sealBundleToBytes([{ name: INDEX_ENTRY, data: new TextEncoder().encode(JSON.stringify(edit(index))) }], {
        kind: 'receipts',
        senderId: keys.senderId,
        signingKey: signer ? stranger.privateKey : keys.signing.privateKey,
        senderPublicKey: signer ? await exportPublicKey(stranger.publicKey) : keys.signing.publicKey,
        recipientPublicKey: replyKey,
      });
    };
    /** The receipts bundle opened with the export's reply key (what the platform sent, for forging). */
    async function openAsApp(bytes: Uint8Array): Promise<{ bytes: Uint8Array }> {
      const { openBundle, importRecipientPrivateKey } = await import('../../shared/bundle/index.js');
      const row = (await usbBundlesRepo(dbs.field).exports())[0]!;
      const keys = await platformBundleKeys(DEMO_LOG_ORIGIN);
      const opened = await openBundle(bytes, {
        recipient: { privateKey: await importRecipientPrivateKey(row.replyPkcs8), publicKey: row.replyPublicKey },
        trustedSenders: [{ senderId: keys.senderId, publicKey: keys.signing.publicKey }],
        seenBundleIds: new Set(),
      });
      if (!opened.ok) throw new Error(opened.error.message);
      return opened.entries[0]!;
    }

    const cases: [string, () => Promise<Uint8Array>, string][] = [
      ['the results file itself (meant for the platform)', async () => exported, '请交平台导入'],
      ['cut short', async () => receipts.slice(0, receipts.length - 25), '文件不完整（已截断）'],
      [
        'a bit flipped',
        async () => {
          const b = receipts.slice();
          b[b.length - 20]! ^= 0x10;
          return b;
        },
        '文件已被改动',
      ],
      ['signed by a key that is not the platform’s', () => forged((i) => i, 'stranger'), '签名设备未登记/不受信任'],
      [
        'encrypted for another device',
        async () => {
          const keys = await platformBundleKeys(DEMO_LOG_ORIGIN);
          const other = await exportPublicKey((await generateRecipientKeyPair()).publicKey);
          return sealBundleToBytes([{ name: INDEX_ENTRY, data: new Uint8Array([123, 125]) }], {
            kind: 'receipts',
            senderId: keys.senderId,
            signingKey: keys.signing.privateKey,
            senderPublicKey: keys.signing.publicKey,
            recipientPublicKey: other,
          });
        },
        '不是发给本设备的',
      ],
      [
        'a receipt whose content hash was changed (the log does not vouch for it)',
        () =>
          forged((i) => ({
            ...i,
            receipts: i.receipts.map((r, n) => (n === 0 ? { ...r, contentHash: 'f'.repeat(64) } : r)),
          })),
        '平台日志校验失败',
      ],
    ];
    for (const [name, make, message] of cases) {
      it(name, async () => {
        const bytes = await make();
        const before = await partitionState(dbs);
        const out = await s.usbResults.importReceipts(bytes);
        expect(out.ok).toBe(false);
        expect(!out.ok && out.error.message).toContain(message);
        expect(await partitionState(dbs)).toEqual(before);
      });
    }
  });

  it('a receipts import cancelled while verifying changes nothing', async () => {
    const before = await partitionState(dbs);
    const abort = new AbortController();
    const out = await s.usbResults.importReceipts(receipts, {
      signal: abort.signal,
      onProgress: (p) => (p.step === 'verify' && p.done === 1 ? abort.abort() : undefined),
    });
    expect(out).toEqual({ ok: false, error: { kind: 'cancelled', message: '已取消导入，未作任何更改' } });
    expect(await partitionState(dbs)).toEqual(before);
  });

  it('marks the results safe as network receipts do, once; the network then sends nothing again', async () => {
    const out = await s.usbResults.importReceipts(receipts);
    if (!out.ok) throw new Error(out.error.message);
    expect(out).toEqual({ ok: true, marked: 2, published: 2 });
    // The platform took the document-number report: the number counts as reported, as after a network report.
    expect(await s.internals.runtime.repos.docNumbers.unreported()).toEqual([]);
    const rows = await s.outbox.list();
    expect(rows.map((r) => [r.resultId, r.state])).toEqual(resultIds.map((id) => [id, 'published']));
    expect(rows.every((r) => r.logIndex !== null)).toBe(true);
    const kinds = (await auditRepo(dbs.field).list()).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'result.uploaded')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'result.published')).toHaveLength(2);
    expect(await auditRepo(dbs.field).verify()).toBeNull();

    const before = await partitionState(dbs);
    const again = await s.usbResults.importReceipts(receipts);
    expect(again).toEqual({ ok: false, error: { kind: 'refused', message: '该文件已导入过（重复）' } });
    expect(await partitionState(dbs)).toEqual(before);
    expect(await s.usbResults.pendingCount()).toBe(0);

    network.set(true);
    await s.outbox.pushNow();
    expect(puts).toEqual([]);
    for (const id of resultIds) expect(platform.admin.counts(id)).toEqual({ results: 1, publications: 1 });
    expect((await s.outbox.list()).map((r) => r.state)).toEqual(['published', 'published']);
  });

  it('carries a body-camera recording whole, streamed from its sealed chunks', async () => {
    network.set(false);
    const task = (await s.tasks.list()).find((t) => t.taskStatus === 'assigned' && t.localState === 'new');
    if (!task) throw new Error('no task left to inspect');
    await s.inspection.openDraft(task.id);
    // Ten minutes of 8 kHz audio: three sealed chunks, and the row itself holds no bytes.
    const wav = wavFile(600);
    const rec = await s.inspection.importMedia(task.id, wav, '录音0002.wav', null);
    if (!rec.ok) throw new Error(rec.error.message);
    const resultId = await finalizeOne(task.id);
    const out = await s.usbResults.exportResults();
    if (!out.ok) throw new Error(out.error.message);
    expect(out.count).toBe(1);
    expect(out.file.size).toBeGreaterThan(wav.size);
    // The platform checks every attachment against the hash its result names before it takes any.
    const imported = await platform.usb.importResults(new Uint8Array(await out.file.arrayBuffer()));
    expect(imported.ok && imported.outcomes.map((o) => [o.resultId, o.status])).toEqual([[resultId, 201]]);
    const back = await platform.usb.inspectorReceipts(platform.logins[0]!.inspectorId);
    if (!back.ok) throw new Error(back.error.message);
    expect(await s.usbResults.importReceipts(back.bytes)).toEqual({ ok: true, marked: 1, published: 1 });
    const receipt = (await s.outbox.list()).find((r) => r.resultId === resultId);
    expect(receipt?.state).toBe('published');
    const held = (await s.internals.runtime.repos.results.get(resultId))?.receipt?.attachmentHashes;
    expect(held).toContainEqual({ id: rec.file.id, sha256: rec.file.sha256 });
  });

  it('a later export is answered by one receipts file for the whole inspector', async () => {
    network.set(false);
    const task = (await s.tasks.list()).find((t) => t.taskStatus === 'assigned' && t.localState === 'new');
    if (!task) throw new Error('no task left to inspect');
    const third = await finalizeOne(task.id);
    const out = await s.usbResults.exportResults();
    if (!out.ok) throw new Error(out.error.message);
    expect(out.count).toBe(1);
    const imported = await platform.usb.importResults(new Uint8Array(await out.file.arrayBuffer()));
    expect(imported.ok && imported.outcomes.map((o) => [o.resultId, o.status])).toEqual([[third, 201]]);
    const back = await platform.usb.inspectorReceipts(platform.logins[0]!.inspectorId);
    if (!back.ok) throw new Error(back.error.message);
    expect(back.receipts).toBe(4);
    const applied = await s.usbResults.importReceipts(back.bytes);
    // The three earlier results are already safe; only the new one changes.
    expect(applied).toEqual({ ok: true, marked: 1, published: 1 });
    expect((await s.outbox.list()).find((r) => r.resultId === third)?.state).toBe('published');
  });

  it('a result too large for one file stays for the network with the reason; the others still go', async () => {
    network.set(false);
    const fresh = (await s.tasks.list()).filter((t) => t.taskStatus === 'assigned' && t.localState === 'new');
    if (fresh.length < 2) throw new Error('two tasks left to inspect are needed');
    await s.inspection.openDraft(fresh[0]!.id);
    const rec = await s.inspection.importMedia(fresh[0]!.id, wavFile(2), '录音0003.wav', null);
    if (!rec.ok) throw new Error(rec.error.message);
    const big = await finalizeOne(fresh[0]!.id);
    // Stands for a recording of several GB (the row's size is what the export weighs).
    const row = await dbs.field.attachments.get(rec.file.id);
    await dbs.field.attachments.put({ ...row!, size: 3 * 1024 ** 3 });
    const small = await finalizeOne(fresh[1]!.id);

    const out = await s.usbResults.exportResults();
    if (!out.ok) throw new Error(out.error.message);
    expect(out.count).toBe(1);
    expect(out.skipped).toEqual([
      { resultId: big, reason: '证据文件合计 3.0 GB，超过U盘数据包上限（1.0 GB），只能联网上传' },
    ]);
    const imported = await platform.usb.importResults(new Uint8Array(await out.file.arrayBuffer()));
    expect(imported.ok && imported.outcomes.map((o) => [o.resultId, o.status])).toEqual([[small, 201]]);
    expect((await s.outbox.list()).find((r) => r.resultId === big)?.state).toBe('waiting');
  });

  it('a result that fits a file alone but not beside the others goes with the next export', async () => {
    network.set(false);
    const fresh = (await s.tasks.list()).filter((t) => t.taskStatus === 'assigned' && t.localState === 'new');
    if (fresh.length < 2) throw new Error('two tasks left to inspect are needed');
    const withRecording = async (taskId: string, name: string): Promise<{ resultId: string; fileId: string }> => {
      await s.inspection.openDraft(taskId);
      const rec = await s.inspection.importMedia(taskId, wavFile(1), name, null);
      if (!rec.ok) throw new Error(rec.error.message);
      return { resultId: await finalizeOne(taskId), fileId: rec.file.id };
    };
    // Makes a recording stand for one that brings its result one byte short of what a file takes alone
    // (1 GB less 16 MB headroom): it fits an export of its own, not one that already carries another.
    const real = new Map<string, number>();
    const weigh = async (r: { resultId: string; fileId: string }, heavy: boolean): Promise<void> => {
      const rows = await dbs.field.attachments.where('resultId').equals(r.resultId).toArray();
      const others = rows.filter((a) => a.id !== r.fileId).reduce((n, a) => n + a.size, 0);
      const row = rows.find((a) => a.id === r.fileId)!;
      if (heavy) real.set(r.fileId, row.size);
      const size = heavy ? 1024 ** 3 - 16 * 1024 ** 2 - 1 - others : real.get(r.fileId)!;
      await dbs.field.attachments.put({ ...row, size });
    };
    // The earlier exports' receipts come back first, so only the results below (and the one too large
    // for any file) are waiting.
    const back = await platform.usb.inspectorReceipts(platform.logins[0]!.inspectorId);
    if (!back.ok) throw new Error(back.error.message);
    expect((await s.usbResults.importReceipts(back.bytes)).ok).toBe(true);
    const first = await withRecording(fresh[0]!.id, '录音0004.wav');
    const second = await withRecording(fresh[1]!.id, '录音0005.wav');
    await weigh(second, true);

    const out = await s.usbResults.exportResults();
    if (!out.ok) throw new Error(out.error.message);
    const full = '本次数据包已满（上限 1.0 GB），下次导出时带出';
    expect(out.skipped.find((k) => k.resultId === first.resultId)).toBeUndefined();
    expect(out.skipped.find((k) => k.resultId === second.resultId)?.reason).toBe(full);
    const imported = await platform.usb.importResults(new Uint8Array(await out.file.arrayBuffer()));
    expect(imported.ok && imported.outcomes.map((o) => [o.resultId, o.status])).toContainEqual([first.resultId, 201]);
    expect((await s.outbox.list()).find((r) => r.resultId === second.resultId)?.state).toBe('waiting');

    // No receipts came back for this file yet, and now the first is the heavy one: the result left behind rides the
    // next file ahead of those already on a stick.
    await weigh(second, false);
    await weigh(first, true);
    const next = await s.usbResults.exportResults();
    if (!next.ok) throw new Error(next.error.message);
    expect(next.skipped.find((k) => k.resultId === second.resultId)).toBeUndefined();
    expect(next.skipped.find((k) => k.resultId === first.resultId)?.reason).toBe(full);
    const again = await platform.usb.importResults(new Uint8Array(await next.file.arrayBuffer()));
    expect(again.ok && again.outcomes.map((o) => [o.resultId, o.status])).toContainEqual([second.resultId, 201]);
  });
});
