// Does a first-flight run agree with the reference decoder? One rule for simulate's `check` field and every row of `protoext-lb check`.
import type { CorpusExpectation, MqttVersion, ReferenceVerdict } from '../mqtt';
import { binaryText, quoteForTable } from './binaryText';
import type { FirstFlightRun } from './firstFlight';

/**
 * `token`: a valid CONNECT; the script must ns.send with user_token = the ClientID bytes (an absent token counts as
 * the empty ClientID, as the LB treats both alike). `reject`: malformed; the script must reset it (error()) or close
 * it; forwarding it or holding it counts as a disagreement. `hold`: the bytes stop inside the CONNECT; the script must
 * hold and wait for more.
 */
export type CheckExpectation =
  | { kind: 'token'; version: MqttVersion; clientId: string; clientIdHex: string }
  | { kind: 'reject'; code: string; message: string | null }
  | { kind: 'hold'; needed: number | null };

export interface Judgement {
  agree: boolean;
  /** Short cells for a table: what the reference expects, what the script did. */
  expected: string;
  got: string;
  /** Why they disagree (null when they agree). */
  why: string | null;
}

export function expectationOf(verdict: ReferenceVerdict): CheckExpectation {
  if (verdict.status === 'ok') return { kind: 'token', version: verdict.version as MqttVersion, clientId: verdict.clientId ?? '', clientIdHex: verdict.clientIdHex ?? '' };
  if (verdict.status === 'incomplete') return { kind: 'hold', needed: verdict.needed };
  return { kind: 'reject', code: verdict.errorCode ?? 'invalid', message: verdict.error };
}

export function expectationOfCorpus(expect: CorpusExpectation): CheckExpectation {
  if (expect.status === 'ok') return { kind: 'token', version: expect.version, clientId: expect.clientId, clientIdHex: expect.clientIdHex };
  return { kind: 'reject', code: expect.code, message: null };
}

export function describeExpectation(expect: CheckExpectation): string {
  if (expect.kind === 'token') return `user_token ${quoteForTable(expect.clientId)}`;
  if (expect.kind === 'reject') return `reset (${expect.code})`;
  return expect.needed === null ? 'hold (incomplete)' : `hold (${expect.needed}+ more bytes)`;
}

export function describeRun(run: FirstFlightRun): string {
  switch (run.outcome) {
    case 'send': {
      const token = run.firstSend?.token;
      return token && token.length > 0 ? `send user_token ${quoteForTable(binaryText(token).text)}` : 'send, empty user_token';
    }
    case 'hold': return `hold (${run.heldBytes} bytes held)`;
    case 'reset': return run.error?.line != null ? `reset at ${run.error.file}:${run.error.line}` : 'reset';
    case 'close': return 'close (ctxt:close)';
    case 'reply': return `answers the client (${run.replies} ns.send to ctxt.client), nothing to a service`;
    case 'pipe': return 'pipe, no ns.send';
    case 'drop': return 'nothing (no send, hold or error)';
  }
}

const V5_HINT = '; in MQTT 5.0 a property length and properties come between keep alive and the ClientID';

function tokenHex(run: FirstFlightRun): string {
  const token = run.firstSend?.token;
  return token ? Buffer.from(token.buffer, token.byteOffset, token.byteLength).toString('hex') : '';
}

function whyForToken(run: FirstFlightRun, expect: Extract<CheckExpectation, { kind: 'token' }>): string | null {
  const hint = expect.version === '5.0' ? V5_HINT : '';
  switch (run.outcome) {
    case 'send': {
      if (tokenHex(run) === expect.clientIdHex) return null;
      if (tokenHex(run) === '') return `user_token is empty but the ClientID is ${quoteForTable(expect.clientId)}${hint}`;
      return `user_token is not the ClientID${hint}`;
    }
    case 'hold': return `holds although the whole CONNECT arrived: waits for bytes that never come (until the first-flight timeout)${hint}`;
    case 'reset': return `resets a valid CONNECT: ${run.error?.message ?? 'script error'}`;
    case 'close': return 'closes a valid CONNECT (ctxt:close)';
    case 'reply': return 'answers a valid CONNECT itself (ns.send to ctxt.client): no service sees it';
    case 'pipe': return 'pipes without ns.send: the LB decides without a user_token';
    case 'drop': return 'never sends, holds or fails: the CONNECT is dropped';
  }
}

function whyForReject(run: FirstFlightRun, expect: Extract<CheckExpectation, { kind: 'reject' }>): string | null {
  const what = `a malformed CONNECT (${expect.code}${expect.message ? `: ${expect.message}` : ''})`;
  switch (run.outcome) {
    case 'reset':
    case 'close': return null;
    case 'send': return `forwards ${what} instead of resetting it`;
    case 'hold': return `holds ${what} forever instead of resetting it`;
    case 'pipe': return `pipes ${what} instead of resetting it`;
    case 'reply': return `answers ${what} itself instead of resetting it`;
    case 'drop': return `drops ${what} without resetting the connection`;
  }
}

function whyForHold(run: FirstFlightRun): string | null {
  switch (run.outcome) {
    case 'hold': return null;
    case 'send': return 'sends before the CONNECT is complete';
    case 'reset': return `resets an incomplete but so far valid CONNECT: ${run.error?.message ?? 'script error'}`;
    default: return 'does not hold an incomplete CONNECT';
  }
}

export function judgeRun(run: FirstFlightRun, expect: CheckExpectation): Judgement {
  const why = expect.kind === 'token' ? whyForToken(run, expect) : expect.kind === 'reject' ? whyForReject(run, expect) : whyForHold(run);
  return { agree: why === null, expected: describeExpectation(expect), got: describeRun(run), why };
}
