// Does a first-flight run agree with the reference decoder? One rule for simulate's `check` field and every row of `protoext-lb check`.
import type { CheckExpectation } from '../protocols';
import { binaryText, quoteForTable } from './binaryText';
import { describeMessagesExpectation, describeMessagesRun, whyForMessages } from './checkMessages';
import type { FirstFlightRun } from './firstFlight';

/**
 * The rule per expectation (runtime/protocols/protocol.ts): `token`, the script must ns.send with user_token = the
 * reference's token bytes (an absent token counts as empty, as the LB treats both alike); `reject`, reset (error()) or
 * close, never forward or hold; `hold`, hold and wait for more; `messages`, send exactly the reference's messages.
 */
export type { CheckExpectation };

export interface Judgement {
  agree: boolean;
  /** Short cells for a table: what the reference expects, what the script did. */
  expected: string;
  got: string;
  /** Why they disagree (null when they agree). */
  why: string | null;
}

export function describeExpectation(expect: CheckExpectation): string {
  if (expect.kind === 'token') return `user_token ${quoteForTable(expect.clientId)}`;
  if (expect.kind === 'reject') return `reset (${expect.code})`;
  if (expect.kind === 'messages') return describeMessagesExpectation(expect);
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

function tokenHex(run: FirstFlightRun): string {
  const token = run.firstSend?.token;
  return token ? Buffer.from(token.buffer, token.byteOffset, token.byteLength).toString('hex') : '';
}

function whyForToken(run: FirstFlightRun, expect: Extract<CheckExpectation, { kind: 'token' }>): string | null {
  const hint = expect.hint ?? '';
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

function whyFor(run: FirstFlightRun, expect: CheckExpectation): string | null {
  switch (expect.kind) {
    case 'token': return whyForToken(run, expect);
    case 'reject': return whyForReject(run, expect);
    case 'hold': return whyForHold(run);
    case 'messages': return whyForMessages(run, expect);
  }
}

export function judgeRun(run: FirstFlightRun, expect: CheckExpectation): Judgement {
  const why = whyFor(run, expect);
  const got = expect.kind === 'messages' ? describeMessagesRun(run) : describeRun(run);
  return { agree: why === null, expected: describeExpectation(expect), got, why };
}
