/**
 * After a correction is published, the public page and JSON show the correction as the current
 * result and keep the replaced one marked 已更正 with a link to it, instead of listing both as if
 * current; the index counts current results, and verifying the old paper says it was corrected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/domain/canonical.js';
import { PublicResultsResponseSchema, VerifyResponseSchema } from '../../shared/protocol/index.js';
import type { Task } from '../../shared/protocol/index.js';
import type { Harness } from './testkit.js';
import { allTasks, authed, buildUpload, login, putResult, sha256Hex, startTemp } from './testkit.js';

let h: Harness;
let call: ReturnType<typeof authed>;
let task: Task;

beforeAll(async () => {
  h = await startTemp({ publishDelayMs: 0 });
  call = authed(h.platform.url, (await login(h.platform.url, h.platform.logins[0]!.certNo)).accessToken);
  task = (await allTasks(call)).find((t) => t.status === 'assigned')!;
});
afterAll(() => h.stop());

const publicJson = async (uscc: string) =>
  PublicResultsResponseSchema.parse(
    await (await fetch(`${h.platform.url}/v1/public/enterprises/${uscc}/results`)).json(),
  );

describe('the public page after a correction', () => {
  it('shows the correction as current and marks the replaced result 已更正 with a link to it', async () => {
    const uscc = task.enterprise.uscc;
    expect((await putResult(call, buildUpload(task, 'res-pub-orig'), 'op-pub-orig')).status).toBe(201);
    h.platform.admin.publishNow();
    const before = await publicJson(uscc);
    expect(before.results.map((r) => [r.resultId, r.correctedBy])).toEqual([['res-pub-orig', undefined]]);

    const draft = buildUpload(task, 'res-pub-fix', { note: '更正：第一项记录有误' });
    const payload = { ...draft.payload, replaces: 'res-pub-orig' };
    const fix = { ...draft, payload, contentHash: sha256Hex(canonicalJson(payload)) };
    expect((await putResult(call, fix, 'op-pub-fix')).status).toBe(201);
    h.platform.admin.publishNow();

    const after = await publicJson(uscc);
    expect(after.results.map((r) => [r.resultId, r.correctedBy])).toEqual([
      ['res-pub-orig', 'res-pub-fix'],
      ['res-pub-fix', undefined],
    ]);
    const page = await (await fetch(`${h.platform.url}/public/enterprises/${uscc}`)).text();
    const rows = [...page.matchAll(/<tr id="row-(\d+)" data-result-id="([^"]+)"[^>]*>.*?<\/tr>/gs)].map((m) => ({
      n: m[1],
      id: m[2],
      html: m[0],
    }));
    const origRow = rows.find((r) => r.id === 'res-pub-orig')!;
    const fixRow = rows.find((r) => r.id === 'res-pub-fix')!;
    expect(origRow.html).toContain('已更正');
    expect(origRow.html).toContain(`href="#row-${fixRow.n}"`);
    expect(fixRow.html).not.toContain('已更正');
    // Each result is listed once: the mark links by row, it does not repeat the correction's id.
    expect(page.split('res-pub-fix').length - 1).toBe(1);

    const index = await (await fetch(`${h.platform.url}/public?q=${uscc}`)).text();
    expect(index).toMatch(new RegExp(`${uscc}</td><td>1</td>`));

    // The original's paper still matches its record, and says the record was corrected.
    const receipt = (await (await call('/v1/results/res-pub-orig/receipt')).json()) as { contentHash: string };
    const verifyUrl = `${h.platform.url}/public/verify?result=res-pub-orig&hash=${receipt.contentHash}`;
    const verified = VerifyResponseSchema.parse(
      await (await fetch(verifyUrl, { headers: { accept: 'application/json' } })).json(),
    );
    expect(verified).toMatchObject({ match: true, correctedBy: 'res-pub-fix' });
    expect(await (await fetch(verifyUrl)).text()).toContain('该检查记录已更正');
  });
});
