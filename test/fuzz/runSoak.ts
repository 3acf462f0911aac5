// `npm run soak [-- --duration SECONDS --workers N]`: 10 minutes of churn through the LB by default; exits 1 on RSS growth >= 10%, leaked fds or contexts, failed cycles.
import { runSoak, type SoakFigures } from './soak';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
}

/** What a soak must show; shared with the short integration version. */
export function soakProblems(f: SoakFigures, maxRssGrowth = 0.1): string[] {
  const problems: string[] = [];
  if (f.failedCycles > 0) problems.push(`${f.failedCycles} churn cycles failed: ${f.failures.slice(0, 5).join('; ')}`);
  if (f.rssGrowth >= maxRssGrowth) problems.push(`RSS grew ${(f.rssGrowth * 100).toFixed(1)}% (limit ${maxRssGrowth * 100}%)`);
  if (f.leakedFds > 0) problems.push(`${f.leakedFds} more fds open than before the load`);
  if (f.final.liveContexts !== 0) problems.push(`${f.final.liveContexts} Lua connection contexts still live`);
  if (f.final.activeConnections !== 0) problems.push(`${f.final.activeConnections} connections still active`);
  return problems;
}

async function main(): Promise<void> {
  const durationMs = flag('duration', 600) * 1000;
  const workers = flag('workers', 16);
  const f = await runSoak({ durationMs, workers, sampleEveryMs: Math.min(30_000, Math.max(2000, durationMs / 20)), log: (l) => console.log(l) });
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
  console.log(`soak: ${f.durationS.toFixed(0)} s, ${f.cycles} connect/publish/disconnect cycles (${f.cyclesPerS.toFixed(0)}/s, ${workers} workers), ${f.failedCycles} failed; ${f.garbageResets} garbage clients reset, ${f.stalledClosed} stalled clients closed at the first-flight timeout`);
  console.log(`RSS: idle ${mib(f.idle.rssBytes)}, after warm-up ${mib(f.baseline.rssBytes)}, final ${mib(f.final.rssBytes)}, max ${mib(f.maxRssBytes)}; growth ${(f.rssGrowth * 100).toFixed(1)}%`);
  console.log(`fds: idle ${f.idle.openFds}, final ${f.final.openFds} (leaked ${f.leakedFds}); live Lua contexts ${f.final.liveContexts}; active connections ${f.final.activeConnections}; Lua heap ${f.final.luaHeapBytes} B; LB connections total ${f.final.totalConnections}`);
  const problems = soakProblems(f);
  console.log(problems.length === 0 ? 'soak: PASS' : `soak: FAIL\n  ${problems.join('\n  ')}`);
  console.log(JSON.stringify(f));
  process.exitCode = problems.length === 0 ? 0 : 1;
}

if (require.main === module) void main();
