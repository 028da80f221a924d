/**
 * The slots attachments upload in: a fixed number run at once, and two lines wait for a free slot.
 * Work for the result being sent goes in the first line; work started ahead of its result's turn
 * (the look-ahead) goes in the second, so looking ahead never delays the result whose PUT waits.
 * Each line is first come, first served; a waiting entry can be moved to the first line when its
 * result's turn comes.
 */

export interface SlotTicket<T> {
  readonly done: Promise<T>;
  /** Moves a still-waiting entry to the end of the first line; a running or finished one is left alone. */
  promote(): void;
}

export type SlotRunner = <T>(work: () => Promise<T>, line: 'now' | 'ahead') => SlotTicket<T>;

export function uploadSlots(slots: number): SlotRunner {
  if (!Number.isInteger(slots) || slots < 1) throw new Error(`并发上传数必须是正整数：${slots}`);
  let running = 0;
  const now: (() => void)[] = [];
  const ahead: (() => void)[] = [];
  // After every pump either both lines are empty or all slots are taken: a new entry can start at
  // once only when nobody is waiting, so nobody is overtaken within a line.
  const pump = (): void => {
    while (running < slots) {
      const next = now.shift() ?? ahead.shift();
      if (!next) return;
      running += 1;
      next();
    }
  };
  return <T>(work: () => Promise<T>, line: 'now' | 'ahead'): SlotTicket<T> => {
    let start!: () => void;
    const done = new Promise<T>((resolve, reject) => {
      start = () => {
        void Promise.resolve()
          .then(work)
          .then(resolve, reject)
          .finally(() => {
            running -= 1;
            pump();
          });
      };
    });
    (line === 'now' ? now : ahead).push(start);
    pump();
    return {
      done,
      promote() {
        const at = ahead.indexOf(start);
        if (at < 0) return;
        ahead.splice(at, 1);
        now.push(start);
        pump();
      },
    };
  };
}
