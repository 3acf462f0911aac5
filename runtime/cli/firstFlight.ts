// Feeds one client's first flight to a loaded extension, delivery by delivery, and sums up what the script did (no sockets, no LB).
import type { ExtensionScript, ConnectionInfo, ScriptError } from '../ns/types';

/**
 * `send`: ns.send was called (the LB decides on the first one). `hold`: the last delivery was held and
 * nothing was sent, so the connection waits for bytes (on the LB, until the first-flight timeout).
 * `reset`: the script failed (error() or a Lua error). `close`: ctxt:close without a send.
 * `pipe`: ns.pipe without a send (the LB decides, tokenless, on the next bytes). `reply`: only
 * ns.send(ctxt.client): the script answered the client, nothing went to a service. `drop`: none of
 * these; the delivered bytes were consumed and nothing waits.
 */
export type FirstFlightOutcome = 'send' | 'reply' | 'hold' | 'reset' | 'close' | 'pipe' | 'drop';

export interface DeliveryStep {
  /** Bytes in this delivery (not counting held bytes redelivered with it). */
  bytes: number;
  /** `script`: client.on_data ran; `piped`: after ns.pipe the bytes went straight through; `skipped`: the connection was already reset/closed. */
  handledBy: 'script' | 'piped' | 'skipped';
  held: boolean;
  sends: number;
  /** ns.send(ctxt.client, ...) calls: answers to the client. */
  replies: number;
  piped: boolean;
  closed: boolean;
  error: string | null;
}

export interface FirstSend {
  event: 'DATA' | 'EOM';
  data: Uint8Array;
  token: Uint8Array | null;
  session: Uint8Array | null;
}

export interface FirstFlightRun {
  outcome: FirstFlightOutcome;
  /** The send the LB decision is made on; null when the script never sent. */
  firstSend: FirstSend | null;
  /** Every ns.send in call order: a message protocol's messages are the DATA runs each closed by an EOM. */
  sendLog: FirstSend[];
  sends: number;
  bytesSent: number;
  replies: number;
  bytesToClient: number;
  piped: boolean;
  closed: boolean;
  error: ScriptError | null;
  /** Bytes ctxt:hold kept at the end. */
  heldBytes: number;
  deliveries: DeliveryStep[];
}

export const SIMULATED_CONNECTION: ConnectionInfo = {
  client: { ip: '127.0.0.1', port: 50000, localIp: '127.0.0.1', localPort: 1883 },
  vserver: { name: 'mqtt_vs', params: {} },
};

/** Runs `deliveries` through a fresh connection of `script` (the script's globals persist across runs, as on the ADC). */
export function runFirstFlight(script: ExtensionScript, deliveries: readonly Uint8Array[], info: ConnectionInfo = SIMULATED_CONNECTION): FirstFlightRun {
  const conn = script.openConnection(info);
  const steps: DeliveryStep[] = [];
  let firstSend: FirstSend | null = null;
  const sendLog: FirstSend[] = [];
  let sends = 0;
  let bytesSent = 0;
  let replies = 0;
  let bytesToClient = 0;
  let piped = false;
  let closed = false;
  let error: ScriptError | null = null;
  let lastHeld = false;
  try {
    for (const bytes of deliveries) {
      if (error || closed) {
        steps.push({ bytes: bytes.length, handledBy: 'skipped', held: false, sends: 0, replies: 0, piped, closed, error: null });
        continue;
      }
      if (piped) {
        bytesSent += bytes.length;
        steps.push({ bytes: bytes.length, handledBy: 'piped', held: false, sends: 0, replies: 0, piped, closed, error: null });
        continue;
      }
      const result = conn.onClientData(bytes);
      let stepSends = 0;
      let stepReplies = 0;
      if (result.error) {
        error = result.error;
      } else {
        for (const action of result.actions) {
          if (action.kind === 'send') {
            stepSends++;
            bytesSent += action.data.length;
            sendLog.push({ event: action.event, data: action.data, token: action.userToken, session: action.userSession });
            firstSend ??= sendLog[0];
          } else if (action.kind === 'toClient') {
            stepReplies++;
            bytesToClient += action.data.length;
          } else if (action.kind === 'pipe') {
            piped = true;
          } else {
            closed = true;
          }
        }
      }
      sends += stepSends;
      replies += stepReplies;
      lastHeld = result.held && !result.error;
      steps.push({ bytes: bytes.length, handledBy: 'script', held: lastHeld, sends: stepSends, replies: stepReplies, piped, closed, error: result.error?.message ?? null });
    }
    return {
      outcome: outcomeOf(error, sends, closed, lastHeld, piped, replies), firstSend, sendLog, sends, bytesSent, replies, bytesToClient, piped, closed, error, heldBytes: conn.heldBytes, deliveries: steps,
    };
  } finally {
    conn.dispose();
  }
}

function outcomeOf(error: ScriptError | null, sends: number, closed: boolean, held: boolean, piped: boolean, replies: number): FirstFlightOutcome {
  if (error) return 'reset';
  if (sends > 0) return 'send';
  if (replies > 0) return 'reply';
  if (closed) return 'close';
  if (held) return 'hold';
  return piped ? 'pipe' : 'drop';
}
