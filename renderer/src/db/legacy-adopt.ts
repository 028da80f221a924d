/**
 * An earlier version kept one unpartitioned `field` database, in clear. At their first online
 * sign-in on this laptop, the inspector named in its session row adopts it: every table is copied
 * into their sealed partition (sealed on the way in), then the clear copy is deleted. Anyone else
 * leaves it alone, so it waits for its owner.
 */
import { Dexie } from 'dexie';
import { FieldDb } from './databases.js';
import { legacyFieldDbName } from './device.js';

/** Tables not carried over: the partition writes its own session and device id at sign-in. */
const SKIP = new Set(['session']);

export async function adoptLegacyField(prefix: string, inspectorId: string, target: FieldDb): Promise<number> {
  const name = legacyFieldDbName(prefix);
  if (!(await Dexie.exists(name))) return 0;
  const legacy = new FieldDb(name);
  let copied = 0;
  try {
    const owner = (await legacy.session.get('current'))?.inspector.id ?? null;
    if (owner !== inspectorId) return 0;
    for (const table of target.tables) {
      if (SKIP.has(table.name) || !legacy.tables.some((t) => t.name === table.name)) continue;
      let rows = await legacy.table(table.name).toArray();
      if (table.name === 'meta') rows = rows.filter((r: { key?: unknown }) => r.key !== 'deviceId');
      if (rows.length === 0) continue;
      await target.transaction('rw', table, () => table.bulkPut(rows));
      copied += rows.length;
    }
  } finally {
    legacy.close();
  }
  await Dexie.delete(name);
  return copied;
}
