// `npm run update:pack -- --key <private.pem> --file <installer> --version x.y.z [--platform win32|linux|darwin]
//   [--arch x64|arm64] [--min-version a.b.c] [--released-at <ISO>] [--out <folder>] [--any-key]`
// writes an offline update package folder (docs/PACKAGING.md § Offline updates):
//   <out>/smart-inspect-<version>-<platform>-<arch>-update/{<installer>, update-manifest.json, update-manifest.json.sig}
// The manifest format is electron/main/services/update-manifest.ts; the app verifies the signature
// with the public key it ships. Platform and arch are read from electron-builder's artifact name
// (smart-inspect-<ver>-<win|linux|mac>-<x64|arm64>.<ext>) unless given. Unless --any-key, the key
// must match a public key in electron/main/services/update-public-key.ts (else the app would refuse it).
import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import {
  copyFileSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(import.meta.dirname, '../..');
const SEMVER = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/;
const OS_NAMES = { win: 'win32', linux: 'linux', mac: 'darwin', win32: 'win32', darwin: 'darwin' };
const EXTENSIONS = { win32: ['.exe'], linux: ['.deb', '.AppImage'], darwin: ['.dmg'] };

function fail(message) {
  console.error(`update:pack: ${message}`);
  process.exit(1);
}

function sha256File(file) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (c) => hash.update(c))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

function trustedKeys() {
  const src = readFileSync(path.join(root, 'electron/main/services/update-public-key.ts'), 'utf8');
  return [...src.matchAll(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g)].map((m) =>
    m[0].replace(/\s+/g, ''),
  );
}

function targetOf(file, values) {
  const m = /-(win|linux|mac)-(x64|arm64)\.[A-Za-z]+$/.exec(path.basename(file));
  const platform = values.platform ?? (m ? OS_NAMES[m[1]] : undefined);
  const arch = values.arch ?? m?.[2];
  if (!platform || !EXTENSIONS[platform])
    fail('--platform win32|linux|darwin is needed (not readable from the file name)');
  if (arch !== 'x64' && arch !== 'arm64') fail('--arch x64|arm64 is needed (not readable from the file name)');
  if (!EXTENSIONS[platform].some((ext) => file.endsWith(ext)))
    fail(`a ${platform} update must be one of ${EXTENSIONS[platform].join(', ')}`);
  return { platform, arch };
}

const { values } = parseArgs({
  options: {
    key: { type: 'string' },
    file: { type: 'string' },
    version: { type: 'string' },
    platform: { type: 'string' },
    arch: { type: 'string' },
    'min-version': { type: 'string', default: '0.0.0' },
    'released-at': { type: 'string' },
    out: { type: 'string', default: 'release' },
    'any-key': { type: 'boolean', default: false },
  },
});
if (!values.key || !values.file || !values.version)
  fail('usage: npm run update:pack -- --key <private.pem> --file <installer> --version x.y.z');
if (!SEMVER.test(values.version)) fail(`--version must be x.y.z, got "${values.version}"`);
if (!SEMVER.test(values['min-version'])) fail(`--min-version must be x.y.z, got "${values['min-version']}"`);
if (!existsSync(values.file) || !statSync(values.file).isFile()) fail(`no installer at ${values.file}`);

const privateKey = createPrivateKey(readFileSync(values.key));
if (privateKey.asymmetricKeyType !== 'ed25519') fail('the key must be an Ed25519 private key (npm run update:keygen)');
const publicPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString().replace(/\s+/g, '');
if (!values['any-key'] && !trustedKeys().includes(publicPem)) {
  fail(
    'this key is not in electron/main/services/update-public-key.ts: the app would refuse the package (--any-key to override)',
  );
}
const { platform, arch } = targetOf(values.file, values);
const releasedAt = values['released-at'] ?? new Date().toISOString();
if (Number.isNaN(Date.parse(releasedAt))) fail(`--released-at is not a date: ${releasedAt}`);

const file = path.basename(values.file);
const manifest = {
  product: 'smart-inspect',
  version: values.version,
  platform,
  arch,
  file,
  sha256: await sha256File(values.file),
  size: statSync(values.file).size,
  minVersion: values['min-version'],
  releasedAt,
};
const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
const dir = path.resolve(values.out, `smart-inspect-${values.version}-${platform}-${arch}-update`);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
copyFileSync(values.file, path.join(dir, file));
writeFileSync(path.join(dir, 'update-manifest.json'), bytes);
writeFileSync(path.join(dir, 'update-manifest.json.sig'), `${sign(null, bytes, privateKey).toString('base64')}\n`);
console.log(
  `update:pack: ${dir}\n  ${file}  ${manifest.size} bytes  sha256 ${manifest.sha256}\n  ${platform}-${arch}  version ${manifest.version} (installs over ≥ ${manifest.minVersion})`,
);
