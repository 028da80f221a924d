/**
 * The IPC contract between the renderer (through the preload bridge) and Electron main.
 * ONE map: channel → request schema, response schema and the bridge method name. Main must
 * implement every channel (electron/main/ipc/handlers.ts fails to compile otherwise), the preload
 * exposes exactly these methods, and errors cross the boundary as data (`IpcResult`).
 * Pure TypeScript + zod: no DOM, Node or Electron types.
 */
import { z } from 'zod';

/** Largest PDF accepted over IPC (print or save). A4 inspection documents are far smaller. */
export const MAX_PDF_BYTES = 50 * 1024 * 1024;
/** Largest secret value (refresh token, wrapped key) accepted over IPC. */
export const MAX_SECRET_CHARS = 16 * 1024;

export const IPC_ERROR_CODES = [
  'FORBIDDEN_SENDER',
  'INVALID_ARGUMENT',
  'TOO_LARGE',
  'CONFIG_INVALID',
  'SECRETS_UNAVAILABLE',
  'SECRET_UNREADABLE',
  'PRINT_FAILED',
  'WRITE_FAILED',
  'UPDATE_REJECTED',
  'UPDATE_FAILED',
  'INTERNAL',
] as const;
export const IpcErrorCodeSchema = z.enum(IPC_ERROR_CODES);
export type IpcErrorCode = z.infer<typeof IpcErrorCodeSchema>;

export const IpcErrorSchema = z.object({ code: IpcErrorCodeSchema, message: z.string() });
export type IpcError = z.infer<typeof IpcErrorSchema>;

/** What every bridge call resolves to: never a rejected promise for an expected failure. */
export type IpcResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IpcError };

/** Marks a zod issue as "payload too large" so the IPC layer reports TOO_LARGE, not INVALID_ARGUMENT. */
export const TOO_LARGE_PARAM = 'ipcTooLarge';

const pdfBytes = z
  .instanceof(Uint8Array, { message: '应为 PDF 字节（Uint8Array）' })
  .refine((b) => b.byteLength <= MAX_PDF_BYTES, {
    message: `PDF 超过 ${MAX_PDF_BYTES / 1024 / 1024} MB 上限`,
    params: { [TOO_LARGE_PARAM]: true },
    abort: true,
  })
  .refine((b) => b.byteLength >= 5 && isPdfMagic(b), { message: '不是 PDF 文件（缺少 %PDF- 文件头）' });

function isPdfMagic(b: Uint8Array): boolean {
  // "%PDF-"
  return b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46 && b[4] === 0x2d;
}

/** Secret names are fixed identifiers chosen by the app, never user input. */
export const SecretKeySchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-z0-9._-]*$/, '密钥名称只能包含小写字母、数字和 . _ -');

/** A file name suggestion from the renderer; main strips anything path-like before using it. */
export const SuggestedFileNameSchema = z.string().min(1).max(120);

const NoArgs = z.object({}).strict();

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  arch: z.string(),
  packaged: z.boolean(),
  versions: z.object({ electron: z.string(), chrome: z.string(), node: z.string() }),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

/** The deployment configuration as the renderer sees it (see docs/PACKAGING.md for the file). */
export const DeploymentConfigSchema = z.object({
  /** true when no config file exists: the app runs against the bundled demo platform and says so. */
  demo: z.boolean(),
  platformUrl: z.string().url(),
  /** Origin of the public results portal opened in the system browser (optional). */
  publicityUrl: z.string().url().nullable(),
  stationName: z.string(),
  stationCode: z.string().nullable(),
  /** Absolute path of the file read, or null in demo mode. */
  source: z.string().nullable(),
});
export type DeploymentConfig = z.infer<typeof DeploymentConfigSchema>;

/** A verified offline update package, staged in userData/updates (see docs/PACKAGING.md). */
export const StagedUpdateSchema = z.object({
  /** Opaque id main issued for this staged copy; only it can be installed. */
  stagedId: z.string().uuid(),
  version: z.string(),
  currentVersion: z.string(),
  platform: z.string(),
  arch: z.string(),
  file: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  releasedAt: z.string(),
  /** Fingerprint (first 16 hex of SHA-256 of the SPKI) of the key that signed the manifest. */
  keyId: z.string(),
});
export type StagedUpdate = z.infer<typeof StagedUpdateSchema>;

export const IPC_CONTRACT = {
  'app:info': { method: 'appInfo', request: NoArgs, response: AppInfoSchema },
  'config:get': { method: 'getConfig', request: NoArgs, response: DeploymentConfigSchema },
  'secrets:get': {
    method: 'getSecret',
    request: z.object({ key: SecretKeySchema }).strict(),
    response: z.object({ value: z.string().nullable() }),
  },
  'secrets:set': {
    method: 'setSecret',
    request: z
      .object({
        key: SecretKeySchema,
        // A `too_big` issue is reported as TOO_LARGE by the IPC layer.
        value: z.string().max(MAX_SECRET_CHARS, `密钥内容超过 ${MAX_SECRET_CHARS} 字符上限`),
      })
      .strict(),
    response: z.object({ stored: z.literal(true) }),
  },
  'secrets:delete': {
    method: 'deleteSecret',
    request: z.object({ key: SecretKeySchema }).strict(),
    response: z.object({ deleted: z.boolean() }),
  },
  'print:pdf': {
    method: 'printPdf',
    request: z.object({ bytes: pdfBytes, title: z.string().max(120).optional() }).strict(),
    /** printed:false with a reason when the inspector cancelled the system dialog. */
    response: z.object({ printed: z.boolean(), reason: z.string().nullable() }),
  },
  'file:save-pdf': {
    method: 'savePdf',
    request: z.object({ bytes: pdfBytes, suggestedName: SuggestedFileNameSchema }).strict(),
    /** saved:false when the inspector cancelled the save dialog. */
    response: z.object({ saved: z.boolean(), path: z.string().nullable() }),
  },
  /** Folder dialog → verify signature, version, platform, size and SHA-256 → stage. UPDATE_REJECTED otherwise. */
  'update:pick-package': {
    method: 'pickUpdatePackage',
    request: NoArgs,
    /** staged:null when the inspector cancelled the folder dialog. */
    response: z.object({ staged: StagedUpdateSchema.nullable() }),
  },
  /** After the inspector confirmed in the UI: re-check the staged copy, then hand it to the OS. */
  'update:install-staged': {
    method: 'installStagedUpdate',
    request: z.object({ stagedId: z.string().uuid() }).strict(),
    /** 'opened': the installer/package was opened; 'shown': its folder was shown (AppImage). */
    response: z.object({ action: z.enum(['opened', 'shown']), path: z.string() }),
  },
} as const satisfies Record<string, ContractEntry>;

interface ContractEntry {
  readonly method: string;
  readonly request: z.ZodType;
  readonly response: z.ZodType;
}

export type IpcContract = typeof IPC_CONTRACT;
export type IpcChannel = keyof IpcContract;
export type IpcRequest<C extends IpcChannel> = z.infer<IpcContract[C]['request']>;
export type IpcResponse<C extends IpcChannel> = z.infer<IpcContract[C]['response']>;
export type BridgeMethodName<C extends IpcChannel> = IpcContract[C]['method'];

export const IPC_CHANNELS = Object.keys(IPC_CONTRACT) as IpcChannel[];

/** channel → bridge method name, at runtime (the preload keeps a literal copy checked against this). */
export const BRIDGE_METHODS = Object.fromEntries(
  IPC_CHANNELS.map((channel) => [channel, IPC_CONTRACT[channel].method]),
) as { readonly [C in IpcChannel]: BridgeMethodName<C> };

export function isIpcChannel(value: unknown): value is IpcChannel {
  return typeof value === 'string' && Object.hasOwn(IPC_CONTRACT, value);
}

export function ipcOk<T>(value: T): IpcResult<T> {
  return { ok: true, value };
}

export function ipcErr(code: IpcErrorCode, message: string): IpcResult<never> {
  return { ok: false, error: { code, message } };
}
