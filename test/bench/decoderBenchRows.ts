// Rows `npm run bench:engine` adds beside the engine's: the reference decoder's workloads (from decoderBench.ts) and protoext-lb check over the built-in corpus.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinCheckCases } from '../../runtime/cli/checkCorpus';
import { runCheck } from '../../runtime/cli/checkRunner';
import { loadExtension } from '../../runtime/ns/loadExtension';
import { decoderWorkloads } from './decoderBench';
import type { BenchRow } from './engineBench';

/** Runs `run` for about `ms`; returns how many runs fit. */
function runFor(run: () => unknown, ms: number): number {
  let n = 0;
  const start = process.hrtime.bigint();
  while (Number(process.hrtime.bigint() - start) / 1e6 < ms) {
    run();
    n++;
  }
  return n;
}

/**
 * Enough iterations for about `targetMs` of work a round (the rows differ by 10,000x in cost), from a timed probe
 * after a warm-up: a cold probe (before the JIT) would ask for far too few.
 */
function iterationsFor(run: () => unknown, targetMs = 150): number {
  runFor(run, 50);
  return Math.max(1, Math.round((runFor(run, 50) * targetMs) / 50));
}

export async function benchRows(): Promise<BenchRow[]> {
  const rows: BenchRow[] = decoderWorkloads().map((w) => ({ name: w.name, iterations: iterationsFor(w.run), run: () => void w.run() }));
  const file = join('examples', 'mqtt.lua');
  const ext = await loadExtension(readFileSync(file, 'utf8'), file);
  const cases = builtinCheckCases();
  const small = cases.filter((c) => c.bytes.length < 1000);
  const checkWhole = (): void => {
    if (runCheck(ext, cases, { splits: false }).disagreements !== 0) throw new Error('examples/mqtt.lua disagrees with the corpus');
  };
  const checkSplits = (): void => {
    runCheck(ext, small, { splits: true });
  };
  const splitRuns = small.reduce((n, c) => n + c.bytes.length, 0);
  rows.push(
    { name: `check examples/mqtt.lua: ${cases.length} built-in cases, whole`, iterations: iterationsFor(checkWhole), run: checkWhole },
    { name: `check examples/mqtt.lua: ${small.length} cases under 1 KB + their splits (${splitRuns} runs)`, iterations: iterationsFor(checkSplits, 300), run: checkSplits },
  );
  return rows;
}
