/**
 * A CPU profile of every thread of a page's renderer (the page, the pull worker and its nested
 * workers, the search worker), taken with Chromium's tracing through a CDP session: the sampling
 * profiler's ProfileChunk events carry each thread's samples. `summarize` turns them into self time
 * per function and thread. Used by the benches when BENCH_TRACE names a file to write the summary to.
 */
import { writeFileSync } from 'node:fs';
import type { CDPSession, Page } from '@playwright/test';

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly id?: string;
  readonly args?: {
    readonly name?: string;
    readonly data?: {
      readonly cpuProfile?: {
        readonly nodes?: { id: number; callFrame?: { functionName?: string; url?: string; lineNumber?: number } }[];
        readonly samples?: number[];
      };
      readonly timeDeltas?: number[];
    };
  };
}

export interface CpuTrace {
  stop(): Promise<TraceEvent[]>;
}

export async function startCpuTrace(page: Page): Promise<CpuTrace> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: {
      includedCategories: ['disabled-by-default-v8.cpu_profiler', 'v8.execute', '__metadata'],
      excludedCategories: ['*'],
    },
  });
  return {
    async stop() {
      const done = new Promise<string>((resolve) =>
        cdp.once('Tracing.tracingComplete', (e: { stream?: string }) => resolve(e.stream ?? '')),
      );
      await cdp.send('Tracing.end');
      const stream = await done;
      let text = '';
      for (;;) {
        const chunk = await cdp.send('IO.read', { handle: stream, size: 1 << 20 });
        text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data;
        if (chunk.eof) break;
      }
      await cdp.send('IO.close', { handle: stream });
      await cdp.detach();
      const parsed = JSON.parse(text) as { traceEvents?: TraceEvent[] } | TraceEvent[];
      return Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
    },
  };
}

/** Self time (ms) per thread and function, the largest first; the sampling interval is the profiler's. */
export function summarize(events: readonly TraceEvent[], top = 25): string {
  const threadNames = new Map<string, string>();
  for (const e of events)
    if (e.name === 'thread_name' && e.args?.name) threadNames.set(`${e.pid}:${e.tid}`, e.args.name);
  // One profile per thread: nodes accumulate across its chunks; each sample's delta is its weight.
  const profiles = new Map<string, { thread: string; nodes: Map<number, string>; self: Map<number, number> }>();
  for (const e of events) {
    if (e.name !== 'ProfileChunk' || !e.args?.data) continue;
    const key = `${e.pid}:${e.id ?? e.tid}`;
    const p = profiles.get(key) ?? {
      thread: threadNames.get(`${e.pid}:${e.tid}`) ?? `tid ${e.tid}`,
      nodes: new Map<number, string>(),
      self: new Map<number, number>(),
    };
    profiles.set(key, p);
    const cp = e.args.data.cpuProfile;
    for (const n of cp?.nodes ?? []) {
      // Later chunks repeat a node's id with only its parent: the first callFrame seen is kept.
      if (p.nodes.has(n.id) || !n.callFrame) continue;
      const file = (n.callFrame.url ?? '').split('/').pop() ?? '';
      const fn = n.callFrame.functionName || '(anonymous)';
      p.nodes.set(n.id, file ? `${fn} ${file}:${(n.callFrame.lineNumber ?? 0) + 1}` : fn);
    }
    const samples = cp?.samples ?? [];
    const deltas = e.args.data.timeDeltas ?? [];
    samples.forEach((s, i) => p.self.set(s, (p.self.get(s) ?? 0) + (deltas[i] ?? 0) / 1000));
  }
  const out: string[] = [];
  for (const p of profiles.values()) {
    const byName = new Map<string, number>();
    for (const [id, ms] of p.self) {
      const name = p.nodes.get(id) ?? `node ${id}`;
      byName.set(name, (byName.get(name) ?? 0) + ms);
    }
    const total = [...byName.values()].reduce((a, b) => a + b, 0);
    const busy = [...byName].filter(([n]) => !n.startsWith('(idle)') && !n.startsWith('(program)'));
    out.push(
      `== ${p.thread}: ${total.toFixed(0)} ms sampled, ${busy.reduce((a, [, v]) => a + v, 0).toFixed(0)} ms busy`,
    );
    for (const [name, ms] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, top))
      out.push(`${ms.toFixed(1).padStart(9)}  ${name}`);
  }
  return out.join('\n');
}

export function writeSummary(file: string, events: readonly TraceEvent[]): void {
  writeFileSync(file, summarize(events, 40) + '\n');
}
