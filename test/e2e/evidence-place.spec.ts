/**
 * Place and time of evidence in the browser: with geolocation allowed (Playwright's geolocation)
 * the fix and its accuracy are on the evidence; refused, the enterprise's registered address is
 * recorded instead and marked as such. An imported photo's EXIF is shown, and a capture time far
 * from the photo's own is flagged on the card. Run under the Electron CSP (exifr loads lazily).
 */
import { jpegWithExif } from '../../renderer/src/testing/exif-jpeg.js';
import { cspProxy, RECORD_CSP_VIOLATIONS } from './csp-proxy.js';
import { expect, test } from './fixtures.js';
import { addPhotos, makeImages } from './inspection-pages.js';
import { openMyTask } from './pages.js';

test('evidence records the fix when allowed, the registered address (marked) when refused, and flags EXIF', async ({
  platform,
  probe,
  app,
  web,
}) => {
  test.setTimeout(150_000);
  const { buildCsp } = await import('../../electron/main/csp.js');
  const proxy = await cspProxy(web.url, buildCsp({ platformUrl: platform.url, publicityUrl: null }));
  try {
    const who = platform.logins[0]!;
    const task = await probe.myTask(who);
    await app.context.addInitScript(RECORD_CSP_VIOLATIONS);
    await app.context.grantPermissions(['geolocation'], { origin: proxy.url });
    await app.context.setGeolocation({ latitude: 37.51234, longitude: 122.12345, accuracy: 18 });
    const page = app.context.pages()[0] ?? (await app.context.newPage());
    await page.goto(`${proxy.url}/`);
    await openMyTask(page, who, task, { offline: app.context });
    // zod probes `new Function` once at start-up (and falls back): only what evidence capture does counts here.
    await page.evaluate(() => (globalThis as unknown as { __csp: string[] }).__csp.splice(0));
    const { png, jpeg: plainJpeg } = await makeImages(page);
    const panel = page.getByTestId('evidence-panel');
    const cards = panel.getByRole('listitem');

    await addPhotos(page, [{ name: 'here.png', mimeType: 'image/png', buffer: png }]);
    const first = cards.nth(0);
    await expect(first.getByTestId('evidence-place')).toHaveText('定位 北纬 37.51234°，东经 122.12345°（精度 ±18 米）');
    await expect(first.getByTestId('evidence-clock')).toContainText('本机时钟');

    await app.context.clearPermissions();
    const jpeg = jpegWithExif(plainJpeg, {
      dateTimeOriginal: '2020:01:02 03:04:05',
      offset: '+08:00',
      make: 'HUAWEI',
      model: 'ELS-AN00',
    });
    await addPhotos(page, [{ name: 'imported.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(jpeg) }]);
    const second = cards.nth(1);
    await expect(second.getByTestId('evidence-place')).toContainText('企业登记地址（未允许定位，非现场定位）');
    await expect(second.getByTestId('evidence-place')).toContainText(task.enterprise.address);
    await expect(second.getByTestId('evidence-exif')).toContainText('设备 HUAWEI ELS-AN00');
    await expect(second.getByTestId('evidence-exif-differences')).toContainText('照片自带的拍摄时间比保存时间早');
    await panel.screenshot({ path: 'test-results/screens/evidence-place.png' });
    expect(await page.evaluate(() => (globalThis as unknown as { __csp: string[] }).__csp)).toEqual([]);
  } finally {
    await proxy.close();
  }
});
