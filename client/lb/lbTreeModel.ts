// The "Local LB" tree as plain data built from runtime stats and decision events; no `vscode` import, so unit tests run it.
import type { Decision, PersistenceEntry } from '../../runtime/lb/types';
import type { LbStats } from '../../runtime/proxy/lbProxy';

export interface LbTreeNode {
  /** Stable across refreshes, so VS Code keeps expansion state. */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon id (ThemeIcon), never a colour. */
  icon?: string;
  children?: LbTreeNode[];
}

/** A decision as the tree shows it: the runtime's Decision plus the connection it was made for. */
export interface DecisionRecord extends Decision {
  conn: number;
  time: string;
  /** 1-based: the n-th decision on this connection (a message protocol decides once per message). */
  seq?: number;
}

/** What the tree says of the protocol the LB serves. */
export interface TreeProtocol {
  title: string;
  balancing: 'connection' | 'message';
  unitName: string;
}

export const MAX_DECISIONS_SHOWN = 20;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function text(value: string | null): string {
  return value === null ? '(none)' : JSON.stringify(value);
}

export function timeLeft(entry: PersistenceEntry, now: number): string {
  if (entry.expiresAt === null) return `held by ${entry.activeConnections} open connection${entry.activeConnections === 1 ? '' : 's'}`;
  const seconds = Math.max(0, Math.round((entry.expiresAt - now) / 1000));
  return seconds >= 60 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s left` : `${seconds} s left`;
}

function serviceNodes(stats: LbStats, messages: ReadonlyMap<string, number> | null, unit: string): LbTreeNode[] {
  return stats.services.map((s) => ({
    id: `service:${s.id}`,
    label: s.id,
    // Messages first for a message protocol: in a narrow side bar it is what stays readable.
    description: `${messages ? `${plural(messages.get(s.id) ?? 0, unit)} · ` : ''}${s.address} · ${s.up ? 'UP' : 'DOWN'} · ${s.activeConnections} active / ${s.totalConnections} total`,
    tooltip: `${s.id} ${s.address}: ${s.up ? 'up' : 'down'} (${s.healthReason})`,
    icon: s.up ? 'pass' : 'error',
  }));
}

function sessionNodes(stats: LbStats, now: number): LbTreeNode[] {
  return stats.persistence.entries.map((e) => ({
    id: `session:${e.sessionHex ?? e.session}`,
    label: JSON.stringify(e.session),
    description: `-> ${e.service} · ${timeLeft(e, now)}`,
    tooltip: `USERSESSION ${JSON.stringify(e.session)}${e.sessionHex ? ` (hex ${e.sessionHex})` : ''} persists on ${e.service}`,
    icon: 'pinned',
  }));
}

export function decisionLabel(d: DecisionRecord, protocol: TreeProtocol | null = null): string {
  if (protocol?.balancing === 'message') return `#${d.conn} ${protocol.unitName} ${d.seq ?? 1} -> ${d.service ?? 'no service'}`;
  return `#${d.conn} ${text(d.token)} -> ${d.service ?? 'no service'}`;
}

function decisionNodes(decisions: readonly DecisionRecord[], protocol: TreeProtocol | null): LbTreeNode[] {
  return decisions
    .slice(-MAX_DECISIONS_SHOWN)
    .reverse()
    .map((d) => ({
      // One connection decides once per message, possibly within one millisecond: the sequence keeps ids unique.
      id: `decision:${d.conn}:${d.seq ?? 1}:${d.time}`,
      label: decisionLabel(d, protocol),
      description: `${d.chosenBy}${d.persistence !== 'none' ? ` · persistence ${d.persistence}` : ''}`,
      tooltip: `${d.time} connection #${d.conn}: token ${text(d.token)}, session ${text(d.session)}, method ${d.method}, chosen by ${d.chosenBy}, persistence ${d.persistence}. ${d.reason}`,
      icon: d.service ? 'arrow-right' : 'warning',
    }));
}

/**
 * The three groups; empty when the LB is not running, so the welcome view (with its Start button) shows instead.
 * With the protocol: the services line names it, and a message protocol counts the messages each service received
 * (one decision per message) and labels each decision with its message.
 */
export function buildLbTree(stats: LbStats | null, history: readonly DecisionRecord[] | DecisionHistory, now = Date.now(), protocol: TreeProtocol | null = null): LbTreeNode[] {
  if (!stats) return [];
  const decisions = history instanceof DecisionHistory ? history.all() : history;
  const perService = protocol?.balancing === 'message' ? (history instanceof DecisionHistory ? history.perService() : countPerService(decisions)) : null;
  const services = serviceNodes(stats, perService, protocol?.unitName ?? 'message');
  const sessions = sessionNodes(stats, now);
  const recent = decisionNodes(decisions, protocol);
  const listen = stats.listening ? `${stats.listening.host}:${stats.listening.port}` : 'not listening';
  return [
    {
      id: 'group:services',
      label: 'Services',
      description: `${protocol ? `${protocol.title} · ` : ''}${stats.method} on ${listen} · ${stats.connections.active} active / ${stats.connections.total} total`,
      icon: 'server-environment',
      children: services,
    },
    {
      id: 'group:sessions',
      label: 'Persistence sessions',
      description: stats.persistence.type === 'NONE' ? 'persistence off' : `${stats.persistence.type}, timeout ${stats.persistence.timeoutMinutes} min · ${sessions.length}`,
      icon: 'pinned',
      children: sessions,
    },
    {
      id: 'group:decisions',
      label: 'Recent decisions',
      description: `${decisions.length} (newest first)`,
      icon: 'list-ordered',
      children: recent,
    },
  ];
}

function countPerService(decisions: readonly DecisionRecord[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of decisions) if (d.service !== null) out.set(d.service, (out.get(d.service) ?? 0) + 1);
  return out;
}

/** Keeps the last decisions seen in events, bounded; counts every decision per service and numbers them per connection. */
export class DecisionHistory {
  private readonly items: DecisionRecord[] = [];
  private readonly services = new Map<string, number>();
  private readonly perConnection = new Map<number, number>();

  constructor(private readonly keep = 200) {}

  add(record: DecisionRecord): void {
    const seq = (this.perConnection.get(record.conn) ?? 0) + 1;
    this.perConnection.set(record.conn, seq);
    if (this.perConnection.size > this.keep) this.perConnection.delete(this.perConnection.keys().next().value as number);
    if (record.service !== null) this.services.set(record.service, (this.services.get(record.service) ?? 0) + 1);
    this.items.push({ ...record, seq });
    if (this.items.length > this.keep) this.items.shift();
  }

  clear(): void {
    this.items.length = 0;
    this.services.clear();
    this.perConnection.clear();
  }

  /** Decisions per service since the LB started (a message protocol: messages received per service). */
  perService(): ReadonlyMap<string, number> {
    return this.services;
  }

  all(): readonly DecisionRecord[] {
    return this.items;
  }

  forConnection(conn: number): DecisionRecord | undefined {
    for (let i = this.items.length - 1; i >= 0; i--) if (this.items[i].conn === conn) return this.items[i];
    return undefined;
  }
}

/** Decisions made for one connection, oldest first (a message protocol: one per message). */
export function decisionsForConnection(history: DecisionHistory, conn: number): DecisionRecord[] {
  return history.all().filter((d) => d.conn === conn);
}
