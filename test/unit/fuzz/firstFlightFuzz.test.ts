// 20,000 seeded first flights through the decoder and both sample scripts: no crash, no hang, nothing forwarded after an error, mqtt.lua agrees with the reference.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadSamples, runCampaign, type FailedInput, type Sample } from '../../fuzz/fuzzCampaign';

let samples: Sample[];

before(async () => {
  samples = await loadSamples();
});

after(() => {
  for (const s of samples ?? []) s.ext.dispose();
});

test('20,000 fuzzed first flights: every connection is forwarded, held or reset, never both reset and forwarded', { timeout: 180_000 }, () => {
  const failures: FailedInput[] = [];
  const f = runCampaign(samples, { seed: 0xf1a5c0, inputs: 20_000, onFailure: (x) => failures.push(x) });
  const shown = failures.slice(0, 5).map((x) => `#${x.index} ${x.sample}: ${x.problems.join(' | ')} [${x.flight.chunks.map((c) => Buffer.from(c).toString('hex')).join(' ')}]`);
  assert.equal(f.crashes, 0, shown.join('\n'));
  assert.equal(f.hangs, 0, shown.join('\n'));
  assert.equal(f.failedInputs, 0, shown.join('\n'));
  // The generator reaches every outcome on both scripts (a generator that only makes garbage would pass vacuously).
  for (const [name, s] of Object.entries(f.samples)) {
    assert.ok(s.outcomes.forwarded > 1000 && s.outcomes.reset > 500 && s.outcomes['held-at-end'] > 500, `${name}: ${JSON.stringify(s.outcomes)}`);
    assert.equal(s.liveConnections, 0, `${name}: every connection context was released`);
    assert.ok(s.heapBytes < 1024 * 1024, `${name}: Lua heap ${s.heapBytes} B after 20,000 connections`);
  }
  assert.ok(f.kinds.valid > 3000 && f.kinds.mutated > 8000 && f.kinds.random > 2000, JSON.stringify(f.kinds));
});
