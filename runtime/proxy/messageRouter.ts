// Where one client session's messages go: an LB decision per message, the link it chose, and what a service that fails under the session costs.
import type { Decision } from '../lb/types';
import { BackendLink, type LinkCallbacks } from './backendLink';
import { ServiceLinks } from './serviceLinks';
import type { SessionHost } from './sessionHost';

interface DecisionKeys {
  readonly token: Uint8Array | null;
  readonly session: Uint8Array | null;
}
const NO_KEYS: DecisionKeys = { token: null, session: null };

/** What the router needs of its session (clientSession.ts); the session is also its links' callback object. */
export interface RoutedSession extends LinkCallbacks {
  readonly id: number;
  readonly host: SessionHost;
  /** Every decision as the LB made it, for a debugger running the session's script. */
  showDecision(decision: Decision): void;
  /** No service can take the message: the session ends its client. */
  noService(why: string): void;
}

/**
 * The session's links plus the routing of its messages. It is the links object itself, not a second object beside
 * it: every idle piped connection keeps one, and 10,000 of them must stay within the idle memory goal.
 */
export class MessageRouter extends ServiceLinks {
  /** Where the current message goes; null before the first send and after an EOM (the next send decides again). */
  current: BackendLink | null = null;
  /** The user_token and user_session of the message being decided; dropped once its link is open (idle connections keep no copies). */
  private keys: DecisionKeys = NO_KEYS;
  /** Services that failed to connect for this client: a retry never picks them again (created on the first failure). */
  private failed: Set<string> | null = null;
  /** An EOM was sent: one decision per message, so a service lost mid-stream takes only its own link (drop). */
  private messageBased = false;

  constructor(private readonly session: RoutedSession) {
    super();
  }

  /** The link for the message being sent: the current one, else a new decision on these keys. Null: no service is up (the session was told). */
  linkFor(token: Uint8Array | null, session: Uint8Array | null): BackendLink | null {
    if (this.current) return this.current;
    this.keys = token || session ? { token, session } : NO_KEYS;
    this.current = this.decide();
    return this.current;
  }

  /** An EOM ended the message on `link`: the next one gets its own decision. */
  endMessage(link: BackendLink): void {
    this.current = null;
    this.messageBased = true;
    link.messages++;
  }

  /** The link is connected: the service counts one more connection under the message's session key. */
  opened(link: BackendLink): void {
    this.session.host.balancer.connectionOpened(link.service.id, link.sessionKey);
    if (this.current === link) this.keys = NO_KEYS;
  }

  /** Passive failure: the service is marked down, and unless the session is over the same bytes go to another one, so the client does not fail. */
  connectFailed(link: BackendLink, reason: string, sessionOver: boolean): void {
    this.delete(link.service.id);
    this.session.host.serviceFailed(link.service.id, `connect failed: ${reason}`);
    if (sessionOver) return;
    (this.failed ??= new Set()).add(link.service.id);
    const queued = link.takeQueued();
    const wasCurrent = this.current === link;
    const retry = this.decide();
    if (!retry) return;
    if (wasCurrent) this.current = retry;
    for (const chunk of queued) retry.write(chunk);
  }

  /**
   * Message-based and the client still sending: a service that went away loses only its link. It is marked down, so
   * the next messages are decided among the others; those already written to it are counted, never sent again.
   * False when the session is not message-based (the link's end is the session's end).
   */
  drop(link: BackendLink, reason: string, clientStillSending: boolean): boolean {
    if (!this.messageBased || !clientStillSending) return false;
    this.delete(link.service.id);
    if (this.current === link) this.current = null;
    link.end();
    const host = this.session.host;
    host.serviceFailed(link.service.id, `${reason} while a client was sending messages`);
    host.emit('link-lost', { conn: this.session.id, service: link.service.id, reason, messages: link.messages });
    return true;
  }

  /** Makes an LB decision for the current message and returns the link to the chosen service. */
  private decide(): BackendLink | null {
    const host = this.session.host;
    const key = host.balancer.persistenceKey(this.keys.session);
    const decision = host.balancer.decide({ token: this.keys.token, session: this.keys.session, key, exclude: this.failed ?? undefined });
    host.decided(decision, key);
    if (host.listens('decision')) host.emit('decision', { conn: this.session.id, ...decision });
    this.session.showDecision(decision);
    if (decision.service === null) {
      this.session.noService(this.failed ? `no service is up (failed: ${[...this.failed].join(', ')})` : 'no service is up');
      return null;
    }
    const existing = this.get(decision.service);
    if (existing && existing.state !== 'closed') return existing;
    const link = new BackendLink(host.balancer.service(decision.service), host.limits.connectTimeoutMs, host.connectDeadlines, this.session, host.transport, key);
    this.set(link);
    return link;
  }
}
