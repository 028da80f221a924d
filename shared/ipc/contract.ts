/**
 * The IPC contract between the renderer (through the preload bridge) and Electron main.
 * ONE map: channel → request schema, response schema and the bridge method name. Main must
 * implement every channel (electron/main/ipc/handlers.ts fails to compile otherwise), the preload
 * exposes exactly these methods, and errors cross the boundary as data (`IpcResult`).
 * Pure TypeScript + zod: no DOM, Node or Electron types.
 */
import { z } from 'zod';
import { CertNoSchema, InspectorSchema } from '../protocol/auth.js';
import { IdSchema } from '../protocol/common.js';

/** Largest PDF accepted over IPC (print or save). A4 inspection documents are far smaller. */
export const MAX_PDF_BYTES = 50 * 1024 * 1024;
/** Largest USB bundle file main reads or writes for the renderer (results with evidence, station data). */
export const MAX_BUNDLE_FILE_BYTES = 1024 * 1024 * 1024;
/** Largest wrapped data key (opaque JSON from the renderer's vault) main stores for an inspector. */
export const MAX_WRAPPED_KEY_CHARS = 4 * 1024;
/** Largest access token the renderer may hand back when it reports one as rejected. */
export const MAX_TOKEN_CHARS = 4 * 1024;

export const IPC_ERROR_CODES = [
  'FORBIDDEN_SENDER',
  'INVALID_ARGUMENT',
  'TOO_LARGE',
  'CONFIG_INVALID',
  'SECRET_UNREADABLE',
  /** No vault of this inspector is reported unlocked in this process: no access token. */
  'LOCKED',
  /** Main holds no refresh token for this inspector: sign in online again. */
  'NO_SESSION',
  /** The platform refused the credentials or the refresh token (401/403). */
  'PLATFORM_REFUSED',
  /** The platform could not be asked (network, timeout, 5xx, 429). Retry later or unlock offline. */
  'PLATFORM_UNREACHABLE',
  /** The platform answered something the protocol does not allow, or another 4xx. */
  'PLATFORM_INVALID',
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

/** "SIBUNDLE": the first bytes of every sealed bundle file (shared/bundle/bundle.format.ts). */
export function isBundleMagic(b: Uint8Array): boolean {
  const magic = [0x53, 0x49, 0x42, 0x55, 0x4e, 0x44, 0x4c, 0x45];
  return b.byteLength >= magic.length && magic.every((m, i) => b[i] === m);
}

const bundleBytes = z
  .instanceof(Uint8Array, { message: '应为数据包字节（Uint8Array）' })
  .refine((b) => b.byteLength <= MAX_BUNDLE_FILE_BYTES, {
    message: `数据包超过 ${MAX_BUNDLE_FILE_BYTES / 1024 / 1024} MB 上限`,
    params: { [TOO_LARGE_PARAM]: true },
    abort: true,
  })
  .refine(isBundleMagic, { message: '不是数据包文件（缺少 SIBUNDLE 文件头）' });

/** Whose tokens or wrapped key a call is about: the platform's inspector id. */
export const InspectorIdSchema = IdSchema;

/**
 * A short-lived access token as main hands it out. Expiry is on the server's clock
 * (`expiresAtServer`); `skewMs` is serverTime − deviceTime when it was issued, so the renderer can
 * judge expiry without trusting the device clock.
 */
export const AccessGrantSchema = z.object({
  accessToken: z.string().min(16).max(MAX_TOKEN_CHARS),
  expiresAtServer: z.number(),
  skewMs: z.number(),
});
export type AccessGrant = z.infer<typeof AccessGrantSchema>;

/** Why main asks the renderer to lock (the renderer's own idle timer and "lock now" need no event). */
export const LockReasonSchema = z.enum(['suspend', 'lock-screen']);
export type LockReason = z.infer<typeof LockReasonSchema>;

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
  /** The platform's transparency-log verifier key (C2SP signed-note form) receipts are checked against. */
  platformLogKey: z.string().max(300).optional(),
  /** The platform's USB bundle key (raw X25519, hex) results bundles are encrypted to. */
  platformBundleKey: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  /** Absolute path of the file read, or null in demo mode. */
  source: z.string().nullable(),
  /** Minutes without input after which the renderer locks the inspector's vault. */
  lockIdleMinutes: z.number().int().min(1).max(240),
  /** Days an inspector may keep unlocking offline after their last online sign-in on this station. */
  offlineCredentialDays: z.number().int().min(1).max(365),
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
  /**
   * Password login, performed by main against the configured platform (never a URL from the
   * renderer). Main keeps the refresh token; the renderer gets the inspector and an access token.
   * An access token is handed out here without a prior `vault:unlocked` because the caller has
   * just proven the password to the platform. `sealed:false`: no OS-bound storage, so the refresh
   * token lives in memory only and the inspector signs in online again after a restart.
   */
  'auth:login': {
    method: 'login',
    request: z
      .object({
        certNo: CertNoSchema,
        password: z.string().min(1, '请输入密码').max(200, '密码过长'),
        deviceId: IdSchema,
        deviceName: z.string().min(1).max(100),
      })
      .strict(),
    response: z.object({ inspector: InspectorSchema, access: AccessGrantSchema, sealed: z.boolean() }),
  },
  /** A valid access token for an unlocked inspector (main refreshes if its own is near expiry). */
  'auth:access-token': {
    method: 'accessToken',
    request: z.object({ inspectorId: InspectorIdSchema }).strict(),
    response: z.object({ access: AccessGrantSchema }),
  },
  /**
   * Forced refresh after a 401, single-flight in main. `rejected` is the token that got the 401:
   * if main already holds a newer one, that one is returned without asking the platform again.
   */
  'auth:refresh': {
    method: 'refreshAccess',
    request: z
      .object({ inspectorId: InspectorIdSchema, rejected: z.string().max(MAX_TOKEN_CHARS).optional() })
      .strict(),
    response: z.object({ access: AccessGrantSchema }),
  },
  /** Forgets this inspector's refresh and access tokens (in memory and in the secrets file). */
  'auth:sign-out': {
    method: 'signOut',
    request: z.object({ inspectorId: InspectorIdSchema }).strict(),
    response: z.object({ signedOut: z.boolean() }),
  },
  /**
   * Stores the vault's wrapped data key, sealed with safeStorage (bound to the OS account).
   * `bound:false`: no real OS keyring (e.g. Linux `basic_text`), the key is kept only as wrapped
   * by the password; the UI should say so.
   */
  'vault:store-wrapped-key': {
    method: 'storeWrappedKey',
    request: z
      .object({
        inspectorId: InspectorIdSchema,
        // A `too_big` issue is reported as TOO_LARGE by the IPC layer.
        wrappedKey: z.string().min(1).max(MAX_WRAPPED_KEY_CHARS, `封装密钥超过 ${MAX_WRAPPED_KEY_CHARS} 字符上限`),
      })
      .strict(),
    response: z.object({ bound: z.boolean() }),
  },
  /** The stored wrapped key (null if none); readable while locked, since unlocking needs it. */
  'vault:read-wrapped-key': {
    method: 'readWrappedKey',
    request: z.object({ inspectorId: InspectorIdSchema }).strict(),
    response: z.object({ wrappedKey: z.string().max(MAX_WRAPPED_KEY_CHARS).nullable(), bound: z.boolean() }),
  },
  'vault:forget': {
    method: 'forgetWrappedKey',
    request: z.object({ inspectorId: InspectorIdSchema }).strict(),
    response: z.object({ forgotten: z.boolean() }),
  },
  /** The renderer opened this inspector's vault: access tokens may flow for them (only them). */
  'vault:unlocked': {
    method: 'reportUnlocked',
    request: z.object({ inspectorId: InspectorIdSchema }).strict(),
    response: z.object({ unlocked: z.literal(true) }),
  },
  /** The renderer locked: no access token for anyone until the next `vault:unlocked`. */
  'vault:locked': {
    method: 'reportLocked',
    request: NoArgs,
    response: z.object({ locked: z.literal(true) }),
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
  /** Save dialog for a sealed USB bundle; main writes the bytes only after the inspector chose the file. */
  'file:save-bundle': {
    method: 'saveBundle',
    request: z.object({ bytes: bundleBytes, suggestedName: SuggestedFileNameSchema }).strict(),
    /** saved:false when the inspector cancelled the save dialog. */
    response: z.object({ saved: z.boolean(), path: z.string().nullable() }),
  },
  /** Open dialog for a sealed USB bundle; main reads the chosen file (size and magic checked) and returns its bytes. */
  'file:open-bundle': {
    method: 'openBundle',
    request: NoArgs,
    /** bytes:null when the inspector cancelled the open dialog. */
    response: z.object({ bytes: bundleBytes.nullable(), name: z.string().max(300).nullable() }),
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

/**
 * Events from main to the renderer. The preload exposes one subscription method per event
 * (`onLock(listener) → unsubscribe`) that hands the listener the payload only, never the IPC event.
 * The renderer parses the payload with the schema here.
 */
export const IPC_EVENTS = {
  /** The OS is suspending or the screen was locked: lock now. Main has already dropped every unlock mark. */
  'vault:lock': { method: 'onLock', payload: z.object({ reason: LockReasonSchema }).strict() },
} as const satisfies Record<string, EventEntry>;

interface EventEntry {
  readonly method: string;
  readonly payload: z.ZodType;
}

export type IpcEvents = typeof IPC_EVENTS;
export type IpcEvent = keyof IpcEvents;
export type IpcEventPayload<E extends IpcEvent> = z.infer<IpcEvents[E]['payload']>;
export type EventMethodName<E extends IpcEvent> = IpcEvents[E]['method'];
export const IPC_EVENT_NAMES = Object.keys(IPC_EVENTS) as IpcEvent[];
/** event → bridge subscription method name, at runtime (the preload keeps a literal copy). */
export const EVENT_METHODS = Object.fromEntries(IPC_EVENT_NAMES.map((event) => [event, IPC_EVENTS[event].method])) as {
  readonly [E in IpcEvent]: EventMethodName<E>;
};

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
