/**
 * Discrete-event queue (binary min-heap on time, then insertion order, so equal times run in
 * a deterministic order). Times are integer microseconds.
 */
export type Action = () => void;

export class EventQueue {
  private times: number[] = [];
  private seqs: number[] = [];
  private actions: Action[] = [];
  private counter = 0;
  now = 0;

  get size(): number {
    return this.times.length;
  }

  at(time: number, action: Action): void {
    if (time < this.now) time = this.now;
    const times = this.times;
    const seqs = this.seqs;
    const actions = this.actions;
    const seq = this.counter++;
    let i = times.length;
    times.push(time);
    seqs.push(seq);
    actions.push(action);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (times[p] < time || (times[p] === time && seqs[p] < seq)) break;
      times[i] = times[p];
      seqs[i] = seqs[p];
      actions[i] = actions[p];
      i = p;
    }
    times[i] = time;
    seqs[i] = seq;
    actions[i] = action;
  }

  /** Runs the earliest event; false when the queue is empty. */
  runNext(): boolean {
    const times = this.times;
    const n = times.length;
    if (n === 0) return false;
    const seqs = this.seqs;
    const actions = this.actions;
    const action = actions[0];
    this.now = times[0];
    const lastT = times.pop()!;
    const lastS = seqs.pop()!;
    const lastA = actions.pop()!;
    if (n > 1) {
      let i = 0;
      const m = n - 1;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= m) break;
        const r = l + 1;
        let c = l;
        if (r < m && (times[r] < times[l] || (times[r] === times[l] && seqs[r] < seqs[l]))) c = r;
        if (lastT < times[c] || (lastT === times[c] && lastS < seqs[c])) break;
        times[i] = times[c];
        seqs[i] = seqs[c];
        actions[i] = actions[c];
        i = c;
      }
      times[i] = lastT;
      seqs[i] = lastS;
      actions[i] = lastA;
    }
    action();
    return true;
  }
}
