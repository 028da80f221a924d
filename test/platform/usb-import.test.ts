/**
 * USB results import: the same acceptance as a network upload (keys, checks, log, publication), one
 * result however often it arrives and by whichever way, and every refusal leaves every table and the
 * uploads folder exactly as it was.
 */
import Database from 'better-sqlite3';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exportPublicKey,
  generateRecipientKeyPair,
  generateSigningKeyPair,
  openBundle,
  sealBundleToBytes,
  type BundleKey,
  type BundleKeyPair,
} from '../../shared/bundle/index.js';
import {
  INDEX_ENTRY,
  ReceiptsIndexSchema,
  attachmentEntryName,
  type ResultsIndex,
} from '../../shared/bundle/usb-contents.js';
import { DEMO_PLATFORM_BUNDLE_KEY } from '../../shared/bundle/demo-bundle-key.js';
import { fromBase64Url } from '../../shared/integrity/encoding.js';
import { verifyReceipt } from '../../shared/transparency/receipt-verify.js';
import { parseVerifierKey } from '../../shared/transparency/signed-note.js';
import type { ResultUpload, Task } from '../../shared/protocol/index.js';
import { webCryptoEd25519 } from '../../renderer/src/sync/receipt-verify.js';
import type { Harness } from './testkit.js';
import { runUsbCommand } from './usb-cli.js';
import {
  allTasks,
  authed,
  buildUpload,
  deviceKeyFor,
  login,
  putResult,
  sha256Hex,
  signUpload,
  startTemp,
  type Call,
  type TestDeviceKey,
} from './testkit.js';

let h: Harness;
let call: Call;
let tasks: Task[];
let device: TestDeviceKey;
let reply: BundleKeyPair;
let replyRaw: Uint8Array;
let inspectorId: string;
const DEVICE = 'dev-usb-1';

beforeAll(async () => {
  h = await startTemp();
  const first = h.platform.logins[0]!;
  inspectorId = first.inspectorId;
  call = authed(h.platform.url, (await login(h.platform.url, first.certNo, 'demo1234', DEVICE)).accessToken);
  tasks = (await allTasks(call)).filter((t) => t.status === 'assigned');
  expect(tasks.length).toBeGreaterThanOrEqual(11);
  device = await deviceKeyFor(call, DEVICE);
  reply = await generateRecipientKeyPair();
  replyRaw = await exportPublicKey(reply.publicKey);
});
afterAll(() => h.stop());

interface Item {
  readonly key: string;
  readonly upload: ResultUpload;
  readonly files: Record<string, Uint8Array>;
}

async function item(task: Task, resultId: string, key: string, withPhoto = true): Promise<Item> {
  const photo = new TextEncoder().encode(`photo of ${resultId}`);
  const attId = `att-${resultId}`;
  const attachments = withPhoto
    ? [{ id: attId, sha256: sha256Hex(Buffer.from(photo)), size: photo.length, mime: 'image/jpeg', uploadUrl: null }]
    : [];
  const up = buildUpload(task, resultId, { attachments, deviceId: DEVICE });
  return { key, upload: await signUpload(call, up, device), files: withPhoto ? { [attId]: photo } : {} };
}

async function seal(
  items: readonly Item[],
  over: {
    signer?: { key: BundleKey; publicKey: Uint8Array };
    recipient?: Uint8Array;
    deviceId?: string;
    docReport?: ResultsIndex['docReport'];
  } = {},
): Promise<Uint8Array> {
  const index: ResultsIndex = {
    v: 1,
    inspectorId,
    deviceId: over.deviceId ?? DEVICE,
    replyKey: Buffer.from(replyRaw).toString('hex'),
    logSeenSize: null,
    results: items.map((i) => ({ idempotencyKey: i.key, upload: i.upload })),
    docReport: over.docReport ?? null,
  };
  const entries = [
    { name: INDEX_ENTRY, data: new TextEncoder().encode(JSON.stringify(index)) },
    ...items.flatMap((i) => Object.entries(i.files).map(([id, data]) => ({ name: attachmentEntryName(id), data }))),
  ];
  return sealBundleToBytes(entries, {
    kind: 'results',
    senderId: over.deviceId ?? DEVICE,
    signingKey: over.signer?.key ?? (device.key.handle as BundleKey),
    senderPublicKey: over.signer?.publicKey ?? fromBase64Url(device.publicKey)!,
    recipientPublicKey: over.recipient ?? Buffer.from(h.platform.bundleKey, 'hex'),
  });
}

/**
 * Every table's row count and the uploads folder, read through a second connection. Due
 * publications are made first, so the simulator's own publishing timer cannot change a count
 * between two snapshots (a wrongly imported result would still add rows of its own).
 */
function snapshot(): Record<string, number | string> {
  h.platform.admin.publishNow();
  const db = new Database(join(h.dataDir, 'platform.sqlite'), { readonly: true });
  try {
    const names = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
    ).map((r) => r.name);
    const out: Record<string, number | string> = {};
    for (const n of names) out[n] = (db.prepare(`SELECT COUNT(*) AS c FROM "${n}"`).get() as { c: number }).c;
    out['uploads/'] = readdirSync(join(h.dataDir, 'uploads')).sort().join(',');
    return out;
  } finally {
    db.close();
  }
}

describe('USB results import', () => {
  it('the committed demo key the app pins is the simulator’s default bundle key', () => {
    expect(h.platform.bundleKey).toBe(DEMO_PLATFORM_BUNDLE_KEY);
  });

  let first: Uint8Array;
  let a: Item;
  let b: Item;

  it('accepts like an upload: 201 per result, evidence stored, one result and one publication', async () => {
    a = await item(tasks[0]!, 'usb-r1', 'op-usb-1');
    b = await item(tasks[1]!, 'usb-r2', 'op-usb-2', false);
    first = await seal([a, b]);
    const out = await h.platform.usb.importResults(first);
    if (!out.ok) throw new Error(out.error.message);
    expect(out.inspectorId).toBe(inspectorId);
    expect(out.outcomes.map((o) => [o.resultId, o.status, o.replayed])).toEqual([
      ['usb-r1', 201, false],
      ['usb-r2', 201, false],
    ]);
    h.platform.admin.publishNow();
    expect(h.platform.admin.counts('usb-r1')).toEqual({ results: 1, publications: 1 });
    // The receipt the network would give now vouches for the imported result.
    const receipt = await call('/v1/results/usb-r1/receipt');
    expect(receipt.status).toBe(200);
  });

  it('refuses the same file again as replayed and changes nothing', async () => {
    const before = snapshot();
    const again = await h.platform.usb.importResults(first);
    expect(again).toEqual({ ok: false, error: { kind: 'replayed', message: '该文件已导入过（重复）' } });
    expect(snapshot()).toEqual(before);
  });

  it('a new export of the same results (same keys) replays their stored answers: still one result', async () => {
    const out = await h.platform.usb.importResults(await seal([a, b]));
    if (!out.ok) throw new Error(out.error.message);
    expect(out.outcomes.map((o) => [o.status, o.replayed])).toEqual([
      [200, true],
      [200, true],
    ]);
    h.platform.admin.publishNow();
    expect(h.platform.admin.counts('usb-r1')).toEqual({ results: 1, publications: 1 });
    expect(h.platform.admin.counts('usb-r2')).toEqual({ results: 1, publications: 1 });
  });

  it('after a network upload under the same key the import replays; the network resend after an import too', async () => {
    const net = await item(tasks[2]!, 'usb-r3', 'op-usb-3', false);
    expect((await putResult(call, net.upload, net.key)).status).toBe(201);
    const out = await h.platform.usb.importResults(await seal([net]));
    expect(out.ok && out.outcomes[0]).toMatchObject({ resultId: 'usb-r3', status: 200, replayed: true });

    const usbFirst = await item(tasks[3]!, 'usb-r4', 'op-usb-4', false);
    const imported = await h.platform.usb.importResults(await seal([usbFirst]));
    expect(imported.ok && imported.outcomes[0]?.status).toBe(201);
    const resend = await putResult(call, usbFirst.upload, usbFirst.key);
    expect(resend.status).toBe(200);
    expect(resend.headers.get('idempotent-replayed')).toBe('true');
    h.platform.admin.publishNow();
    expect(h.platform.admin.counts('usb-r3')).toEqual({ results: 1, publications: 1 });
    expect(h.platform.admin.counts('usb-r4')).toEqual({ results: 1, publications: 1 });
  });

  it('applies the upload checks per result: a changed body under a used key is refused, the rest goes on', async () => {
    const reused = { ...(await item(tasks[4]!, 'usb-r5', 'op-usb-1', false)) };
    const fresh = await item(tasks[5]!, 'usb-r6', 'op-usb-6', false);
    const out = await h.platform.usb.importResults(await seal([reused, fresh]));
    if (!out.ok) throw new Error(out.error.message);
    expect(out.outcomes.map((o) => [o.resultId, o.status, o.code])).toEqual([
      ['usb-r5', 422, 'IDEMPOTENCY_KEY_REUSED'],
      ['usb-r6', 201, null],
    ]);
    expect(h.platform.admin.counts('usb-r5').results).toBe(0);
  });

  it('carries the document-number report with the report endpoint’s own checks', async () => {
    const reserved = await call('/v1/doc-numbers/reserve', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ requestId: 'req-usb-1', deviceId: DEVICE, docType: 'notice', count: 2 }),
    });
    expect(reserved.status).toBe(200);
    const { from } = (await reserved.json()) as { from: number };
    const withDocs = await item(tasks[9]!, 'usb-r10', 'op-usb-10', false);
    const used = {
      deviceId: DEVICE,
      used: [{ docType: 'notice' as const, serial: from, resultId: 'usb-r10' }],
      voided: [],
    };
    const out = await h.platform.usb.importResults(await seal([withDocs], { docReport: used }));
    expect(out.ok && [out.outcomes[0]?.status, out.docReport]).toEqual([201, { accepted: true, message: null }]);
    // A number this device never reserved is refused as the endpoint refuses it; the result still counts.
    const foreign = await item(tasks[10]!, 'usb-r11', 'op-usb-11', false);
    const notOwned = {
      deviceId: DEVICE,
      used: [{ docType: 'notice' as const, serial: 999_999, resultId: 'usb-r11' }],
      voided: [],
    };
    const refused = await h.platform.usb.importResults(await seal([foreign], { docReport: notOwned }));
    if (!refused.ok) throw new Error(refused.error.message);
    expect(refused.outcomes[0]?.status).toBe(201);
    expect(refused.docReport?.accepted).toBe(false);
    expect(refused.docReport?.message).toContain('编号未分配给本人在该设备上的申请');
  });

  describe('refusals leave every table and the uploads folder unchanged', () => {
    let fresh: Item;
    beforeAll(async () => {
      fresh = await item(tasks[6]!, 'usb-r7', 'op-usb-7');
    });

    const cases: [string, () => Promise<Uint8Array>, string, string][] = [
      ['cut short', async () => (await seal([fresh])).slice(0, -40), 'truncated', '文件不完整（已截断）'],
      [
        'a bit flipped',
        async () => {
          const bytes = await seal([fresh]);
          bytes[bytes.length - 30]! ^= 0x04;
          return bytes;
        },
        'tampered',
        '文件已被改动',
      ],
      [
        'signed by another (unregistered) device key',
        async () => {
          const other = await generateSigningKeyPair();
          return seal([fresh], {
            signer: { key: other.privateKey, publicKey: await exportPublicKey(other.publicKey) },
          });
        },
        'untrusted-sender',
        '签名设备未登记/不受信任',
      ],
      [
        'encrypted for another platform',
        async () => seal([fresh], { recipient: await exportPublicKey((await generateRecipientKeyPair()).publicKey) }),
        'wrong-recipient',
        '不是发给本平台的',
      ],
      ['replayed', async () => first, 'replayed', '该文件已导入过（重复）'],
    ];
    for (const [name, make, kind, message] of cases) {
      it(name, async () => {
        const bytes = await make();
        const before = snapshot();
        const out = await h.platform.usb.importResults(bytes);
        expect(out).toEqual({ ok: false, error: { kind, message } });
        expect(snapshot()).toEqual(before);
      });
    }

    it('a failure after the results were written rolls the whole import back, files included', async () => {
      const before = snapshot();
      await expect(
        h.platform.usb.importResults(await seal([fresh]), {
          beforeCommit: () => {
            throw new Error('disk full');
          },
        }),
      ).rejects.toThrow('disk full');
      expect(snapshot()).toEqual(before);
      // Nothing of it stayed behind: the same bundle imports afterwards.
      const out = await h.platform.usb.importResults(await seal([fresh]));
      expect(out.ok && out.outcomes[0]?.status).toBe(201);
    });
  });

  it('writes a receipts bundle only the exporting laptop opens, with receipts that verify against the log key', async () => {
    const opened = await openBundle(first, {
      recipient: { privateKey: reply.privateKey, publicKey: replyRaw },
      trustedSenders: [],
      seenBundleIds: new Set(),
    });
    expect(opened.ok).toBe(false); // a results bundle is not for the laptop
    const firstId = Buffer.from(first.subarray(13, 13 + new DataView(first.buffer).getUint32(9))).toString('utf8');
    const bundleId = (JSON.parse(firstId) as { bundleId: string }).bundleId;
    const out = await h.platform.usb.receipts(bundleId);
    if (!out.ok) throw new Error(out.error.message);
    expect(out.receipts).toBe(2);
    const key = parseVerifierKey(h.platform.logKey);
    if (!key.ok) throw new Error('log key');
    const receipts = await openBundle(out.bytes, {
      recipient: { privateKey: reply.privateKey, publicKey: replyRaw },
      trustedSenders: [{ senderId: key.value.name, publicKey: key.value.publicKey }],
      seenBundleIds: new Set(),
      expectKind: 'receipts',
    });
    if (!receipts.ok) throw new Error(receipts.error.message);
    const index = ReceiptsIndexSchema.parse(JSON.parse(new TextDecoder().decode(receipts.entries[0]!.bytes)));
    expect(index.receipts.map((r) => r.resultId).sort()).toEqual(['usb-r1', 'usb-r2']);
    for (const r of index.receipts) {
      const sent = r.resultId === 'usb-r1' ? a.upload : b.upload;
      const checked = await verifyReceipt(
        r,
        { resultId: r.resultId, contentHash: sent.contentHash, auditCheckpoint: sent.auditCheckpoint },
        key.value,
        webCryptoEd25519,
      );
      expect(checked.ok).toBe(true);
    }
    expect(await h.platform.usb.receipts('0'.repeat(32))).toMatchObject({
      ok: false,
      error: { kind: 'unknown-bundle' },
    });
  });

  it('the admin endpoint and the CLI import and write receipts the same way', async () => {
    const viaHttp = await item(tasks[7]!, 'usb-r8', 'op-usb-8', false);
    const bytes = await seal([viaHttp]);
    const post = (secret: string) =>
      fetch(`${h.platform.url}/v1/admin/usb/import`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'x-admin-secret': secret },
        body: Buffer.from(bytes),
      });
    const before = snapshot();
    expect((await post('wrong-secret-xxxxxxxx')).status).toBe(401);
    expect(snapshot()).toEqual(before);
    const res = await post(h.platform.adminSecret);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { bundleId: string; outcomes: { status: number }[] };
    expect(body.outcomes.map((o) => o.status)).toEqual([201]);
    const again = await post(h.platform.adminSecret);
    expect(again.status).toBe(422);
    expect(((await again.json()) as { error: { message: string } }).error.message).toBe(
      '数据包被拒收：该文件已导入过（重复）',
    );
    const receipts = await fetch(`${h.platform.url}/v1/admin/usb/receipts/${body.bundleId}`, {
      headers: { 'x-admin-secret': h.platform.adminSecret },
    });
    expect(receipts.status).toBe(200);
    expect(receipts.headers.get('content-type')).toBe('application/octet-stream');

    const out = join(h.dataDir, 'receipts.sibundle');
    expect(await runUsbCommand('receipts', body.bundleId, { data: h.dataDir, out })).toBe(0);
    expect(readFileSync(out).subarray(0, 8).toString('latin1')).toBe('SIBUNDLE');
    const byInspector = await fetch(`${h.platform.url}/v1/admin/usb/receipts?inspectorId=${inspectorId}`, {
      headers: { 'x-admin-secret': h.platform.adminSecret },
    });
    expect(byInspector.status).toBe(200);
    await byInspector.arrayBuffer();
    const all = join(h.dataDir, 'all-receipts.sibundle');
    expect(await runUsbCommand('receipts', undefined, { data: h.dataDir, out: all, inspector: inspectorId })).toBe(0);
    expect(await runUsbCommand('receipts', undefined, { data: h.dataDir, out: all, inspector: 'nobody' })).toBe(1);
    const viaCli = await item(tasks[8]!, 'usb-r9', 'op-usb-9', false);
    const file = join(h.dataDir, 'results.sibundle');
    writeFileSync(file, await seal([viaCli]));
    expect(await runUsbCommand('import', file, { data: h.dataDir })).toBe(0);
    expect(h.platform.admin.counts('usb-r9').results).toBe(1);
    const cut = join(h.dataDir, 'cut.sibundle');
    writeFileSync(cut, (await seal([viaCli])).slice(0, 100));
    const rows = snapshot();
    expect(await runUsbCommand('import', cut, { data: h.dataDir })).toBe(1);
    expect(snapshot()).toEqual(rows);
  });

  it('refuses a bundle from a device revoked since (a lost laptop), changing nothing', async () => {
    const late = await item(tasks[11] ?? tasks[10]!, 'usb-r12', 'op-usb-12', false);
    const bytes = await seal([late]);
    h.platform.admin.revokeDevice(DEVICE);
    const before = snapshot();
    const out = await h.platform.usb.importResults(bytes);
    expect(out).toEqual({ ok: false, error: { kind: 'untrusted-sender', message: '签名设备未登记/不受信任' } });
    expect(snapshot()).toEqual(before);
  });
});
