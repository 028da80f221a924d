/** The platform checks a recording's entry itself: clips inside the recording, media fields only on video/audio. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/domain/canonical.js';
import { ErrorBodySchema, type EvidenceRef, type Task } from '../../shared/protocol/index.js';
import type { Harness } from './testkit.js';
import { allTasks, authed, buildUpload, login, putResult, sha256Hex, startTemp, tusUpload } from './testkit.js';

let h: Harness;
let call: ReturnType<typeof authed>;
let token: string;
let tasks: Task[];

beforeAll(async () => {
  h = await startTemp();
  token = (await login(h.platform.url, h.platform.logins[0]!.certNo)).accessToken;
  call = authed(h.platform.url, token);
  tasks = (await allTasks(call)).filter((t) => t.status === 'assigned');
});
afterAll(() => h.stop());

async function withRecording(task: Task, resultId: string, clipEnd: number) {
  const bytes = Buffer.from('not really an mp4, but bytes with a hash');
  const sha256 = sha256Hex(bytes);
  const attachmentId = `att-${resultId}`;
  const { location } = await tusUpload(
    h.platform.url,
    token,
    { attachmentId, resultId, sha256, mime: 'video/mp4' },
    bytes,
  );
  const up = buildUpload(task, resultId, {
    attachments: [{ id: attachmentId, sha256, size: bytes.length, mime: 'video/mp4', uploadUrl: location }],
  });
  const evidence: EvidenceRef = {
    id: attachmentId,
    kind: 'video',
    sha256,
    size: bytes.length,
    mime: 'video/mp4',
    caption: '执法记录仪',
    capturedAt: new Date().toISOString(),
    media: {
      durationS: 60,
      startedAt: null,
      endedAt: null,
      startSource: 'unknown',
      clips: [{ fromS: 5, toS: clipEnd, note: '出示执法证' }],
    },
  };
  up.payload.evidence = [evidence];
  up.contentHash = sha256Hex(canonicalJson(up.payload));
  return up;
}

describe('PUT /v1/results with a body-camera recording', () => {
  it('refuses a clip that runs past the recording (422 VALIDATION) and accepts one inside it', async () => {
    const bad = await putResult(call, await withRecording(tasks[0]!, 'res-media-bad', 75), 'k-media-bad');
    expect(bad.status).toBe(422);
    const body = ErrorBodySchema.parse(await bad.json());
    expect(body.error.code).toBe('VALIDATION');
    expect(body.error.message).toContain('片段超出录像时长');
    const good = await putResult(call, await withRecording(tasks[1]!, 'res-media-ok', 42.5), 'k-media-ok');
    expect(good.status).toBe(201);
  });
});
