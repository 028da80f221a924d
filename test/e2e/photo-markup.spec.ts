/**
 * 标注照片: arrows, a circle, freehand and text drawn with the mouse on a photo are saved as a second
 * evidence item that names the original's SHA-256; the original's stored bytes are still exactly the
 * file the inspector added, and the locked record lists both with their hashes.
 */
import type { Locator, Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { expect, test } from './fixtures.js';
import { addPhotos, makeImages } from './inspection-pages.js';
import { fillAllCompliant, finalize, openMyTask } from './pages.js';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** The bytes behind a card's 下载原文件 link (an object URL of the stored Blob). */
async function storedBytes(page: Page, card: Locator): Promise<Buffer> {
  const href = await card.getByTestId('evidence-file').getAttribute('href');
  if (!href) throw new Error('the card has no file link');
  const bytes = await page.evaluate(async (u) => [...new Uint8Array(await (await fetch(u)).arrayBuffer())], href);
  return Buffer.from(bytes);
}

/** Which of these points (fractions of width and height) have red ink within a few pixels, in the image. */
async function inkedAt(page: Page, png: Buffer, points: readonly [number, number][]): Promise<boolean[]> {
  return page.evaluate(
    async ({ b64, pts }) => {
      const blob = await (await fetch(`data:image/png;base64,${b64}`)).blob();
      const bmp = await createImageBitmap(blob);
      const c = new OffscreenCanvas(bmp.width, bmp.height);
      const g = c.getContext('2d')!;
      g.drawImage(bmp, 0, 0);
      return pts.map(([fx, fy]) => {
        const x = Math.round(fx * bmp.width);
        const y = Math.round(fy * bmp.height);
        const d = g.getImageData(Math.max(0, x - 8), Math.max(0, y - 8), 17, 17).data;
        for (let i = 0; i < d.length; i += 4) if (d[i]! > 180 && d[i + 1]! < 110 && d[i + 2]! < 110) return true;
        return false;
      });
    },
    { b64: png.toString('base64'), pts: points },
  );
}

async function drag(page: Page, canvas: Locator, from: [number, number], to: [number, number]): Promise<void> {
  // Centre the canvas: page.mouse does not scroll, and the sticky save bar covers the bottom edge.
  await canvas.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  const box = await canvas.boundingBox();
  if (!box) throw new Error('canvas not laid out');
  await page.mouse.move(box.x + from[0] * box.width, box.y + from[1] * box.height);
  await page.mouse.down();
  for (let i = 1; i <= 6; i++) {
    const t = i / 6;
    await page.mouse.move(
      box.x + (from[0] + (to[0] - from[0]) * t) * box.width,
      box.y + (from[1] + (to[1] - from[1]) * t + (i % 2 ? 0.03 : 0)) * box.height,
    );
  }
  await page.mouse.up();
}

test('a marked-up photo is a second evidence item naming the original, whose bytes are unchanged', async ({
  platform,
  probe,
  app,
}) => {
  test.setTimeout(150_000);
  const who = platform.logins[0]!;
  const task = await probe.myTask(who);
  const page = await app.open();
  await openMyTask(page, who, task, { offline: app.context });
  const { png } = await makeImages(page);
  await addPhotos(page, [{ name: 'shop.png', mimeType: 'image/png', buffer: png }]);
  const panel = page.getByTestId('evidence-panel');
  const cards = panel.getByRole('listitem');
  const original = cards.nth(0);
  await expect(original.getByText(/^SHA-256 /)).toHaveAttribute('title', sha256(png));

  await original.getByRole('button', { name: '标注照片 1…' }).click();
  const editor = page.getByRole('group', { name: '标注照片 1' });
  const canvas = editor.getByLabel('标注画布');
  await expect(canvas).toBeVisible();
  await drag(page, canvas, [0.1, 0.8], [0.45, 0.45]); // arrow is the default tool
  await editor.getByRole('radio', { name: '圆圈' }).check();
  await drag(page, canvas, [0.55, 0.2], [0.9, 0.7]);
  await editor.getByRole('radio', { name: '手绘' }).check();
  await drag(page, canvas, [0.1, 0.1], [0.4, 0.2]);
  await editor.getByRole('radio', { name: '文字' }).check();
  await editor.getByLabel('标注文字').fill('无证经营');
  await canvas.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  const box = await canvas.boundingBox();
  await page.mouse.click(box!.x + box!.width * 0.5, box!.y + box!.height * 0.9);
  await page.screenshot({ path: 'test-results/screens/photo-markup-editor.png' });
  await editor.getByRole('button', { name: '保存标注（新证据）' }).click();

  await expect(cards).toHaveCount(2);
  await expect(editor).toHaveCount(0);
  const marked = cards.nth(1);
  await expect(marked.getByTestId('evidence-markup-of')).toContainText(
    `标注自照片 1（原件 SHA-256 ${sha256(png).slice(0, 12)}`,
  );
  await expect(marked.getByTestId('evidence-markup-of')).toHaveAttribute('title', sha256(png));

  // Both files with their own hashes: the markup is new bytes, the original is the file as added.
  const originalBytes = await storedBytes(page, original);
  expect(sha256(originalBytes)).toBe(sha256(png));
  expect(originalBytes.equals(png)).toBe(true);
  const markedBytes = await storedBytes(page, marked);
  expect(sha256(markedBytes)).not.toBe(sha256(png));
  // Every tool left its ink where it was drawn (arrow midpoint, circle's left edge, freehand start,
  // text), and none of it is in the original.
  const spots: [number, number][] = [
    [0.275, 0.625],
    [0.55, 0.45],
    [0.1, 0.1],
    [0.53, 0.9],
  ];
  expect(await inkedAt(page, markedBytes, spots)).toEqual([true, true, true, true]);
  expect(await inkedAt(page, originalBytes, spots)).toEqual([false, false, false, false]);
  await expect(marked.getByText(/^SHA-256 /)).toHaveAttribute('title', sha256(markedBytes));
  await expect(original.getByText(/^SHA-256 /)).toHaveAttribute('title', sha256(png));

  // The original cannot be removed while the markup names it.
  await original.getByRole('button', { name: '删除照片 1…' }).click();
  await original.getByLabel(/删除原因/).fill('重复');
  await original.getByRole('button', { name: '删除照片 1' }).click();
  await expect(original.getByRole('alert')).toContainText('请先删除标注件');
  await expect(cards).toHaveCount(2);
  await panel.screenshot({ path: 'test-results/screens/photo-markup.png' });
  await original.getByRole('button', { name: '取消' }).click();

  // The locked record lists both files with their hashes, the markup naming its original's.
  await fillAllCompliant(page, '现场标注了无证经营的位置');
  await finalize(page);
  const rows = page.getByRole('table').filter({ hasText: '时间与地点' }).getByRole('row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText(`照片 1`);
  await expect(rows.nth(1)).toContainText(sha256(png).slice(0, 16));
  await expect(rows.nth(2)).toContainText('标注照片 2');
  await expect(rows.nth(2)).toContainText(sha256(markedBytes).slice(0, 16));
  await expect(rows.nth(2)).toContainText(`原件 ${sha256(png).slice(0, 16)}`);
  await expect(rows.nth(2)).toContainText('企业登记地址');
});
