/**
 * 扫描营业执照 with the laptop camera: Chromium's fake capture device plays a Y4M video written by
 * the test, whose frames show a licence QR code (modules from the `qrcode` package), and the app
 * decodes it from the live <video> offline. The browser is Playwright's own (the fake-device flags
 * must be given at launch); nothing here needs a kill, so the CDP-launched `app` is not used.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { expect, test } from './fixtures.js';
import { networkStatus, openMyTask } from './pages.js';

const WIDTH = 640;
const HEIGHT = 480;

/** A few identical 4:2:0 frames: white card, the QR code in black modules, 6 px each, centred. */
function qrVideo(text: string): Buffer {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  const scale = 6;
  const side = (size + 8) * scale; // four modules of quiet zone on each side
  const left = (WIDTH - side) / 2;
  const top = (HEIGHT - side) / 2;
  const y = Buffer.alloc(WIDTH * HEIGHT, 235);
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++) {
      if (!qr.modules.get(r, c)) continue;
      for (let dy = 0; dy < scale; dy++) {
        const row = top + (r + 4) * scale + dy;
        y.fill(16, row * WIDTH + left + (c + 4) * scale, row * WIDTH + left + (c + 5) * scale);
      }
    }
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
  return Buffer.concat([
    Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`),
    ...Array(5).fill(frame),
  ]);
}

const dir = mkdtempSync(join(tmpdir(), 'e2e-camera-'));
const video = join(dir, 'licence.y4m');
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test.use({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: [
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ],
  },
});

test('the camera reads the licence QR offline: another enterprise’s code is called out on the task', async ({
  platform,
  probe,
  web,
  browser,
}) => {
  test.setTimeout(120_000);
  const who = platform.logins[0]!;
  const task = await probe.myTask(who);
  const other = (await probe.enterprises(who, 20)).find((e) => e.uscc !== task.enterprise.uscc)!;
  // Written before the page asks for the camera: Chromium opens the file when capture starts.
  writeFileSync(video, qrVideo(`http://www.gsxt.gov.cn/index.html?uniscid=${other.uscc}`));
  const context = await browser.newContext({ permissions: ['camera'] });
  try {
    const page = await context.newPage();
    await page.goto(`${web.url}/`);
    await openMyTask(page, who, task, { offline: context });
    expect(await networkStatus(page)).toBe('离线');

    const scan = page.getByTestId('licence-scan');
    await scan.getByRole('button', { name: '用摄像头扫描' }).click();
    await expect(scan.getByLabel('扫码摄像头画面')).toBeVisible();
    const mismatch = page.getByTestId('licence-mismatch');
    await expect(mismatch).toBeVisible({ timeout: 30_000 });
    await expect(mismatch).toContainText('营业执照与任务企业不一致');
    await expect(mismatch).toContainText(other.uscc);
    await expect(mismatch).toContainText(task.enterprise.uscc);
    // A code read stops the camera: the live picture is gone.
    await expect(scan.getByLabel('扫码摄像头画面')).toHaveCount(0);
  } finally {
    await context.close();
  }
});
