// `npm run update:keygen -- --out <folder> [--install]`: makes the Ed25519 key pair that signs
// offline update packages (docs/PACKAGING.md § Offline updates). The private key is written with
// mode 0600 to a folder OUTSIDE this repository (refused otherwise) and never overwritten; keep it
// offline (e.g. on the release officer's encrypted USB key). `--install` writes the public key into
// electron/main/services/update-public-key.ts, which ships inside the app.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(import.meta.dirname, '../..');
const PUBLIC_KEY_MODULE = path.join(root, 'electron/main/services/update-public-key.ts');

function fail(message) {
  console.error(`update:keygen: ${message}`);
  process.exit(1);
}

/** First 16 hex of SHA-256 over the SPKI DER: the same key id the app shows. */
export function keyIdOf(publicKey) {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

function insideRepo(dir) {
  const real = existsSync(dir) ? realpathSync(dir) : path.resolve(dir);
  const rel = path.relative(realpathSync(root), real);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function publicKeyModule(pem, keyId) {
  return `/**
 * The Ed25519 public key(s) that may sign offline update packages, shipped inside the app (asar
 * integrity protects it in signed builds). Written by \`npm run update:keygen -- --out <dir> --install\`;
 * the private key is never in this repository. Add a second entry to rotate keys.
 */
export const UPDATE_PUBLIC_KEYS: readonly string[] = [
  // key id ${keyId}
  \`${pem.trim()}\`,
];
`;
}

const { values } = parseArgs({ options: { out: { type: 'string' }, install: { type: 'boolean', default: false } } });
if (values.out === undefined) fail('usage: npm run update:keygen -- --out <folder outside the repo> [--install]');
const out = path.resolve(values.out);
if (insideRepo(out)) fail(`refusing to write a private key inside the repository (${out}); choose a folder outside it`);
const privatePath = path.join(out, 'smart-inspect-update-private.pem');
const publicPath = path.join(out, 'smart-inspect-update-public.pem');
if (existsSync(privatePath)) fail(`${privatePath} exists; refusing to overwrite a signing key`);

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
mkdirSync(out, { recursive: true, mode: 0o700 });
writeFileSync(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
writeFileSync(publicPath, publicPem);
const keyId = keyIdOf(publicKey);
console.log(
  `update:keygen: key id ${keyId}\n  private: ${privatePath} (keep offline, never commit)\n  public:  ${publicPath}`,
);
if (values.install) {
  writeFileSync(PUBLIC_KEY_MODULE, publicKeyModule(publicPem, keyId));
  console.log(`  installed the public key in ${path.relative(root, PUBLIC_KEY_MODULE)} (rebuild and ship the app)`);
}
