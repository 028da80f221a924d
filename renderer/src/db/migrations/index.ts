/** The ordered list of schema versions per database; every version keeps its own module. */
import type { Dexie } from 'dexie';
import { cacheV1 } from './cache-v1.js';
import { fieldV1 } from './field-v1.js';
import { fieldV2 } from './field-v2.js';

export const FIELD_MIGRATIONS: readonly ((db: Dexie) => void)[] = [fieldV1, fieldV2];
export const CACHE_MIGRATIONS: readonly ((db: Dexie) => void)[] = [cacheV1];
export const FIELD_SCHEMA_VERSION = FIELD_MIGRATIONS.length;
export const CACHE_SCHEMA_VERSION = CACHE_MIGRATIONS.length;
