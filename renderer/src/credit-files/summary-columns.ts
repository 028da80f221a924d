/**
 * The summary columns of a credit file, declared once: what the pipeline keeps of a validated
 * record besides its bytes (what the directory, the search rows and the search index need). The
 * stored search rows, the pages that cross from the feed workers to the pull worker, and the
 * search index's columns and hits are all derived from this list, so a field is added in one place.
 *
 * The order is the order of a sealed search row's columns, which are read back by position:
 * append new columns at the end, never reorder (rows stored by an earlier version must still read).
 */
import { CREDIT_CLASSES, WARNING_COLORS, type WarningColor } from '../../../shared/domain/credit.js';
import { ENTERPRISE_STATUSES, type Enterprise } from '../../../shared/protocol/index.js';

/**
 * What the download keeps of a validated record: the fields the directory and the search columns
 * need. The full record lives on only as its bytes, so the parsed object tree dies young (cheap
 * for the garbage collector) and a page can cross between threads without cloning whole records.
 */
export type EnterpriseSummary = Pick<
  Enterprise,
  'uscc' | 'version' | 'name' | 'legalRep' | 'address' | 'region' | 'status'
> & {
  readonly internal: Pick<Enterprise['internal'], 'creditClass' | 'warningColor'>;
};

/** The summary without its version, flat: what a search hit shows. */
export type FlatSummary = Omit<EnterpriseSummary, 'version' | 'internal'> & EnterpriseSummary['internal'];
type Field = keyof FlatSummary;

/** A column stored as an array of strings (one per record). */
interface TextColumn<F extends Field, K extends string> {
  readonly kind: 'text';
  /** The summary field (and the search hit's field). */
  readonly field: F;
  /** The search row's (and the search index's) name for the column. */
  readonly search: K;
  /** Under `internal` in the domain record. */
  readonly internal: boolean;
  readonly read: (e: EnterpriseSummary) => string;
  /** The value back from `read`'s text. */
  readonly fromText: (text: string) => string | null;
}

/**
 * A column of a small set of values, stored as one character per record (all of a chunk's in one
 * string) and indexed by position in `values` in the search index.
 */
interface CodeColumn<F extends Field, K extends string> {
  readonly kind: 'code';
  readonly field: F;
  readonly search: K;
  readonly internal: boolean;
  /** The value as text ('' = none: a record outside the fields that use the four-colour warning). */
  readonly read: (e: EnterpriseSummary) => string;
  /** The value back from `read`'s text ('' → null where a record may have none). */
  readonly fromText: (text: string) => string | null;
  /** Every value, in the order the search index numbers them ('' included where a record may have none). */
  readonly values: readonly string[];
  /** A value → its one stored character. */
  readonly code: (value: string) => string;
  /** A stored character → its value (an unknown one: the first value, as rows always read). */
  readonly decode: (ch: string) => string;
}

function text<F extends Field, K extends string>(
  field: F,
  search: K,
  read: (e: EnterpriseSummary) => string,
): TextColumn<F, K> {
  return { kind: 'text', field, search, internal: false, read, fromText: (t) => t };
}

const COLOR_CODES: Readonly<Record<WarningColor, string>> = { red: 'r', orange: 'o', blue: 'b', green: 'g' };
/** A record with no colour: one character, like the others. */
const NO_COLOR_CODE = '-';
const COLOR_BY_CODE: Readonly<Record<string, WarningColor>> = { r: 'red', o: 'orange', b: 'blue', g: 'green' };
const isColor = (v: string): v is WarningColor => (WARNING_COLORS as readonly string[]).includes(v);

/** The summary columns, in stored order (see the header: append only). */
export const SUMMARY_COLUMNS = [
  text('uscc', 'usccs', (e) => e.uscc),
  text('name', 'names', (e) => e.name),
  text('legalRep', 'legalReps', (e) => e.legalRep),
  text('address', 'addresses', (e) => e.address),
  text('region', 'regions', (e) => e.region),
  {
    kind: 'code',
    field: 'creditClass',
    search: 'classes',
    internal: true,
    read: (e) => e.internal.creditClass,
    fromText: (t) => t,
    values: CREDIT_CLASSES,
    code: (v) => v,
    decode: (ch) => ((CREDIT_CLASSES as readonly string[]).includes(ch) ? ch : CREDIT_CLASSES[0]),
  } satisfies CodeColumn<'creditClass', 'classes'>,
  {
    kind: 'code',
    field: 'warningColor',
    search: 'colors',
    internal: true,
    read: (e) => e.internal.warningColor ?? '',
    fromText: (t) => t || null,
    values: ['', ...WARNING_COLORS],
    code: (v) => (isColor(v) ? COLOR_CODES[v] : NO_COLOR_CODE),
    decode: (ch) => COLOR_BY_CODE[ch] ?? '',
  } satisfies CodeColumn<'warningColor', 'colors'>,
  {
    kind: 'code',
    field: 'status',
    search: 'statuses',
    internal: false,
    read: (e) => e.status,
    fromText: (t) => t,
    values: ENTERPRISE_STATUSES,
    code: (v) => String(Math.max(0, (ENTERPRISE_STATUSES as readonly string[]).indexOf(v))),
    decode: (ch) => ENTERPRISE_STATUSES[Number(ch) || 0] ?? ENTERPRISE_STATUSES[0],
  } satisfies CodeColumn<'status', 'statuses'>,
] as const;

export type SummaryColumn = (typeof SUMMARY_COLUMNS)[number];
export type TextSummaryColumn = Extract<SummaryColumn, { kind: 'text' }>;
export type CodeSummaryColumn = Extract<SummaryColumn, { kind: 'code' }>;
export type SummaryField = SummaryColumn['field'];

// Every field of the summary has its column, and no column names a field the summary lacks.
/** True when A and B are the same union (a compile-time check that two lists agree). */
export type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const everyFieldHasAColumn: Exactly<SummaryField, Field> = true;
void everyFieldHasAColumn;

/** The fields, in column order (as a tuple, for zod's enum). */
export const SUMMARY_FIELDS = SUMMARY_COLUMNS.map((c) => c.field) as unknown as readonly [
  SummaryField,
  ...SummaryField[],
];

export const TEXT_COLUMNS = SUMMARY_COLUMNS.filter((c): c is TextSummaryColumn => c.kind === 'text');
export const CODE_COLUMNS = SUMMARY_COLUMNS.filter((c): c is CodeSummaryColumn => c.kind === 'code');

/** A chunk's summary columns as stored in its search row: text columns as arrays, code columns as strings. */
export type SummarySearchColumns = { readonly [C in TextSummaryColumn as C['search']]: readonly string[] } & {
  /** One character per record (see the column's `code`). */
  readonly [C in CodeSummaryColumn as C['search']]: string;
};

/** A value's position in its code column's `values` (-1: not one of them). */
export function codePosition(col: CodeSummaryColumn, value: string): number {
  return (col.values as readonly string[]).indexOf(value);
}

/**
 * The flat summary (a search hit's fields) from each column's value as text. The texts come from
 * this pipeline's own columns (validated records, or rows it stored), so the types hold by construction.
 */
export function flatSummary(text: (c: SummaryColumn) => string): FlatSummary {
  const out: Record<string, string | null> = {};
  for (const c of SUMMARY_COLUMNS) out[c.field] = c.fromText(text(c));
  return out as unknown as FlatSummary;
}

/**
 * The summary, nested as in the domain record, from the record's version and each column's value
 * (`value(column, k)`, k = the column's position in SUMMARY_COLUMNS), already of the domain's
 * type: captured from a validated line, or `fromText` of a column this pipeline wrote.
 */
export function summaryOf(version: number, value: (c: SummaryColumn, k: number) => unknown): EnterpriseSummary {
  const top: Record<string, unknown> = { version };
  const internal: Record<string, unknown> = {};
  for (let k = 0; k < SUMMARY_COLUMNS.length; k++) {
    const c = SUMMARY_COLUMNS[k]!;
    (c.internal ? internal : top)[c.field] = value(c, k);
  }
  top['internal'] = internal;
  return top as unknown as EnterpriseSummary;
}

/** Where the byte validator captures the seq, the version and each column of an upsert line, in that order. */
export const SUMMARY_CAPTURES: readonly (readonly string[])[] = [
  ['seq'],
  ['enterprise', 'version'],
  ...SUMMARY_COLUMNS.map((c) => (c.internal ? ['enterprise', 'internal', c.field] : ['enterprise', c.field])),
];
