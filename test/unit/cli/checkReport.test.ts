// The check table and summary: cut ranges, row labels, aligned columns, the summary's per-version counts.
import test from 'node:test';
import assert from 'node:assert/strict';
import { cutRanges, formatTable, rowCaseLabel, summaryLine } from '../../../runtime/cli/checkReport';
import type { CheckResult, CheckRow } from '../../../runtime/cli/checkRunner';

const row = (over: Partial<CheckRow>): CheckRow => ({ case: 'v5-x', whole: true, cuts: [], version: '5.0', expected: 'user_token "a"', got: 'hold (3 bytes held)', why: 'holds', ...over });

test('cut ranges compress runs of consecutive cuts', () => {
  assert.equal(cutRanges([1, 2, 3, 5, 7, 8]), '1-3,5,7-8');
  assert.equal(cutRanges([4]), '4');
  assert.equal(cutRanges([]), '');
});

test('row labels say whether the whole case and which splits disagree', () => {
  assert.equal(rowCaseLabel(row({})), 'v5-x');
  assert.equal(rowCaseLabel(row({ cuts: [1, 2, 3] })), 'v5-x [whole, @1-3]');
  assert.equal(rowCaseLabel(row({ whole: false, cuts: [2, 4] })), 'v5-x [@2,4]');
});

test('the table aligns its first four columns under a header', () => {
  const lines = formatTable([row({}), row({ case: 'a-much-longer-case-name', version: '3.1.1' })]).split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[0], /^case\s+version\s+expected\s+got\s+why$/);
  const at = lines[0].indexOf('version');
  assert.ok(lines.every((l) => l.length > at));
  assert.equal(lines[1].indexOf('5.0'), at);
  assert.equal(lines[2].indexOf('3.1.1'), at);
});

test('summary: all agree, or the disagreements by MQTT version', () => {
  const base: CheckResult = { cases: 2, runs: 30, splitRuns: 28, agreements: 30, disagreements: 0, casesDisagreeing: 0, byVersion: { '3.1.1': { runs: 15, disagreements: 0 }, '5.0': { runs: 15, disagreements: 0 } }, rows: [] };
  assert.equal(summaryLine('m.lua', 'the built-in corpus', base), 'm.lua: agrees with the reference decoder on all 30 runs (2 cases + 28 two-fragment splits) over the built-in corpus');
  const bad = { ...base, agreements: 15, disagreements: 15, casesDisagreeing: 1, byVersion: { '3.1.1': { runs: 15, disagreements: 0 }, '5.0': { runs: 15, disagreements: 15 } } };
  assert.match(summaryLine('d.lua', 'c.json', bad), /^d\.lua: 15 disagreements with the reference decoder in 1 cases \(MQTT 5\.0: 15 of 15\); 15 of 30 runs/);
});
