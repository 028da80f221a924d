/**
 * A lost laptop gives nothing away: after a full round trip (sign in, sync, inspect with a photo,
 * finalize, upload) and a normal quit of the browser, no file anywhere under the profile holds the
 * inspector's 执法证号, the party's ID number, the findings, the synced enterprises' names or the
 * photo's bytes in readable form. The thief has the disk, not the password: whatever the app keeps
 * must be sealed. The quit is graceful on purpose, so everything the browser would write is written.
 */
import { expect, test } from './fixtures.js';
import { addPhotos, makeImages, pngWithText } from './inspection-pages.js';
import { fillAllCompliant, finalize, networkStatus, openMyTask, openOutbox } from './pages.js';
import { scanProfile } from './profile-scan.js';

const FINDINGS = '现场货架标签暗记甲丙丁缺失已当场责令改正';
const PARTY_ID = '37100219770312881X';
const PHOTO_MARKER = 'E2E-PHOTO-MARKER-5c1e9a7b';

test('after a round trip and a normal quit, no profile file holds the inspection data in plaintext', async ({
  platform,
  probe,
  app,
  profileDir,
}) => {
  test.setTimeout(240_000);
  const who = platform.logins[0]!;
  const tasks = await probe.assignedTasks(who);
  const task = tasks[0]!;
  expect(tasks.length).toBeGreaterThan(1);

  const page = await app.open();
  await openMyTask(page, who, task, { offline: app.context });
  const { png } = await makeImages(page);
  const photo = pngWithText(png, 'Comment', PHOTO_MARKER);
  expect(photo.includes(Buffer.from(PHOTO_MARKER, 'latin1'))).toBe(true);
  await addPhotos(page, [{ name: 'licence.png', mimeType: 'image/png', buffer: photo }]);
  await fillAllCompliant(page, FINDINGS, { name: '孙主任', post: '店长', idNo: PARTY_ID });
  await finalize(page);

  await app.context.setOffline(false);
  await expect.poll(() => networkStatus(page)).toBe('在线');
  await openOutbox(page);
  await expect(page.getByRole('table', { name: '已上传的检查结果' })).toContainText(/已接收|已公示/, {
    timeout: 60_000,
  });

  await app.close();

  const markers = [who.certNo, PARTY_ID, FINDINGS, PHOTO_MARKER, ...new Set(tasks.map((t) => t.enterprise.name))];
  const report = scanProfile(profileDir, markers);
  const summary = `scanned ${report.files} files, ${report.bytes} bytes (${report.decompressedBlocks} Snappy blocks decompressed): ${report.hits.length} hits`;
  console.info(summary);
  test.info().annotations.push({ type: 'profile scan', description: summary });
  for (const hit of report.hits)
    console.info(
      `  ${JSON.stringify(hit.marker)} as ${hit.encoding} in ${hit.file} (${hit.where}) after ${hit.before}`,
    );
  expect(report.files).toBeGreaterThan(0);
  expect(report.hits).toEqual([]);
});
