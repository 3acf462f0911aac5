// The cases `protoext-lb check` runs: the protocol's built-in corpus or a corpus file (JSON cases or hex lines), each with its expectation.
import { parseHex } from '../packets/packetSource';
import { PROTOCOLS, type CheckCase, type CheckExpectation, type Protocol } from '../protocols';
import { CliUsageError } from './scriptFile';

export type { CheckCase };

export const CORPUS_FORMAT_USAGE = `  Corpus file (--corpus FILE), either
    JSON: [{"name": "...", "hex": "10 1a 00 04 ...", "chunks": [3, 5], "clientId": "...", "reject": true}, ...]
          (bytes of the chosen --protocol: an MQTT first flight, or a syslog delivery of framed messages)
          (or {"cases": [...]}); "hex" is required; "clientId" (or "clientIdHex") states the expected user_token,
          "reject": true states that the script must reset; with neither, the reference decoder's verdict is expected
          (valid: its ClientID; malformed: a reset; incomplete: a hold). "chunks" splits the whole-case run.
    or hex lines: one first flight or delivery a line, "HEX" or "NAME: HEX"; blank lines and lines starting with # are skipped;
          the reference decoder's verdict is expected.`;

/** The protocol's built-in corpus (MQTT's unless told). */
export function builtinCheckCases(protocol: Protocol = PROTOCOLS.mqtt): CheckCase[] {
  return protocol.corpus();
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

/** What the protocol's reference expects of these bytes; raw has no reference, so a corpus file must state it. */
function referenceExpectation(protocol: Protocol, bytes: Uint8Array, where: string): CheckExpectation {
  const expect = protocol.expectation(bytes);
  if (!expect) throw new CliUsageError(`${where}: the ${protocol.name} protocol has no reference decoder; state "clientId" or "reject" for each case`);
  return expect;
}

function caseFromBytes(protocol: Protocol, name: string, description: string, bytes: Uint8Array, chunks: number[] | null, expect: CheckExpectation): CheckCase {
  return { name, description, bytes, chunks, version: protocol.versionOf(bytes), expect };
}

function jsonCase(protocol: Protocol, raw: JsonCase, index: number, source: string): CheckCase {
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
  const reference = protocol.expectation(bytes);
  // A stated token keeps what the reference knows of the case (its version, the hint for a mismatch).
  const token = (id: Buffer): CheckExpectation => ({
    ...(reference?.kind === 'token' ? reference : { kind: 'token' as const, version: protocol.versionOf(bytes) ?? 'unknown' }),
    clientId: id.toString('utf8'),
    clientIdHex: id.toString('hex'),
  });
  let stated: CheckExpectation | null = null;
  if (raw.reject === true) {
    stated = reference?.kind === 'reject' ? reference : { kind: 'reject', code: 'stated-in-corpus', message: null };
  } else if (typeof raw.clientId === 'string') {
    stated = token(Buffer.from(raw.clientId, 'utf8'));
  } else if (typeof raw.clientIdHex === 'string') {
    if (!/^([0-9a-f]{2})*$/i.test(raw.clientIdHex)) throw new CliUsageError(`${where} (${name}): "clientIdHex" is not hex`);
    stated = token(Buffer.from(raw.clientIdHex, 'hex'));
  }
  const description = typeof raw.description === 'string' ? raw.description : '';
  return caseFromBytes(protocol, name, description, bytes, chunks, stated ?? referenceExpectation(protocol, bytes, `${where} (${name})`));
}

function hexLines(protocol: Protocol, text: string, source: string): CheckCase[] {
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
    cases.push(caseFromBytes(protocol, name, `${source}:${i + 1}`, bytes, null, referenceExpectation(protocol, bytes, `${source}:${i + 1}`)));
  });
  return cases;
}

/** A corpus file: JSON when it starts with [ or {, else hex lines; expectations from `protocol`'s reference unless stated. */
export function parseCorpusFile(text: string, source: string, protocol: Protocol = PROTOCOLS.mqtt): CheckCase[] {
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
    cases = list.map((c, i) => jsonCase(protocol, c as JsonCase, i, source));
  } else {
    cases = hexLines(protocol, text, source);
  }
  if (cases.length === 0) throw new CliUsageError(`${source}: no cases`);
  return cases;
}
