// Feeds one first flight, chunk by chunk, to the reference decoder and to a loaded script, and checks the invariants the LB relies on.
import { decodeConnect } from '../../runtime/mqtt/connectDecoder';
import { referenceVerdict, type ReferenceVerdict } from '../../runtime/mqtt/verdict';
import type { LoadedExtension } from '../../runtime/ns/loadExtension';
import type { ConnectionInfo, ScriptError } from '../../runtime/ns/types';
import { assertSaneResult } from '../unit/mqtt/helpers';

/** How the LB would end the connection: `held-at-end` and `dropped` are closed at the first-flight timeout. */
export type FlightOutcome = 'forwarded' | 'held-at-end' | 'reset' | 'closed' | 'dropped';

export interface FlightReport {
  outcome: FlightOutcome;
  /** Set when the outcome is `reset`. */
  errorKind: ScriptError['kind'] | null;
  errorMessage: string | null;
  /** The user token of the first send, hex; null without a send or without a token. */
  tokenHex: string | null;
  /** Invariant breaches: each is a failed input (crash, hang, forwarding after an error, decoder insanity). */
  violations: string[];
  /** The script ran into the engine's instruction budget (stopped, not hung). */
  budgetStopped: boolean;
  elapsedMs: number;
}

export const FUZZ_INFO: ConnectionInfo = {
  client: { ip: '127.0.0.1', port: 40000, localIp: '127.0.0.1', localPort: 1883 },
  vserver: { name: 'mqtt_vs', params: {} },
};

/** Wall time one input may take before it counts as a hang (the instruction budget stops a loop in tens of ms). */
export const HANG_MS = 2000;

const hex = (b: Uint8Array | null): string | null => (b ? Buffer.from(b).toString('hex') : null);
const describe = (e: unknown): string => (e instanceof Error ? e.message.split('\n')[0] : String(e));

/** The decoder over every prefix a delivery boundary makes (as an incremental reader sees it): never throws, always sane. */
export function checkDecoder(chunks: readonly Uint8Array[]): string[] {
  const violations: string[] = [];
  const whole = Buffer.concat(chunks);
  let seen = 0;
  for (const chunk of chunks) {
    seen += chunk.length;
    const prefix = whole.subarray(0, seen);
    try {
      assertSaneResult(decodeConnect(prefix), prefix);
    } catch (e) {
      violations.push(`decoder on ${seen} bytes: ${describe(e)}`);
    }
  }
  return violations;
}

/** One connection of `ext` fed `chunks`; the ns host's result is checked after every delivery. */
export function runFlight(ext: LoadedExtension, chunks: readonly Uint8Array[]): FlightReport {
  const started = performance.now();
  const violations: string[] = [];
  let forwardedBytes = 0;
  let sent = false;
  let closed = false;
  let held = false;
  let tokenHex: string | null = null;
  let error: ScriptError | null = null;
  const conn = ext.openConnection(FUZZ_INFO);
  try {
    for (const chunk of chunks) {
      let result;
      try {
        result = conn.onClientData(chunk);
      } catch (e) {
        violations.push(`crash: onClientData threw: ${describe(e)}`);
        break;
      }
      if (result.error) {
        if (result.actions.length > 0) violations.push(`forwarded on error: ${result.actions.length} actions returned with ${result.error.message}`);
        if (forwardedBytes > 0 || sent) violations.push(`reset after ${forwardedBytes} bytes were already forwarded: ${result.error.message}`);
        if (!error) error = result.error;
        continue;
      }
      if (error && result.actions.length > 0) violations.push('actions after the connection failed');
      held = result.held;
      for (const action of result.actions) {
        if (action.kind === 'send') {
          if (!sent) tokenHex = hex(action.userToken);
          sent = true;
          forwardedBytes += action.data.length;
        } else if (action.kind === 'close') {
          closed = true;
        }
      }
      if (closed) break;
    }
  } finally {
    try {
      conn.dispose();
    } catch (e) {
      violations.push(`crash: dispose threw: ${describe(e)}`);
    }
  }
  const elapsedMs = performance.now() - started;
  if (elapsedMs > HANG_MS) violations.push(`hang: ${elapsedMs.toFixed(0)} ms for one input`);
  const outcome: FlightOutcome = error ? 'reset' : sent ? 'forwarded' : closed ? 'closed' : held ? 'held-at-end' : 'dropped';
  return {
    outcome,
    errorKind: error?.kind ?? null,
    errorMessage: error?.message ?? null,
    tokenHex,
    violations,
    budgetStopped: error?.kind === 'budget',
    elapsedMs,
  };
}

/** Where the script and the reference decoder disagree (for a script that claims to follow the spec), or null. */
export function oracleDisagreement(report: FlightReport, chunks: readonly Uint8Array[]): string | null {
  const verdict: ReferenceVerdict = referenceVerdict(Buffer.concat(chunks));
  if (verdict.status === 'ok') {
    if (report.outcome !== 'forwarded') return `reference: valid ${verdict.version} "${verdict.clientId}"; script: ${report.outcome} ${report.errorMessage ?? ''}`;
    if (report.tokenHex !== verdict.clientIdHex) return `reference ClientID ${verdict.clientIdHex}; script token ${report.tokenHex}`;
    return null;
  }
  if (verdict.status === 'invalid' && report.outcome === 'forwarded') return `reference: invalid (${verdict.error}); script forwarded with token ${report.tokenHex}`;
  if (verdict.status === 'incomplete' && report.outcome === 'forwarded') return `reference: incomplete (needs ${verdict.needed}); script forwarded with token ${report.tokenHex}`;
  return null;
}
