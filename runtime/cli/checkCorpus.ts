// The CONNECTs `protoext-lb check` runs: the built-in corpus (runtime/mqtt) or a corpus file (JSON cases or hex lines), each with its expectation.
import { builtinCorpus, referenceVerdict, type MqttVersion } from '../mqtt';
import { parseHex } from '../packets/packetSource';
import { expectationOf, expectationOfCorpus, type CheckExpectation } from './checkJudge';
import { CliUsageError } from './scriptFile';

export interface CheckCase {
  name: string;
  description: string;
  bytes: Uint8Array;
  /** Sizes of the deliveries of the whole-case run (null: one delivery). */
  chunks: number[] | null;
  /** The MQTT version for the table: the decoder's, or the protocol level byte of a malformed CONNECT. */
  version: MqttVersion | null;
  expect: CheckExpectation;
}

export const CORPUS_FORMAT_USAGE = `  Corpus file (--corpus FILE), either
    JSON: [{"name": "...", "hex": "10 1a 00 04 ...", "chunks": [3, 5], "clientId": "...", "reject": true}, ...]
          (or {"cases": [...]}); "hex" is required; "clientId" (or "clientIdHex") states the expected user_token,
          "reject": true states that the script must reset; with neither, the reference decoder's verdict is expected
          (valid: its ClientID; malformed: a reset; incomplete: a hold). "chunks" splits the whole-case run.
    or hex lines: one CONNECT a line, "HEX" or "NAME: HEX"; blank lines and lines starting with # are skipped;
          the reference decoder's verdict is expected.`;

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

interface JsonCase {
  name?: unknown;
  description?: unknown;
  hex?: unknown;
  chunks?: unknown;
  clientId?: unknown;
  clientIdHex?: unknown;
  reject?: unknown;
}

function caseFromBytes(name: string, description: string, bytes: Uint8Array, chunks: number[] | null, stated: CheckExpectation | null): CheckCase {
  const verdict = referenceVerdict(bytes);
  return { name, description, bytes, chunks, version: verdict.version ?? sniffVersion(bytes), expect: stated ?? expectationOf(verdict) };
}

function jsonCase(raw: JsonCase, index: number, source: string): CheckCase {
  const where = `${source}: case ${index + 1}`;
  if (typeof raw !== 'object' || raw === null) throw new CliUsageError(`${where}: expected an object`);
  const name = typeof raw.name === 'string' ? raw.name : `case-${index + 1}`;
  if (typeof raw.hex !== 'string') throw new CliUsageError(`${where} (${name}): "hex" must be a string of hex bytes`);
  let bytes: Uint8Array;
  try {
    bytes = parseHex(raw.hex);
  } catch {
    throw new CliUsageError(`${where} (${name}): "hex" is not pairs of hex digits`);
  }
  let chunks: number[] | null = null;
  if (raw.chunks !== undefined) {
    if (!Array.isArray(raw.chunks) || raw.chunks.some((n) => !Number.isInteger(n) || (n as number) <= 0)) throw new CliUsageError(`${where} (${name}): "chunks" must be positive integers`);
    chunks = raw.chunks as number[];
    if (chunks.reduce((a, b) => a + b, 0) > bytes.length) throw new CliUsageError(`${where} (${name}): "chunks" add up to more than the ${bytes.length} bytes`);
  }
  const verdict = referenceVerdict(bytes);
  const version = verdict.version ?? sniffVersion(bytes) ?? '3.1.1';
  let stated: CheckExpectation | null = null;
  if (raw.reject === true) {
    stated = { kind: 'reject', code: verdict.errorCode ?? 'stated-in-corpus', message: verdict.error };
  } else if (typeof raw.clientId === 'string') {
    stated = { kind: 'token', version, clientId: raw.clientId, clientIdHex: Buffer.from(raw.clientId, 'utf8').toString('hex') };
  } else if (typeof raw.clientIdHex === 'string') {
    if (!/^([0-9a-f]{2})*$/i.test(raw.clientIdHex)) throw new CliUsageError(`${where} (${name}): "clientIdHex" is not hex`);
    const id = Buffer.from(raw.clientIdHex, 'hex');
    stated = { kind: 'token', version, clientId: id.toString('utf8'), clientIdHex: id.toString('hex') };
  }
  const description = typeof raw.description === 'string' ? raw.description : '';
  return caseFromBytes(name, description, bytes, chunks, stated);
}

function hexLines(text: string, source: string): CheckCase[] {
  const cases: CheckCase[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const m = /^([^\s:]+):\s+(.*)$/.exec(trimmed);
    const name = m ? m[1] : `line-${i + 1}`;
    let bytes: Uint8Array;
    try {
      bytes = parseHex(m ? m[2] : trimmed);
    } catch {
      throw new CliUsageError(`${source}:${i + 1}: not hex bytes (expected "HEX" or "NAME: HEX")`);
    }
    cases.push(caseFromBytes(name, `${source}:${i + 1}`, bytes, null, null));
  });
  return cases;
}

/** A corpus file: JSON when it starts with [ or {, else hex lines. */
export function parseCorpusFile(text: string, source: string): CheckCase[] {
  const trimmed = text.trimStart();
  let cases: CheckCase[];
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new CliUsageError(`${source}: not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    const list = Array.isArray(json) ? json : (json as { cases?: unknown }).cases;
    if (!Array.isArray(list)) throw new CliUsageError(`${source}: expected an array of cases or {"cases": [...]}`);
    cases = list.map((c, i) => jsonCase(c as JsonCase, i, source));
  } else {
    cases = hexLines(text, source);
  }
  if (cases.length === 0) throw new CliUsageError(`${source}: no cases`);
  return cases;
}
