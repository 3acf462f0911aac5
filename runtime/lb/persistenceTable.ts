// USERSESSION persistence: session -> service with an idle timeout, refreshed by activity, inspectable like `show lb persistentSessions`.
import type { Clock, PersistenceEntry } from './types';

/** A class, not a literal per bind: one shape for every entry, so V8 keeps its optimized code for the table. */
class Slot {
  activeConnections = 0;

  constructor(
    public service: string,
    /** Idle deadline; ignored while connections are open on the entry (an open session is never idle). */
    public idleDeadline: number,
  ) {}
}

export class PersistenceTable {
  private readonly slots = new Map<string, Slot>();

  constructor(
    private timeoutMs: number,
    private readonly clock: Clock,
  ) {}

  setTimeoutMs(timeoutMs: number): void {
    this.timeoutMs = timeoutMs;
  }

  get timeout(): number {
    return this.timeoutMs;
  }

  /** The live entry's service, or undefined (an expired entry is dropped on the way). */
  lookup(session: string): string | undefined {
    const slot = this.slots.get(session);
    if (!slot) return undefined;
    if (this.expired(slot)) {
      this.slots.delete(session);
      return undefined;
    }
    return slot.service;
  }

  /** Creates or re-points an entry and refreshes it. */
  bind(session: string, service: string): void {
    const slot = this.slots.get(session);
    const deadline = this.clock() + this.timeoutMs;
    if (slot) {
      slot.service = service;
      slot.idleDeadline = deadline;
    } else {
      this.slots.set(session, new Slot(service, deadline));
    }
  }

  /** Activity on the session: the idle clock restarts. */
  touch(session: string): void {
    const slot = this.slots.get(session);
    if (slot) slot.idleDeadline = this.clock() + this.timeoutMs;
  }

  connectionOpened(session: string): void {
    const slot = this.slots.get(session);
    if (slot) slot.activeConnections++;
  }

  /** The idle timeout counts from the end of the last connection of the session. */
  connectionClosed(session: string): void {
    const slot = this.slots.get(session);
    if (!slot) return;
    slot.activeConnections = Math.max(0, slot.activeConnections - 1);
    slot.idleDeadline = this.clock() + this.timeoutMs;
  }

  /** Drops expired entries; returns how many went. */
  sweep(): number {
    let dropped = 0;
    for (const [session, slot] of this.slots) {
      if (this.expired(slot)) {
        this.slots.delete(session);
        dropped++;
      }
    }
    return dropped;
  }

  entries(): PersistenceEntry[] {
    this.sweep();
    return [...this.slots].map(([session, s]) => ({
      session,
      service: s.service,
      expiresAt: s.activeConnections > 0 ? null : s.idleDeadline,
      activeConnections: s.activeConnections,
    }));
  }

  get size(): number {
    return this.slots.size;
  }

  private expired(slot: Slot): boolean {
    return slot.activeConnections === 0 && this.clock() >= slot.idleDeadline;
  }
}
