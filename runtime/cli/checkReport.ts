// Renders a check result: the disagreement table (split runs grouped by cut ranges) and the one summary line.
import type { CheckResult, CheckRow } from './checkRunner';

/** 1,2,3,5,7,8 -> "1-3,5,7-8". */
export function cutRanges(cuts: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < cuts.length) {
    let j = i;
    while (j + 1 < cuts.length && cuts[j + 1] === cuts[j] + 1) j++;
    parts.push(i === j ? `${cuts[i]}` : `${cuts[i]}-${cuts[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** `case`, `case [@1-16]` (splits only) or `case [whole, @1-16]`: @N is the run split after byte N. */
export function rowCaseLabel(row: CheckRow): string {
  if (row.cuts.length === 0) return row.case;
  return `${row.case} [${row.whole ? 'whole, ' : ''}@${cutRanges(row.cuts)}]`;
}

const count = (n: number): string => n.toLocaleString('en-US');

export function formatTable(rows: readonly CheckRow[]): string {
  const header = ['case', 'version', 'expected', 'got', 'why'];
  const cells = rows.map((r) => [rowCaseLabel(r), r.version, r.expected, r.got, r.why]);
  const widths = header.slice(0, 4).map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => (i < 4 ? v.padEnd(widths[i]) : v)).join('  ').trimEnd();
  return [line(header), ...cells.map(line)].join('\n');
}

/** `protocol`: the title the per-version tally names (MQTT 3.1.1, syslog RFC 5424, LF). */
export function summaryLine(file: string, corpus: string, result: CheckResult, protocol = 'MQTT'): string {
  const runs = `${count(result.runs)} runs (${count(result.cases)} cases + ${count(result.splitRuns)} two-fragment splits) over ${corpus}`;
  if (result.disagreements === 0) return `${file}: agrees with the reference decoder on all ${runs}`;
  const versions = Object.entries(result.byVersion)
    .filter(([, t]) => t.disagreements > 0)
    .map(([v, t]) => `${v === 'unknown' ? `not ${protocol}` : `${protocol} ${v}`}: ${count(t.disagreements)} of ${count(t.runs)}`)
    .join(', ');
  return `${file}: ${count(result.disagreements)} disagreements with the reference decoder in ${result.casesDisagreeing} cases (${versions}); ${count(result.agreements)} of ${runs} agree`;
}
