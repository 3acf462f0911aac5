// The sandbox: host access is gone with a clear reason, and budget, memory cap and recursion limits stop a script without harming the state.
import test from 'node:test';
import assert from 'node:assert/strict';
import { FORBIDDEN_GLOBALS } from '../../../runtime/ns/catalog';
import { evalIn, failure, sandbox, value } from './evalLua';

const holes: readonly [string, RegExp][] = [
  ['os.execute("touch /tmp/protoext-sandbox-hole")', /os is not available: operating-system access/],
  ['io.open("/etc/passwd")', /io is not available: file and console I\/O/],
  ['require("os")', /require is not available: modules cannot be loaded/],
  ['load("return 1")', /load is not available: loading code at run time/],
  ['loadstring("return 1")', /loadstring is not available/],
  ['dofile("/etc/passwd")', /dofile is not available: loading files/],
  ['loadfile("/etc/passwd")', /loadfile is not available/],
  ['string.dump(function() end)', /string\.dump is not available: bytecode/],
  ['getmetatable("").__index.dump(function() end)', /string\.dump is not available/],
  ['("").dump(function() end)', /string\.dump is not available/],
  ['collectgarbage("count")', /collectgarbage is not available: the garbage collector is managed by the host/],
  ['print("hello")', /print is not available: there is no console/],
  ['debug.getinfo(1)', /debug is not available/],
  ['package.loaded.os.execute("id")', /package is not available/],
];

for (const [code, expected] of holes) {
  test(`closed: ${code}`, async () => {
    const L = await sandbox();
    const f = failure(evalIn(L, code));
    assert.match(f.message, expected);
    assert.match(f.message, /^test\.lua:1: /, 'names the line that used it');
    L.close();
  });
}

test('every forbidden global of the catalog is removed', async () => {
  const L = await sandbox();
  for (const name of Object.keys(FORBIDDEN_GLOBALS)) {
    assert.equal(value(evalIn(L, `return rawget(_G, "${name}") == nil`)), 'true', name);
  }
  L.close();
});

test('__gc finalizers are refused (they would run outside a protected call)', async () => {
  const L = await sandbox();
  assert.match(failure(evalIn(L, 'local t = setmetatable({}, {__gc = function() end}) return 1')).message, /__gc metamethods are not available/);
  L.close();
});

test('the instruction budget stops while true do end and the state stays usable', async () => {
  const L = await sandbox();
  L.instructionBudget = 100_000;
  const f = failure(evalIn(L, 'while true do end'));
  assert.equal(f.budgetExhausted, true);
  assert.match(f.message, /^test\.lua:1: instruction budget exhausted: more than 100000/);
  assert.equal(value(evalIn(L, 'return 1 + 1')), '2');
  L.close();
});

test('a script cannot catch the budget error with its own pcall and keep running', async () => {
  const L = await sandbox();
  L.instructionBudget = 50_000;
  const f = failure(evalIn(L, 'for i = 1, 1e9 do pcall(function() while true do end end) end return "escaped"'));
  assert.equal(f.budgetExhausted, true);
  assert.equal(value(evalIn(L, 'return "next call runs"')), 'next call runs');
  L.close();
});

test('spreading work over many coroutines does not escape the budget', async () => {
  const L = await sandbox();
  L.instructionBudget = 100_000;
  const started = Date.now();
  const f = failure(evalIn(L, 'for i = 1, 1e9 do coroutine.wrap(function() for j = 1, 5000 do end end)() end'));
  assert.equal(f.budgetExhausted, true);
  assert.ok(Date.now() - started < 5000, 'stopped promptly');
  assert.equal(value(evalIn(L, 'return "usable"')), 'usable');
  L.close();
});

test('the memory cap stops a memory bomb and the state stays usable', async () => {
  const L = await sandbox(4 * 1024 * 1024);
  const f = failure(evalIn(L, 'local t = {} for i = 1, 1e9 do t[i] = ("x"):rep(1000) end'));
  assert.equal(f.memoryRefused, true);
  assert.match(f.message, /not enough memory/);
  assert.ok(L.memory.used <= L.memory.limit, `used ${L.memory.used} within ${L.memory.limit}`);
  assert.equal(value(evalIn(L, 'local t = {} for i = 1, 100 do t[i] = ("y"):rep(100) end return #t')), '100');
  L.close();
});

test('unbounded recursion fails with a stack overflow, not a crash', async () => {
  const L = await sandbox();
  L.instructionBudget = 50_000_000;
  const f = failure(evalIn(L, 'local function f(n) return 1 + f(n + 1) end return f(1)'));
  assert.match(f.message, /stack overflow|not enough memory/);
  assert.equal(value(evalIn(L, 'return "alive"')), 'alive');
  L.close();
});

test('syntax errors carry the chunk name and line', async () => {
  const L = await sandbox();
  const f = failure(evalIn(L, 'local x = 1\nlocal y = = 2'));
  assert.match(f.message, /^test\.lua:2: unexpected symbol near '='/);
  L.close();
});
