/**
 * The station's credit-file cache key rests in the vault row, sealed under the inspector's data key:
 * it opens with their partition and is gone with their key copies.
 */
import type { SealingKeySource, VaultRow } from '../../db/index.js';
import { openJson, sealJson } from '../../vault/index.js';

const aad = (inspectorId: string): Uint8Array => new TextEncoder().encode(`smart-inspect/station-key:${inspectorId}`);

export function sealStationKey(dataKey: Uint8Array, inspectorId: string, station: { keyId: string; key: Uint8Array }) {
  return sealJson(dataKey, { keyId: station.keyId, key: station.key }, aad(inspectorId));
}

/** The station key, or null when none was fetched yet or it does not open. */
export function openStationKey(row: VaultRow, keys: SealingKeySource): { keyId: string; key: Uint8Array } | null {
  const dataKey = keys.current();
  if (!row.stationKey || !dataKey) return null;
  try {
    const opened = openJson(dataKey, row.stationKey, aad(row.inspectorId));
    if (
      opened &&
      typeof opened === 'object' &&
      'key' in opened &&
      opened.key instanceof Uint8Array &&
      'keyId' in opened &&
      typeof opened.keyId === 'string'
    )
      return { keyId: opened.keyId, key: new Uint8Array(opened.key) };
    return null;
  } catch {
    return null;
  }
}
