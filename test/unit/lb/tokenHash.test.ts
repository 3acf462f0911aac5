// Consistent hashing: balanced spread, stable owners, and only ~1/N of tokens move when one of N services comes or goes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { pickByToken } from '../../../runtime/lb/tokenHash';

const enc = new TextEncoder();
const tokens = Array.from({ length: 10_000 }, (_, i) => enc.encode(`client-${i}`));
const owners = (ids: string[]) => tokens.map((t) => pickByToken(t, ids));

test('tokens spread evenly over 4 services (each within 20% of a fair share)', () => {
  const ids = ['s1', 's2', 's3', 's4'];
  const counts = new Map<string, number>();
  for (const o of owners(ids)) counts.set(o!, (counts.get(o!) ?? 0) + 1);
  for (const id of ids) {
    const share = counts.get(id) ?? 0;
    assert.ok(share > 2000 && share < 3000, `${id} got ${share}`);
  }
});

test('removing one of 4 services moves only that service\'s tokens (~1/4)', () => {
  const before = owners(['s1', 's2', 's3', 's4']);
  const after = owners(['s1', 's2', 's4']);
  let moved = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (before[i] !== after[i]) {
      moved++;
      assert.equal(before[i], 's3', 'a token owned by a surviving service moved');
    }
  }
  assert.ok(moved > 2000 && moved < 3000, `moved ${moved}`);
});

test('adding a 5th service moves about 1/5 of tokens, all to the new one', () => {
  const before = owners(['s1', 's2', 's3', 's4']);
  const after = owners(['s1', 's2', 's3', 's4', 's5']);
  let moved = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (before[i] !== after[i]) {
      moved++;
      assert.equal(after[i], 's5');
    }
  }
  assert.ok(moved > 1600 && moved < 2400, `moved ${moved}`);
});

test('the owner does not depend on the order of candidates', () => {
  const a = owners(['m1', 'm2', 'm3']);
  const b = owners(['m3', 'm1', 'm2']);
  assert.deepEqual(a, b);
});

test('no candidates gives null', () => {
  assert.equal(pickByToken(enc.encode('x'), []), null);
});
