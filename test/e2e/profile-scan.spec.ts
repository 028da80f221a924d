/**
 * The lost-laptop scan must not miss text just because LevelDB compressed it: a string that
 * repeats itself is stored by Snappy as one literal and back-references, so its bytes never appear
 * in the table file as such. Here the page writes such a string to IndexedDB, then enough other
 * data to push it out of the log into a compressed table file, and the scan must still find it.
 */
import { expect, test } from './fixtures.js';
import { scanProfile } from './profile-scan.js';

const UNIT = 'Zq9@';
const MARKER = UNIT.repeat(24);

test('the profile scan finds text that LevelDB stored Snappy-compressed', async ({ app, profileDir }) => {
  const page = await app.open();
  await page.evaluate(
    async ({ marker }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open('scan-self-test', 1);
        req.onupgradeneeded = () => req.result.createObjectStore('rows');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error ?? new Error('open failed'));
      });
      const put = (rows: [string, string][]) =>
        new Promise<void>((resolve, reject) => {
          const tx = db.transaction('rows', 'readwrite');
          for (const [k, v] of rows) tx.objectStore('rows').put(v, k);
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error ?? new Error('put failed'));
        });
      await put([['marker', `before ${marker} after`]]);
      // Incompressible filler, well past LevelDB's write buffer, so the marker's row is flushed to a table.
      for (let batch = 0; batch < 24; batch++) {
        const rows: [string, string][] = [];
        for (let i = 0; i < 64; i++) {
          const bytes = crypto.getRandomValues(new Uint8Array(4096));
          rows.push([`filler-${batch}-${i}`, Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')]);
        }
        await put(rows);
      }
      db.close();
    },
    { marker: MARKER },
  );
  await app.close();

  const report = scanProfile(profileDir, [MARKER]);
  console.info(
    `scanned ${report.files} files, ${report.bytes} bytes, ${report.decompressedBlocks} Snappy blocks: ` +
      report.hits.map((h) => `${h.file} (${h.where})`).join(', '),
  );
  expect(report.decompressedBlocks).toBeGreaterThan(0);
  expect(report.hits.some((h) => h.where.startsWith('snappy block'))).toBe(true);
});
