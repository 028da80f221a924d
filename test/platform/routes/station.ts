/**
 * `GET /v1/admin/station-bundle?inspectors=<id>,<id>[&blockSize=n]` (admin secret): a signed station
 * bundle for the named inspectors, streamed as it is sealed. Tasks, cursors and number blocks are
 * fixed before the first byte is written; a failure after that cuts the body, which the app refuses
 * as a truncated file.
 */
import { IdSchema } from '../../../shared/protocol/index.js';
import type { Ctx, Reply } from '../http.js';
import { HttpError } from '../http.js';
import { buildStationBundle } from '../station-bundle.js';
import type { Platform } from '../state.js';
import { requireAdminSecret } from './admin-v1.js';

export async function adminStationBundle(p: Platform, ctx: Ctx): Promise<Reply | null> {
  requireAdminSecret(p, ctx);
  const raw = ctx.url.searchParams.get('inspectors') ?? '';
  const ids = raw.split(',').filter((s) => s.length > 0);
  if (ids.length === 0 || ids.some((id) => !IdSchema.safeParse(id).success))
    throw new HttpError(400, 'BAD_REQUEST', 'inspectors 参数应为逗号分隔的执法人员编号');
  const rawSize = ctx.url.searchParams.get('blockSize');
  const blockSize = rawSize === null ? undefined : Number(rawSize);
  if (blockSize !== undefined && (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > 500))
    throw new HttpError(400, 'BAD_REQUEST', 'blockSize 应为 1 至 500 之间的整数');
  const built = await buildStationBundle(p, { inspectorIds: ids, ...(blockSize ? { blockSize } : {}) });
  ctx.res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Disposition': `attachment; filename="station-${built.info.stationId}.sibundle"`,
    'Cache-Control': 'no-store',
  });
  for await (const part of built.bytes) {
    if (!ctx.res.write(part)) await new Promise<void>((resolve) => ctx.res.once('drain', () => resolve()));
  }
  ctx.res.end();
  return null;
}
