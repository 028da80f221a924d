/**
 * Stored row types of the two local databases. They are separate from the domain types (shared/)
 * on purpose: a row is what is on disk in a given schema version; mappers in the repositories turn
 * rows into domain objects. Rows hold only structured-cloneable data.
 */
import type { Enterprise, Inspector, Receipt, Reference, ResultPayload, Task } from '../../../shared/protocol/index.js';
import type {
  CheckMethod,
  FindingHandling,
  FollowUp,
  ItemOutcome,
  ResultCode,
} from '../../../shared/domain/results.js';

// ---------------------------------------------------------------- field database (strict)
export interface MetaRow {
  /** `stationBundle:<bundle id>`: a station bundle this inspector imported (its replay guard). */
  readonly key: 'deviceId' | 'deviceSeq' | 'marker' | 'schema' | `stationBundle:${string}`;
  readonly value: string | number;
}

/**
 * The signed-in session (key 'current'). `tokens` is the browser build's token set as JSON text: the
 * row is sealed whole under the inspector's data key in their partition, so it never rests in clear.
 * Electron keeps no tokens here (main holds the refresh token).
 */
export interface SessionRow {
  readonly key: 'current';
  readonly certNo: string;
  readonly inspector: Inspector;
  readonly platformUrl: string;
  readonly tokens: string | null;
  readonly offlineUnlocked: boolean;
  readonly signedInAt: string;
}

export type TaskMark = 'cancelled' | 'reassigned' | 'removed' | null;
export interface TaskRow {
  readonly id: string;
  readonly version: number;
  readonly status: Task['status'];
  readonly dueDate: string;
  readonly enterpriseUscc: string;
  readonly task: Task;
  /** Set when the server cancelled, reassigned or removed the task: local work is kept for review. */
  readonly mark: TaskMark;
  readonly seq: number;
}

export interface DraftItemRow {
  itemCode: string;
  outcome: ItemOutcome;
  note: string;
  finding: {
    description: string;
    legalBasis: string;
    severity: 'general' | 'key';
    handling: FindingHandling;
    rectifyDeadline: string | null;
    /** Added with field v2; absent on older rows. */
    lenient?: { code: string; decision: '' | 'apply' | 'decline'; minorHarm: boolean; reason: string } | null;
  } | null;
}

export interface DraftRow {
  readonly taskId: string;
  readonly resultId: string;
  readonly startedAt: string;
  readonly inspectedOn: string;
  readonly items: DraftItemRow[];
  readonly findings: string;
  readonly resultCodes: ResultCode[];
  readonly checkMethods: CheckMethod[];
  readonly followUps: FollowUp[];
  readonly replaces: string | null;
  readonly updatedAt: string;
  /** True once finalized: the draft is then read-only. */
  readonly frozen: boolean;
  /** Added with field v2; absent on older rows (read as empty). */
  readonly captions?: Readonly<Record<string, string>>;
  readonly signatures?: readonly DraftSignatureRow[];
  readonly templates?: readonly string[];
  /** How an irregular USCC compares with the licence (absent on older rows: read as empty). */
  readonly usccNote?: string;
}

export interface DraftSignatureRow {
  slot: string;
  role: 'inspector' | 'party';
  name: string;
  certNo: string;
  post: string;
  idNo: string;
  refused: boolean;
  refusalNote: string;
  witnessName: string;
  witnessIdNo: string;
  attachmentId: string | null;
  signedAt: string | null;
}

export interface ResultRow {
  readonly resultId: string;
  readonly taskId: string;
  readonly taskVersion: number;
  readonly payload: ResultPayload;
  readonly contentHash: string;
  readonly finalizedAt: string;
  readonly deviceSeq: number;
  readonly auditCheckpoint: { readonly count: number; readonly headHash: string };
  readonly receipt: Receipt | null;
}

export type OutboxStateRow = 'waiting' | 'uploading' | 'accepted' | 'published' | 'needs_review' | 'paused';
export interface OutboxRow {
  /** The Idempotency-Key: created and stored before the first send, never changed. */
  readonly opId: string;
  /** Order of the queue (device sequence at finalize). */
  readonly order: number;
  readonly kind: 'put-result';
  readonly resultId: string;
  readonly taskId: string;
  readonly enterpriseName: string;
  readonly publicationDeadline: string;
  readonly state: OutboxStateRow;
  readonly attempts: number;
  readonly createdAt: string;
  readonly lastAttemptAt: string | null;
  /** Epoch ms; null = now. */
  readonly nextAttemptAt: number | null;
  readonly lastError: string | null;
  readonly advice: string | null;
  readonly receipt: Receipt | null;
}

export interface AuditRow {
  readonly seq: number;
  readonly at: string;
  readonly kind: string;
  readonly subjectId: string;
  readonly detail: Readonly<Record<string, string | number | boolean | null>>;
  readonly prevHash: string;
  readonly hash: string;
}

export interface SyncStateRow {
  readonly stream: 'tasks' | 'enterprises' | 'reference';
  readonly cursor: string;
  readonly etag: string | null;
  readonly total: number;
  /** Generation of a full download; rows of older generations are dropped when a restart completes. */
  readonly generation: number;
  readonly restarting: boolean;
  readonly lastSyncedAt: string | null;
}

// ---------------------------------------------------------------- cache database (relaxed)
export interface EnterpriseRow {
  readonly uscc: string;
  readonly name: string;
  readonly version: number;
  readonly seq: number;
  readonly generation: number;
  readonly data: Enterprise;
}

export interface ReferenceRow {
  readonly key: 'current';
  readonly etag: string | null;
  readonly reference: Reference;
  readonly fetchedAt: string;
}

export interface QuarantineRow {
  readonly key: string;
  readonly stream: 'tasks' | 'enterprises' | 'reference';
  readonly reason: string;
  readonly raw: string;
  readonly at: string;
}
