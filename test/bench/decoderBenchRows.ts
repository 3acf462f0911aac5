// Rows `npm run bench:engine` adds beside the engine's: the reference decoder's workloads (from decoderBench.ts) and protoext-lb check over the built-in corpus.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinCheckCases } from '../../runtime/cli/checkCorpus';
import { runCheck } from '../../runtime/cli/checkRunner';
import { loadExtension } from '../../runtime/ns/loadExtension';
import { decoderWorkloads } from './decoderBench';
import type { BenchRow } from './engineBench';

/**
 * Runs `run` for at least `ms` of this process's CPU time; returns the runs and the CPU ms they took. CPU, not wall
 * time: on a loaded 2-core machine wall time stretches with other processes and would ask for far too few iterations.
 */
function runFor(run: () => unknown, ms: number): { runs: number; usedMs: number } {
  let runs = 0;
  let batch = 1;
  const start = process.cpuUsage();
  for (;;) {
    for (let i = 0; i < batch; i++) run();
    runs += batch;
    const u = process.cpuUsage(start);
    const usedMs = (u.user + u.system) / 1000;
    if (usedMs >= ms) return { runs, usedMs };
    // reading the clock costs about a microsecond: read it less often for cheap runs
    if (batch < 1024) batch *= 2;
  }
}

/** Enough iterations for about `targetMs` of CPU a round (the rows differ by 10,000x in cost), probed after a warm-up (before the JIT a probe asks for far too few). */
function iterationsFor(run: () => unknown, targetMs = 150): number {
  runFor(run, 50);
  const probe = runFor(run, 50);
  return Math.max(1, Math.round((probe.runs * targetMs) / probe.usedMs));
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
    { name: `check examples/mqtt.lua: ${small.length} cases under 1 KB + their splits (${splitRuns} runs)`, iterations: Math.max(3, iterationsFor(checkSplits, 300)), run: checkSplits },
  );
  return rows;
}
