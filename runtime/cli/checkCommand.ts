// `protoext-lb check`: runs the extension over a CONNECT corpus and reports where its user_token disagrees with the reference decoder (exit 1 on any).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Protocol } from '../protocols';
import { CORPUS_FORMAT_USAGE, builtinCheckCases, parseCorpusFile, type CheckCase } from './checkCorpus';
import { formatTable, summaryLine } from './checkReport';
import { runCheck } from './checkRunner';
import { PROTOCOL_FLAG_USAGE, parseProtocolFlag } from './protocolFlag';
import { CliUsageError, displayPath, loadScriptFile } from './scriptFile';

export const CHECK_USAGE = `protoext-lb check [--protocol mqtt|syslog] [--extension F] [--corpus FILE] [--no-splits] [--json]
  Runs client.on_data over a corpus of client deliveries and compares what it sends with the protocol's reference.
  MQTT (one decision per connection): built-in corpus of 3.1/3.1.1/5.0 CONNECTs (mosquitto captures, properties, will,
  empty and long ClientIDs, a CONNECT followed by a PUBLISH) and malformed ones. A valid CONNECT must be sent with
  user_token = its ClientID; a malformed one must be reset (error()) or closed: forwarding it or holding it forever
  counts as a disagreement, and the table says which. An incomplete one must be held.
  syslog (one decision per message): deliveries captured from logger --tcp (RFC 5424, --rfc3164, --octet-count) and
  built ones; the script must send exactly the messages RFC 6587 framing cuts, each ended by EOM, hold the rest, and
  reset at broken framing.
  Every case also runs split into two deliveries at every byte (--no-splits: whole cases only).
${PROTOCOL_FLAG_USAGE}
  --extension   the .lua (default: the protocol's bundled sample, examples/mqtt.lua or examples/syslog.lua)
  --json        one JSON object (summary counts and the disagreement rows) instead of the table
  Table: one row per case and kind of disagreement; "case [whole, @3-7]" means the whole case and its runs split
  after byte 3 to 7 disagree alike.
${CORPUS_FORMAT_USAGE}
  Exit 0: no disagreement; 1: some; 2: bad arguments, unreadable corpus, script load errors.`;

const FLAGS = {
  protocol: { type: 'string' },
  extension: { type: 'string' },
  corpus: { type: 'string' },
  'no-splits': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function corpusCases(protocol: Protocol, path: string | undefined): { cases: CheckCase[]; name: string } {
  if (path === undefined) {
    const cases = builtinCheckCases(protocol);
    if (cases.length === 0) throw new CliUsageError(`the ${protocol.name} protocol has no reference decoder and no built-in corpus: give --corpus FILE with stated expectations`);
    return { cases, name: 'the built-in corpus' };
  }
  const abs = resolve(path);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    throw new CliUsageError(`cannot read the corpus ${displayPath(abs)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return { cases: parseCorpusFile(text, displayPath(abs), protocol), name: displayPath(abs) };
}

export async function checkCommand(argv: readonly string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new CliUsageError(`${err instanceof Error ? err.message : String(err)}\n${CHECK_USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${CHECK_USAGE}\n`);
    return 0;
  }
  const protocol = parseProtocolFlag(values.protocol);
  const corpus = corpusCases(protocol, values.corpus);
  const { script, file } = await loadScriptFile(values.extension ?? null, undefined, protocol.defaults.extension);
  let result;
  try {
    result = runCheck(script, corpus.cases, { splits: !values['no-splits'] });
  } finally {
    script.dispose();
  }
  const summary = summaryLine(file, corpus.name, result, protocol.title);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ extension: file, corpus: corpus.name, summary, ...result }, null, 2)}\n`);
  } else {
    if (result.rows.length > 0) process.stdout.write(`${formatTable(result.rows)}\n\n`);
    process.stdout.write(`${summary}\n`);
  }
  return result.disagreements > 0 ? 1 : 0;
}
