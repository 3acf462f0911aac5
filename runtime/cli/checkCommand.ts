// `protoext-lb check`: runs the extension over a CONNECT corpus and reports where its user_token disagrees with the reference decoder (exit 1 on any).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CORPUS_FORMAT_USAGE, builtinCheckCases, parseCorpusFile, type CheckCase } from './checkCorpus';
import { formatTable, summaryLine } from './checkReport';
import { runCheck } from './checkRunner';
import { CliUsageError, displayPath, loadScriptFile } from './scriptFile';

export const CHECK_USAGE = `protoext-lb check [--extension F] [--corpus FILE] [--no-splits] [--json]
  Runs client.on_data over a corpus of client first flights and compares its user_token with the ClientID the
  reference decoder reads. Built-in corpus: MQTT 3.1/3.1.1/5.0 (mosquitto captures, properties, will, empty and long
  ClientIDs, a CONNECT followed by a PUBLISH) and malformed CONNECTs; every case also runs split into two deliveries at
  every byte (--no-splits: whole cases only). A valid CONNECT must be sent with user_token = its ClientID; a malformed
  one must be reset (error()) or closed: forwarding it or holding it forever counts as a disagreement, and the table
  says which. An incomplete one must be held.
  --extension   the .lua (default: the bundled examples/mqtt.lua)
  --json        one JSON object (summary counts and the disagreement rows) instead of the table
  Table: one row per case and kind of disagreement; "case [whole, @3-7]" means the whole case and its runs split
  after byte 3 to 7 disagree alike.
${CORPUS_FORMAT_USAGE}
  Exit 0: no disagreement; 1: some; 2: bad arguments, unreadable corpus, script load errors.`;

const FLAGS = {
  extension: { type: 'string' },
  corpus: { type: 'string' },
  'no-splits': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function corpusCases(path: string | undefined): { cases: CheckCase[]; name: string } {
  if (path === undefined) return { cases: builtinCheckCases(), name: 'the built-in corpus' };
  const abs = resolve(path);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    throw new CliUsageError(`cannot read the corpus ${displayPath(abs)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return { cases: parseCorpusFile(text, displayPath(abs)), name: displayPath(abs) };
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
  const corpus = corpusCases(values.corpus);
  const { script, file } = await loadScriptFile(values.extension ?? null);
  let result;
  try {
    result = runCheck(script, corpus.cases, { splits: !values['no-splits'] });
  } finally {
    script.dispose();
  }
  const summary = summaryLine(file, corpus.name, result);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ extension: file, corpus: corpus.name, summary, ...result }, null, 2)}\n`);
  } else {
    if (result.rows.length > 0) process.stdout.write(`${formatTable(result.rows)}\n\n`);
    process.stdout.write(`${summary}\n`);
  }
  return result.disagreements > 0 ? 1 : 0;
}
