// Statement spans from the parse: every line of a statement binds to where it starts; compound statements' frames start nothing.
import test from 'node:test';
import assert from 'node:assert/strict';
import { buildStatementTable, StatementMap } from '../../../runtime/debug/statementMap';

/** Every line with text but a comment or a label counts as active here: the tests are about spans, not code generation. */
function mapOf(source: string): StatementMap {
  const active = source.split('\n').map((l, i) => (l.trim() && !/^(--|::)/.test(l.trim()) ? i + 1 : 0)).filter((l) => l > 0);
  return new StatementMap(buildStatementTable(source, active));
}

test('every line of a multi-line call or table constructor binds to the statement\'s first line', () => {
  const m = mapOf('local t = {\n  a = 1,\n  b = f(\n    2),\n}\nns.send(x, "DATA", {data = d,\n  user_token = k})\n');
  assert.deepEqual([1, 2, 3, 4, 5].map((l) => m.bind(l)), [1, 1, 1, 1, 1]);
  assert.deepEqual([6, 7].map((l) => m.bind(l)), [6, 6]);
  assert.equal(m.statementAt(2), m.statementAt(4));
  assert.notEqual(m.statementAt(5), m.statementAt(6));
});

test('an if condition over two lines is one statement, its body and elseif are others, its end starts nothing', () => {
  const m = mapOf('if a\n  and b then\n  x = 1\nelseif c then\n  x = 2\nend\ny = 3\n');
  assert.deepEqual([1, 2, 3, 4, 5].map((l) => m.bind(l)), [1, 1, 3, 4, 5]);
  assert.equal(m.statementAt(6), null);
  assert.equal(m.bind(6), 7, 'a breakpoint on `end` moves to the next statement');
});

test('loops: a while\'s end starts nothing, repeat\'s until is a statement, goto and labels are their own lines', () => {
  const m = mapOf('while n < 3 do\n  n = n + 1\nend\nrepeat\n  n = n - 1\nuntil n == 0\n::again::\nn = n + 1\nif n < 3 then goto again end\n');
  assert.equal(m.statementAt(3), null);
  assert.equal(m.bind(1), 1);
  assert.equal(m.bind(6), 6);
  assert.equal(m.statementAt(4), null, 'repeat itself runs nothing');
  assert.equal(m.bind(7), 8, 'a label has no code: the breakpoint moves to the next statement');
  assert.equal(m.bind(9), 9);
});

test('a function\'s end is its implicit return, a statement of the function; error() over lines is one statement', () => {
  const m = mapOf('local function f(a,\n    b)\n  error("x " ..\n    "y")\nend\n');
  assert.equal(m.bind(2), 1, 'the definition');
  assert.equal(m.bind(4), 3);
  assert.equal(m.bind(5), 5);
});

test('a source luaparse cannot parse falls back to one statement a line', () => {
  const m = new StatementMap(buildStatementTable('x = = 1\ny = 2\n', [1, 2]));
  assert.deepEqual([m.bind(1), m.bind(2)], [1, 2]);
  assert.notEqual(m.statementAt(1), m.statementAt(2));
});
