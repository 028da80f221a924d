/**
 * 复查 on the platform: accepting a result with a 责令改正 finding creates the follow-up task under the
 * id the device derives on its own; the 复查 result must come on that task; once published, the public
 * page shows the 后续处置 outcome beside the original result (not as a result of its own). A 指令书's
 * clock starts when the unit's rectification report reaches the platform.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/domain/canonical.js';
import { addWorkingDays } from '../../shared/domain/dates.js';
import { followUpTaskId } from '../../shared/domain/follow-up.js';
import { PublicResultsResponseSchema } from '../../shared/protocol/index.js';
import type { ResultPayload, Task } from '../../shared/protocol/index.js';
import { CALENDAR } from './gen/calendar.js';
import type { Harness, UnsignedUpload } from './testkit.js';
import { allTasks, authed, buildUpload, login, putResult, sha256Hex, startTemp } from './testkit.js';

let h: Harness;
let call: ReturnType<typeof authed>;
let tasks: Task[];

beforeAll(async () => {
  h = await startTemp({ publishDelayMs: 0 });
  call = authed(h.platform.url, (await login(h.platform.url, h.platform.logins[0]!.certNo)).accessToken);
  tasks = (await allTasks(call)).filter((t) => t.status === 'assigned');
});
afterAll(() => h.stop());

function withPayload(up: UnsignedUpload, change: Partial<ResultPayload>): UnsignedUpload {
  const payload = { ...up.payload, ...change };
  return { ...up, payload, contentHash: sha256Hex(canonicalJson(payload)) };
}

/** A result whose first item failed with a 责令限期改正 finding due on `deadline`. */
function withRectifyFinding(task: Task, resultId: string, deadline: string): UnsignedUpload {
  const up = buildUpload(task, resultId);
  const [first, ...rest] = up.payload.itemResults;
  const finding = {
    description: '未按规定公示年度报告',
    legalBasis: '',
    severity: 'general' as const,
    handling: 'rectify' as const,
    rectifyDeadline: deadline,
    lenient: null,
  };
  return withPayload(up, {
    itemResults: [{ ...first!, outcome: 'fail', finding }, ...rest],
    findings: finding.description,
    resultCodes: ['CORRECTED'],
    followUps: ['ORDER_CORRECTION'],
  });
}

const publicJson = async (uscc: string) =>
  PublicResultsResponseSchema.parse(
    await (await fetch(`${h.platform.url}/v1/public/enterprises/${uscc}/results`)).json(),
  );

describe('复查 on the platform', () => {
  it('creates the follow-up task under the derived id, once, for the same team and enterprise', async () => {
    const task = tasks.find((t) => !t.items.some((i) => i.department.startsWith('TZSB')))!;
    const up = withRectifyFinding(task, 'res-fu-orig', '2026-12-30');
    expect((await putResult(call, up, 'op-fu-orig')).status).toBe(201);
    expect((await putResult(call, up, 'op-fu-orig')).status).toBe(200);
    const fus = (await allTasks(call)).filter((t) => t.followUp?.originalResultId === 'res-fu-orig');
    expect(fus.map((t) => t.id)).toEqual([followUpTaskId('res-fu-orig')]);
    const fu = fus[0]!;
    expect(fu.enterprise).toEqual(task.enterprise);
    expect(fu.team).toEqual(task.team);
    expect(fu.items.map((i) => i.code)).toEqual([task.items[0]!.code]);
    expect(fu.followUp).toMatchObject({ kind: 'rectify', deadline: '2026-12-30', originalTaskId: task.id });

    // A 复查 on the wrong task, or of a finding the original did not order corrected, is refused.
    const recheck = (on: Task, id: string, itemCode: string) =>
      withPayload(buildUpload(on, id), {
        followUpOf: {
          resultId: 'res-fu-orig',
          findings: [{ itemCode, state: 'corrected', note: '已补报年度报告' }],
          rectificationReportOn: null,
        },
      });
    const wrongTask = await putResult(call, recheck(task, 'res-fu-wrong', task.items[0]!.code), 'op-fu-wrong');
    expect(wrongTask.status).toBe(422);
    expect(JSON.stringify(await wrongTask.json())).toContain('TASK_MISMATCH');
    const wrongItem = await putResult(call, recheck(fu, 'res-fu-item', 'NO-SUCH-ITEM'), 'op-fu-item');
    expect(wrongItem.status).toBe(422);
    expect(JSON.stringify(await wrongItem.json())).toContain('NO-SUCH-ITEM');

    // The 复查 is published with the original result as its 后续处置, not as a row of its own.
    expect((await putResult(call, recheck(fu, 'res-fu-check', fu.items[0]!.code), 'op-fu-check')).status).toBe(201);
    h.platform.admin.publishNow();
    const pub = await publicJson(task.enterprise.uscc);
    expect(pub.results.map((r) => r.resultId)).toEqual(['res-fu-orig']);
    expect(pub.results[0]!.followUp).toEqual({
      checkedOn: up.payload.inspectedOn,
      closed: true,
      outcome: '复查已改正，后续处置完结',
      findings: [{ item: task.items[0]!.name, state: '已改正' }],
    });
    const page = await (await fetch(`${h.platform.url}/public/enterprises/${task.enterprise.uscc}`)).text();
    const row = /<tr class="follow-up" data-follow-up-of="res-fu-orig">.*?<\/tr>/s.exec(page)?.[0] ?? '';
    expect(row).toContain('后续处置');
    expect(row).toContain('已改正');
    // The 复查 starts no further follow-up.
    expect((await allTasks(call)).some((t) => t.followUp?.originalResultId === 'res-fu-check')).toBe(false);
  });

  it('指令书: no deadline until the rectification report, then 10 working days on the platform calendar', async () => {
    const task = tasks.find((t) => t.items.every((i) => i.department === 'TZSB'))!;
    expect(task).toBeDefined();
    expect((await putResult(call, withRectifyFinding(task, 'res-se-orig', '2026-12-30'), 'op-se-orig')).status).toBe(
      201,
    );
    const id = followUpTaskId('res-se-orig');
    const before = (await allTasks(call)).find((t) => t.id === id)!;
    expect(before.followUp).toMatchObject({ kind: 'se_order', deadline: null });
    h.platform.admin.recordRectificationReport(id, '2026-09-28');
    const after = (await allTasks(call)).find((t) => t.id === id)!;
    expect(after.version).toBe(before.version + 1);
    expect(after.followUp?.rectificationReportOn).toBe('2026-09-28');
    expect(after.followUp?.deadline).toBe(addWorkingDays('2026-09-28', 10, CALENDAR));
    expect(after.dueDate).toBe(after.followUp?.deadline);
  });
});
