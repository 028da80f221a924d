/** The ordered list of schema versions per database; every version keeps its own module. */
import type { Dexie } from 'dexie';
import { cacheV1 } from './cache-v1.js';
import { cacheV2 } from './cache-v2.js';
import { cacheV3 } from './cache-v3.js';
import { cacheV4 } from './cache-v4.js';
import { cacheV5 } from './cache-v5.js';
import { cacheV6 } from './cache-v6.js';
import { fieldV1 } from './field-v1.js';
import { fieldV2 } from './field-v2.js';
import { fieldV3 } from './field-v3.js';
import { fieldV4 } from './field-v4.js';
import { FIELD_V5_VERSION, fieldV5 } from './field-v5.js';
import { FIELD_V6_VERSION, fieldV6 } from './field-v6.js';
import { FIELD_V7_VERSION, fieldV7 } from './field-v7.js';
import { FIELD_V8_VERSION, fieldV8 } from './field-v8.js';
import { FIELD_V10_VERSION, fieldV10 } from './field-v10.js';
import { FIELD_V11_VERSION, fieldV11 } from './field-v11.js';
import { FIELD_V12_VERSION, fieldV12 } from './field-v12.js';
import { FIELD_V14_VERSION, fieldV14 } from './field-v14.js';

export const FIELD_MIGRATIONS: readonly ((db: Dexie) => void)[] = [
  fieldV1,
  fieldV2,
  fieldV3,
  fieldV4,
  fieldV5,
  fieldV6,
  fieldV7,
  fieldV8,
  fieldV10,
  fieldV11,
  fieldV12,
  fieldV14,
];
export const CACHE_MIGRATIONS: readonly ((db: Dexie) => void)[] = [
  cacheV1,
  cacheV2,
  cacheV3,
  cacheV4,
  cacheV5,
  cacheV6,
];
/** The highest declared field version (Dexie allows gaps: v2 and v3 belong to other issues). */
export const FIELD_SCHEMA_VERSION = Math.max(
  FIELD_MIGRATIONS.length,
  FIELD_V5_VERSION,
  FIELD_V6_VERSION,
  FIELD_V7_VERSION,
  FIELD_V8_VERSION,
  FIELD_V10_VERSION,
  FIELD_V11_VERSION,
  FIELD_V12_VERSION,
  FIELD_V14_VERSION,
);
export const CACHE_SCHEMA_VERSION = CACHE_MIGRATIONS.length;
