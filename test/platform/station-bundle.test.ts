/**
 * The station bundle over real HTTP: it opens with the station's recipient key (derived from the
 * station cache key an inspector of the station receives) and the platform's pinned key, and holds
 * exactly what the network would have served — the task feed and its cursor, the snapshot's bytes and
 * manifest, the reference ETag — plus number blocks that the network reservation never hands out again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_STATION_BUNDLE_PATH,
  STATION_ENTRY,
  StationDocBlocksSchema,
  StationInfoSchema,
  StationTasksSchema,
  openBundle,
  stationRecipientKeys,
  type OpenOptions,
  type OpenedEntry,
} from '../../shared/bundle/index.js';
import {
  ADMIN_SECRET_HEADER,
  API,
  ReserveResponseSchema,
  SnapshotManifestSchema,
  SNAPSHOT_PATH,
  StationCacheKeyResponseSchema,
  TaskFeedPageSchema,
} from '../../shared/protocol/index.js';
import { parseVerifierKey } from '../../shared/transparency/signed-note.js';
import type { DemoLogin } from './server.js';
import { authed, login, startTemp, type Call, type Harness } from './testkit.js';

let h: Harness;
let alice: DemoLogin;
let aliceCall: Call;

beforeAll(async () => {
  h = await startTemp({ snapshotMemberLines: 150 });
  alice = h.platform.logins[0]!;
  aliceCall = authed(
    h.platform.url,
    (await login(h.platform.url, alice.certNo, 'demo1234', 'dev-station-1')).accessToken,
  );
});
afterAll(async () => h.stop());

async function openOptions(call: Call): Promise<OpenOptions> {
  const station = StationCacheKeyResponseSchema.parse(await (await call(API.stationCacheKey)).json());
  const recipient = await stationRecipientKeys(new Uint8Array(Buffer.from(station.key, 'base64url')), station.keyId);
  const verifier = parseVerifierKey(h.platform.logKey);
  if (!verifier.ok) throw new Error(verifier.error.message);
  return {
    recipient,
    trustedSenders: [{ senderId: verifier.value.name, publicKey: verifier.value.publicKey }],
    seenBundleIds: new Set<string>(),
    expectKind: 'station',
  };
}

async function fetchBundle(query: string, secret = h.platform.adminSecret): Promise<Response> {
  return fetch(`${h.platform.url}${ADMIN_STATION_BUNDLE_PATH}?${query}`, {
    headers: { [ADMIN_SECRET_HEADER]: secret },
  });
}

const entry = (entries: OpenedEntry[], name: string): Uint8Array => {
  const found = entries.find((e) => e.name === name);
  if (!found) throw new Error(`no entry ${name}`);
  return found.bytes;
};
const jsonOf = (bytes: Uint8Array): unknown => JSON.parse(Buffer.from(bytes).toString('utf8'));

describe('station bundle', () => {
  it('holds what the network serves, with its cursors, signed by the platform for the station', async () => {
    const res = await fetchBundle(`inspectors=${alice.inspectorId}`);
    expect(res.status).toBe(200);
    const opened = await openBundle(new Uint8Array(await res.arrayBuffer()), await openOptions(aliceCall));
    if (!opened.ok) throw new Error(opened.error.message);
    expect(opened.header.kind).toBe('station');

    const info = StationInfoSchema.parse(jsonOf(entry(opened.entries, STATION_ENTRY.info)));
    expect(info.inspectors.map((i) => i.inspectorId)).toEqual([alice.inspectorId]);
    expect(info.inspectors[0]!.deviceIds).toEqual(['dev-station-1']);

    // Tasks: the whole feed and the cursor a full network pull ends at.
    const feed = TaskFeedPageSchema.parse(await (await aliceCall(`${API.tasks}?cursor=0&limit=1000`)).json());
    const tasks = StationTasksSchema.parse(jsonOf(entry(opened.entries, STATION_ENTRY.tasks(alice.inspectorId))));
    expect(feed.changes.length).toBeGreaterThan(0);
    expect(tasks.changes).toEqual(feed.changes);
    expect(tasks.nextCursor).toBe(feed.nextCursor);
    expect(info.inspectors[0]!.tasksCursor).toBe(feed.nextCursor);

    // Credit files: the network snapshot's manifest and its very bytes, several members.
    const manifest = SnapshotManifestSchema.parse(await (await aliceCall(SNAPSHOT_PATH)).json());
    expect(info.enterprises).toEqual(manifest);
    expect(manifest.members.length).toBeGreaterThan(1);
    const served = Buffer.from(await (await aliceCall(manifest.url)).arrayBuffer());
    expect(Buffer.from(entry(opened.entries, STATION_ENTRY.enterprises)).equals(served)).toBe(true);

    // Reference data under the ETag the route serves.
    const ref = await aliceCall(API.reference);
    expect(info.reference.etag).toBe(ref.headers.get('etag'));
    expect(jsonOf(entry(opened.entries, STATION_ENTRY.reference))).toEqual(await ref.json());
  });

  it('reserves number blocks like the network route: never handed out twice, reportable by the device', async () => {
    const res = await fetchBundle(`inspectors=${alice.inspectorId}&blockSize=5`);
    const opened = await openBundle(new Uint8Array(await res.arrayBuffer()), await openOptions(aliceCall));
    if (!opened.ok) throw new Error(opened.error.message);
    const { blocks } = StationDocBlocksSchema.parse(
      jsonOf(entry(opened.entries, STATION_ENTRY.docBlocks(alice.inspectorId))),
    );
    const notice = blocks.find((b) => b.docType === 'notice');
    expect(notice).toMatchObject({ deviceId: 'dev-station-1' });
    expect(notice!.to - notice!.from).toBe(4);

    const next = ReserveResponseSchema.parse(
      await (
        await aliceCall(API.reserveNumbers, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            requestId: 'req-after-station',
            deviceId: 'dev-station-1',
            docType: 'notice',
            count: 3,
          }),
        })
      ).json(),
    );
    expect(next.from).toBe(notice!.to + 1);

    // The device may void a number of the station block: the platform knows the block is its.
    const voided = await aliceCall(API.reportNumbers, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        deviceId: 'dev-station-1',
        used: [],
        voided: [{ docType: 'notice', serial: notice!.from, reason: '打印错误' }],
      }),
    });
    expect(voided.status).toBe(200);
  });

  it('cannot be opened by another station', async () => {
    const other = h.platform.admin.addInspector({
      id: 'insp-other-station',
      name: '孙立',
      certNo: '3710029990002',
      certExpiry: '2030-12-31',
      unit: '威海市文登区市场监督管理局',
      station: '威海市文登区市场监督管理局龙山市场监管所',
      stationId: 'st-wendeng-longshan',
      region: '371003',
      domains: ['登记'],
      expert: false,
    });
    const otherCall = authed(
      h.platform.url,
      (await login(h.platform.url, other.certNo, 'demo1234', 'dev-x')).accessToken,
    );
    const res = await fetchBundle(`inspectors=${alice.inspectorId}`);
    const opened = await openBundle(new Uint8Array(await res.arrayBuffer()), await openOptions(otherCall));
    expect(opened).toMatchObject({ ok: false, error: { kind: 'wrong-recipient' } });

    const mixed = await fetchBundle(`inspectors=${alice.inspectorId},${other.id}`);
    expect(mixed.status).toBe(422);
    expect(await mixed.text()).toContain('同一站所');
  });

  it('refuses unknown inspectors and callers without the admin secret', async () => {
    expect((await fetchBundle('inspectors=insp-nobody')).status).toBe(422);
    expect((await fetchBundle('inspectors=')).status).toBe(400);
    expect((await fetchBundle(`inspectors=${alice.inspectorId}`, 'x'.repeat(24))).status).toBe(401);
  });
});
