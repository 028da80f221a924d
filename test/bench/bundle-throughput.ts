/**
 * `npx tsx test/bench/bundle-throughput.ts [megabytes]` (default 200): seal and open a synthetic entry
 * set (5 MB "photos") with shared/bundle, and hash the same bytes with SHA-256 in the same run, so the
 * bundle's cost reads against the floor any integrity check must pay. Prints figures; kept out of
 * `npm run bench` on purpose (it holds the set three times in memory and takes a while).
 */
import { createHash } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  exportPublicKey,
  generateRecipientKeyPair,
  generateSigningKeyPair,
  openBundle,
  sealBundle,
} from '../../shared/bundle/index.js';

const MB = 1024 * 1024;
const totalMb = Number(process.argv[2] ?? 200);
const entrySize = 5 * MB;

function makeEntries(): { name: string; data: Uint8Array<ArrayBuffer> }[] {
  const entries: { name: string; data: Uint8Array<ArrayBuffer> }[] = [];
  for (let i = 0; i * entrySize < totalMb * MB; i++) {
    const data = new Uint8Array(Math.min(entrySize, totalMb * MB - i * entrySize));
    for (let at = 0; at < data.length; at += 65536) crypto.getRandomValues(data.subarray(at, at + 65536));
    entries.push({ name: `evidence/photo-${i}.jpg`, data });
  }
  return entries;
}

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t = performance.now();
  const value = await f();
  return { value, seconds: (performance.now() - t) / 1000 };
}

const entries = makeEntries();
const bytes = entries.reduce((n, e) => n + e.data.length, 0);
const mbs = (s: number) => `${(bytes / MB / s).toFixed(1)} MB/s`;

const device = await generateSigningKeyPair();
const platform = await generateRecipientKeyPair();
const devicePublic = await exportPublicKey(device.publicKey);
const platformPublic = await exportPublicKey(platform.publicKey);

const nodeSha = await timed(async () => {
  for (const e of entries) createHash('sha256').update(e.data).digest();
});
const nobleSha = await timed(async () => {
  for (const e of entries) sha256(e.data);
});
const subtleSha = await timed(async () => {
  for (const e of entries) await crypto.subtle.digest('SHA-256', e.data);
});
const sealed = await timed(async () => {
  const parts: Uint8Array[] = [];
  for await (const p of sealBundle(entries, {
    kind: 'results',
    senderId: 'bench-device',
    signingKey: device.privateKey,
    senderPublicKey: devicePublic,
    recipientPublicKey: platformPublic,
  }))
    parts.push(p);
  return parts;
});
const opened = await timed(() =>
  openBundle(
    (async function* () {
      yield* sealed.value;
    })(),
    {
      recipient: { privateKey: platform.privateKey, publicKey: platformPublic },
      trustedSenders: [{ senderId: 'bench-device', publicKey: devicePublic }],
      seenBundleIds: new Set(),
    },
  ),
);
if (!opened.value.ok || opened.value.entries.length !== entries.length) throw new Error('bench bundle did not open');

const bundleBytes = sealed.value.reduce((n, p) => n + p.length, 0);
console.log(
  `entry set: ${entries.length} entries, ${(bytes / MB).toFixed(0)} MB; bundle ${(bundleBytes / MB).toFixed(1)} MB`,
);
console.log(`SHA-256 node:crypto      ${nodeSha.seconds.toFixed(2)} s  ${mbs(nodeSha.seconds)}`);
console.log(`SHA-256 WebCrypto        ${subtleSha.seconds.toFixed(2)} s  ${mbs(subtleSha.seconds)}`);
console.log(`SHA-256 @noble/hashes    ${nobleSha.seconds.toFixed(2)} s  ${mbs(nobleSha.seconds)}`);
console.log(`seal (hash+sign+encrypt) ${sealed.seconds.toFixed(2)} s  ${mbs(sealed.seconds)}`);
console.log(`open (decrypt+verify)    ${opened.seconds.toFixed(2)} s  ${mbs(opened.seconds)}`);
console.log(
  `seal+open                ${(sealed.seconds + opened.seconds).toFixed(2)} s  ${mbs(sealed.seconds + opened.seconds)}`,
);
