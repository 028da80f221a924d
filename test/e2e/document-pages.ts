/** Page steps for the 现场文书 panel: generate a document from its prefilled form, save its PDF. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures.js';

export const DOC_NO = /^威环市监(抽通|现笔)〔\d{4}〕(\d{4})号$/;

export function docsPanel(page: Page): Locator {
  return page.getByRole('region', { name: '现场文书' });
}

/** Generates a document with its prefilled form (plus what the test adds), waits for the preview, returns its number. */
export async function generateDocument(
  page: Page,
  title: string,
  fill: (form: Locator) => Promise<void> = async () => undefined,
): Promise<string> {
  const panel = docsPanel(page);
  await panel.getByRole('button', { name: `出具${title}` }).click();
  const form = panel.getByRole('form', { name: `${title}内容` });
  await expect(form.getByRole('button', { name: '生成文书' })).toBeEnabled();
  await fill(form);
  await form.getByRole('button', { name: '生成文书' }).click();
  const preview = panel.getByRole('region', { name: `预览：${title}` });
  await expect(preview.getByRole('img', { name: /预览第 1 页/ })).toBeVisible({ timeout: 20_000 });
  await expect(preview.getByRole('status')).toContainText(/共 \d+ 页/);
  const docNo = (await preview.locator('.mono').first().innerText()).trim();
  expect(docNo).toMatch(DOC_NO);
  return docNo;
}

/** Saves the previewed PDF through the app (the browser's download) into `dir`; returns its bytes. */
export async function savePdf(page: Page, dir: string, name: string): Promise<Buffer> {
  const waiting = page.waitForEvent('download');
  await docsPanel(page).getByRole('button', { name: '保存为 PDF' }).click();
  const path = join(dir, name);
  await (await waiting).saveAs(path);
  return readFileSync(path);
}
