/**
 * Verifies an offline update package folder BEFORE anything is copied: the manifest's Ed25519
 * signature against the keys shipped in the app, then the manifest's schema, product, platform and
 * arch, the version order (newer than the running one, running one ≥ minVersion) and the installer's
 * size on disk. The installer's SHA-256 is checked while it is copied (update.ts), so the bytes
 * hashed are the bytes staged. Every refusal is an IpcFailure('UPDATE_REJECTED') in zh-CN.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import { IpcFailure } from '../ipc/register.js';
import {
  MANIFEST_FILE,
  MAX_MANIFEST_BYTES,
  MAX_SIGNATURE_BYTES,
  SIGNATURE_FILE,
  UpdateManifestSchema,
  compareVersions,
  type UpdateManifest,
} from './update-manifest.js';

export interface RunningApp {
  readonly version: string;
  readonly platform: string;
  readonly arch: string;
}

export interface VerifiedPackage {
  readonly manifest: UpdateManifest;
  readonly manifestBytes: Buffer;
  readonly signature: Buffer;
  readonly installerPath: string;
  readonly keyId: string;
}

export function rejectUpdate(message: string): never {
  throw new IpcFailure('UPDATE_REJECTED', message);
}

/** First 16 hex of SHA-256 over the SPKI DER (update-keygen prints the same id). */
export function keyIdOf(key: KeyObject): string {
  return createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

export async function verifyPackage(
  folder: string,
  running: RunningApp,
  publicKeys: readonly string[],
): Promise<VerifiedPackage> {
  const manifestBytes = await readSmallFile(
    path.join(folder, MANIFEST_FILE),
    MAX_MANIFEST_BYTES,
    '清单文件 update-manifest.json',
  );
  const sigText = await readSmallFile(
    path.join(folder, SIGNATURE_FILE),
    MAX_SIGNATURE_BYTES,
    '签名文件 update-manifest.json.sig',
  );
  const signature = Buffer.from(sigText.toString('ascii').trim(), 'base64');
  const keyId = signerOf(manifestBytes, signature, publicKeys);
  if (keyId === null)
    rejectUpdate('更新包签名无效：清单不是由本软件的发布方签署，或签署后被修改过。请向管理员索取正式更新包。');
  const manifest = parseManifest(manifestBytes);
  checkTarget(manifest, running);
  const installerPath = path.join(folder, manifest.file);
  const info = await lstat(installerPath).catch(() => null);
  if (info === null || !info.isFile()) rejectUpdate(`更新包不完整：缺少安装文件 ${manifest.file}`);
  if (info.size !== manifest.size) {
    rejectUpdate(`安装文件大小不符：清单为 ${manifest.size} 字节，实际为 ${info.size} 字节。文件可能不完整或被替换。`);
  }
  return { manifest, manifestBytes, signature, installerPath, keyId };
}

async function readSmallFile(file: string, max: number, what: string): Promise<Buffer> {
  const info = await lstat(file).catch(() => null);
  if (info === null || !info.isFile()) rejectUpdate(`所选文件夹不是更新包：缺少${what}`);
  if (info.size > max) rejectUpdate(`所选文件夹不是有效的更新包：${what}过大（${info.size} 字节）`);
  return readFile(file);
}

/** The id of the first trusted key whose signature verifies over the exact manifest bytes, else null. */
function signerOf(bytes: Buffer, signature: Buffer, publicKeys: readonly string[]): string | null {
  if (signature.length !== 64) return null;
  for (const pem of publicKeys) {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType === 'ed25519' && verify(null, bytes, key, signature)) return keyIdOf(key);
  }
  return null;
}

function parseManifest(bytes: Buffer): UpdateManifest {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    rejectUpdate('更新包清单不是有效的 JSON');
  }
  const parsed = UpdateManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    rejectUpdate(`更新包清单格式错误：${issue === undefined ? '' : `${issue.path.join('.')} ${issue.message}`}`);
  }
  return parsed.data;
}

function checkTarget(m: UpdateManifest, running: RunningApp): void {
  if (m.platform !== running.platform || m.arch !== running.arch) {
    rejectUpdate(`更新包适用于 ${m.platform}-${m.arch}，本机为 ${running.platform}-${running.arch}，不能安装`);
  }
  if (compareVersions(m.version, running.version) <= 0) {
    rejectUpdate(`更新包版本 ${m.version} 不高于当前版本 ${running.version}：不允许降级或重复安装`);
  }
  if (compareVersions(running.version, m.minVersion) < 0) {
    rejectUpdate(`当前版本 ${running.version} 过旧：此更新包要求先升级到 ${m.minVersion} 或更高版本`);
  }
}
