/** Stand-ins for electron/ unit tests: an OS keychain and a tiny platform on 127.0.0.1 port 0. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SafeStorageLike } from '../main/services/secrets.js';

/** Reversible stand-in for the OS keychain: XOR so the stored text is not the plain text. */
export function fakeSafeStorage(backend = 'gnome_libsecret', available = true): SafeStorageLike {
  const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  return {
    isAsyncEncryptionAvailable: async () => available,
    encryptStringAsync: async (text) => xor(Buffer.from(text, 'utf8')),
    decryptStringAsync: async (data) => ({ result: xor(data).toString('utf8'), shouldReEncrypt: false }),
    getSelectedStorageBackend: () => backend,
  };
}

export interface PlatformRequest {
  readonly path: string;
  readonly body: Record<string, unknown>;
}
export type PlatformReply = { status: number; body: unknown } | { status: number; raw: string };

export interface FakePlatform {
  readonly url: string;
  readonly requests: PlatformRequest[];
  /** Replaces the request handler (default: the happy path below). */
  handle(handler: (req: PlatformRequest) => PlatformReply | Promise<PlatformReply>): void;
  close(): Promise<void>;
}

export const INSPECTOR = {
  id: 'insp-1',
  name: '于晓东',
  certNo: '3710021001121',
  certExpiry: '2030-12-31',
  unit: '威海市环翠区市场监督管理局',
  station: '鲸园市场监管所',
  region: '371002',
  domains: [],
  expert: false,
};

/** Tokens whose refresh token rotates on every refresh: `refresh-<n>`, `access-<n>` (padded to 16+). */
export function tokens(n: number, expiresIn = 900): Record<string, unknown> {
  return {
    accessToken: `access-${n}`.padEnd(20, '.'),
    refreshToken: `refresh-${n}`.padEnd(20, '.'),
    expiresIn,
    serverTime: '2026-05-06T02:00:00Z',
  };
}

export async function startFakePlatform(): Promise<FakePlatform> {
  const requests: PlatformRequest[] = [];
  let issued = 0;
  let handler: (req: PlatformRequest) => PlatformReply | Promise<PlatformReply> = (req) => {
    issued += 1;
    if (req.path === '/v1/auth/login') {
      return req.body['password'] === 'demo1234'
        ? { status: 200, body: { ...tokens(issued), inspector: INSPECTOR } }
        : { status: 401, body: {} };
    }
    return { status: 200, body: tokens(issued) };
  };
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      const request = { path: req.url ?? '', body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
      requests.push(request);
      void Promise.resolve(handler(request)).then((reply) => {
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end('raw' in reply ? reply.raw : JSON.stringify(reply.body));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle: (h) => void (handler = h),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
