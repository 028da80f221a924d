/**
 * Memory of a Chromium launched on a given profile, read from /proc (Linux). Dedicated and nested
 * workers are threads of their page's renderer process, so the renderer processes' memory is the
 * page plus all its workers — which `performance.memory` (the page's main-thread heap only) is not.
 * PSS shares each shared page among the processes that map it (no double count of the browser's
 * own libraries); RSS counts them in full.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface BrowserMemory {
  /** Renderer processes (pages and their workers), proportional set size, MB. */
  renderersPssMB: number;
  renderersRssMB: number;
  /** Every process of this browser (browser, GPU, network, renderers), PSS, MB. */
  treePssMB: number;
  renderers: number;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // the process ended between listing and reading
  }
}

function kB(text: string | null, field: string): number {
  const m = text?.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  return m ? Number(m[1]) : 0;
}

/** The browser process for `profileDir` and all its descendants, with their command lines. */
export function browserProcesses(profileDir: string): { pid: number; cmd: string }[] {
  const procs: { pid: number; ppid: number; cmd: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(`/proc/${name}/stat`);
    const cmd = read(`/proc/${name}/cmdline`);
    if (!stat || cmd === null) continue;
    // The command name in field 2 may hold spaces and parentheses: parse after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    procs.push({ pid: Number(name), ppid, cmd: cmd.replaceAll('\0', ' ') });
  }
  const root = procs.find((p) => p.cmd.includes(`--user-data-dir=${profileDir}`) && !p.cmd.includes('--type='));
  if (!root) throw new Error(`no Chromium browser process for ${profileDir}`);
  const inTree = new Set([root.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs)
      if (!inTree.has(p.pid) && inTree.has(p.ppid)) {
        inTree.add(p.pid);
        grew = true;
      }
  }
  return procs.filter((p) => inTree.has(p.pid));
}

export function browserMemory(profileDir: string): BrowserMemory {
  let renderersPss = 0;
  let renderersRss = 0;
  let treePss = 0;
  let renderers = 0;
  for (const p of browserProcesses(profileDir)) {
    const rollup = read(`/proc/${p.pid}/smaps_rollup`);
    const pss = kB(rollup, 'Pss');
    treePss += pss;
    if (p.cmd.includes('--type=renderer')) {
      renderers += 1;
      renderersPss += pss;
      renderersRss += kB(rollup, 'Rss');
    }
  }
  return {
    renderersPssMB: renderersPss / 1024,
    renderersRssMB: renderersRss / 1024,
    treePssMB: treePss / 1024,
    renderers,
  };
}

/** Samples `browserMemory` every `everyMs` until stopped; returns the peaks of each figure. */
export function samplePeaks(profileDir: string, everyMs = 250): { stop(): BrowserMemory } {
  const peak: BrowserMemory = { renderersPssMB: 0, renderersRssMB: 0, treePssMB: 0, renderers: 0 };
  const sample = () => {
    const m = browserMemory(profileDir);
    peak.renderersPssMB = Math.max(peak.renderersPssMB, m.renderersPssMB);
    peak.renderersRssMB = Math.max(peak.renderersRssMB, m.renderersRssMB);
    peak.treePssMB = Math.max(peak.treePssMB, m.treePssMB);
    peak.renderers = Math.max(peak.renderers, m.renderers);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { ...peak };
    },
  };
}
