/**
 * The renderer's application-service contract: everything the UI may ask of the data layer
 * (auth, sync, tasks, credit files, drafts, results, outbox). UI code imports only these types and
 * the `services` instance made in `services/index.ts`; it never touches Dexie or fetch directly.
 *
 * Implemented by renderer/src/services/*.ts on top of db/ (Dexie repositories), sync/ (pull and push
 * engines) and platform/ (HTTP client and the Electron-or-browser adapter).
 */
import type { Enterprise, Inspector, Receipt, Reference, ResultPayload, Task } from '../../../shared/protocol/index.js';
import type { SearchAnswer as EnterpriseSearchAnswer, SearchFilters as EnterpriseSearchFilters, SearchHit as EnterpriseSearchHit } from '../search/types.js';
import type { CheckMethod, FindingHandling, FollowUp, ItemOutcome, ResultCode } from '../../../shared/domain/results.js';
import type { PullPhase, PullProgress } from '../sync/progress.js';
import type { StagedUpdate } from '../../../shared/ipc/contract.js';

/** Unsubscribe function returned by every `subscribe`. */
export type Unsubscribe = () => void;

// ---------------------------------------------------------------- auth
export interface Session {
  readonly inspector: Inspector;
  readonly deviceId: string;
  readonly platformUrl: string;
  /** True when the session was unlocked offline from the stored verifier (no fresh tokens yet). */
  readonly offlineUnlocked: boolean;
}

export type SignInError =
  | { readonly kind: 'bad-credentials'; readonly message: string }
  | { readonly kind: 'offline-never-signed-in'; readonly message: string }
  | { readonly kind: 'network'; readonly message: string }
  | { readonly kind: 'invalid-input'; readonly message: string };

export interface AuthService {
  /** The stored session, if the inspector signed in on this device before (works offline). */
  current(): Promise<Session | null>;
  /**
   * Online: POST /v1/auth/login, store tokens and a salted verifier (never the password).
   * Offline: check the password against the stored verifier of the same 执法证号.
   */
  signIn(certNo: string, password: string): Promise<{ ok: true; session: Session } | { ok: false; error: SignInError }>;
  signOut(): Promise<void>;
}

// ---------------------------------------------------------------- sync (pull)
export type SyncPhase = PullPhase;
/** The pull engine's progress plus when the last complete sync ended. */
export interface SyncProgress extends PullProgress {
  readonly lastSyncedAt: string | null;
}
export interface SyncService {
  /** Pulls reference data, tasks and credit files; resumable from the stored cursors. */
  start(): Promise<void>;
  cancel(): void;
  progress(): SyncProgress;
  subscribe(listener: (p: SyncProgress) => void): Unsubscribe;
  /** Records that failed validation, with the reason, for the UI. */
  quarantine(): Promise<readonly { readonly key: string; readonly reason: string; readonly at: string }[]>;
}

// ---------------------------------------------------------------- read models
export interface TaskSummary {
  readonly id: string;
  readonly taskNo: string;
  readonly planName: string;
  readonly enterpriseName: string;
  readonly enterpriseUscc: string;
  readonly dueDate: string;
  readonly taskStatus: Task['status'];
  /** Local progress: 未开始 / 检查中 (draft) / 已完成 (finalized). */
  readonly localState: 'new' | 'draft' | 'finalized';
  readonly creditClass: Enterprise['internal']['creditClass'] | null;
  readonly warningColor: Enterprise['internal']['warningColor'] | null;
}

export interface TaskService {
  list(): Promise<readonly TaskSummary[]>;
  get(id: string): Promise<Task | null>;
  subscribe(listener: () => void): Unsubscribe;
}

export interface EnterpriseService {
  get(uscc: string): Promise<Enterprise | null>;
  count(): Promise<number>;
  /**
   * Added by issue 3 (additive): fragment search over the cached credit files (any part of the
   * name, USCC or its prefix, legal representative, address), filtered and ranked; answered by an
   * in-memory index in a Web Worker. Empty query + filters lists the filtered set.
   */
  search(query: string, filters?: EnterpriseSearchFilters, limit?: number): Promise<EnterpriseSearchAnswer>;
  /** Build the search index now (start-up, after a sync); resolves when searches are instant. */
  warmSearch(): Promise<void>;
  /** Keep the search index up to date page by page while a sync writes (called as a sync starts). */
  followSearch(): void;
}
export type { EnterpriseSearchAnswer, EnterpriseSearchFilters, EnterpriseSearchHit, StagedUpdate };

export interface ReferenceService {
  get(): Promise<Reference | null>;
}

// ---------------------------------------------------------------- inspection drafts and results
export interface DraftItem {
  itemCode: string;
  outcome: ItemOutcome;
  note: string;
  finding: {
    description: string;
    legalBasis: string;
    severity: 'general' | 'key';
    handling: FindingHandling;
    rectifyDeadline: string | null;
    /** The inspector's decision when the finding matches the lenient list (issue 4). */
    lenient?: DraftLenient | null;
  } | null;
}

/** 首违不罚 / 轻微违法不予处罚: '' = not decided yet. */
export interface DraftLenient {
  code: string;
  decision: '' | 'apply' | 'decline';
  /** The inspector confirms the harm was minor (the one condition the record cannot show). */
  minorHarm: boolean;
  reason: string;
}

/** One signature slot of the on-site record; the PNG is an attachment of kind 'signature'. */
export interface DraftSignature {
  /** 'inspector-<inspectorId>' or 'party'. */
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

/** The form state, autosaved on every change. Mirrors ResultPayload but may be incomplete. */
export interface Draft {
  taskId: string;
  resultId: string;
  startedAt: string;
  inspectedOn: string;
  items: DraftItem[];
  findings: string;
  resultCodes: ResultCode[];
  checkMethods: CheckMethod[];
  followUps: FollowUp[];
  replaces: string | null;
  updatedAt: string;
  /** Evidence captions by attachment id (typed text autosaves with the draft, never rewriting Blobs). */
  captions: Record<string, string>;
  signatures: DraftSignature[];
  /** Check templates added to the checklist, e.g. 'se-525'. */
  templates: string[];
  /** When the enterprise's USCC is irregular: how it compares with the business licence on site. */
  usccNote: string;
}

/** A stored photo/scan/signature as the UI sees it (thumbnail as a Blob for an object URL). */
export interface EvidenceFile {
  readonly id: string;
  readonly kind: 'photo' | 'scan' | 'signature';
  readonly mime: string;
  readonly size: number;
  readonly sha256: string;
  readonly fileName: string;
  readonly capturedAt: string;
  readonly thumbnail: Blob | null;
  readonly blob: Blob;
}

export interface FinalizeProblem {
  /** Form path the problem belongs to, e.g. `items.2.finding.description` or `resultCodes`. */
  readonly path: string;
  readonly message: string;
}

export interface StoredResult {
  readonly resultId: string;
  readonly taskId: string;
  readonly payload: ResultPayload;
  readonly contentHash: string;
  readonly finalizedAt: string;
  readonly receipt: Receipt | null;
}

export interface InspectionService {
  /** The draft for a task, created (and saved) on first open. */
  openDraft(taskId: string): Promise<Draft>;
  /** Autosave: resolves only after the strict transaction committed. */
  saveDraft(draft: Draft): Promise<{ savedAt: string }>;
  /** Validate, freeze with a content hash, and queue for upload: one transaction. */
  finalize(taskId: string): Promise<{ ok: true; result: StoredResult } | { ok: false; problems: readonly FinalizeProblem[] }>;
  resultForTask(taskId: string): Promise<StoredResult | null>;
  /** Stores a photo, scan or signature PNG for the task's open draft (SHA-256 + thumbnail at capture). */
  addEvidence(taskId: string, file: Blob, kind: EvidenceFile['kind'], fileName: string): Promise<EvidenceFile>;
  removeEvidence(id: string): Promise<void>;
  evidenceFor(resultId: string): Promise<readonly EvidenceFile[]>;
  /** Every finalized record of the task, newest first (corrections name the one they replace). */
  resultsForTask(taskId: string): Promise<readonly StoredResult[]>;
  /** Opens a correction draft: a new resultId that `replaces` the latest finalized one. */
  startCorrection(taskId: string): Promise<Draft>;
}

// ---------------------------------------------------------------- outbox (push)
export type OutboxState = 'waiting' | 'uploading' | 'accepted' | 'published' | 'needs_review' | 'paused';
export interface OutboxEntry {
  readonly opId: string;
  readonly resultId: string;
  readonly taskId: string;
  readonly enterpriseName: string;
  readonly state: OutboxState;
  readonly attempts: number;
  readonly lastAttemptAt: string | null;
  readonly nextAttemptAt: string | null;
  readonly lastError: string | null;
  /** zh-CN: what the inspector should do (for needs_review / paused). */
  readonly advice: string | null;
  readonly publicationDeadline: string;
  /** Issue 6 (additive): attachment bytes the platform confirmed, 0–100, while uploading; else null. */
  readonly progress?: number | null;
  /** Why it was set aside, machine-readable (RESULT_CONFLICT, TASK_CANCELLED, …), for the review flow. */
  readonly setAsideCode?: string | null;
  /** The inspector's review decision, if any: kept with a note, or resent as a correction. */
  readonly review?: { readonly decision: 'keep' | 'correction'; readonly note: string; readonly at: string; readonly correctionResultId: string | null } | null;
  /** This result corrects (replaces) that one. */
  readonly replaces?: string | null;
}
export interface OutboxService {
  list(): Promise<readonly OutboxEntry[]>;
  /** Drain now (also runs on reconnect and on a timer). Single-flight. */
  pushNow(): Promise<void>;
  subscribe(listener: () => void): Unsubscribe;
  /** Issue 6 (additive): keep a set-aside result as it is, with the inspector's note. Nothing is deleted. */
  keepWithNote?(opId: string, note: string): Promise<void>;
  /** Issue 6 (additive): resend a set-aside result as a correction (new resultId, `replaces`); returns the new resultId. */
  resendAsCorrection?(opId: string, note: string): Promise<string>;
}

// ---------------------------------------------------------------- network
export interface NetworkService {
  online(): boolean;
  subscribe(listener: (online: boolean) => void): Unsubscribe;
}

// ---------------------------------------------------------------- storage health (added; additive only)
export interface StorageHealth {
  /** ok: marker present; fresh: first start; wiped/mismatch: the store was lost or replaced. */
  readonly state: 'ok' | 'fresh' | 'wiped' | 'mismatch';
  /** navigator.storage.persist() granted (or already persisted). */
  readonly persisted: boolean;
  /** zh-CN text for a recovery screen; null when ok/fresh. */
  readonly message: string | null;
}
/**
 * Row 23 (additive): one result as the device last saw it, kept OUTSIDE the database (localStorage)
 * so that a wiped database can still be accounted for. `confirmed` = the platform's receipt said it
 * was accepted (or published) before the store was lost; unconfirmed ones were lost with the store.
 */
export interface LedgerEntry {
  readonly resultId: string;
  readonly taskId: string;
  readonly enterpriseName: string;
  readonly state: OutboxState;
  readonly confirmed: boolean;
  readonly seenAt: string;
}
export interface StorageService {
  /** Call once at start-up, before anything else: asks for persistence and checks the store marker. */
  health(): Promise<StorageHealth>;
  /** Row 23 (additive): the results this device remembered outside its database, newest first. */
  ledger?(): readonly LedgerEntry[];
  /** Row 23 (additive): mirror the outbox into the ledger (call on every outbox change). */
  remember?(entries: readonly OutboxEntry[]): void;
  /**
   * Row 23 (additive): the inspector read the recovery screen and confirmed. The new (empty) store
   * gets a marker and an audit entry naming what was lost; the ledger is cleared. Then re-sync.
   */
  acceptFresh?(): Promise<void>;
}

// ---------------------------------------------------------------- audit-log integrity (row 24; additive)
export interface IntegrityReport {
  /** True when the hash-chained audit log verifies from the first entry to the head. */
  readonly ok: boolean;
  /** The seq of the first entry that no longer verifies (edited, deleted or reordered), else null. */
  readonly brokenAt: number | null;
  readonly entries: number;
  /** zh-CN explanation for the alert; null when ok. */
  readonly message: string | null;
}
export interface IntegrityService {
  /** Recomputes the audit chain (start-up; the uploader checks again before every drain). */
  check(): Promise<IntegrityReport>;
}

// ---------------------------------------------------------------- on-site documents (issue 5; additive)
export type DocumentKindName = 'notice' | 'record' | 'rectification';

export interface NoticeDetails {
  inspectFrom: string;
  inspectTo: string;
  methods: CheckMethod[];
  materials: string[];
  contactName: string;
  contactPhone: string;
  delivery: string;
}
export interface RecordEvidence {
  kind: 'photo' | 'video' | 'audio' | 'copy' | 'sample' | 'other';
  description: string;
  count: number;
}
export interface RecordDetails {
  place: string;
  presentName: string;
  presentPost: string;
  presentIdNo: string;
  presentPhone: string;
  credentialShown: boolean;
  rightsExplained: boolean;
  recusalRequested: boolean;
  recusalAnswer: string;
  evidence: RecordEvidence[];
  /** signed: the party signs (on the pad or on paper); refused: the refusal is noted and a witness signs. */
  partyRefused: boolean;
  refusalNote: string;
  witnessName: string;
  witnessIdNo: string;
  recorder: string;
}
export interface RectificationDetails {
  deadline: string;
  reportBack: string;
  remedies: string;
}
export type DocumentRequest =
  | { readonly kind: 'notice'; readonly details: NoticeDetails }
  | { readonly kind: 'record'; readonly details: RecordDetails }
  | { readonly kind: 'rectification'; readonly details: RectificationDetails };

/** Why a document cannot be made yet (zh-CN), or null when it can. */
export interface DocumentAvailability {
  readonly kind: DocumentKindName;
  readonly title: string;
  readonly blockedReason: string | null;
}

export interface DocNumberStock {
  readonly kind: DocumentKindName;
  readonly title: string;
  readonly remaining: number;
  /** Fewer than the warning threshold left: the UI says so before the inspector runs out. */
  readonly low: boolean;
}

export interface IssuedDocument {
  readonly docId: string;
  readonly kind: DocumentKindName;
  readonly title: string;
  readonly docNo: string;
  readonly issuedAt: string;
  /** The hash printed in the QR code (the document's own content hash). */
  readonly docHash: string;
  readonly verifyUrl: string;
  readonly voided: boolean;
  readonly voidReason: string | null;
  readonly bytes: number;
}

export interface DocumentsService {
  /** Loads pdfmake and the fonts ahead of the first document (call when a printing screen opens). */
  warmUp(): Promise<void>;
  stock(): Promise<readonly DocNumberStock[]>;
  available(taskId: string): Promise<readonly DocumentAvailability[]>;
  /** Form defaults from the task, the credit file, the result and the session. */
  defaults<K extends DocumentKindName>(taskId: string, kind: K): Promise<Extract<DocumentRequest, { kind: K }>['details']>;
  /** Takes a number from the reserved block, builds and renders the PDF, stores it: offline. */
  issue(taskId: string, request: DocumentRequest): Promise<{ ok: true; document: IssuedDocument } | { ok: false; message: string }>;
  list(taskId: string): Promise<readonly IssuedDocument[]>;
  pdf(docId: string): Promise<Uint8Array | null>;
  /** Voids a printed document's number (kept, with the reason, and reported on the next sync). */
  void(docId: string, reason: string): Promise<void>;
  /** Electron: the system print dialog through main; browser: the browser's own print dialog. */
  print(docId: string): Promise<OutputOutcome>;
  /** Electron: a save dialog; browser: a download. */
  save(docId: string): Promise<OutputOutcome>;
  subscribe(listener: () => void): Unsubscribe;
}

/** Where this installation points: a real platform, or the bundled demo platform (issue 7 §4). */
export interface DeploymentInfo {
  readonly platformUrl: string;
  /** True when nothing real is configured and the app runs against demo data: always shown on screen. */
  readonly demo: boolean;
  readonly stationName: string;
}
export interface DeploymentService {
  get(): Promise<DeploymentInfo>;
}

/** What printing or saving a PDF came to; done:false when the inspector cancelled a dialog. */
export type OutputOutcome = { readonly ok: true; readonly done: boolean; readonly message: string } | { readonly ok: false; readonly message: string };

/**
 * Offline updates from a signed package folder: only in Electron (main verifies and stages the
 * package). The browser build updates with its server, so `available()` is false there.
 */
export interface UpdatesService {
  available(): boolean;
  /** The running app's version, or null when main could not say. */
  version(): Promise<string | null>;
  /** Folder dialog → verified and staged package; staged:null when the inspector cancelled. */
  pickPackage(): Promise<{ ok: true; staged: StagedUpdate | null } | { ok: false; message: string }>;
  /** After the inspector confirmed: 'opened' the installer, or 'shown' its folder. */
  install(stagedId: string): Promise<{ ok: true; action: 'opened' | 'shown'; path: string } | { ok: false; message: string }>;
}

export interface Services {
  readonly deployment: DeploymentService;
  readonly storage: StorageService;
  readonly auth: AuthService;
  readonly sync: SyncService;
  readonly tasks: TaskService;
  readonly enterprises: EnterpriseService;
  readonly reference: ReferenceService;
  readonly inspection: InspectionService;
  readonly outbox: OutboxService;
  readonly network: NetworkService;
  readonly documents: DocumentsService;
  readonly updates: UpdatesService;
  /** Row 24 (additive). */
  readonly integrity?: IntegrityService;
}
