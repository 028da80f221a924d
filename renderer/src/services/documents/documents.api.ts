/** On-site documents: numbered from reserved blocks, built and stored offline, printed or saved. */
import type { CheckMethod } from '../../../../shared/domain/results.js';
import type { DocType } from '../../../../shared/protocol/index.js';
import type { Unsubscribe } from '../runtime.js';

/** Every numbered document type is issued through this service. */
export type DocumentKindName = DocType;

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
/** A questioning typed on site: who, when, where, then the questions and answers in order. */
export interface QuestioningDetails {
  personName: string;
  personSex: '男' | '女';
  /** As typed; the document refuses anything but a whole number of years. */
  personAge: string;
  personIdNo: string;
  personPost: string;
  personPhone: string;
  personAddress: string;
  place: string;
  /** China date (YYYY-MM-DD) and times (HH:MM, Beijing time) of the questioning. */
  date: string;
  startTime: string;
  endTime: string;
  rightsAnswer: string;
  recusalRequested: boolean;
  recusalAnswer: string;
  qa: { q: string; a: string }[];
  confirmation: string;
  personRefused: boolean;
  refusalNote: string;
  witnessName: string;
  witnessIdNo: string;
  recorder: string;
}
/** The evidence list: the items are the result's photos and scans (with their hashes); the rest is typed. */
export interface EvidenceListDetails {
  place: string;
  /** China date and time (HH:MM) the evidence was taken. */
  date: string;
  time: string;
  partyName: string;
  partyRefused: boolean;
  refusalNote: string;
  witnessName: string;
  witnessIdNo: string;
}
export type ServiceMethod = 'direct' | 'left' | 'mail' | 'electronic' | 'entrusted';
/** Proof of service for documents already issued for the task. */
export interface ServiceProofDetails {
  /** docIds of the task's issued, not voided documents that were served. */
  docIds: string[];
  place: string;
  method: ServiceMethod;
  date: string;
  time: string;
  recipient: string;
  /** Empty when the party itself received; else who received for it (e.g. 同住成年家属). */
  relation: string;
  refused: boolean;
  refusalNote: string;
  witnessName: string;
  witnessIdNo: string;
}
/** The food result record: counts and the result follow from the finalized result; these are typed. */
export interface FoodResultDetails {
  licenceNo: string;
  handling: string;
}
/** One line per entry; table rows as '名称｜注册代码｜使用地点' (either bar). */
export interface DirectiveDetails {
  problems: string;
  equipment: string;
  measures: string;
  deadline: string;
  stopUse: boolean;
  partyName: string;
  partyRefused: boolean;
  refusalNote: string;
  witnessName: string;
  witnessIdNo: string;
  remedies: string;
}
/** Items one per line as '名称｜规格型号｜数量｜备注'. */
export interface PreservationDetails {
  reason: string;
  legalBasis: string;
  items: string;
  keptAt: string;
  keptBy: string;
  from: string;
  to: string;
  remedies: string;
}
export type DocumentRequest =
  | { readonly kind: 'notice'; readonly details: NoticeDetails }
  | { readonly kind: 'record'; readonly details: RecordDetails }
  | { readonly kind: 'rectification'; readonly details: RectificationDetails }
  | { readonly kind: 'questioning'; readonly details: QuestioningDetails }
  | { readonly kind: 'evidence'; readonly details: EvidenceListDetails }
  | { readonly kind: 'service'; readonly details: ServiceProofDetails }
  | { readonly kind: 'foodResult'; readonly details: FoodResultDetails }
  | { readonly kind: 'directive'; readonly details: DirectiveDetails }
  | { readonly kind: 'preservation'; readonly details: PreservationDetails };

/** Why a document cannot be made yet (zh-CN), or null when it can. */
export interface DocumentAvailability {
  readonly kind: DocumentKindName;
  readonly title: string;
  readonly blockedReason: string | null;
}

export interface DocNumberStock {
  readonly kind: DocType;
  readonly title: string;
  readonly remaining: number;
  /** Fewer than the warning threshold left: the UI says so before the inspector runs out. */
  readonly low: boolean;
}

export interface IssuedDocument {
  readonly docId: string;
  readonly kind: DocType;
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
  defaults<K extends DocumentKindName>(
    taskId: string,
    kind: K,
  ): Promise<Extract<DocumentRequest, { kind: K }>['details']>;
  /**
   * What was typed into the form and not yet issued, checked against the form's shape: null when
   * nothing is stored; a draft that does not open or does not fit is reported, not returned.
   */
  formDraft<K extends DocumentKindName>(
    taskId: string,
    kind: K,
  ): Promise<FormDraftOutcome<Extract<DocumentRequest, { kind: K }>['details']>>;
  /** Stores the form's values (sealed); resolves once committed. Issuing the document deletes it. */
  saveFormDraft(
    taskId: string,
    kind: DocumentKindName,
    values: DocumentRequest['details'],
  ): Promise<{ savedAt: string }>;
  /** Drops the draft (the inspector chose to start again from the defaults). */
  discardFormDraft(taskId: string, kind: DocumentKindName): Promise<void>;
  /** An open form's pending save, held until released; flushFormDrafts runs them all (before the vault locks). */
  holdFormDraft(flush: () => Promise<unknown>): Unsubscribe;
  flushFormDrafts(): Promise<void>;
  /** Takes a number from the reserved block, builds and renders the PDF, stores it: offline. */
  issue(
    taskId: string,
    request: DocumentRequest,
  ): Promise<{ ok: true; document: IssuedDocument } | { ok: false; message: string }>;
  list(taskId: string): Promise<readonly IssuedDocument[]>;
  pdf(docId: string): Promise<Uint8Array | null>;
  /** Voids a printed document's number (kept, with the reason, and reported on the next sync). */
  void(docId: string, reason: string): Promise<void>;
  /** Electron: the system print dialog through main; browser: the browser's own print dialog. */
  print(docId: string): Promise<OutputOutcome>;
  /** Electron: a save dialog; browser: a download. */
  save(docId: string): Promise<OutputOutcome>;
  subscribe(listener: () => void): Unsubscribe;
  /** The task's 案卷: all its documents, the evidence index and the signatures in one PDF, pages numbered across it. */
  caseFile(taskId: string): Promise<CaseFileOutcome>;
  /** Prints the case file (on the audit chain once handed to the printer). */
  printCaseFile(taskId: string): Promise<OutputOutcome>;
  saveCaseFile(taskId: string): Promise<OutputOutcome>;
}

export type FormDraftOutcome<T> =
  | { readonly ok: true; readonly draft: { readonly values: T; readonly savedAt: string } | null }
  | { readonly ok: false; readonly error: { readonly kind: 'damaged'; readonly message: string } };

export type CaseFileOutcome =
  | { readonly ok: true; readonly pdf: Uint8Array; readonly documents: number; readonly fileName: string }
  | { readonly ok: false; readonly message: string };

/** What printing or saving a PDF came to; done:false when the inspector cancelled a dialog. */
export type OutputOutcome =
  | { readonly ok: true; readonly done: boolean; readonly message: string }
  | { readonly ok: false; readonly message: string };
