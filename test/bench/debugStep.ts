// Benchmark: step round trip of the protoext debug adapter (next request sent -> stopped event received), over DAP on loopback.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { CONNECT_311_TEST, launchWithBreakpoints, launchArgs, startHarness } from '../unit/debug/sessionHarness';

const TARGET_MS = 50;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const samples: { kind: string; ms: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const h = await startHarness();
    try {
      await launchWithBreakpoints(h.dc, launchArgs({ packet: CONNECT_311_TEST, stopOnEntry: true }), []);
      for (const kind of ['next', 'next', 'next', 'byte', 'next', 'stepBack', 'next', 'next', 'byte', 'next']) {
        const stopped = h.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
        const t0 = performance.now();
        if (kind === 'stepBack') await h.dc.stepBackRequest({ threadId: 1 });
        else await h.dc.nextRequest({ threadId: 1, ...(kind === 'byte' ? { granularity: 'instruction' as const } : {}) });
        await stopped;
        samples.push({ kind, ms: performance.now() - t0 });
      }
    } finally {
      await h.close();
    }
  }
  const report = (kind: string) => {
    const ms = samples.filter((s) => kind === 'all' || s.kind === kind).map((s) => s.ms).sort((a, b) => a - b);
    return { kind, n: ms.length, medianMs: +percentile(ms, 50).toFixed(2), p95Ms: +percentile(ms, 95).toFixed(2), maxMs: +ms[ms.length - 1].toFixed(2) };
  };
  const rows = ['next', 'byte', 'stepBack', 'all'].map(report);
  console.table(rows);
  const all = rows[rows.length - 1];
  // The median is the verdict: p95 on a shared 2-core machine mostly measures the other processes (load average printed).
  console.log(`step round trip median ${all.medianMs} ms, p95 ${all.p95Ms} ms (target < ${TARGET_MS} ms): ${all.medianMs < TARGET_MS ? 'PASS' : 'FAIL'}; load average ${loadavg()[0].toFixed(1)}`);
  process.exitCode = all.medianMs < TARGET_MS ? 0 : 1;
}

void main();
