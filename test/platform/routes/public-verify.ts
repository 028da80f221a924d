/**
 * Verifying a paper: `/public/verify?result=&hash=` (the QR on every document), `/public/verify/hash/{hex}`
 * (a hash alone, computed in the visitor's browser from a PDF or photo), `/public/check` (the drop
 * zone) and `/public/check.js` (its script). Answers say what the paper must say, never internal data.
 */
import type { z } from 'zod';
import type { VerifyResponseSchema } from '../../../shared/protocol/index.js';
import type { Ctx, Reply } from '../http.js';
import { HttpError, json } from '../http.js';
import { publishDue } from '../publisher.js';
import type { Platform } from '../state.js';
import { publicHtml } from './public-html.js';
import { paperForHash, paperForQr } from './public-paper.js';
import type { PaperView } from './public-paper.js';
import { CHECK_SCRIPT, checkPage, hashVerifyPage, qrVerifyPage } from './public-verify-html.js';
import { correctionOf } from './public.js';

type VerifyResponse = z.infer<typeof VerifyResponseSchema>;

const wantsJson = (ctx: Ctx): boolean => /application\/json/.test(String(ctx.req.headers.accept ?? ''));

/** The JSON answer keeps the protocol's shape (the app reads it); the page is for people. */
function verifyJson(p: Platform, resultId: string, v: PaperView | 'unknown' | 'mismatch'): VerifyResponse {
  if (v === 'unknown') return { match: false, state: 'unknown', enterpriseName: null, inspectedOn: null };
  if (v === 'mismatch') return { match: false, state: 'mismatch', enterpriseName: null, inspectedOn: null };
  const correctedBy = correctionOf(p, resultId);
  return {
    match: true,
    state: v.state,
    enterpriseName: v.enterpriseName,
    inspectedOn: v.inspectedOn,
    ...(v.document ? { document: v.document } : {}),
    ...(correctedBy ? { correctedBy } : {}),
  };
}

export function verify(p: Platform, ctx: Ctx): Reply {
  publishDue(p);
  const resultId = ctx.url.searchParams.get('result') ?? '';
  const v = paperForQr(p, resultId, ctx.url.searchParams.get('hash') ?? '');
  return wantsJson(ctx) ? json(200, verifyJson(p, resultId, v)) : publicHtml(200, qrVerifyPage(v));
}

export function verifyHash(p: Platform, ctx: Ctx): Reply {
  publishDue(p);
  const hash = (ctx.params['hash'] ?? '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hash))
    throw new HttpError(400, 'BAD_REQUEST', '校验值格式不正确：应为 64 位十六进制 SHA-256');
  const v = paperForHash(p, hash);
  if (wantsJson(ctx)) return json(200, v ? { found: true, paper: v } : { found: false });
  return publicHtml(200, hashVerifyPage(v, hash));
}

export function checkHtml(): Reply {
  return publicHtml(200, checkPage());
}

export function checkScript(): Reply {
  return {
    status: 200,
    raw: { body: CHECK_SCRIPT, type: 'text/javascript; charset=utf-8' },
    headers: { 'X-Content-Type-Options': 'nosniff' },
  };
}
