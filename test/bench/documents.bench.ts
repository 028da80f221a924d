/**
 * Documents benchmark, in headless Chromium against the built app (dist/renderer) and
 * the simulator, on a fresh persistent profile: sign in, sync (reserves numbers), go offline, open
 * a task (the panel warms pdfmake and the fonts up), then generate notices through the UI. Reads
 * the app's User Timing entries: `documents.warmup` (pdfmake + 21 MB of fonts from the precached
 * assets) and `documents.render` (layout + subset + PDF, per document).
 *
 * Baseline in the same browser and run: pdfmake's own browser build with its standard Latin font
 * (Roboto from vfs_fonts.js) rendering the same document definition shape (Latin text).
 * Case file (`documents.caseFileMs`, target < 3 s): a page bundled by Vite from test/bench/casefile-page
 * renders the 案卷 of a task with 10 documents and 30 photos with the app's print module and fonts,
 * warmed up first; the median of its runs.
 *
 * Figures only; no assertions.
 */
import { chromium, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { startPlatform } from '../platform/server.js';
import { serveStatic } from '../helpers/static-server.js';

export interface BenchContext {
  readonly root: string;
  readonly tmpDir: string;
  log(msg: string): void;
}

const NEXT_DOCS = 4;

async function signInAndSync(page: Page, certNo: string, password: string): Promise<void> {
  await page.getByLabel('执法证号').fill(certNo);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '同步' }).click();
  await page.getByTestId('sync-phase').filter({ hasText: '同步完成' }).waitFor({ timeout: 120_000 });
}

async function generateNotice(page: Page, n: number): Promise<void> {
  const panel = page.getByRole('region', { name: '现场文书' });
  await panel.getByRole('button', { name: '出具随机抽查检查通知书' }).click();
  const form = panel.getByRole('form', { name: '随机抽查检查通知书内容' });
  await form.getByLabel('联系电话').fill('0631-5201234');
  await form.getByRole('button', { name: '生成文书' }).click();
  await panel.getByRole('table', { name: '已出具的文书' }).getByRole('row').nth(n).waitFor({ timeout: 30_000 });
}

interface Measure {
  duration: number;
  detail: { bytes?: number } | null;
}

async function measures(page: Page, name: string): Promise<Measure[]> {
  return page.evaluate(
    (n) =>
      performance
        .getEntriesByName(n)
        .map((e) => ({ duration: e.duration, detail: (e as PerformanceMeasure).detail as { bytes?: number } | null })),
    name,
  );
}

/** pdfmake + Roboto (its standard Latin font) in the same browser: first and later documents. */
async function latinBaseline(page: Page, root: string): Promise<{ firstMs: number; nextMs: number; bytes: number }> {
  await page.addScriptTag({ content: readFileSync(join(root, 'node_modules/pdfmake/build/pdfmake.min.js'), 'utf8') });
  await page.addScriptTag({ content: readFileSync(join(root, 'node_modules/pdfmake/build/vfs_fonts.js'), 'utf8') });
  return page.evaluate(async (count) => {
    type Pdf = { getBuffer(): Promise<Uint8Array> };
    const pm = (globalThis as unknown as { pdfMake: { createPdf(d: unknown): Pdf } }).pdfMake;
    const items = Array.from({ length: 8 }, (_, i) => ({
      columns: [
        { text: `${i + 1}.`, width: 22 },
        { text: `Inspection item ${i + 1}: published annual report information` },
      ],
    }));
    const def = {
      pageSize: 'A4',
      pageMargins: [72, 50, 60, 56],
      content: [
        { text: 'Market Supervision Administration', alignment: 'center', fontSize: 15 },
        { text: 'RANDOM INSPECTION NOTICE', alignment: 'center', fontSize: 22, bold: true },
        { text: 'No. 2026-0001', alignment: 'right' },
        { text: 'To: Example Trading Co., Ltd. (USCC 91371082MAMQA0U659)' },
        { text: 'According to the regulations, we will inspect your company. '.repeat(6) },
        ...items,
        {
          qr:
            'http://127.0.0.1:8787/public/verify?result=r-5d1086ae-4249-4c2c-a8f8-56f5957eecc0&hash=' + 'a'.repeat(64),
          fit: 78,
        },
      ],
    };
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i <= count; i++) {
      const t0 = performance.now();
      bytes = (await pm.createPdf(def).getBuffer()).byteLength;
      times.push(performance.now() - t0);
    }
    const later = times.slice(1);
    return { firstMs: times[0] ?? 0, nextMs: later.reduce((a, b) => a + b, 0) / Math.max(1, later.length), bytes };
  }, NEXT_DOCS);
}

interface CaseFileBench {
  times?: number[];
  bytes?: number;
  documents?: number;
  photos?: number;
  error?: string;
}

/** The case-file page, built and served on its own, in a page of the given browser context. */
export async function caseFileFigures(
  ctx: BenchContext,
  newPage: () => Promise<Page>,
): Promise<Record<string, number>> {
  const outDir = mkdtempSync(join(ctx.tmpDir, 'casefile-page-'));
  await build({
    configFile: false,
    root: join(ctx.root, 'test/bench/casefile-page'),
    base: './',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'es2022', assetsInlineLimit: 0 },
  });
  const web = await serveStatic({ root: outDir, appConfig: { platformUrl: 'http://127.0.0.1:9', demo: true } });
  try {
    const page = await newPage();
    await page.goto(`${web.url}/`);
    await page.waitForFunction(() => 'caseFileBench' in globalThis, undefined, { timeout: 180_000 });
    const r = await page.evaluate(() => (globalThis as unknown as { caseFileBench: CaseFileBench }).caseFileBench);
    if (r.error || !r.times) throw new Error(`case-file bench failed: ${r.error ?? 'no figures'}`);
    const sorted = [...r.times].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    ctx.log(
      `documents: case file of ${r.documents} documents + ${r.photos} photos ${median.toFixed(0)} ms (runs ${r.times.map((t) => t.toFixed(0)).join(', ')}), ${r.bytes} B`,
    );
    return { 'documents.caseFileMs': median, 'documents.caseFileBytes': r.bytes ?? NaN };
  } finally {
    await web.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

export async function run(ctx: BenchContext): Promise<Record<string, number>> {
  const dist = resolve(ctx.root, 'dist/renderer');
  if (!existsSync(join(dist, 'index.html'))) throw new Error('dist/renderer is missing: run `npx vite build` first');
  const dataDir = mkdtempSync(join(ctx.tmpDir, 'bench-docs-platform-'));
  const profile = mkdtempSync(join(ctx.tmpDir, 'bench-docs-profile-'));
  const platform = await startPlatform({ dataDir, seed: 7, enterprises: 300, port: 0 });
  const web = await serveStatic({
    root: dist,
    appConfig: { platformUrl: platform.url, demo: true, stationName: '基准测试' },
  });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    headless: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${web.url}/`);
    const who = platform.logins[0]!;
    await signInAndSync(page, who.certNo, who.password);
    await context.setOffline(true);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '任务', exact: true }).click();
    await page.getByRole('table', { name: '任务列表' }).getByRole('row').nth(1).getByRole('link').first().click();
    await page.getByRole('button', { name: '出具随机抽查检查通知书' }).waitFor();
    // An inspector reads the task before generating: let the warm-up that opening the panel started finish.
    await page.waitForFunction(() => performance.getEntriesByName('documents.warmup').length > 0, undefined, {
      timeout: 60_000,
    });
    for (let i = 1; i <= NEXT_DOCS + 1; i++) await generateNotice(page, i);
    const warm = (await measures(page, 'documents.warmup'))[0]?.duration ?? NaN;
    const renders = await measures(page, 'documents.render');
    const later = renders.slice(1).map((m) => m.duration);
    const out = {
      'documents.warmupMs': warm,
      'documents.firstMs': renders[0]?.duration ?? NaN,
      'documents.nextMs': later.reduce((a, b) => a + b, 0) / Math.max(1, later.length),
      'documents.bytes': renders[0]?.detail?.bytes ?? NaN,
    };
    const base = await latinBaseline(await context.newPage(), ctx.root);
    const caseFile = await caseFileFigures(ctx, () => context.newPage());
    ctx.log(
      `documents: warm-up ${warm.toFixed(0)} ms, first ${out['documents.firstMs'].toFixed(0)} ms, next ${out['documents.nextMs'].toFixed(0)} ms, ${out['documents.bytes']} B; ` +
        `baseline pdfmake+Roboto first ${base.firstMs.toFixed(0)} ms, next ${base.nextMs.toFixed(0)} ms, ${base.bytes} B`,
    );
    return {
      ...out,
      'documents.baseline.firstMs': base.firstMs,
      'documents.baseline.nextMs': base.nextMs,
      'documents.baseline.bytes': base.bytes,
      'documents.nextVsBaseline': out['documents.nextMs'] / base.nextMs,
      ...caseFile,
    };
  } finally {
    await context.close();
    await web.close();
    await platform.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}
