// Per-connection timeouts (first flight, backend connect) on one timer per kind instead of a Node timer each.
import { performance } from 'node:perf_hooks';

/** What a Deadline calls when it passes. */
export interface DeadlineOwner {
  deadlinePassed(): void;
}

/**
 * One armed timeout: a list node of its queue, cancelled like a timer. Why not a Node timer: the timer per connection
 * and per backend link were about 0.8 KB of garbage per MQTT connect (the Timeout, its arguments and the timer
 * list's bookkeeping; heap sampling, docs/PERFORMANCE.md), while a Deadline is one small object; and nearly every
 * one of them is cancelled, as connections answer in time.
 */
export class Deadline {
  prev: Deadline | null = null;
  next: Deadline | null = null;
  /** Null once it passed or was cancelled. */
  queue: DeadlineQueue | null;

  constructor(
    /** Whole milliseconds since the queue's epoch: a small integer, so V8 keeps it in the object (no boxed double). */
    readonly at: number,
    readonly owner: DeadlineOwner,
    queue: DeadlineQueue,
  ) {
    this.queue = queue;
  }

  /** Like clearTimeout: harmless after it passed or was cancelled. */
  cancel(): void {
    this.queue?.remove(this);
  }
}

/**
 * Deadlines ordered by time, one Node timer for all of them. Timeouts of one kind mostly have the same length, so a
 * new deadline nearly always goes last (the search from the tail stops at once) and the head is the next to pass.
 * The timer is re-armed only when it fires; an emptied queue leaves it pending but unreferenced, so it neither keeps
 * the process alive nor costs a cancel per connection.
 */
export class DeadlineQueue {
  private head: Deadline | null = null;
  private tail: Deadline | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** When the pending timer fires (ms since the epoch), or Infinity when none is pending. */
  private timerAt = Infinity;
  private readonly epoch = performance.now();
  private readonly fire = (): void => this.expire();

  get empty(): boolean {
    return this.head === null;
  }

  /** `owner.deadlinePassed()` runs in `delayMs` unless the returned Deadline is cancelled first. */
  arm(owner: DeadlineOwner, delayMs: number): Deadline {
    const d = new Deadline(Math.ceil(this.now() + delayMs), owner, this);
    let after = this.tail;
    while (after && after.at > d.at) after = after.prev;
    d.prev = after;
    d.next = after ? after.next : this.head;
    if (d.next) d.next.prev = d;
    else this.tail = d;
    if (after) after.next = d;
    else this.head = d;
    this.schedule();
    return d;
  }

  /** Stops the timer (the proxy closed); queued deadlines never pass. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
  }

  /** Deadline.cancel's other half. */
  remove(d: Deadline): void {
    if (d.queue !== this) return;
    if (d.prev) d.prev.next = d.next;
    else this.head = d.next;
    if (d.next) d.next.prev = d.prev;
    else this.tail = d.prev;
    d.prev = d.next = null;
    d.queue = null;
    if (!this.head) this.timer?.unref();
  }

  private now(): number {
    return performance.now() - this.epoch;
  }

  private schedule(): void {
    const head = this.head;
    if (!head) return;
    if (this.timer && this.timerAt <= head.at) {
      this.timer.ref();
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(this.fire, Math.max(0, head.at - this.now()));
    this.timerAt = head.at;
  }

  private expire(): void {
    this.timer = null;
    this.timerAt = Infinity;
    const now = this.now();
    // A Node timer can fire a little early against performance.now() (libuv's clock is cached per loop turn): such a
    // deadline waits for the next turn.
    while (this.head && this.head.at <= now) {
      const d = this.head;
      this.remove(d);
      d.owner.deadlinePassed();
    }
    this.schedule();
  }
}
