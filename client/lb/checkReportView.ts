// Turns `protoext-lb check --json` output into what the user reads: a Markdown table and the line to anchor a diagnostic on; no `vscode` import.
import type { CheckResult } from '../../runtime/cli/checkRunner';
import { rowCaseLabel } from '../../runtime/cli/checkReport';

export interface CheckJson extends CheckResult {
  extension: string;
  corpus: string;
  summary: string;
}

export function parseCheckJson(stdout: string): CheckJson {
  const parsed = JSON.parse(stdout) as CheckJson;
  if (typeof parsed.summary !== 'string' || !Array.isArray(parsed.rows)) throw new Error('protoext-lb check --json printed an unexpected object');
  return parsed;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A Markdown report: the summary, then one table row per case and kind of disagreement. `protocol`: its title ('MQTT', 'syslog'). */
export function checkMarkdown(result: CheckJson, protocol = 'MQTT'): string {
  const lines = [`# Check against the ${protocol} corpus`, '', `**${cell(result.summary)}**`, ''];
  if (result.rows.length === 0) return [...lines, 'No disagreements: the script does what the reference does everywhere.', ''].join('\n');
  lines.push('`@N`: the run split into two deliveries after byte N (exercises `ctxt:hold`).', '');
  lines.push('| case | version | expected | got | why |', '|---|---|---|---|---|');
  for (const r of result.rows) lines.push(`| ${cell(rowCaseLabel(r))} | ${cell(r.version)} | ${cell(r.expected)} | ${cell(r.got)} | ${cell(r.why)} |`);
  return [...lines, ''].join('\n');
}

/** 0-based line of `client.on_data`'s definition (where the lens sits), or 0. */
export function onDataLine(source: string): number {
  const lines = source.split('\n');
  const i = lines.findIndex((l) => /function\s+client[.:]on_data\b|client\.on_data\s*=\s*function/.test(l));
  return i < 0 ? 0 : i;
}

/** One sentence per version or format for the diagnostic: where the script disagrees. `protocol`: its title. */
export function disagreementSummary(result: CheckJson, protocol = 'MQTT'): string {
  const parts = Object.entries(result.byVersion)
    .filter(([, t]) => t.disagreements > 0)
    .map(([v, t]) => `${v === 'unknown' ? `not ${protocol}` : `${protocol} ${v}`} ${t.disagreements}/${t.runs}`);
  return `${result.disagreements} of ${result.runs} corpus runs disagree with the reference decoder (${parts.join(', ')})`;
}
