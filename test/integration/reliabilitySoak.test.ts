// A 15-second soak through an LB child process: churn leaves no sockets, Lua contexts or connections behind (the 10-minute one is `npm run soak`).
import test from 'node:test';
import assert from 'node:assert/strict';
import { runSoak } from '../fuzz/soak';
import { soakProblems } from '../fuzz/runSoak';

test('15 s of connect/publish/disconnect churn: no failed cycle, no leaked fd, no live Lua context', { timeout: 60_000 }, async (t) => {
  const f = await runSoak({ durationMs: 15_000, workers: 8, sampleEveryMs: 5000, log: () => undefined });
  t.diagnostic(`${f.cycles} cycles (${f.cyclesPerS.toFixed(0)}/s); RSS ${(f.baseline.rssBytes / 2 ** 20).toFixed(1)} -> ${(f.final.rssBytes / 2 ** 20).toFixed(1)} MiB; fds ${f.idle.openFds} -> ${f.final.openFds}; live contexts ${f.final.liveContexts}`);
  assert.ok(f.cycles > 500, `${f.cycles} cycles`);
  assert.ok(f.garbageResets > 0 && f.stalledClosed > 0, 'the reset and first-flight-timeout paths ran too');
  // RSS is judged by the 10-minute run: 15 s is mostly warm-up (JIT, persistence table filling), so only a gross leak fails here.
  assert.deepEqual(soakProblems(f, 1.0), []);
});
