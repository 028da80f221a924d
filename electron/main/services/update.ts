/**
 * Offline updates in main (docs/PACKAGING.md § Offline updates): pick a package folder, verify it
 * (update-verify.ts), copy the installer into <userData>/updates while hashing the copied bytes,
 * and only when size and SHA-256 match keep it as the staged update. Installing is a second,
 * explicit step (the renderer's confirmation) that re-hashes the staged copy and hands it to the OS.
 * A refusal changes nothing: partial copies are removed and an earlier staged update stays.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { StagedUpdate } from '../../../shared/ipc/contract.js';
import { IpcFailure } from '../ipc/register.js';
import type { Log } from '../security.js';
import { MANIFEST_FILE, SIGNATURE_FILE } from './update-manifest.js';
import { rejectUpdate, verifyPackage, type RunningApp, type VerifiedPackage } from './update-verify.js';

export interface UpdateDeps {
  readonly running: RunningApp;
  /** PEM Ed25519 public keys trusted to sign packages (update-public-key.ts in the app). */
  readonly publicKeys: readonly string[];
  /** <userData>/updates */
  readonly stagingDir: string;
  /** Electron's shell.openPath: resolves to '' on success, else an error text. */
  readonly openPath: (file: string) => Promise<string>;
  readonly showItemInFolder: (file: string) => void;
  readonly log: Log;
}

export interface InstallOutcome {
  readonly action: 'opened' | 'shown';
  readonly path: string;
}

export interface UpdateService {
  /** Runs the folder picker, then verifies and stages. null when the picker was cancelled. */
  pickAndStage(pickFolder: () => Promise<string | null>): Promise<StagedUpdate | null>;
  installStaged(stagedId: string): Promise<InstallOutcome>;
}

interface Staged {
  readonly file: string;
  readonly sha256: string;
  readonly size: number;
}

const PARTIAL_PREFIX = '.partial-';

export function createUpdateService(deps: UpdateDeps): UpdateService {
  const staged = new Map<string, Staged>();
  return {
    async pickAndStage(pickFolder) {
      const folder = await pickFolder();
      if (folder === null) return null;
      try {
        const pkg = await verifyPackage(folder, deps.running, deps.publicKeys);
        const file = await stage(deps.stagingDir, pkg);
        const stagedId = randomUUID();
        staged.clear();
        staged.set(stagedId, { file, sha256: pkg.manifest.sha256, size: pkg.manifest.size });
        deps.log('update staged', { version: pkg.manifest.version, keyId: pkg.keyId });
        const { product: _product, minVersion: _minVersion, ...shown } = pkg.manifest;
        return { ...shown, stagedId, currentVersion: deps.running.version, keyId: pkg.keyId };
      } catch (error) {
        deps.log('update refused', { message: error instanceof Error ? error.message : String(error) });
        throw error;
      }
    },
    async installStaged(stagedId) {
      const entry = staged.get(stagedId);
      if (entry === undefined) rejectUpdate('没有待安装的更新（应用重启后需重新选择更新包）');
      const { sha256, size } = await hashFile(entry.file).catch(() => ({ sha256: '', size: -1 }));
      if (sha256 !== entry.sha256 || size !== entry.size) {
        staged.delete(stagedId);
        await rm(path.dirname(entry.file), { recursive: true, force: true });
        rejectUpdate('已暂存的安装文件在校验后被修改或删除，已丢弃。请重新选择更新包。');
      }
      deps.log('update install', { file: path.basename(entry.file) });
      if (entry.file.endsWith('.AppImage')) {
        deps.showItemInFolder(entry.file);
        return { action: 'shown', path: entry.file };
      }
      const error = await deps.openPath(entry.file);
      if (error !== '') throw new IpcFailure('UPDATE_FAILED', `无法启动安装程序：${error}`);
      return { action: 'opened', path: entry.file };
    },
  };
}

/** Copies and hashes in one pass into a partial file; renames into place only when it matches. */
async function stage(stagingDir: string, pkg: VerifiedPackage): Promise<string> {
  const { manifest } = pkg;
  await ioStep('无法创建更新暂存目录', () => mkdir(stagingDir, { recursive: true }));
  await removeEntries(stagingDir, (name) => name.startsWith(PARTIAL_PREFIX));
  const partial = path.join(stagingDir, `${PARTIAL_PREFIX}${randomUUID()}`);
  try {
    await ioStep('无法在本机暂存目录创建文件夹', () => mkdir(partial));
    const target = path.join(partial, manifest.file);
    const copied = await ioStep('复制安装文件失败', () => copyHashing(pkg.installerPath, target, manifest.size));
    if (copied.size !== manifest.size) rejectUpdate(`安装文件在复制时大小改变（${copied.size} 字节），已放弃`);
    if (copied.sha256 !== manifest.sha256) {
      rejectUpdate('安装文件校验失败：SHA-256 与签名清单不符，文件已损坏或被篡改。未做任何更改。');
    }
    await ioStep('写入暂存清单失败', async () => {
      await writeFile(path.join(partial, MANIFEST_FILE), pkg.manifestBytes);
      await writeFile(path.join(partial, SIGNATURE_FILE), pkg.signature.toString('base64'));
      if (manifest.file.endsWith('.AppImage')) await chmod(target, 0o755);
    });
    const finalDir = path.join(stagingDir, `${manifest.version}-${manifest.platform}-${manifest.arch}`);
    // The newly verified package replaces any earlier staged one.
    await removeEntries(stagingDir, (name) => !name.startsWith(PARTIAL_PREFIX));
    await ioStep('暂存更新失败', () => rename(partial, finalDir));
    return path.join(finalDir, manifest.file);
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
}

/** Removes the entries of dir whose names match; a missing dir is fine. */
async function removeEntries(dir: string, match: (name: string) => boolean): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const full = path.join(dir, name);
    if (match(name)) await rm(full, { recursive: true, force: true });
  }
}

async function copyHashing(from: string, to: string, limit: number): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > limit) return done(new IpcFailure('UPDATE_REJECTED', '安装文件在复制时变大，已放弃'));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(createReadStream(from), meter, createWriteStream(to, { flags: 'wx' }));
  return { sha256: hash.digest('hex'), size };
}

async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    const buf = chunk as Buffer;
    size += buf.length;
    hash.update(buf);
  }
  return { sha256: hash.digest('hex'), size };
}

/** Runs an I/O step; an unexpected error becomes UPDATE_FAILED with the step and the OS code. */
async function ioStep<T>(what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof IpcFailure) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new IpcFailure('UPDATE_FAILED', `${what}（${code}）。未做任何更改。`);
  }
}
