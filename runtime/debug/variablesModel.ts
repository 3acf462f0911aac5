// Maps DAP variable references to what they show (Lua scopes from the worker, Payload and Decision from the session) for one stop.
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { ProtocolView, SentView } from './inspectorModel';
import type { DecisionStatus } from './runState';
import type { LuaValueView, StopInfo } from './workerProtocol';

export type VariableSource =
  | { kind: 'locals'; level: number }
  | { kind: 'upvalues'; level: number }
  | { kind: 'globals' }
  | { kind: 'table'; handle: number; path: string | null }
  | { kind: 'payload' }
  | { kind: 'decision' };

export const PAYLOAD_MEMORY = 'payload';

/** References are valid for one stop only, as DAP allows; `clear` runs at every resume. */
export class VariableRefs {
  private next = 1;
  private readonly refs = new Map<number, VariableSource>();

  add(source: VariableSource): number {
    const ref = this.next++;
    this.refs.set(ref, source);
    return ref;
  }

  get(ref: number): VariableSource | undefined {
    return this.refs.get(ref);
  }

  clear(): void {
    this.refs.clear();
  }
}

export function toVariable(view: LuaValueView, refs: VariableRefs, parentPath: string | null): DebugProtocol.Variable {
  const isName = /^[A-Za-z_][A-Za-z0-9_]*$/.test(view.name);
  const evaluateName = parentPath === null ? view.name : isName ? `${parentPath}.${view.name}` : `${parentPath}${view.name}`;
  return {
    name: view.name,
    value: view.value,
    type: view.type,
    evaluateName,
    variablesReference: view.handle !== 0 ? refs.add({ kind: 'table', handle: view.handle, path: evaluateName }) : 0,
  };
}

/** Offsets as compact ranges: 0-3, 12-13. */
export function ranges(offsets: readonly number[]): string {
  const sorted = [...offsets].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

function plain(name: string, value: string, extra: Partial<DebugProtocol.Variable> = {}): DebugProtocol.Variable {
  return { name, value, variablesReference: 0, ...extra };
}

export function payloadVariables(stop: StopInfo, deliveries: number): DebugProtocol.Variable[] {
  const hex = Buffer.from(stop.data).toString('hex').replace(/(..)(?!$)/g, '$1 ');
  const unread = stop.data.length - stop.reads.length;
  return [
    plain('bytes', hex, { memoryReference: PAYLOAD_MEMORY, type: `${stop.data.length} bytes` }),
    plain('length', String(stop.data.length)),
    plain('delivery', `${stop.delivery + 1} of ${deliveries}`),
    plain('read offsets', stop.reads.length > 0 ? `${ranges(stop.reads)} (0-based; ${stop.reads.length} byte(s))` : 'none yet'),
    plain('bytes read so far', Buffer.from(stop.reads.map((o) => stop.data[o])).toString('hex').replace(/(..)(?!$)/g, '$1 ')),
    plain('last read offset', stop.lastRead === null ? 'none' : `${stop.lastRead} (Lua position ${stop.lastRead + 1})`),
    plain('unread bytes', String(unread)),
  ];
}

/** One line a send: `#2 EOM 61 bytes "<13>1 ..." -> syslog2 (round robin)`, so a message protocol's decisions read one per message. */
function sentVariables(sent: readonly SentView[], protocol: ProtocolView): DebugProtocol.Variable[] {
  if (sent.length === 0) return [];
  const lines = sent.map((s) => plain(`#${s.index} ${s.event}`, `${s.service === null ? 'decision pending' : `-> ${s.service}`}: ${s.length} bytes ${JSON.stringify(s.text)}`, { type: s.reason ?? '' }));
  return [plain(protocol.balancing === 'message' ? `${protocol.unitName}s sent` : 'sends', String(sent.length)), ...lines];
}

export function decisionVariables(status: DecisionStatus, sent: readonly SentView[], protocol: ProtocolView): DebugProtocol.Variable[] {
  const history = sentVariables(sent, protocol);
  if (status.kind === 'none') {
    const next = protocol.balancing === 'message' && sent.length > 0 ? `no decision for the next ${protocol.unitName} yet (each EOM ends one)` : 'ns.send has not run yet: no load-balancing decision';
    return [plain('status', next), ...history];
  }
  if (status.kind === 'pending') return [plain('status', 'ns.send ran: the LB decides when this delivery\'s result reaches it (on_data returns), and its decision shows here'), ...history];
  const decision = status.decision;
  return [
    plain('service', decision.service === null ? 'none (no service up)' : `${decision.service} (${decision.address})`),
    plain('why', decision.reason),
    plain('user_token', decision.token === null ? 'nil' : JSON.stringify(decision.token), { type: decision.tokenHex ?? '' }),
    plain('user_session', decision.session === null ? 'nil' : JSON.stringify(decision.session)),
    plain('lbMethod', `${decision.method} (chosen by ${decision.chosenBy})`),
    plain('persistence', `${decision.persistenceType}: ${decision.persistence}`),
    plain('expiry', decision.expiry),
    plain('decided', decision.basis),
    ...history,
  ];
}
