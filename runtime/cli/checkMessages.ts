// Does a run of a message protocol's script agree with the reference framing? Same messages, each ended by EOM, the rest held.
import type { CheckExpectation } from '../protocols';
import { quoteForTable } from './binaryText';
import type { FirstFlightRun, FirstSend } from './firstFlight';

type MessagesExpectation = Extract<CheckExpectation, { kind: 'messages' }>;

export interface ScriptMessages {
  /** Each message the script ended with EOM (its DATA sends and the EOM's data, joined), as hex. */
  complete: string[];
  /** Bytes sent as DATA after the last EOM: a message the script never ended. */
  unfinished: number;
}

/** Contiguous DATA sends and the EOM after them are one message (one decision), as on the ADC. */
export function scriptMessages(sendLog: readonly FirstSend[]): ScriptMessages {
  const complete: string[] = [];
  let parts: Uint8Array[] = [];
  for (const send of sendLog) {
    parts.push(send.data);
    if (send.event === 'EOM') {
      complete.push(Buffer.concat(parts).toString('hex'));
      parts = [];
    }
  }
  return { complete, unfinished: parts.reduce((n, p) => n + p.length, 0) };
}

const shown = (hex: string): string => quoteForTable(Buffer.from(hex, 'hex').toString('latin1'));

export function describeMessagesExpectation(expect: MessagesExpectation): string {
  const parts = [`${expect.messages.length} message${expect.messages.length === 1 ? '' : 's'}`];
  if (expect.heldBytes > 0) parts.push(`hold ${expect.heldBytes} bytes`);
  if (expect.invalid) parts.push(`then reset (${expect.invalid.code})`);
  return parts.join(', ');
}

export function describeMessagesRun(run: FirstFlightRun): string {
  const sent = scriptMessages(run.sendLog);
  const parts = [`${sent.complete.length} message${sent.complete.length === 1 ? '' : 's'}`];
  if (sent.unfinished > 0) parts.push(`${sent.unfinished} bytes without EOM`);
  if (run.heldBytes > 0) parts.push(`hold ${run.heldBytes} bytes`);
  if (run.outcome === 'reset') parts.push(run.error?.line != null ? `reset at ${run.error.file}:${run.error.line}` : 'reset');
  if (run.outcome === 'close') parts.push('close');
  if (run.piped) parts.push('pipe');
  return parts.join(', ');
}

/** Null when the run agrees; else the first difference, in words. */
export function whyForMessages(run: FirstFlightRun, expect: MessagesExpectation): string | null {
  const sent = scriptMessages(run.sendLog);
  const ended = run.outcome === 'reset' || run.outcome === 'close';
  if (run.outcome === 'reset' && !expect.invalid) return `resets a valid stream: ${run.error?.message ?? 'script error'}`;
  if (run.piped) return 'pipes the connection: the messages after it get no decision of their own';
  // A reset drops what the failing callback sent (the ADC resets first), so before broken framing a prefix is enough.
  const needed = expect.invalid && ended ? Math.min(sent.complete.length, expect.messages.length) : expect.messages.length;
  for (let i = 0; i < needed; i++) {
    const got = sent.complete[i];
    if (got === undefined) return `message ${i + 1} of ${expect.messages.length} is never sent: ${shown(expect.messages[i])}`;
    if (got !== expect.messages[i]) return `message ${i + 1} differs: the reference frames ${shown(expect.messages[i])}, the script sent ${shown(got)}`;
  }
  if (sent.complete.length > expect.messages.length) return `sends ${sent.complete.length} messages where the reference frames ${expect.messages.length}: ${shown(sent.complete[expect.messages.length])} is extra`;
  if (sent.unfinished > 0) return `sends ${sent.unfinished} bytes as DATA without an EOM: the next message would follow them to the same service`;
  if (expect.invalid) return ended ? null : `does not reset the connection at broken framing (${expect.invalid.code}: ${expect.invalid.message})`;
  if (run.heldBytes !== expect.heldBytes) {
    return expect.heldBytes === 0
      ? `holds ${run.heldBytes} bytes although every message is complete: they wait for bytes that may never come`
      : `holds ${run.heldBytes} bytes where the reference has an incomplete message of ${expect.heldBytes} bytes`;
  }
  return ended ? `ends the connection (${run.outcome}) although the stream is valid` : null;
}
