// What the MQTT reference expects of a script: expectations from the decoder's verdict and the corpus, and the version a CONNECT claims.
import { builtinCorpus, referenceVerdict, type CorpusExpectation, type MqttVersion, type ReferenceVerdict } from '../../mqtt';
import type { CheckCase, CheckExpectation } from '../protocol';

/** Why a script reading "name + 4 bytes" goes wrong on 5.0; shown with a 5.0 token disagreement. */
export const V5_HINT = '; in MQTT 5.0 a property length and properties come between keep alive and the ClientID';

function tokenExpectation(version: MqttVersion, clientId: string, clientIdHex: string): CheckExpectation {
  return { kind: 'token', version, clientId, clientIdHex, ...(version === '5.0' ? { hint: V5_HINT } : {}) };
}

export function expectationOf(verdict: ReferenceVerdict): CheckExpectation {
  if (verdict.status === 'ok') return tokenExpectation(verdict.version as MqttVersion, verdict.clientId ?? '', verdict.clientIdHex ?? '');
  if (verdict.status === 'incomplete') return { kind: 'hold', needed: verdict.needed };
  return { kind: 'reject', code: verdict.errorCode ?? 'invalid', message: verdict.error };
}

export function expectationOfCorpus(expect: CorpusExpectation): CheckExpectation {
  if (expect.status === 'ok') return tokenExpectation(expect.version, expect.clientId, expect.clientIdHex);
  return { kind: 'reject', code: expect.code, message: null };
}

/** The protocol level of what looks like a CONNECT, read naively (for malformed packets the decoder gives no version). */
export function sniffVersion(bytes: Uint8Array): MqttVersion | null {
  if (bytes.length < 2 || bytes[0] >> 4 !== 1) return null;
  let at = 1;
  while (at < bytes.length && at < 5 && bytes[at] & 0x80) at++;
  at++;
  if (at + 2 > bytes.length) return null;
  const nameLength = (bytes[at] << 8) | bytes[at + 1];
  const level = bytes[at + 2 + nameLength];
  return level === 3 ? '3.1' : level === 4 ? '3.1.1' : level === 5 ? '5.0' : null;
}

/** The decoder's version, else the one the CONNECT claims. */
export function versionOf(bytes: Uint8Array): MqttVersion | null {
  return referenceVerdict(bytes).version ?? sniffVersion(bytes);
}

export function builtinCheckCases(): CheckCase[] {
  return builtinCorpus().map((c) => ({
    name: c.name,
    description: c.description,
    bytes: c.bytes,
    chunks: null,
    version: c.expect.status === 'ok' ? c.expect.version : sniffVersion(c.bytes),
    expect: expectationOfCorpus(c.expect),
  }));
}
