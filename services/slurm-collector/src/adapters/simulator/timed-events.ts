/**
 * The simulator's agenda: what happens next and when, as plain records in a binary heap ordered
 * by (time, insertion sequence), so two events at the same second always apply in the same order.
 */

export const SimEventKind = {
  Arrival: 0,
  JobEnd: 1,
  UserCancel: 2,
  Release: 3,
  AdminRequeue: 4,
  NodeIncident: 5,
  NodeResume: 6,
  /** Nothing but a scheduler pass (a begin time or a requeue delay has passed). */
  Wake: 7,
} as const;
export type SimEventKind = (typeof SimEventKind)[keyof typeof SimEventKind];

export interface SimEvent {
  readonly at: number;
  readonly seq: number;
  readonly kind: SimEventKind;
  /** A job id or a node index, by kind. */
  readonly target: number;
  /** The job's `run` when the event was planned: a later run makes it stale. */
  readonly run: number;
}

export class TimedEvents {
  readonly #heap: SimEvent[] = [];
  #seq = 0;

  get size(): number {
    return this.#heap.length;
  }

  push(at: number, kind: SimEventKind, target: number, run = 0): void {
    const heap = this.#heap;
    heap.push({ at, seq: this.#seq++, kind, target, run });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  /** When the next event is due, if any. */
  nextAt(): number | undefined {
    return this.#heap[0]?.at;
  }

  /** The next event if it is due at or before `time`, removed from the agenda. */
  popDue(time: number): SimEvent | undefined {
    const heap = this.#heap;
    const top = heap[0];
    if (top === undefined || top.at > time) return undefined;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(a: SimEvent, b: SimEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
