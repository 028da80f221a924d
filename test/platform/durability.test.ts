/** Durability across restart, publication exactly once, public pages and QR verification. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PublicResultsResponseSchema, ReceiptSchema } from '../../shared/protocol/index.js';
import { startPlatform } from './server.js';
import { allTasks, authed, buildUpload, login, putResult } from './testkit.js';

const dataDir = mkdtempSync(join(tmpdir(), 'platform-durable-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('durability and publication', () => {
  it('keeps results across a restart, does not regenerate, and publishes once', async () => {
    const first = await startPlatform({ dataDir, seed: 5, enterprises: 300, port: 0 });
    const call = authed(first.url, (await login(first.url, first.logins[0]!.certNo)).accessToken);
    const task = (await allTasks(call))[0]!;
    const up = buildUpload(task, 'res-durable-1');
    expect((await putResult(call, up, 'op-durable-1')).status).toBe(201);
    const generated = first.admin.generated();
    const changed = first.admin.mutateEnterprises(3);
    await first.close();

    // Different seed and size on purpose: an existing data dir is reused as-is.
    const second = await startPlatform({ dataDir, seed: 99, enterprises: 50, port: 0 });
    try {
      expect(second.admin.generated()).toEqual(generated);
      expect(second.admin.counts('res-durable-1').results).toBe(1);
      const call2 = authed(second.url, (await login(second.url, second.logins[0]!.certNo)).accessToken);
      expect((await putResult(call2, up, 'op-durable-1')).status).toBe(200);
      const page = (await (await call2('/v1/sync/enterprises?limit=5000')).json()) as { total: number };
      expect(page.total).toBe(300);
      expect(changed).toHaveLength(3);

      second.admin.publishNow();
      const receipt = ReceiptSchema.parse(await (await call2('/v1/results/res-durable-1/receipt')).json());
      expect(receipt.publication.state).toBe('published');
      expect((await putResult(call2, up, 'op-durable-2')).status).toBe(200);
      second.admin.publishNow();
      const pub = PublicResultsResponseSchema.parse(
        await (await fetch(`${second.url}/v1/public/enterprises/${task.enterprise.uscc}/results`)).json(),
      );
      expect(pub.results.filter((r) => r.resultId === 'res-durable-1')).toHaveLength(1);
      expect(JSON.stringify(pub)).not.toMatch(/creditClass|warningColor|internal/);

      const page2 = await (await fetch(`${second.url}/public/enterprises/${task.enterprise.uscc}`)).text();
      expect(page2).toContain('抽查检查结果信息');
      expect(page2.match(/data-result-id="res-durable-1"/g)).toHaveLength(1);
      const index = await (
        await fetch(`${second.url}/public?q=${encodeURIComponent(task.enterprise.name.slice(-8, -4))}`)
      ).text();
      expect(index).toContain(task.enterprise.uscc);

      const verify = (hash: string) =>
        fetch(`${second.url}/public/verify?result=res-durable-1&hash=${hash}`, {
          headers: { accept: 'application/json' },
        }).then((r) => r.json());
      expect(await verify(up.contentHash)).toMatchObject({ match: true, state: 'published' });
      expect(await verify('0'.repeat(64))).toMatchObject({ match: false, state: 'mismatch' });
      const verifyHtml = await (
        await fetch(`${second.url}/public/verify?result=res-durable-1&hash=${up.contentHash}`)
      ).text();
      expect(verifyHtml).toContain('核验通过');
    } finally {
      await second.close();
    }
  });
});
