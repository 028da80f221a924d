/**
 * The simulator's side of the contract: each golden request is sent to the REAL simulator (port 0,
 * temp data dir) after the state the case needs was set up through the admin API, and the answer's
 * status, the headers the golden answer names and the body's shape (field names, JSON types, error
 * code) must match the golden one. Ids, tokens and timestamps are compared by type, not by value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fixture } from './contract-fixtures.js';
import { fill, loadFixtures, shapeDiff } from './contract-fixtures.js';
import type { CaseSetup, PlatformEnv } from './platform-cases.js';
import { platformCases, startEnv } from './platform-cases.js';

let env: PlatformEnv;
let SETUP: Readonly<Record<string, CaseSetup>>;
beforeAll(async () => {
  env = await startEnv();
  SETUP = platformCases(env);
});
afterAll(() => env.h.stop());

function encodeBody(body: unknown): BodyInit | undefined {
  if (body === null || body === undefined) return undefined;
  if (Buffer.isBuffer(body)) return new Uint8Array(body);
  return JSON.stringify(body);
}

function headerDiff(golden: Readonly<Record<string, string>>, res: Response): string[] {
  return Object.entries(golden).flatMap(([name, value]) => {
    const got = res.headers.get(name);
    if (got === null) return [`header ${name}: missing`];
    if (/^\d+$/.test(value) && !/^\d+$/.test(got)) return [`header ${name}: expected a number, got ${got}`];
    if (name === 'location' && !/\/v1\/uploads\/[^/]+$/.test(got)) return [`header location: ${got}`];
    if (name === 'tus-resumable' && got !== value) return [`header tus-resumable: ${got}`];
    return [];
  });
}

/** Values a replay must repeat exactly (set by the case's set-up). */
let sameAs: unknown;

async function send(f: Fixture): Promise<{ res: Response; body: unknown }> {
  const ctx = await SETUP[f.name]!(f);
  const req = fill(f.request, ctx) as Fixture['request'];
  const res = await fetch(`${env.h.platform.url}${req.path}`, {
    method: req.method,
    headers: req.headers,
    body: encodeBody(req.body),
  });
  const text = await res.text();
  await (ctx.pending as Promise<unknown> | undefined);
  sameAs = ctx.sameAs;
  // tus answers carry plain text (or nothing); only JSON bodies have a shape to compare.
  const isJson = /application\/json/.test(res.headers.get('content-type') ?? '');
  return { res, body: isJson && text.length > 0 ? (JSON.parse(text) as unknown) : null };
}

const fixtures = loadFixtures();

describe('the simulator answers every golden request as the protocol says', () => {
  it('has a set-up for every fixture', () => {
    expect(fixtures.map((f) => f.name).filter((n) => !(n in SETUP))).toEqual([]);
  });

  for (const f of fixtures) {
    it(`${f.name} (${f.source})`, async () => {
      sameAs = undefined;
      const { res, body } = await send(f);
      expect({ status: res.status, body }).toMatchObject({ status: f.response.status });
      expect(headerDiff(f.response.headers, res)).toEqual([]);
      if (f.response.body !== null) expect(shapeDiff(f.response.body, body, '$', f.closed === true)).toEqual([]);
      for (const key of f.exact ?? [])
        expect((body as Record<string, unknown>)[key], key).toEqual((f.response.body as Record<string, unknown>)[key]);
      if (sameAs !== undefined) expect(body).toMatchObject(sameAs as object);
      env.h.platform.admin.clearFaults();
    });
  }
});
