/**
 * The offline update package format (docs/PACKAGING.md § Offline updates): a folder holding the
 * installer, `update-manifest.json` and `update-manifest.json.sig` (base64 Ed25519 signature over
 * the manifest's exact bytes). This module owns the manifest schema, the version order and which
 * installer kinds fit which platform. build/scripts/update-pack.mjs writes the same format.
 */
import { z } from 'zod';

export const MANIFEST_FILE = 'update-manifest.json';
export const SIGNATURE_FILE = 'update-manifest.json.sig';
export const UPDATE_PRODUCT = 'smart-inspect';
/** A manifest is a few hundred bytes; anything large is not ours. */
export const MAX_MANIFEST_BYTES = 16 * 1024;
export const MAX_SIGNATURE_BYTES = 1024;
/** Installers are ~100 MB; refuse anything absurd before hashing it. */
export const MAX_INSTALLER_BYTES = 1024 * 1024 * 1024;

const SEMVER = /^(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})$/;
const VersionSchema = z.string().regex(SEMVER, '版本号应为 x.y.z');

/** Installer kinds by platform: what the OS can open as an installer. */
export const INSTALLER_EXTENSIONS: Readonly<Record<string, readonly string[]>> = {
  win32: ['.exe'],
  linux: ['.deb', '.AppImage'],
  darwin: ['.dmg'],
};

const FileNameSchema = z
  .string()
  .min(5)
  .max(200)
  // eslint-disable-next-line no-control-regex
  .refine((name) => !/[\\/:\u0000-\u001f]/.test(name) && !name.startsWith('.'), '安装文件名不能包含路径');

export const UpdateManifestSchema = z
  .object({
    product: z.literal(UPDATE_PRODUCT),
    version: VersionSchema,
    platform: z.enum(['win32', 'linux', 'darwin']),
    arch: z.enum(['x64', 'arm64']),
    file: FileNameSchema,
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 应为 64 位小写十六进制'),
    size: z.number().int().positive().max(MAX_INSTALLER_BYTES),
    /** The oldest running version this update may be installed over. */
    minVersion: VersionSchema,
    releasedAt: z.iso.datetime({ offset: true }),
  })
  .strict()
  .refine((m) => (INSTALLER_EXTENSIONS[m.platform] ?? []).some((ext) => m.file.endsWith(ext)), {
    message: '安装文件类型与平台不符',
    path: ['file'],
  });
export type UpdateManifest = z.infer<typeof UpdateManifestSchema>;

export function isVersion(value: string): boolean {
  return SEMVER.test(value);
}

/** Numeric x.y.z order: negative when a < b, 0 when equal, positive when a > b. */
export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function parseVersion(v: string): number[] {
  const m = SEMVER.exec(v);
  if (m === null) throw new Error(`不是有效的版本号：${v}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}
