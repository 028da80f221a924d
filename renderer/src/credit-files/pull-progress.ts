/**
 * What the credit-file download reports its progress to. The pull engine's tracker (sync/) fills
 * it; declared here so the pipeline does not import the engine that drives it.
 */
export interface PullProgressPort {
  /** A phase starts: `total` records expected, `alreadyDone` of them kept from an earlier run. */
  start(phase: 'enterprises', total?: number, alreadyDone?: number, message?: string): void;
  /** A download measured in bytes: `done` of `total` bytes are stored. */
  bytes(done: number, total: number): void;
  /** The byte download is over (imported, or abandoned for the paged feed). */
  endBytes(): void;
  /** `records` more are stored (`quarantined` of them set aside) of `total`. */
  advance(records: number, total: number, quarantined: number): void;
}
