/**
 * Dexie DBCore middleware that seals rows of the tables it is given under the inspector's data
 * key. On write a row is stored as its primary key and indexed key paths in clear (IndexedDB needs
 * them to index) plus the sealed field `$s`, which holds the WHOLE row sealed with sealJson (AAD =
 * database + table + primary key, so a row copied to another table or key does not open). On read
 * the row returned is the opened `$s` alone: every value the app reads is authenticated, so an
 * indexed field edited on disk can misplace a row in an index but never change what is read.
 *
 * Sealing is synchronous (noble) on purpose: it runs inside IndexedDB transactions, where awaiting
 * anything but an IndexedDB request would commit the transaction early.
 *
 * With no data key (locked) every operation on a sealed table rejects with VaultLockedError:
 * nothing is read as clear-text defaults and nothing is written unsealed. Tables must have an
 * inbound primary key that the caller sets (not `++id` without a value): the key is part of the
 * AAD, so it must be known before the row is written.
 */
import {
  Dexie,
  type DBCore,
  type DBCoreCursor,
  type DBCoreMutateRequest,
  type DBCoreTable,
  type DBCoreTableSchema,
  type Middleware,
} from 'dexie';
import { openJson, sealJson } from '../vault/sealed-json.js';
import { VaultError, VaultLockedError } from '../vault/vault.errors.js';

export const SEALED_FIELD = '$s';

export interface SealingKeySource {
  /** The data key, or null while the vault is locked. */
  current(): Uint8Array | null;
}

export interface SealingOptions {
  /** Names of the tables whose rows are sealed; other tables pass through untouched. */
  readonly tables: readonly string[];
  readonly keys: SealingKeySource;
}

const encoder = new TextEncoder();

/** IndexedDB keys as unambiguous JSON (numbers, strings, dates, binary and arrays of these). */
function keyForAad(key: unknown): unknown {
  if (typeof key === 'number') return ['n', key];
  if (typeof key === 'string') return ['s', key];
  if (key instanceof Date) return ['d', key.getTime()];
  if (Array.isArray(key)) return ['a', key.map(keyForAad)];
  if (key instanceof ArrayBuffer || ArrayBuffer.isView(key)) {
    const bytes =
      key instanceof ArrayBuffer ? new Uint8Array(key) : new Uint8Array(key.buffer, key.byteOffset, key.byteLength);
    return ['b', Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')];
  }
  throw new TypeError(`sealing: ${String(key)} is not a valid IndexedDB key`);
}

/** Where a sealed row belongs: database + table + primary key. */
export function sealedRowAad(dbName: string, table: string, primaryKey: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(['smart-inspect/row', dbName, table, keyForAad(primaryKey)]));
}

/** The key paths kept in clear: the primary key's and every index's. */
function clearPaths(schema: DBCoreTableSchema): string[] {
  const paths = new Set<string>();
  for (const index of [schema.primaryKey, ...schema.indexes]) {
    const kp = index.keyPath;
    if (kp === null) continue;
    for (const p of Array.isArray(kp) ? kp : [kp]) paths.add(p);
  }
  return [...paths];
}

function sealedTable(down: DBCoreTable, dbName: string, keys: SealingKeySource): DBCoreTable {
  const { schema } = down;
  const extractKey = schema.primaryKey.extractKey;
  if (schema.primaryKey.outbound || !extractKey) {
    throw new Error(
      `sealing: table ${schema.name} has an outbound primary key; sealed rows need an inbound key (it is part of the AAD)`,
    );
  }
  const paths = clearPaths(schema);
  if (paths.some((p) => p === SEALED_FIELD || p.startsWith(`${SEALED_FIELD}.`))) {
    throw new Error(`sealing: table ${schema.name} indexes ${SEALED_FIELD}, the sealed field`);
  }

  const dataKey = (): Uint8Array => {
    const key = keys.current();
    if (!key) throw new VaultLockedError(`table ${schema.name}`);
    return key;
  };

  const seal = (key: Uint8Array, value: unknown): Record<string, unknown> => {
    if (value === null || typeof value !== 'object')
      throw new TypeError(`sealing: rows of ${schema.name} must be objects`);
    const primaryKey: unknown = extractKey(value);
    if (primaryKey === undefined) {
      throw new Error(
        `sealing: a row of ${schema.name} has no primary key; sealed tables need the key set before writing (it is part of the AAD)`,
      );
    }
    const stored: Record<string, unknown> = {};
    for (const p of paths) {
      const v: unknown = Dexie.getByKeyPath(value, p);
      if (v !== undefined) Dexie.setByKeyPath(stored, p, v);
    }
    stored[SEALED_FIELD] = sealJson(key, value, sealedRowAad(dbName, schema.name, primaryKey));
    return stored;
  };

  const open = (key: Uint8Array, stored: unknown): unknown => {
    if (stored === undefined) return undefined;
    const sealed =
      stored !== null && typeof stored === 'object' ? (stored as Record<string, unknown>)[SEALED_FIELD] : undefined;
    if (!(sealed instanceof Uint8Array))
      throw new VaultError('not-sealed', `a row of ${schema.name} has no ${SEALED_FIELD}`);
    return openJson(key, sealed, sealedRowAad(dbName, schema.name, extractKey(stored)));
  };

  const wrapCursor = (key: Uint8Array, cursor: DBCoreCursor): DBCoreCursor => {
    let lastStored: unknown;
    let lastOpened: unknown;
    // Inherit everything else from the real cursor: its continue/stop/fail are replaced on it
    // while iterating, and the prototype chain always finds the current ones.
    return Object.create(cursor, {
      value: {
        get(): unknown {
          const stored: unknown = cursor.value;
          if (stored !== lastStored) {
            lastOpened = open(key, stored);
            lastStored = stored;
          }
          return lastOpened;
        },
      },
    }) as DBCoreCursor;
  };

  const guarded =
    <A, R>(fn: (key: Uint8Array, req: A) => Promise<R>) =>
    (req: A): Promise<R> => {
      try {
        return fn(dataKey(), req);
      } catch (e) {
        return Promise.reject(e);
      }
    };

  return {
    ...down,
    mutate: guarded((key, req: DBCoreMutateRequest) => {
      if (req.type !== 'add' && req.type !== 'put') return down.mutate(req);
      const values = req.values.map((v: unknown) => seal(key, v));
      // criteria/changeSpec/updates describe the change in clear; lower layers get the sealed values only.
      if (req.type === 'add')
        return down.mutate({
          type: 'add',
          trans: req.trans,
          values,
          ...(req.keys ? { keys: req.keys } : {}),
          ...(req.mutatedParts ? { mutatedParts: req.mutatedParts } : {}),
        });
      return down.mutate({
        type: 'put',
        trans: req.trans,
        values,
        ...(req.keys ? { keys: req.keys } : {}),
        ...(req.mutatedParts ? { mutatedParts: req.mutatedParts } : {}),
        ...(req.upsert !== undefined ? { upsert: req.upsert } : {}),
      });
    }),
    get: guarded(async (key, req: Parameters<DBCoreTable['get']>[0]) => open(key, await down.get(req))),
    getMany: guarded(async (key, req: Parameters<DBCoreTable['getMany']>[0]) =>
      (await down.getMany(req)).map((v: unknown) => open(key, v)),
    ),
    query: guarded(async (key, req: Parameters<DBCoreTable['query']>[0]) => {
      const res = await down.query(req);
      return req.values ? { ...res, result: res.result.map((v: unknown) => open(key, v)) } : res;
    }),
    openCursor: guarded(async (key, req: Parameters<DBCoreTable['openCursor']>[0]) => {
      const cursor = await down.openCursor(req);
      return cursor && req.values !== false ? wrapCursor(key, cursor) : cursor;
    }),
    count: guarded((_key, req: Parameters<DBCoreTable['count']>[0]) => down.count(req)),
  };
}

/** `db.use(sealingMiddleware({ tables, keys }))` before the database opens. */
export function sealingMiddleware(options: SealingOptions): Middleware<DBCore> {
  const sealed = new Set(options.tables);
  return {
    stack: 'dbcore',
    name: 'sealing',
    create(down: DBCore): Partial<DBCore> {
      const known = new Set(down.schema.tables.map((t) => t.name));
      for (const name of sealed)
        if (!known.has(name)) throw new Error(`sealing: no table ${name} in ${down.schema.name}`);
      const tables = new Map<string, DBCoreTable>();
      return {
        ...down,
        table(name: string): DBCoreTable {
          const table = down.table(name);
          if (!sealed.has(name)) return table;
          let wrapped = tables.get(name);
          if (!wrapped) {
            wrapped = sealedTable(table, down.schema.name, options.keys);
            tables.set(name, wrapped);
          }
          return wrapped;
        },
      };
    },
  };
}
