/**
 * The integrity suite in Debian's Chromium, where the app signs: the same shared code as in Node
 * (bundled and evaluated in the app's page, a secure 127.0.0.1 origin) makes an Ed25519 key, imports
 * it non-extractable, signs a checkpoint; Chromium refuses to export the key, rejects a changed
 * checkpoint and a malformed signature, and Node verifies Chromium's signature (as the platform does).
 */
import { buildSync } from 'esbuild';
import { resolve } from 'node:path';
import type * as Checkpoint from '../../shared/integrity/checkpoint.js';
import { verifyCheckpoint, type CheckpointFields } from '../../shared/integrity/checkpoint.js';
import type * as Suite from '../../shared/integrity/suite.js';
import { suiteFor } from '../../shared/integrity/suite.js';
import { expect, test } from './fixtures.js';

const bundle = buildSync({
  stdin: {
    contents: "export * from './shared/integrity/suite.ts'; export * from './shared/integrity/checkpoint.ts';",
    resolveDir: resolve(import.meta.dirname, '../..'),
    loader: 'ts',
  },
  bundle: true,
  format: 'iife',
  globalName: 'integritySuite',
  write: false,
}).outputFiles[0]!.text;

const fields: CheckpointFields = {
  resultId: 'r-chromium-1',
  contentHash: 'a'.repeat(64),
  deviceId: 'dev-chromium',
  deviceSeq: 7,
  count: 21,
  headHash: 'b'.repeat(64),
};

test('sha256+ed25519 in Chromium: non-extractable signing, verification, and Node verifies what Chromium signed', async ({
  app,
}) => {
  const page = await app.open();
  await page.evaluate(`${bundle}; globalThis.integritySuite = integritySuite;`);
  const out = await page.evaluate(async (f) => {
    const I = (globalThis as unknown as { integritySuite: typeof Suite & typeof Checkpoint }).integritySuite;
    const suite = I.suiteFor('sha256+ed25519');
    const made = await suite.generate();
    const key = await suite.importSigningKey(made.pkcs8, made.publicKey);
    const handle = key.handle as CryptoKey;
    const exported = await crypto.subtle.exportKey('pkcs8', handle).then(
      () => 'exported',
      () => 'refused',
    );
    const b64 = (bytes: Uint8Array): string =>
      btoa(String.fromCharCode(...bytes))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '');
    const publicKey = b64(made.publicKey);
    const signature = await I.signCheckpoint(suite, key, f);
    return {
      extractable: handle.extractable,
      exported,
      publicKey,
      signature,
      valid: await I.verifyCheckpoint(suite, publicKey, f, signature),
      changed: await I.verifyCheckpoint(suite, publicKey, { ...f, count: f.count + 1 }, signature),
      malformed: await I.verifyCheckpoint(suite, publicKey, f, 'AAAA'),
      hash: await suite.hash(new TextEncoder().encode('abc')),
    };
  }, fields);
  expect(out).toMatchObject({ extractable: false, exported: 'refused', valid: true, changed: false, malformed: false });
  expect(out.hash).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  // The platform's side: Node's WebCrypto verifies the signature Chromium made.
  expect(await verifyCheckpoint(suiteFor('sha256+ed25519'), out.publicKey, fields, out.signature)).toBe(true);
  expect(
    await verifyCheckpoint(suiteFor('sha256+ed25519'), out.publicKey, { ...fields, deviceSeq: 8 }, out.signature),
  ).toBe(false);
});
