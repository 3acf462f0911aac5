// Per-connection timeouts (first flight, backend connect) without a timer object per connection.
import { performance } from 'node:perf_hooks';

/**
 * Something with a deadline in a DeadlineQueue. The entry carries its own list links: arming allocates nothing.
 * Why: a Node timer per connection and per backend link was about 0.8 KB of garbage per MQTT connect (the Timeout,
 * its arguments and the timer list's bookkeeping; heap sampling, docs/PERFORMANCE.md), an eighth of all the young
 * generation's work; and nearly every one of those timers is cancelled, as connections answer in time.
 */
export interface DeadlineEntry {
  /** performance.now() at which deadlinePassed runs; meaningful while queued. */
  deadlineAt: number;
  deadlinePrev: DeadlineEntry | null;
  deadlineNext: DeadlineEntry | null;
  /** The queue the entry is in, or null. */
  deadlineQueue: DeadlineQueue | null;
  deadlinePassed(): void;
}

/**
 * Entries ordered by deadline, one Node timer for all of them. Timeouts of one kind mostly have the same length, so a
 * new entry nearly always goes last (the search from the tail stops at once) and the head is always the next to pass.
 * The timer is re-armed only when it fires; an emptied queue leaves it pending but unreferenced, so it neither keeps
 * the process alive nor costs a cancel per connection.
 */
export class DeadlineQueue {
  private head: DeadlineEntry | null = null;
  private tail: DeadlineEntry | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** When the pending timer fires (performance.now()), or Infinity when none is pending. */
  private timerAt = Infinity;
  private readonly fire = (): void => this.expire();

  constructor(private readonly now: () => number = () => performance.now()) {}

  get empty(): boolean {
    return this.head === null;
  }

  /** Queues `entry` to pass in `delayMs` (re-queues it if it was queued). */
  arm(entry: DeadlineEntry, delayMs: number): void {
    if (entry.deadlineQueue) entry.deadlineQueue.disarm(entry);
    entry.deadlineAt = this.now() + delayMs;
    entry.deadlineQueue = this;
    let after = this.tail;
    while (after && after.deadlineAt > entry.deadlineAt) after = after.deadlinePrev;
    entry.deadlinePrev = after;
    entry.deadlineNext = after ? after.deadlineNext : this.head;
    if (entry.deadlineNext) entry.deadlineNext.deadlinePrev = entry;
    else this.tail = entry;
    if (after) after.deadlineNext = entry;
    else this.head = entry;
    this.schedule();
  }

  /** Takes `entry` out; nothing happens if it is not in this queue. */
  disarm(entry: DeadlineEntry): void {
    if (entry.deadlineQueue !== this) return;
    if (entry.deadlinePrev) entry.deadlinePrev.deadlineNext = entry.deadlineNext;
    else this.head = entry.deadlineNext;
    if (entry.deadlineNext) entry.deadlineNext.deadlinePrev = entry.deadlinePrev;
    else this.tail = entry.deadlinePrev;
    entry.deadlinePrev = entry.deadlineNext = null;
    entry.deadlineQueue = null;
    if (!this.head) this.timer?.unref();
  }

  /** Stops the timer (the proxy closed); queued entries stay queued and never pass. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
  }

  private schedule(): void {
    const head = this.head;
    if (!head) return;
    if (this.timer && this.timerAt <= head.deadlineAt) {
      this.timer.ref();
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    const delay = Math.max(0, Math.ceil(head.deadlineAt - this.now()));
    this.timer = setTimeout(this.fire, delay);
    this.timerAt = head.deadlineAt;
  }

  private expire(): void {
    this.timer = null;
    this.timerAt = Infinity;
    const now = this.now();
    // A Node timer may fire up to a millisecond early against performance.now(); such an entry waits for the next turn.
    while (this.head && this.head.deadlineAt <= now) {
      const entry = this.head;
      this.disarm(entry);
      entry.deadlinePassed();
    }
    this.schedule();
  }
}
