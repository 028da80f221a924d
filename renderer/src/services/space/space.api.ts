/**
 * Storage space: how much the browser lets the app use, how much each task's evidence originals
 * take, and reclaiming the originals the platform has proven it holds once their retention passed.
 */

export interface EvidenceSpace {
  readonly id: string;
  /** Signatures are never listed: they are part of the record. */
  readonly kind: 'photo' | 'scan' | 'video' | 'audio';
  readonly fileName: string;
  /** Bytes of the original as captured (kept after a reclaim: the record still names it). */
  readonly size: number;
  readonly sha256: string;
  readonly capturedAt: string;
  /** reclaimed: the bytes are gone; reclaimable: the rule allows it now; kept: `reason` says why. */
  readonly state: 'reclaimed' | 'reclaimable' | 'kept';
  /** zh-CN reason the original must stay; null unless kept. */
  readonly reason: string | null;
  readonly reclaimedAt: string | null;
  readonly thumbnail: Blob | null;
}

export interface ResultSpace {
  readonly resultId: string;
  readonly finalizedAt: string;
  /** Bytes of originals still on this device. */
  readonly originalsBytes: number;
  readonly reclaimableBytes: number;
  readonly evidence: readonly EvidenceSpace[];
  /** Distinct zh-CN reasons of the originals that must stay. */
  readonly reasons: readonly string[];
}

export interface TaskSpace {
  readonly taskId: string;
  readonly enterpriseName: string;
  /** Bytes of every original of the task still on this device (drafts included). */
  readonly originalsBytes: number;
  /** Bytes of evidence in a draft not yet finalized (never reclaimable). */
  readonly draftBytes: number;
  readonly results: readonly ResultSpace[];
}

export interface SpaceOverview {
  /** navigator.storage.estimate(): bytes used and the quota; null where the browser does not say. */
  readonly usage: number | null;
  readonly quota: number | null;
  readonly retentionDays: number;
  /** Tasks with evidence originals, most bytes first. */
  readonly tasks: readonly TaskSpace[];
}

export type ReclaimOutcome =
  | {
      readonly ok: true;
      readonly freed: number;
      readonly reclaimed: number;
      /** Originals of the result that stayed, with the zh-CN reason. */
      readonly kept: readonly { readonly id: string; readonly reason: string }[];
    }
  | { readonly ok: false; readonly error: { readonly kind: 'not-found' | 'not-allowed'; readonly message: string } };

export interface SpaceService {
  overview(): Promise<SpaceOverview>;
  /**
   * Deletes the originals of one finalized result that the rule allows: each blob's SHA-256 is
   * recomputed first and only an original whose id and recomputed hash the verified receipt covers
   * goes; the result, its signatures, documents and every hash stay, and each reclaim is on the audit chain.
   */
  reclaim(resultId: string): Promise<ReclaimOutcome>;
}
