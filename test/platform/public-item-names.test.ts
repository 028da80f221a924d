/**
 * The public page names every checked item in words, including the items of check templates the
 * inspector added on site (the 5·25 special-equipment list), which are not among the task's own
 * items: the public must never see an internal code such as SE525-01.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/domain/canonical.js';
import { SE525_TEMPLATE } from './gen/se-525-template.js';
import { PublicResultsResponseSchema } from '../../shared/protocol/index.js';
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

describe('public item names', () => {
  it('names a 5·25 template item in words, not by its code', async () => {
    const [first] = SE525_TEMPLATE.items;
    const draft = buildUpload(task, 'res-525-names');
    const payload = {
      ...draft.payload,
      itemResults: [
        ...draft.payload.itemResults,
        { itemCode: first!.code, outcome: 'pass' as const, note: '', finding: null },
      ],
    };
    const upload = { ...draft, payload, contentHash: sha256Hex(canonicalJson(payload)) };
    expect((await putResult(call, upload, 'op-525-names')).status).toBe(201);
    h.platform.admin.publishNow();

    const uscc = task.enterprise.uscc;
    const json = PublicResultsResponseSchema.parse(
      await (await fetch(`${h.platform.url}/v1/public/enterprises/${uscc}/results`)).json(),
    );
    const items = json.results.find((r) => r.resultId === 'res-525-names')!.items.map((i) => i.item);
    expect(items).toContain(first!.name);
    expect(items.some((name) => /SE525-\d\d/.test(name))).toBe(false);
    const page = await (await fetch(`${h.platform.url}/public/enterprises/${uscc}`)).text();
    expect(page).not.toMatch(/SE525-\d\d/);
  });
});
