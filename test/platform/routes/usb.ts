/**
 * Admin routes for the USB transfer (admin secret, like every /v1/admin route):
 * `POST /v1/admin/usb/import` takes a results bundle as the raw request body (streamed into the
 * opener, never held beyond one chunk of ciphertext before it is verified) and answers the outcome of
 * each result as the network upload would have; `GET /v1/admin/usb/receipts/{bundleId}` answers the
 * signed receipts bundle for an imported results bundle. A refused bundle is 422 with the reason.
 */
import type { Ctx, Reply } from '../http.js';
import { HttpError, json } from '../http.js';
import type { Platform } from '../state.js';
import { importResultsBundle } from '../usb-import.js';
import { IdSchema } from '../../../shared/protocol/index.js';
import { writeInspectorReceipts, writeReceiptsBundle } from '../usb-receipts.js';
import { requireAdminSecret } from './admin-v1.js';

export async function adminUsbImport(p: Platform, ctx: Ctx): Promise<Reply> {
  requireAdminSecret(p, ctx);
  const type = String(ctx.req.headers['content-type'] ?? '');
  if (!/^application\/octet-stream\b/i.test(type))
    throw new HttpError(400, 'BAD_REQUEST', 'Content-Type 必须为 application/octet-stream（数据包文件原样上传）');
  const out = await importResultsBundle(p, ctx.req as AsyncIterable<Uint8Array>);
  if (!out.ok)
    throw new HttpError(422, 'VALIDATION', `数据包被拒收：${out.error.message}`, {
      details: { refusal: out.error.kind },
    });
  return json(200, out);
}

/** `GET /v1/admin/usb/receipts/{bundleId}`, or `GET /v1/admin/usb/receipts?inspectorId=…` for all of an inspector's. */
export async function adminUsbReceipts(p: Platform, ctx: Ctx): Promise<Reply> {
  requireAdminSecret(p, ctx);
  const inspectorId = ctx.url.searchParams.get('inspectorId');
  const bundleId = ctx.params['bundleId'] ?? '';
  if (inspectorId === null && !/^[0-9a-f]{32}$/.test(bundleId))
    throw new HttpError(400, 'BAD_REQUEST', '数据包编号格式不正确（32 位十六进制），或请用 ?inspectorId= 指定检查人员');
  if (inspectorId !== null && !IdSchema.safeParse(inspectorId).success)
    throw new HttpError(400, 'BAD_REQUEST', 'inspectorId 参数格式不正确');
  const out =
    inspectorId !== null ? await writeInspectorReceipts(p, inspectorId) : await writeReceiptsBundle(p, bundleId);
  if (!out.ok) throw new HttpError(out.error.kind === 'unknown-bundle' ? 404 : 409, 'NOT_FOUND', out.error.message);
  return {
    status: 200,
    raw: { body: Buffer.from(out.bytes), type: 'application/octet-stream' },
    headers: { 'Content-Disposition': `attachment; filename="receipts-${inspectorId ?? bundleId}.sibundle"` },
  };
}
