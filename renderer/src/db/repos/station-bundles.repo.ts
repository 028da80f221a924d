/**
 * Station bundles this inspector has imported, by bundle id (random, so it may rest in the clear key):
 * the replay guard. A bundle is recorded only once its import completed, so an interrupted import can
 * be run again and continues where it stopped.
 */
import type { FieldDb } from '../databases.js';

export interface StationBundlesRepo {
  seen(bundleId: string): Promise<boolean>;
  markImported(bundleId: string, at: string): Promise<void>;
}

export function stationBundlesRepo(db: FieldDb): StationBundlesRepo {
  return {
    async seen(bundleId) {
      return (await db.meta.get(`stationBundle:${bundleId}`)) !== undefined;
    },
    async markImported(bundleId, at) {
      await db.meta.put({ key: `stationBundle:${bundleId}`, value: at });
    },
  };
}
