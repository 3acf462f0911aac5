// The links of one client session, by service id: a field for the usual one service, a Map only once a message-based session reaches a second.
import type { BackendLink } from './backendLink';

/**
 * Every idle piped connection keeps its session's links, so they are held the cheapest way: a Map per session
 * cost about 300 bytes per connection (10,000 idle connections: 3 MB) where one field holds the only link.
 */
export class ServiceLinks {
  private first: BackendLink | null = null;
  private more: Map<string, BackendLink> | null = null;

  get size(): number {
    return (this.first ? 1 : 0) + (this.more?.size ?? 0);
  }

  get(serviceId: string): BackendLink | undefined {
    return this.first?.service.id === serviceId ? this.first : this.more?.get(serviceId);
  }

  /** Adds the link, or replaces the one the service had (a closed link, when a new decision picks its service again). */
  set(link: BackendLink): void {
    const id = link.service.id;
    if (this.more?.has(id)) this.more.set(id, link);
    else if (!this.first || this.first.service.id === id) this.first = link;
    else (this.more ??= new Map()).set(id, link);
  }

  delete(serviceId: string): void {
    if (this.first?.service.id === serviceId) this.first = null;
    else this.more?.delete(serviceId);
  }

  /** A copy: callers end or destroy links while they go through them, and a link's callbacks may delete it. */
  values(): BackendLink[] {
    const all = this.first ? [this.first] : [];
    if (this.more) all.push(...this.more.values());
    return all;
  }

  clear(): void {
    this.first = null;
    this.more = null;
  }
}
