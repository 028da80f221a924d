/**
 * The bundle format in the browser the app runs in: shared/bundle is built for the page, and bundles
 * cross between Node (the platform side) and Chromium (the app side) in both directions, so both
 * runtimes agree on the bytes, the X25519/Ed25519 WebCrypto keys and the refusals.
 */
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import * as bundleApi from '../../shared/bundle/index.js';
import { launchChromium, quit, type RunningChromium } from './chromium-process.js';

type BundleApi = typeof bundleApi;
declare global {
  interface Window {
    SIBundle: BundleApi;
  }
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const unb64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

async function bundleScript(): Promise<string> {
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: { entry: 'shared/bundle/index.ts', formats: ['iife'], name: 'SIBundle', fileName: 'bundle' },
    },
  });
  const result = Array.isArray(out) ? out[0] : out;
  if (!result || !('output' in result) || !result.output[0]) throw new Error('vite produced no bundle script');
  return result.output[0].code;
}

let server: Server;
let origin: string;
let chromium: RunningChromium;
let profile: string;

test.beforeAll(async () => {
  const script = await bundleScript();
  server = createServer((req, res) => {
    if (req.url === '/bundle.js') res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
    else
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!doctype html><script src="/bundle.js"></script>');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  profile = mkdtempSync(join(tmpdir(), 'e2e-bundle-'));
  chromium = await launchChromium(profile);
});

test.afterAll(async () => {
  await quit(chromium);
  await new Promise<void>((done) => server.close(() => done()));
  rmSync(profile, { recursive: true, force: true });
});

test('a bundle sealed in Chromium opens in Node, and one sealed in Node opens (or is refused) in Chromium', async () => {
  const api = bundleApi;
  const device = await api.generateSigningKeyPair(true);
  const platform = await api.generateRecipientKeyPair(true);
  const keys = {
    devicePkcs8: b64(await api.exportPrivateKey(device.privateKey)),
    devicePublic: b64(await api.exportPublicKey(device.publicKey)),
    platformPkcs8: b64(await api.exportPrivateKey(platform.privateKey)),
    platformPublic: b64(await api.exportPublicKey(platform.publicKey)),
  };
  const evidence = new Uint8Array(3 * api.CHUNK_SIZE + 77).map((_, i) => (i * 7) & 0xff);
  const entries = [
    { name: 'payloads/结果.json', data: new TextEncoder().encode('{"结论":"未发现问题"}') },
    { name: 'evidence/p.jpg', data: evidence },
  ];
  const trusted = [{ senderId: 'dev-1', publicKey: unb64(keys.devicePublic) }];
  const fromNode = await api.sealBundleToBytes(entries, {
    kind: 'station',
    senderId: 'dev-1',
    signingKey: device.privateKey,
    senderPublicKey: unb64(keys.devicePublic),
    recipientPublicKey: unb64(keys.platformPublic),
  });

  const page = await chromium.context.newPage();
  await page.goto(origin);
  const inPage = await page.evaluate(
    async ({ keys, fromNode, evidenceLength }) => {
      const api = window.SIBundle;
      const un = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
      const b64 = (b: Uint8Array) => {
        let s = '';
        for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
        return btoa(s);
      };
      const recipient = {
        privateKey: await api.importRecipientPrivateKey(un(keys.platformPkcs8)),
        publicKey: un(keys.platformPublic),
      };
      const trustedSenders = [{ senderId: 'dev-1', publicKey: un(keys.devicePublic) }];
      const opened = await api.openBundle(un(fromNode), { recipient, trustedSenders, seenBundleIds: new Set() });
      const flippedBytes = un(fromNode);
      flippedBytes[flippedBytes.length - 100]! ^= 4;
      const flipped = await api.openBundle(flippedBytes, { recipient, trustedSenders, seenBundleIds: new Set() });
      const evidence = new Uint8Array(evidenceLength).map((_, i) => (i * 7) & 0xff);
      const sealed = await api.sealBundleToBytes(
        [
          { name: 'payloads/结果.json', data: new TextEncoder().encode('{"结论":"未发现问题"}') },
          { name: 'evidence/p.jpg', data: evidence },
        ],
        {
          kind: 'results',
          senderId: 'dev-1',
          signingKey: await api.importSigningPrivateKey(un(keys.devicePkcs8)),
          senderPublicKey: un(keys.devicePublic),
          recipientPublicKey: un(keys.platformPublic),
        },
      );
      return {
        opened: opened.ok ? opened.entries.map((e) => ({ name: e.name, bytes: b64(e.bytes) })) : opened.error,
        flipped: flipped.ok ? 'opened' : flipped.error,
        sealed: b64(sealed),
      };
    },
    { keys, fromNode: b64(fromNode), evidenceLength: evidence.length },
  );

  expect(Array.isArray(inPage.opened) && inPage.opened.map((e) => e.name)).toEqual(entries.map((e) => e.name));
  if (Array.isArray(inPage.opened)) {
    inPage.opened.forEach((e, i) => expect(Buffer.from(e.bytes, 'base64').equals(entries[i]!.data)).toBe(true));
  }
  expect(inPage.flipped).toEqual({ kind: 'tampered', message: '文件已被改动' });

  const fromChromium = await api.openBundle(unb64(inPage.sealed), {
    recipient: { privateKey: platform.privateKey, publicKey: unb64(keys.platformPublic) },
    trustedSenders: trusted,
    seenBundleIds: new Set(),
    expectKind: 'results',
  });
  expect(fromChromium.ok).toBe(true);
  if (fromChromium.ok) {
    expect(fromChromium.entries.map((e) => e.name)).toEqual(entries.map((e) => e.name));
    fromChromium.entries.forEach((e, i) => expect(Buffer.from(e.bytes).equals(entries[i]!.data)).toBe(true));
  }
});
