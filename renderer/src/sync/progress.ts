/** Pull progress: phase, done/total, rate and ETA, computed from an injected clock. */
export type PullPhase = 'idle' | 'reference' | 'tasks' | 'enterprises' | 'done' | 'error' | 'cancelled';

export interface PullProgress {
  readonly phase: PullPhase;
  readonly done: number;
  readonly total: number;
  readonly recordsPerSecond: number;
  readonly etaSeconds: number | null;
  readonly quarantined: number;
  readonly message: string;
  /** While a credit-file snapshot downloads: its bytes so far, their rate and the time left. */
  readonly bytes?: ByteProgress;
}

export interface ByteProgress {
  readonly done: number;
  readonly total: number;
  readonly perSecond: number;
  readonly etaSeconds: number | null;
}

export const IDLE_PROGRESS: PullProgress = {
  phase: 'idle',
  done: 0,
  total: 0,
  recordsPerSecond: 0,
  etaSeconds: null,
  quarantined: 0,
  message: '',
};

const PHASE_MESSAGES: Record<PullPhase, string> = {
  idle: '',
  reference: '正在更新基础数据',
  tasks: '正在下载检查任务',
  enterprises: '正在下载企业信用档案',
  done: '同步完成',
  error: '同步失败',
  cancelled: '同步已取消',
};

export class ProgressTracker {
  private phase: PullPhase = 'idle';
  private phaseStartedAt = 0;
  private done = 0;
  /** Records already there when the phase started (a resumed download): not part of the rate. */
  private startDone = 0;
  private total = 0;
  private quarantined = 0;
  private message = '';
  private byteState: { startedAt: number; start: number; done: number; total: number } | null = null;

  constructor(
    private readonly now: () => number,
    private readonly emit: (p: PullProgress) => void,
  ) {}

  start(phase: PullPhase, total = 0, alreadyDone = 0, message?: string): void {
    this.phase = phase;
    this.phaseStartedAt = this.now();
    this.total = total;
    this.done = alreadyDone;
    this.startDone = alreadyDone;
    this.message = message ?? PHASE_MESSAGES[phase];
    this.byteState = null;
    this.emit(this.snapshot());
  }

  /**
   * A download measured in bytes (the credit-file snapshot): `done` of `total` bytes are stored.
   * The first call starts the clock at the bytes already there (a resumed download), so the rate
   * counts only this session's bytes.
   */
  bytes(done: number, total: number): void {
    if (!this.byteState) this.byteState = { startedAt: this.now(), start: done, done, total };
    else this.byteState = { ...this.byteState, done, total };
    this.emit(this.snapshot());
  }

  /** The byte download is over (imported, or abandoned for the paged feed). */
  endBytes(): void {
    this.byteState = null;
  }

  advance(records: number, total: number, quarantined: number): void {
    this.done += records;
    this.total = Math.max(total, this.done);
    this.quarantined += quarantined;
    this.emit(this.snapshot());
  }

  finish(phase: 'done' | 'error' | 'cancelled', message?: string): void {
    this.phase = phase;
    this.message = message ?? PHASE_MESSAGES[phase];
    this.emit(this.snapshot());
  }

  snapshot(): PullProgress {
    const seconds = Math.max(0.001, (this.now() - this.phaseStartedAt) / 1000);
    const rate = (this.done - this.startDone) / seconds;
    const left = Math.max(0, this.total - this.done);
    const eta = rate > 0 && this.total > 0 ? Math.round(left / rate) : null;
    return {
      phase: this.phase,
      done: this.done,
      total: this.total,
      recordsPerSecond: Math.round(rate),
      etaSeconds: this.phase === 'done' ? 0 : eta,
      quarantined: this.quarantined,
      message: this.message,
      ...(this.byteState ? { bytes: this.byteSnapshot(this.byteState) } : {}),
    };
  }

  private byteSnapshot(b: { startedAt: number; start: number; done: number; total: number }): ByteProgress {
    const seconds = Math.max(0.001, (this.now() - b.startedAt) / 1000);
    const rate = (b.done - b.start) / seconds;
    return {
      done: b.done,
      total: b.total,
      perSecond: Math.round(rate),
      etaSeconds: rate > 0 ? Math.round(Math.max(0, b.total - b.done) / rate) : null,
    };
  }
}
