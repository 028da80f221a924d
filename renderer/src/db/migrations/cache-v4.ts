/**
 * Cache database, schema version 4: the credit-file snapshot being downloaded. `snapMeta` holds the
 * one download in progress (which file, how many bytes are stored, whether its import started);
 * `snapParts` holds the bytes received so far in parts of a few MiB, sealed under the station cache
 * key (they are the credit files, compressed). Both survive a dropped link and an app restart, so a
 * download resumes at the stored byte count. Nothing of earlier versions changes.
 */
import type { Dexie } from 'dexie';

export const CACHE_V4_VERSION = 4;

export function cacheV4(db: Dexie): void {
  db.version(CACHE_V4_VERSION).stores({ snapMeta: 'key', snapParts: 'id' });
}
