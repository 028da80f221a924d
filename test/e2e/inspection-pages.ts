/**
 * Page objects for the complete on-site inspection: item outcomes and findings, the
 * lenient box, evidence from files, signatures drawn with the mouse (and a refusal with a
 * witness), result codes. By role and label, like test/e2e/pages.ts.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { crc32 } from 'node:zlib';

export function itemGroup(page: Page, name: string): Locator {
  return page.getByRole('radiogroup', { name });
}

export async function setOutcome(
  page: Page,
  item: string,
  outcome: '符合' | '不符合' | '不涉及' | '未检查',
): Promise<void> {
  await itemGroup(page, item).getByRole('radio', { name: outcome, exact: true }).check();
}

/** Image fixtures drawn by the browser itself (a PNG and a JPEG), returned as bytes for file inputs. */
export async function makeImages(page: Page): Promise<{ png: Buffer; jpeg: Buffer }> {
  const urls = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 200;
    const g = canvas.getContext('2d');
    if (!g) throw new Error('no 2d context');
    g.fillStyle = '#2e7d32';
    g.fillRect(0, 0, 320, 200);
    g.fillStyle = '#fff';
    g.font = '28px sans-serif';
    g.fillText('营业执照 现场照片', 30, 110);
    const png = canvas.toDataURL('image/png');
    g.fillStyle = '#1565c0';
    g.fillRect(0, 0, 160, 200);
    return { png, jpeg: canvas.toDataURL('image/jpeg', 0.8) };
  });
  const bytes = (u: string): Buffer => Buffer.from(u.slice(u.indexOf(',') + 1), 'base64');
  return { png: bytes(urls.png), jpeg: bytes(urls.jpeg) };
}

/**
 * The PNG with a tEXt chunk holding `text` right after its header: the image still decodes the
 * same, and its bytes carry a string a test can look for wherever the photo ends up.
 */
export function pngWithText(png: Buffer, keyword: string, text: string): Buffer {
  const ihdrEnd = 8 + 4 + 4 + 13 + 4; // signature, then the IHDR chunk: length, type, 13 data bytes, CRC
  if (png.subarray(12, 16).toString('latin1') !== 'IHDR') throw new Error('not a PNG: no IHDR chunk first');
  const body = Buffer.concat([Buffer.from('tEXt', 'latin1'), Buffer.from(`${keyword}\0${text}`, 'latin1')]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length - 4);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([png.subarray(0, ihdrEnd), length, body, crc, png.subarray(ihdrEnd)]);
}

export async function addPhotos(
  page: Page,
  files: { name: string; mimeType: string; buffer: Buffer }[],
): Promise<void> {
  const panel = page.getByTestId('evidence-panel');
  const before = await panel.getByRole('listitem').count();
  await page.getByLabel('添加照片').setInputFiles(files);
  await expect(panel.getByRole('listitem')).toHaveCount(before + files.length);
}

/** Draws a short zig-zag on the card's signature canvas with the mouse, then confirms it. */
export async function drawSignature(page: Page, card: Locator): Promise<void> {
  const canvas = card.locator('canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  if (!box) throw new Error('signature canvas not visible');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + 20, y);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(box.x + 20 + i * 25, y + (i % 2 ? -25 : 25), { steps: 4 });
  await page.mouse.up();
  await card.getByRole('button', { name: '确认签名' }).click();
  await expect(card.getByText('已签名')).toBeVisible();
}

export function signatureCards(page: Page): Locator {
  return page.getByTestId('signature-panel').locator('.sig-card');
}

export async function waitSaved(page: Page): Promise<void> {
  await expect(page.getByTestId('save-status')).toContainText('已保存');
}

export async function tick(page: Page, group: '检查结果' | '核查方式' | '后续处置措施', label: string): Promise<void> {
  await page.getByRole('group', { name: group }).getByRole('checkbox', { name: label }).check();
}

export interface PartySigner {
  readonly name: string;
  readonly post: string;
  readonly idNo: string;
}

const DEFAULT_PARTY: PartySigner = { name: '赵经理', post: '负责人', idNo: '371002198805052222' };

/** Signs every slot: inspectors draw; the party gives name, post and ID and draws (for specs that just need a signed record). */
export async function signAll(page: Page, party: PartySigner = DEFAULT_PARTY): Promise<void> {
  const cards = signatureCards(page);
  const n = await cards.count();
  for (let i = 0; i < n; i++) {
    const card = cards.nth(i);
    if ((await card.getByLabel('当事人姓名').count()) > 0) {
      await card.getByLabel('当事人姓名').fill(party.name);
      await card.getByLabel('职务').fill(party.post);
      await card.getByLabel('身份证件号码').fill(party.idNo);
    }
    await drawSignature(page, card);
  }
  await waitSaved(page);
}
