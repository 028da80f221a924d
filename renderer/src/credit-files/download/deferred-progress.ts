/**
 * Progress of a download that starts before the pull reaches its phase: the snapshot starts while
 * reference data and tasks are still fetched, and its progress must not show under their phase.
 * Until `attach`, the calls only update what the tracker must be told; `attach` replays that and
 * forwards everything after.
 */
import type { PullProgressPort } from '../pull-progress.js';

type StartArgs = Parameters<PullProgressPort['start']>;

export class DeferredProgress implements PullProgressPort {
  private target: PullProgressPort | null = null;
  private started: StartArgs | null = null;
  private byteState: { done: number; total: number } | null = null;
  private advanced = { records: 0, total: 0, quarantined: 0, calls: 0 };

  start(...args: StartArgs): void {
    if (this.target) return this.target.start(...args);
    this.started = args;
    this.byteState = null;
    this.advanced = { records: 0, total: 0, quarantined: 0, calls: 0 };
  }

  bytes(done: number, total: number): void {
    if (this.target) return this.target.bytes(done, total);
    this.byteState = { done, total };
  }

  endBytes(): void {
    if (this.target) return this.target.endBytes();
    this.byteState = null;
  }

  advance(records: number, total: number, quarantined: number): void {
    if (this.target) return this.target.advance(records, total, quarantined);
    const a = this.advanced;
    this.advanced = {
      records: a.records + records,
      total,
      quarantined: a.quarantined + quarantined,
      calls: a.calls + 1,
    };
  }

  /** From now on every call goes to `tracker`; it first learns where the download got to. */
  attach(tracker: PullProgressPort): void {
    if (this.target) throw new Error('进度已交给同步进度跟踪器，不能再次交接');
    if (this.started) tracker.start(...this.started);
    if (this.byteState) tracker.bytes(this.byteState.done, this.byteState.total);
    const a = this.advanced;
    if (a.calls > 0) tracker.advance(a.records, a.total, a.quarantined);
    this.target = tracker;
  }
}
