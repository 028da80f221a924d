/**
 * Test controls: mutate or remove enterprises (deltas and tombstones), advance the tombstone
 * horizon, cancel or reassign tasks, count results and publications, lose attachments, manage
 * fault rules, revoke and reinstate devices, read the key-release log. Used in-process through
 * `admin`; over HTTP (admin secret header) under /__admin/* when faults are on, and the device and
 * key-release controls under /v1/admin/*.
 */
import { randomBytes } from 'node:crypto';
import { EnterpriseSchema, InspectorSchema, TaskSchema } from '../../shared/protocol/index.js';
import type { DeviceStatus, Inspector, KeyRelease, Task } from '../../shared/protocol/index.js';
import { inspectorById, setDeviceRevoked } from './auth.js';
import { getMeta, nextSeq, setMeta } from './db.js';
import type { FaultRule, FaultRuleInput } from './faults.js';
import { DEMO_PASSWORD, hashPassword } from './gen/inspectors.js';
import { recordRectificationReport } from './follow-ups.js';
import { publishDue } from './publisher.js';
import { keyReleases } from './routes/keys.js';
import { loseAttachment } from './routes/uploads.js';
import type { Platform } from './state.js';

export interface Admin {
  /** Change `count` live enterprises (new version, new sequence). Returns their USCCs. */
  mutateEnterprises(count: number): string[];
  /** Remove `count` live enterprises from scope (tombstones). Returns their USCCs. */
  removeEnterprises(count: number): string[];
  /** Purge tombstones and move the horizon to the current head: older cursors get 410. */
  advanceTombstoneHorizon(): number;
  cancelTask(taskId: string): Task;
  /** Replace `fromInspectorId` (default: the leader) on the team with another drawable inspector. */
  reassignTask(taskId: string, fromInspectorId?: string, toInspectorId?: string): Task;
  /** Points a task at another enterprise (new version), e.g. the one with the irregular USCC. */
  retargetTask(taskId: string, uscc: string): Task;
  counts(resultId: string): { results: number; publications: number };
  publishNow(): number;
  /** The unit's rectification report for a follow-up reached the platform (starts a 指令书's clock). */
  recordRectificationReport(taskId: string, reportOn: string): Task;
  loseAttachment(attachmentId: string): boolean;
  /** The platform lost an accepted result (restored from an older backup); its idempotency record survives. */
  forgetResult(resultId: string): boolean;
  addFault(rule: FaultRuleInput): FaultRule;
  clearFaults(): void;
  listFaults(): readonly FaultRule[];
  /** Task ids on which the inspector is an active team member. */
  tasksOf(inspectorId: string): string[];
  /** A lost laptop: login, refresh and every request from it get 403 DEVICE_REVOKED; its sessions end. */
  revokeDevice(deviceId: string): DeviceStatus;
  /** The laptop was found: it may sign in again (its old sessions stay ended). */
  reinstateDevice(deviceId: string): DeviceStatus;
  /** Every key handed out (data keys and station cache keys), oldest first. */
  keyReleases(inspectorId?: string): KeyRelease[];
  /** Adds an inspector with no tasks (e.g. of another station); password DEMO_PASSWORD unless given. */
  addInspector(inspector: Inspector, password?: string): Inspector;
  generated(): {
    seed: number;
    enterprises: number;
    invalidRecords: number;
    today: string;
    badUscc: string;
    invalid: string[];
  };
}

function liveUsccs(p: Platform, count: number): string[] {
  if (!Number.isInteger(count) || count < 0) throw new Error('count must be a non-negative integer');
  // Oldest first, so repeated calls touch different records and stay deterministic.
  const rows = p.db.prepare('SELECT uscc FROM enterprises WHERE deleted = 0 ORDER BY seq LIMIT ?').all(count) as {
    uscc: string;
  }[];
  return rows.map((r) => r.uscc);
}

function saveTask(p: Platform, task: Task): void {
  TaskSchema.parse(task);
  p.db
    .prepare('UPDATE tasks SET seq = ?, version = ?, status = ?, json = ? WHERE id = ?')
    .run(nextSeq(p.db, 'task'), task.version, task.status, JSON.stringify(task), task.id);
}

function loadTask(p: Platform, taskId: string): Task {
  const row = p.db.prepare('SELECT json FROM tasks WHERE id = ?').get(taskId) as { json: string } | undefined;
  if (!row) throw new Error(`no such task: ${taskId}`);
  return TaskSchema.parse(JSON.parse(row.json));
}

export function createAdmin(p: Platform): Admin {
  const faults = () => {
    if (!p.faults) throw new Error('fault injection is off: start the platform with faults: true (--faults)');
    return p.faults;
  };
  return {
    mutateEnterprises: (count) =>
      p.db.transaction(() => {
        const usccs = liveUsccs(p, count);
        for (const uscc of usccs) {
          const row = p.db.prepare('SELECT json FROM enterprises WHERE uscc = ?').get(uscc) as {
            json: Buffer | string;
          };
          const raw = JSON.parse(row.json.toString()) as unknown;
          const parsed = EnterpriseSchema.safeParse(raw);
          const e = parsed.success
            ? {
                ...parsed.data,
                version: parsed.data.version + 1,
                phone: `0631-${String(5_000_000 + ((parsed.data.version * 7919) % 999_999))}`,
              }
            : raw;
          const version = parsed.success ? parsed.data.version + 1 : 2;
          p.db
            .prepare('UPDATE enterprises SET seq = ?, version = ?, json = ? WHERE uscc = ?')
            .run(nextSeq(p.db, 'ent'), version, Buffer.from(JSON.stringify(e), 'utf8'), uscc);
        }
        return usccs;
      })(),
    removeEnterprises: (count) =>
      p.db.transaction(() => {
        const usccs = liveUsccs(p, count);
        for (const uscc of usccs)
          p.db
            .prepare('UPDATE enterprises SET seq = ?, deleted = 1, json = NULL WHERE uscc = ?')
            .run(nextSeq(p.db, 'ent'), uscc);
        return usccs;
      })(),
    advanceTombstoneHorizon: () =>
      p.db.transaction(() => {
        const head = Number(getMeta(p.db, 'seq:ent') ?? '0');
        p.db.prepare('DELETE FROM enterprises WHERE deleted = 1 AND seq <= ?').run(head);
        setMeta(p.db, 'tombstoneHorizon', head);
        setMeta(p.db, 'purgeEpoch', Number(getMeta(p.db, 'purgeEpoch') ?? '0') + 1);
        return head;
      })(),
    cancelTask: (taskId) =>
      p.db.transaction(() => {
        const t = loadTask(p, taskId);
        const next: Task = { ...t, status: 'cancelled', version: t.version + 1 };
        saveTask(p, next);
        return next;
      })(),
    reassignTask: (taskId, fromId, toId) =>
      p.db.transaction(() => {
        const t = loadTask(p, taskId);
        const leaving = t.team.find(
          (m) => m.inspectorId === (fromId ?? t.team.find((x) => x.role === 'leader')?.inspectorId),
        );
        if (!leaving) throw new Error(`inspector ${fromId ?? '(leader)'} is not on task ${taskId}`);
        const today = p.now().toISOString().slice(0, 10);
        const candidates = (p.db.prepare('SELECT id FROM inspectors ORDER BY id').all() as { id: string }[])
          .map((r) => inspectorById(p, r.id))
          .filter((i) => i !== null && i.certExpiry >= today && !t.team.some((m) => m.inspectorId === i.id));
        const incoming = toId ? inspectorById(p, toId) : (candidates[0] ?? null);
        if (!incoming) throw new Error('no drawable inspector to reassign to');
        const team = t.team.map((m) =>
          m === leaving
            ? {
                inspectorId: incoming.id,
                name: incoming.name,
                certNo: incoming.certNo,
                certExpiry: incoming.certExpiry,
                role: m.role,
              }
            : m,
        );
        const next: Task = { ...t, team, version: t.version + 1 };
        p.db
          .prepare('UPDATE task_team SET active = 0 WHERE task_id = ? AND inspector_id = ?')
          .run(taskId, leaving.inspectorId);
        p.db
          .prepare(
            'INSERT INTO task_team (task_id, inspector_id, active) VALUES (?, ?, 1) ON CONFLICT DO UPDATE SET active = 1',
          )
          .run(taskId, incoming.id);
        saveTask(p, next);
        return next;
      })(),
    retargetTask: (taskId, uscc) =>
      p.db.transaction(() => {
        const t = loadTask(p, taskId);
        const row = p.db.prepare('SELECT json FROM enterprises WHERE uscc = ? AND deleted = 0').get(uscc) as
          { json: Buffer | string } | undefined;
        if (!row) throw new Error(`no live enterprise ${uscc}`);
        const e = JSON.parse(String(row.json)) as { name: string; address: string };
        const next: Task = { ...t, enterprise: { uscc, name: e.name, address: e.address }, version: t.version + 1 };
        p.db.prepare('UPDATE tasks SET enterprise_uscc = ? WHERE id = ?').run(uscc, taskId);
        saveTask(p, next);
        return next;
      })(),
    counts: (resultId) => ({
      results: (p.db.prepare('SELECT COUNT(*) AS n FROM results WHERE result_id = ?').get(resultId) as { n: number }).n,
      publications: (
        p.db.prepare('SELECT COUNT(*) AS n FROM publications WHERE result_id = ?').get(resultId) as { n: number }
      ).n,
    }),
    publishNow: () => publishDue(p),
    recordRectificationReport: (taskId, reportOn) => recordRectificationReport(p, taskId, reportOn),
    loseAttachment: (id) => loseAttachment(p, id),
    forgetResult: (id) =>
      p.db.transaction(() => {
        p.db.prepare('DELETE FROM publications WHERE result_id = ?').run(id);
        return p.db.prepare('DELETE FROM results WHERE result_id = ?').run(id).changes === 1;
      })(),
    addFault: (rule) => faults().add(rule),
    clearFaults: () => faults().clear(),
    listFaults: () => faults().list(),
    tasksOf: (inspectorId) =>
      (
        p.db
          .prepare('SELECT task_id FROM task_team WHERE inspector_id = ? AND active = 1 ORDER BY task_id')
          .all(inspectorId) as { task_id: string }[]
      ).map((r) => r.task_id),
    revokeDevice: (deviceId) => setDeviceRevoked(p, deviceId, true),
    reinstateDevice: (deviceId) => setDeviceRevoked(p, deviceId, false),
    keyReleases: (inspectorId) => keyReleases(p, inspectorId ?? null),
    addInspector: (inspector, password = DEMO_PASSWORD) => {
      const ins = InspectorSchema.parse(inspector);
      const salt = randomBytes(8).toString('hex');
      p.db
        .prepare('INSERT INTO inspectors (id, cert_no, salt, password_hash, json) VALUES (?, ?, ?, ?, ?)')
        .run(ins.id, ins.certNo, salt, hashPassword(password, salt), JSON.stringify(ins));
      return ins;
    },
    generated: () => JSON.parse(getMeta(p.db, 'generated') ?? '{}') as ReturnType<Admin['generated']>,
  };
}
