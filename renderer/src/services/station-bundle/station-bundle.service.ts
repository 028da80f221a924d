/**
 * Station bundle import as a service: read and verify the whole file first (nothing is written
 * before every check passed), then write as a pull would — reference data, tasks with their cursor,
 * this device's number blocks, the credit files member by member with their cursors — and record
 * the bundle id last, so a bundle is refused as replayed only once it was imported completely.
 * One import at a time.
 */
import { quarantineRepo, stationBundlesRepo } from '../../db/index.js';
import type { Runtime } from '../runtime.js';
import type {
  StationBundleService,
  StationImportOptions,
  StationImportProgress,
  StationImportResult,
} from './station-bundle.api.js';
import { applyBlocks, applyReference, applyTasks } from './station-bundle.apply.js';
import { runCreditImport } from './station-bundle.runner.js';
import { openStationBundle } from './station-bundle.open.js';

export interface StationBundleHooks {
  /** Lets the search index follow the credit-file writes (as it does during a sync). */
  readonly beforeCreditFiles?: () => void;
  /** Busy while a network sync runs: both would write the same cursors. */
  readonly syncRunning?: () => boolean;
  /** Called as an import starts: a sync waiting to retry must not start in the middle of it. */
  readonly beforeImport?: () => void;
}

export function createStationBundleService(rt: Runtime, hooks: StationBundleHooks = {}): StationBundleService {
  const imported = stationBundlesRepo(rt.dbs.field);
  let running = false;

  async function run(file: Blob, o: StationImportOptions): Promise<StationImportResult> {
    const progress = (p: StationImportProgress) => o.onProgress?.(p);
    const session = await rt.repos.session.current();
    if (!session) throw new Error('station bundle import needs a signed-in inspector');
    const opened = await openStationBundle(file, {
      stationKey: rt.dbs.cache.cacheKey,
      platformKey: (await rt.deps.adapter.config()).platformLogKey,
      inspectorId: session.inspector.id,
      deviceId: await rt.repos.meta.deviceId(),
      seen: (id) => imported.seen(id),
      onProgress: progress,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    if (!opened.ok) return opened;
    const c = opened.contents;

    progress({ step: 'tasks', message: '正在导入任务、参考数据和文书编号…', done: 0, total: 1 });
    const skipped: string[] = [];
    const refSkipped = await applyReference(rt, c);
    if (refSkipped) skipped.push(refSkipped);
    const tasks = await applyTasks(rt, c, (rows) => quarantineRepo(rt.dbs.cache).put(rows));
    if (tasks.skipped) skipped.push(tasks.skipped);
    rt.emit('tasks');
    const numberBlocks = await applyBlocks(rt, c);

    hooks.beforeCreditFiles?.();
    const records = c.info.enterprises.records;
    const credit = await runCreditImport(
      {
        cache: rt.dbs.cache,
        repo: rt.repos.enterprises,
        pageSize: rt.deps.pageSize ?? 1000,
        now: rt.now,
        useWorker: rt.deps.useWorker ?? false,
        ...(o.signal ? { signal: o.signal } : {}),
        onProgress: (done) =>
          progress({ step: 'enterprises', message: `正在导入企业档案 ${done}/${records}`, done, total: records }),
      },
      c.info.enterprises,
      c.enterprises,
    );
    if ('cancelled' in credit)
      return {
        ok: false,
        error: {
          kind: 'cancelled',
          message: `已取消：任务和已写入的 ${credit.imported} 条企业档案已保存；再次导入同一文件或联网同步将从中断处继续`,
        },
      };
    if (credit.skipped) skipped.push(credit.skipped);
    await imported.markImported(c.header.bundleId, rt.now().toISOString());
    rt.emit('tasks');
    progress({ step: 'done', message: '导入完成', done: records, total: records });
    return { ok: true, summary: { tasks: tasks.applied, enterprises: credit.imported, numberBlocks, skipped } };
  }

  return {
    async importFile(file, o = {}) {
      if (running || hooks.syncRunning?.())
        return { ok: false, error: { kind: 'busy', message: '正在同步或导入，请完成后再导入数据包' } };
      running = true;
      hooks.beforeImport?.();
      try {
        return await run(file, o);
      } finally {
        running = false;
      }
    },
    importing: () => running,
  };
}
