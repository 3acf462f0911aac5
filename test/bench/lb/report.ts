// Turns a BenchRun into summaries, ratios to HAProxy, the plain Node proxy and the direct path, goal verdicts and a markdown table.
import { FLOOR, GOALS, METRICS, targetsOf, type BenchRun, type Goal, type MetricId, type PerTarget } from './benchTypes';
import { ratio, summarize, type Summary } from './stats';

/** Per target and metric; the plain Node proxy only when the run measured it. */
export type SummaryTable = PerTarget<Record<MetricId, Summary>>;

export function summarizeRun(run: BenchRun): SummaryTable {
  const out = {} as SummaryTable;
  for (const t of targetsOf(run.reps)) {
    const reps = run.reps[t] ?? [];
    const byMetric = {} as Record<MetricId, Summary>;
    for (const m of METRICS) byMetric[m.id] = summarize(reps.map((r) => r[m.id]));
    out[t] = byMetric;
  }
  return out;
}

export interface GoalVerdict {
  goal: Goal;
  /** The ratio to the goal's peer (HAProxy unless it says direct), or the runtime's own median for absolute goals. */
  value: number;
  met: boolean | null;
}

export function judgeGoals(table: SummaryTable): GoalVerdict[] {
  return GOALS.map((goal) => {
    const mine = table.runtime[goal.metric].median;
    const value = goal.kind === 'absolute-max' ? mine : ratio(mine, table[goal.versus ?? 'haproxy'][goal.metric].median);
    if (!Number.isFinite(value)) return { goal, value, met: null };
    const met = goal.kind === 'ratio-min' ? value >= goal.bound : value <= goal.bound;
    return { goal, value, met };
  });
}

/** Three significant digits, thousands grouped; a dash for what was not measured. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return '-';
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function cell(s: Summary): string {
  if (s.n === 0) return '-';
  return s.n === 1 ? formatNumber(s.median) : `${formatNumber(s.median)} (${formatNumber(s.min)}-${formatNumber(s.max)})`;
}

function ratioCell(v: number): string {
  return Number.isFinite(v) ? `${v.toFixed(2)}x` : '-';
}

export function renderMarkdown(run: BenchRun, table: SummaryTable = summarizeRun(run)): string {
  const s = run.settings;
  const lines = [
    `# LB bench ${run.startedAt}`,
    '',
    `${s.repetitions} repetitions${s.quick ? ' (--quick)' : ''}, targets interleaved; median (min-max). ` +
      `Runtime workers: ${s.workers}. Load average ${run.host.loadavgStart.map((x) => x.toFixed(1)).join('/')} at start, ` +
      `${run.host.loadavgEnd.map((x) => x.toFixed(1)).join('/')} at end on ${run.host.cpus} CPUs: rates are noisy, CPU per unit of work is steadier.`,
    '',
    `Workloads: storm ${s.stormConnections} held connections (${s.stormInFlight} handshakes in flight); ${s.serialConnects} serial connects; ` +
      `${s.throughputMiB1k} MiB of 1 KiB and ${s.throughputMiB16k} MiB of 16 KiB QoS0 publishes on one piped connection; ` +
      `${s.idleConnections} idle piped connections (nofile ${s.nofileLimit}).`,
    '',
  ];
  // The floor's two columns appear only when the run measured it (not with --no-floor).
  const floor = table[FLOOR];
  const header = ['metric', 'unit', 'runtime', 'HAProxy', ...(floor ? ['plain Node proxy'] : []), 'direct (mosquitto; rsyslog)', 'runtime / HAProxy', ...(floor ? ['runtime / plain Node proxy'] : []), 'runtime / direct'];
  lines.push(`| ${header.join(' | ')} |`, `| --- | --- | ${header.slice(2).map(() => '---:').join(' | ')} |`);
  for (const m of METRICS) {
    const r = table.runtime[m.id];
    const h = table.haproxy[m.id];
    const f = floor?.[m.id];
    const d = table.direct[m.id];
    const row = [m.label, m.unit, cell(r), cell(h), ...(f ? [cell(f)] : []), cell(d), ratioCell(ratio(r.median, h.median)), ...(f ? [ratioCell(ratio(r.median, f.median))] : []), ratioCell(ratio(r.median, d.median))];
    lines.push(`| ${row.join(' | ')} |`);
  }
  lines.push('', '| goal | value | met |', '| --- | ---: | --- |');
  for (const v of judgeGoals(table)) {
    const value = v.goal.kind === 'absolute-max' ? `${formatNumber(v.value)} ${v.goal.unit ?? ''}`.trim() : ratioCell(v.value);
    lines.push(`| ${v.goal.text} | ${value} | ${v.met === null ? 'not measured' : v.met ? 'yes' : 'NO'} |`);
  }
  if (run.notes.length > 0) lines.push('', ...run.notes.map((n) => `- ${n}`));
  if (run.errors.length > 0) lines.push('', '## Errors', '', ...run.errors.map((e) => `- ${e}`));
  return lines.join('\n') + '\n';
}
