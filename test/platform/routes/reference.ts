/**
 * `GET /v1/reference` with ETag / If-None-Match: result codes, check methods, follow-ups, the item
 * catalogue, the lenient list, departments, the working-day calendar and template versions.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../shared/domain/canonical.js';
import { DEFAULT_PUBLICATION_WORKING_DAYS } from '../../../shared/domain/dates.js';
import {
  CHECK_METHODS,
  CHECK_METHOD_LABELS,
  FOLLOW_UPS,
  FOLLOW_UP_LABELS,
  RESULT_CODES,
  RESULT_CODE_LABELS,
} from '../../../shared/domain/results.js';
import type { Reference } from '../../../shared/protocol/index.js';
import { DOC_TEMPLATE_VERSIONS, DOC_TYPES, ReferenceSchema } from '../../../shared/protocol/index.js';
import { requireInspector } from '../auth.js';
import { CALENDAR } from '../gen/calendar.js';
import { ALL_ITEMS, DEPARTMENTS } from '../gen/catalogue.js';
import { LENIENT_LIST } from '../gen/lenient-list.js';
import { SE525_TEMPLATE } from '../gen/se-525-template.js';
import { WARNING_SCHEME } from '../gen/warning-scheme.js';
import type { Ctx, Reply } from '../http.js';
import { json } from '../http.js';
import type { Platform } from '../state.js';

export function buildReference(review = false): Reference {
  return ReferenceSchema.parse({
    version: '2026.1',
    resultCodes: RESULT_CODES.map((code) => ({ code, label: RESULT_CODE_LABELS[code] })),
    checkMethods: CHECK_METHODS.map((code) => ({ code, label: CHECK_METHOD_LABELS[code] })),
    followUps: FOLLOW_UPS.map((code) => ({ code, label: FOLLOW_UP_LABELS[code] })),
    departments: DEPARTMENTS.map((d) => ({ ...d })),
    items: ALL_ITEMS,
    lenientList: LENIENT_LIST,
    calendar: { holidays: [...CALENDAR.holidays], workdays: [...CALENDAR.workdays] },
    publicationWorkingDays: DEFAULT_PUBLICATION_WORKING_DAYS,
    documentTemplates: DOC_TYPES.map((docType) => ({ docType, version: DOC_TEMPLATE_VERSIONS[docType] })),
    checkTemplates: [SE525_TEMPLATE],
    warningScheme: WARNING_SCHEME,
    // Only where the deployment reviews: the reference of a deployment without review is unchanged.
    ...(review ? { reviewBeforePublication: true } : {}),
  });
}

const tagOf = (r: Reference): string => `"${createHash('sha256').update(canonicalJson(r)).digest('hex').slice(0, 32)}"`;
const PLAIN = buildReference(false);
const REVIEWED = buildReference(true);
const TAGS = new Map([
  [PLAIN, tagOf(PLAIN)],
  [REVIEWED, tagOf(REVIEWED)],
]);

/** The reference data this deployment serves and its ETag. */
export function currentReference(p: Platform): { reference: Reference; etag: string } {
  const reference = p.review ? REVIEWED : PLAIN;
  return { reference, etag: TAGS.get(reference) ?? tagOf(reference) };
}

export function reference(p: Platform, ctx: Ctx): Reply {
  requireInspector(p, ctx);
  const { reference: REFERENCE, etag: ETAG } = currentReference(p);
  const inm = ctx.req.headers['if-none-match'];
  if (
    inm &&
    inm
      .split(',')
      .map((s) => s.trim())
      .some((t) => t === ETAG || t === `W/${ETAG}` || t === '*')
  ) {
    return { status: 304, headers: { ETag: ETAG } };
  }
  return json(200, REFERENCE, { ETag: ETAG, 'Cache-Control': 'no-cache' });
}
