// Replays test/regressions/*.hex (inputs that once failed, and edge cases) through the decoder and both sample scripts with the fuzz invariants.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { checkDecoder, oracleDisagreement, runFlight } from '../../fuzz/firstFlightHost';
import { loadSamples, type Sample } from '../../fuzz/fuzzCampaign';
import { readRegressions } from '../../fuzz/regressionCases';

let samples: Sample[];

before(async () => {
  samples = await loadSamples();
});

after(() => {
  for (const s of samples ?? []) s.ext.dispose();
});

const cases = readRegressions();

test('the regression folder holds cases', () => {
  assert.ok(cases.length >= 5, `${cases.length} .hex files in test/regressions`);
});

for (const c of cases) {
  test(`regression ${c.name}`, { timeout: 10_000 }, () => {
    assert.deepEqual(checkDecoder(c.chunks), []);
    for (const s of samples) {
      const report = runFlight(s.ext, c.chunks);
      assert.deepEqual(report.violations, [], `${s.name}: ${report.outcome}`);
      if (s.specCompliant) assert.equal(oracleDisagreement(report, c.chunks), null, s.name);
      const expected = c.comments.find((line) => line.startsWith(`expect ${s.name}:`));
      if (expected) assert.equal(report.outcome, expected.split(':')[1].trim(), `${s.name} on ${c.name}`);
    }
  });
}
