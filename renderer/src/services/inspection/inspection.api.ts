/** The inspection form's state (autosaved drafts), evidence files, and finalized results. */
import type { EvidencePlace, ExifSummary, GeoFix } from '../../../../shared/domain/evidence-meta.js';
import type { ClipMark, MediaTiming } from '../../../../shared/domain/media-clips.js';
import type { Receipt, ResultPayload } from '../../../../shared/protocol/index.js';
import type {
  CheckMethod,
  FindingHandling,
  FollowUp,
  ItemOutcome,
  ResultCode,
} from '../../../../shared/domain/results.js';

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
    /** The inspector's decision when the finding matches the lenient list (首违不罚 / 轻微违法不予处罚). */
    lenient: DraftLenient | null;
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
  readonly kind: 'photo' | 'scan' | 'signature' | 'video' | 'audio';
  readonly mime: string;
  readonly size: number;
  readonly sha256: string;
  readonly fileName: string;
  readonly capturedAt: string;
  readonly thumbnail: Blob | null;
  readonly blob: Blob;
  /** When the original was reclaimed (its bytes deleted after the platform's receipt covered them); else null. */
  readonly reclaimedAt: string | null;
  /** Platform − device clock (ms) at capture; null when never measured; absent on older rows. */
  readonly clockSkewMs?: number | null;
  readonly place?: EvidencePlace;
  readonly exif?: ExifSummary | null;
  /** How the EXIF disagrees with the capture record (empty when it agrees or there is none). */
  readonly exifDifferences: readonly string[];
  readonly annotationOf?: { readonly id: string; readonly sha256: string };
  /** Video and audio: length and time range (`blob` is empty; openMedia gives the bytes), and the marked clips. */
  readonly media?: MediaTiming;
  readonly clips?: readonly StoredClipMark[];
}

export interface StoredClipMark extends ClipMark {
  readonly id: string;
  readonly markedAt: string;
}

export type MediaImportResult =
  | { readonly ok: true; readonly file: EvidenceFile }
  | {
      readonly ok: false;
      readonly error: { readonly kind: 'not-media' | 'empty' | 'storage-full'; readonly message: string };
    };

export type ClipOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: { readonly kind: 'invalid'; readonly message: string } };

/** Where the device was when evidence was added: a fix, or why there is none. */
export type CaptureLocation =
  { readonly fix: GeoFix } | { readonly fix: null; readonly reason: 'denied' | 'unavailable' };

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

export type RemoveEvidenceOutcome =
  { ok: true } | { ok: false; error: { kind: 'invalid-reason' | 'has-markup'; message: string } };

export type AnnotateOutcome =
  { ok: true; file: EvidenceFile } | { ok: false; error: { kind: 'no-original' | 'not-an-image'; message: string } };

/** One audit-chain entry as the 执法过程记录 view shows it. */
export interface ProcessRecordEntry {
  readonly seq: number;
  readonly at: string;
  readonly kind: string;
  readonly subjectId: string;
  readonly detail: Readonly<Record<string, string | number | boolean | null>>;
  readonly hash: string;
  readonly prevHash: string;
}

export interface InspectionService {
  /** The draft for a task, created (and saved) on first open. */
  openDraft(taskId: string): Promise<Draft>;
  /** Autosave: resolves only after the strict transaction committed. */
  saveDraft(draft: Draft): Promise<{ savedAt: string }>;
  /** Validate, freeze with a content hash, and queue for upload: one transaction. */
  finalize(
    taskId: string,
  ): Promise<{ ok: true; result: StoredResult } | { ok: false; problems: readonly FinalizeProblem[] }>;
  resultForTask(taskId: string): Promise<StoredResult | null>;
  /**
   * Stores a photo, scan or signature PNG for the task's open draft (SHA-256 + thumbnail at capture).
   * A photo or scan also records the platform clock offset, its EXIF, and where: the fix in
   * `location`, else the enterprise's registered address marked as such.
   */
  addEvidence(
    taskId: string,
    file: Blob,
    kind: EvidenceFile['kind'],
    fileName: string,
    location?: CaptureLocation,
  ): Promise<EvidenceFile>;
  /** Removes evidence of the open draft; the reason (required, at most 200 characters) goes on the audit chain. */
  removeEvidence(id: string, reason: string): Promise<RemoveEvidenceOutcome>;
  evidenceFor(resultId: string): Promise<readonly EvidenceFile[]>;
  /** Stores a marked-up copy of a photo as new evidence naming the original (id and SHA-256); the original is untouched. */
  annotateEvidence(originalId: string, marked: Blob): Promise<AnnotateOutcome>;
  /**
   * Imports a body-camera video or audio file of any size in one streamed pass (hash, seal and store
   * chunk by chunk); a full disk keeps everything saved before and says how much room is needed.
   */
  importMedia(
    taskId: string,
    file: Blob,
    fileName: string,
    lastModified: number | null,
    location?: CaptureLocation,
    onProgress?: (p: { readonly bytesDone: number; readonly bytesTotal: number }) => void,
  ): Promise<MediaImportResult>;
  /** The recording for the player, decrypted chunk by chunk into a Blob. */
  openMedia(attachmentId: string): Promise<Blob>;
  /** Marks a clip (from–to seconds, a note) on a recording of the open draft; checked against its duration. */
  markClip(attachmentId: string, clip: ClipMark): Promise<ClipOutcome>;
  removeClip(clipId: string): Promise<void>;
  /** Every finalized record of the task, newest first (corrections name the one they replace). */
  resultsForTask(taskId: string): Promise<readonly StoredResult[]>;
  /** Opens a correction draft: a new resultId that `replaces` the latest finalized one. */
  startCorrection(taskId: string): Promise<Draft>;
  /** The task's entries on the inspector's audit chain (执法过程记录), in chain order. */
  processRecord(taskId: string): Promise<readonly ProcessRecordEntry[]>;
  /** The keystroke journal: every change is stored at once, ahead of the debounced draft save. */
  readonly journal: DraftJournal;
}

/**
 * A copy of the whole form written on every change, so a killed app keeps what was typed after
 * the last draft save. Writes and clears keep their order; a read sees every write asked for before it.
 */
export interface DraftJournal {
  /** Resolves true once a transaction holding this form (or a newer one) committed. */
  write(draft: Draft, now: Date): Promise<boolean>;
  /** Removes the journal after whatever was journaled before this call. */
  clear(resultId: string): Promise<void>;
  /** The journaled form for this draft when it parses and differs from the saved one; never rejects. */
  read(draft: Draft): Promise<Draft | null>;
  /** Resolves once every write and clear asked for so far has committed or failed. */
  flush(): Promise<void>;
}
