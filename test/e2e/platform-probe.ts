/**
 * What the tests need to know from the platform before driving the app ("which task is mine?"),
 * asked the way the app asks: through the simulator's API as a signed-in inspector, with answers
 * checked by the shared protocol schemas. The probe signs in as a device of its own, so the app's
 * device is not disturbed.
 */
import {
  API,
  EnterpriseSchema,
  LoginResponseSchema,
  TaskFeedPageSchema,
  type Enterprise,
  type Task,
} from '../../shared/protocol/index.js';
import type { StartedPlatform } from '../platform/server.js';

export type Login = StartedPlatform['logins'][number];

export interface PlatformProbe {
  /** The inspector's assigned tasks (not cancelled or reassigned), in feed order. */
  assignedTasks(who?: Login): Promise<Task[]>;
  /** The inspector's first assigned task; throws if there is none. */
  myTask(who?: Login): Promise<Task>;
  /** The first demo inspector with an assigned task that passes the test, with that task. */
  findTask(wanted: (task: Task, all: readonly Task[]) => boolean, what: string): Promise<{ who: Login; task: Task }>;
  /** The credit files the platform serves (the valid ones), first page. */
  enterprises(who?: Login, limit?: number): Promise<Enterprise[]>;
}

export function platformProbe(platform: StartedPlatform): PlatformProbe {
  const tokens = new Map<string, string>();
  const first = (): Login => {
    const who = platform.logins[0];
    if (!who) throw new Error('the simulator has no demo login');
    return who;
  };

  async function token(who: Login): Promise<string> {
    const known = tokens.get(who.certNo);
    if (known) return known;
    const res = await fetch(`${platform.url}${API.login}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        certNo: who.certNo,
        password: who.password,
        deviceId: 'e2e-probe',
        deviceName: 'e2e probe',
      }),
    });
    if (!res.ok) throw new Error(`probe login as ${who.certNo} failed: HTTP ${res.status}`);
    const { accessToken } = LoginResponseSchema.parse(await res.json());
    tokens.set(who.certNo, accessToken);
    return accessToken;
  }

  async function assignedTasks(who: Login = first()): Promise<Task[]> {
    const auth = { Authorization: `Bearer ${await token(who)}` };
    const mine = new Set(platform.admin.tasksOf(who.inspectorId));
    const tasks: Task[] = [];
    for (let cursor = '0', more = true; more;) {
      const res = await fetch(`${platform.url}${API.tasks}?cursor=${cursor}&limit=500`, { headers: auth });
      if (!res.ok) throw new Error(`probe task feed: HTTP ${res.status}`);
      const page = TaskFeedPageSchema.parse(await res.json());
      for (const c of page.changes)
        if (c.kind === 'upsert' && c.task.status === 'assigned' && mine.has(c.task.id)) tasks.push(c.task);
      cursor = page.nextCursor;
      more = page.hasMore;
    }
    return tasks;
  }

  return {
    assignedTasks,
    async myTask(who = first()) {
      const task = (await assignedTasks(who))[0];
      if (!task) throw new Error(`inspector ${who.certNo} has no assigned task`);
      return task;
    },
    async findTask(wanted, what) {
      for (const who of platform.logins) {
        const all = await assignedTasks(who);
        const task = all.find((t) => wanted(t, all));
        if (task) return { who, task };
      }
      throw new Error(`no demo inspector has ${what} in the seeded data`);
    },
    async enterprises(who = first(), limit = 5000) {
      const res = await fetch(`${platform.url}${API.enterprises}?cursor=0&limit=${limit}`, {
        headers: { Authorization: `Bearer ${await token(who)}` },
      });
      if (!res.ok) throw new Error(`probe enterprise feed: HTTP ${res.status}`);
      const body = (await res.json()) as { changes: { enterprise?: unknown }[] };
      // Deliberately malformed records (the simulator serves some) are skipped, as the app quarantines them.
      return body.changes.flatMap((c) => {
        const parsed = EnterpriseSchema.safeParse(c.enterprise);
        return parsed.success ? [parsed.data] : [];
      });
    },
  };
}
