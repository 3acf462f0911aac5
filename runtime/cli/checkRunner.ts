// Runs an extension over check cases (whole, then every 2-fragment split) and groups the disagreements into table rows.
import { splitChunks } from '../packets/packetSource';
import { twoFragmentSplits } from '../protocols';
import type { ExtensionScript } from '../ns/types';
import { judgeRun } from './checkJudge';
import type { CheckCase } from './checkCorpus';
import { runFirstFlight } from './firstFlight';

export interface CheckRow {
  case: string;
  /** The whole case (in its own chunks) ran into this disagreement. */
  whole: boolean;
  /** Cut positions (first fragment sizes) of the 2-fragment splits that ran into the same disagreement. */
  cuts: number[];
  version: string;
  expected: string;
  got: string;
  why: string;
}

export interface VersionTally {
  runs: number;
  disagreements: number;
}

export interface CheckResult {
  cases: number;
  runs: number;
  splitRuns: number;
  agreements: number;
  disagreements: number;
  /** Cases with at least one disagreeing run. */
  casesDisagreeing: number;
  byVersion: Record<string, VersionTally>;
  rows: CheckRow[];
}

export interface CheckOptions {
  /** Also run every split of each case into two non-empty deliveries (default true). */
  splits?: boolean;
}

/** One loaded script for all runs, a fresh connection (ctxt) per run: as the LB runs it. */
export function runCheck(script: ExtensionScript, cases: readonly CheckCase[], options: CheckOptions = {}): CheckResult {
  const withSplits = options.splits ?? true;
  const result: CheckResult = { cases: cases.length, runs: 0, splitRuns: 0, agreements: 0, disagreements: 0, casesDisagreeing: 0, byVersion: {}, rows: [] };
  for (const c of cases) {
    const version = c.version ?? 'unknown';
    const tally = (result.byVersion[version] ??= { runs: 0, disagreements: 0 });
    const groups = new Map<string, CheckRow>();
    const record = (deliveries: readonly Uint8Array[], cut: number | null): void => {
      const j = judgeRun(runFirstFlight(script, deliveries), c.expect);
      result.runs++;
      tally.runs++;
      if (cut !== null) result.splitRuns++;
      if (j.agree) {
        result.agreements++;
        return;
      }
      result.disagreements++;
      tally.disagreements++;
      const why = j.why ?? '';
      const key = `${j.got}\u0000${why}`;
      let row = groups.get(key);
      if (!row) {
        row = { case: c.name, whole: false, cuts: [], version, expected: j.expected, got: j.got, why };
        groups.set(key, row);
      }
      if (cut === null) row.whole = true;
      else row.cuts.push(cut);
    };
    record(c.chunks ? splitChunks(c.bytes, c.chunks) : [c.bytes], null);
    if (withSplits) {
      let cut = 1;
      for (const pair of twoFragmentSplits(c.bytes)) record(pair, cut++);
    }
    if (groups.size > 0) result.casesDisagreeing++;
    result.rows.push(...groups.values());
  }
  return result;
}
