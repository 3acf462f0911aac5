// The sends of one client delivery, gathered per service link and written once each when the script returns: one write(2) per service per read, not one per message.
import type { BackendLink } from './backendLink';

/**
 * A message-based script (syslog: one EOM per line) sends hundreds of messages from one 64 KiB read; written
 * one by one, the write(2) per message cost more than the script. The bytes and their order per service are
 * unchanged, only the syscalls are fewer. Deliveries run synchronously, one at a time, so one batch serves every session.
 */
export interface BatchTarget {
  writeToService(link: BackendLink, bytes: Uint8Array): void;
}

export class SendBatch {
  private readonly links: BackendLink[] = [];
  private readonly chunks: Uint8Array[][] = [];
  /** The session whose delivery is being applied: only it may flush (another session's reset leaves the batch alone). */
  private owner: BatchTarget | null = null;
  private collecting = false;

  /** True while `target`'s delivery is applied: its sends are gathered rather than written. */
  collects(target: BatchTarget): boolean {
    return this.collecting && this.owner === target;
  }

  open(owner: BatchTarget): void {
    this.owner = owner;
    this.collecting = true;
  }

  /** Writes what was gathered and stops gathering. */
  close(target: BatchTarget): void {
    this.flush(target);
    this.collecting = false;
    this.owner = null;
  }

  add(link: BackendLink, data: Uint8Array): void {
    let i = this.links.indexOf(link);
    if (i < 0) {
      i = this.links.push(link) - 1;
      this.chunks[i] = [];
    }
    this.chunks[i].push(data);
  }

  /** Hands each link its gathered bytes in one piece, now: before a reset or ctxt:close ends the links (a no-op when empty). */
  flush(target: BatchTarget): void {
    if (this.links.length === 0 || target !== this.owner) return;
    const collecting = this.collecting;
    this.collecting = false;
    const links = this.links.splice(0);
    const chunks = this.chunks.splice(0);
    for (let i = 0; i < links.length; i++) target.writeToService(links[i], chunks[i].length === 1 ? chunks[i][0] : Buffer.concat(chunks[i]));
    this.collecting = collecting;
  }
}
