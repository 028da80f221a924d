/** What every handler may use: the database, the clock, settings, keys and the fault rules. */
import type { Db } from './db.js';
import type { Faults } from './faults.js';
import type { LogSigner } from './log-key.js';

export interface Platform {
  readonly db: Db;
  readonly now: () => Date;
  readonly tokenTtlSeconds: number;
  readonly publishDelayMs: number;
  /** Null when the simulator runs without fault injection. */
  readonly faults: Faults | null;
  readonly uploadsDir: string;
  /** Wraps escrowed data keys and station cache keys (kept in the data directory). */
  readonly masterKey: Buffer;
  /** The value test-only admin routes require in the admin secret header. */
  readonly adminSecret: string;
  /** This deployment reviews results before publication (reference data says so to the app). */
  readonly review: boolean;
  /** Signs the transparency log's checkpoints and every receipt. */
  readonly logKey: LogSigner;
  /** 32-byte hex seeds of the USB bundle key and the log key (the committed demo seeds when absent). */
  readonly bundleKeySeed?: string;
  readonly logKeySeed?: string;
  /** Lines per gzip member of the credit-file snapshot (tests use small ones); default one feed page. */
  readonly snapshotMemberLines?: number;
}
