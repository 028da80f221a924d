/**
 * The station-bundle bench page (bundled by Vite by usb-station.bench.ts): the app's services without
 * the UI, on a fresh profile per run — the network sync over loopback (pull worker, snapshot, feed
 * workers) or the import of a station bundle file picked in the file input (as from a USB stick),
 * each until the credit files are searchable.
 */
import { openDatabases } from '../../../renderer/src/db/index.js';
import { sealedVault } from '../../../renderer/src/platform/adapter.js';
import { createServices, type CreatedServices } from '../../../renderer/src/services/index.js';
import { manualNetwork } from '../../../renderer/src/services/network/network.service.js';
import { fromBase64Url } from '../../../renderer/src/vault/index.js';

let s: CreatedServices | null = null;

/** Workers started by this page, by script name: shows that the import prepared pages in feed workers. */
const started: Record<string, number> = {};
const NativeWorker = globalThis.Worker;
globalThis.Worker = class extends NativeWorker {
  constructor(url: string | URL, options?: WorkerOptions) {
    super(url, options);
    const name = String(url)
      .replace(/^.*\//, '')
      .replace(/-[A-Za-z0-9_-]{8}\.js$/, '');
    started[name] = (started[name] ?? 0) + 1;
  }
};

interface Figures {
  readonly seconds: number;
  readonly ok: boolean;
  readonly message: string;
  readonly tasks: number;
  readonly records: number;
  /** Seconds from the start to the first progress report of each import step. */
  readonly steps?: Record<string, number>;
}

/** Signs in online and hands the station key to the cache, as the vault's unlock does. */
async function setup(url: string, certNo: string, password: string, logKey: string): Promise<void> {
  const dbs = openDatabases('');
  const login = await fetch(`${url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ certNo, password, deviceId: 'bench-station-key', deviceName: 'bench' }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const res = await fetch(`${url}/v1/keys/station-cache`, { headers: { Authorization: `Bearer ${accessToken}` } });
  const body = (await res.json()) as { keyId: string; key: string };
  const key = fromBase64Url(body.key);
  if (!key) throw new Error('station cache key: not base64url');
  dbs.cache.setCacheKey({ keyId: body.keyId, key });
  s = createServices({
    dbs,
    dbPrefix: '',
    adapter: {
      kind: 'browser',
      config: async () => ({
        platformUrl: url,
        demo: true,
        stationName: 'bench',
        platformLogKey: logKey,
        platformBundleKey: null,
        lockIdleMinutes: 10,
        offlineCredentialDays: 30,
      }),
      vault: sealedVault,
    },
    network: manualNetwork(true),
    useWorker: true,
  });
  const signedIn = await s.auth.signIn(certNo, password);
  if (!signedIn.ok) throw new Error(`sign-in failed: ${JSON.stringify(signedIn)}`);
}

function services(): CreatedServices {
  if (!s) throw new Error('setup first');
  return s;
}

async function figures(start: number, ok: boolean, message: string): Promise<Figures> {
  await services().enterprises.warmSearch();
  const seconds = (performance.now() - start) / 1000;
  return {
    seconds,
    ok,
    message,
    tasks: (await services().tasks.list()).length,
    records: await services().enterprises.count(),
  };
}

async function syncNetwork(): Promise<Figures> {
  const start = performance.now();
  await services().sync.start();
  const p = services().sync.progress();
  return figures(start, p.phase === 'done', p.message);
}

async function importFile(): Promise<Figures> {
  const file = (document.getElementById('bundle') as HTMLInputElement).files?.[0];
  if (!file) throw new Error('no bundle file picked');
  const start = performance.now();
  const steps: Record<string, number> = {};
  const result = await services().stationBundle.importFile(file, {
    onProgress: (p) => {
      steps[p.step] ??= (performance.now() - start) / 1000;
    },
  });
  const f = await figures(start, result.ok, result.ok ? '导入完成' : result.error.message);
  return {
    ...f,
    steps: { ...steps, ...Object.fromEntries(Object.entries(started).map(([k, n]) => [`worker:${k}`, n])) },
  };
}

const api = { setup, syncNetwork, importFile };
(globalThis as unknown as { stationBench: typeof api }).stationBench = api;
document.getElementById('status')!.textContent = 'ready';
