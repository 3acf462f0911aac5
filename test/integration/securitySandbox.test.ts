// Sandbox escape attempts from inside client.on_data (the path a connection takes): none reaches the host, budget wrappers cannot dodge the budget.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { loadExtension } from '../../runtime/ns/loadExtension';
import type { DeliveryResult } from '../../runtime/ns/types';
import { FUZZ_INFO } from '../fuzz/firstFlightHost';

const MARKER = `/tmp/protoext-sandbox-escape-${process.pid}`;

/**
 * Each attempt runs under the script's own pcall; the callback then sends "<ok>|<value>" as the user token, so the
 * test sees both whether the attempt raised and what it got. An attempt that reached the host would send `true|...`
 * with a host value, or leave the marker file behind.
 */
const ATTEMPTS: readonly [string, string][] = [
  ['os.execute', `return os.execute("touch ${MARKER}")`],
  ['io.popen', `return io.popen("id"):read("*a")`],
  ['io.open', `return io.open("/etc/passwd"):read("*l")`],
  ['io.write', `return io.write("x")`],
  ['require "os"', `return require("os").execute("touch ${MARKER}")`],
  ['require "io"', `return require("io")`],
  ['package.loadlib', `return package.loadlib("libc.so.6", "system")`],
  ['load with bytecode', `return load("\\27Lua\\82\\0\\1\\4\\4\\4\\8\\0")`],
  ['loadstring', `return loadstring("return os")()`],
  ['dofile', `return dofile("/etc/passwd")`],
  ['loadfile', `return loadfile("/etc/passwd")`],
  ['string.dump', `return string.dump(function() end)`],
  ['string.dump through the string metatable', `return getmetatable("").__index.dump(print)`],
  ['("").dump', `return (""):dump()`],
  ['getmetatable(_G)', `local mt = getmetatable(_G) return type(mt) == "table" and mt.__index("os") or mt`],
  ['setmetatable(_G, nil) then os', `setmetatable(_G, nil) return os`],
  ['setmetatable(_G, {}) then rawget', `setmetatable(_G, {}) return rawget(_G, "os")`],
  ['rawget(_G, "os")', `return rawget(_G, "os") or rawget(_G, "io") or rawget(_G, "package") or rawget(_G, "debug") or rawget(_G, "require")`],
  ['pairs(_G) hunt', `for k, v in pairs(_G) do if k == "os" or k == "io" or k == "debug" or k == "package" or k == "require" or k == "load" then return k end end return nil`],
  ['_ENV.os', `return _ENV.os`],
  ['local _ENV trick', `local _ENV = setmetatable({}, {__index = _G}) return os`],
  ['debug.getregistry', `return debug.getregistry()`],
  ['debug.sethook (drop the budget)', `debug.sethook() return "unhooked"`],
  ['collectgarbage', `return collectgarbage("count")`],
  ['os.exit', `return os.exit(1)`],
  ['getfenv/setfenv (5.1)', `return getfenv(0)`],
  ['module (5.1 compat)', `return module("x", package.seeall)`],
  ['__gc finalizer', `return setmetatable({}, {__gc = function() end})`],
  ['string library tables hide nothing', `for k, v in pairs(getmetatable(string) or {}) do if type(v) == "table" then for _, f in pairs(v) do if f == os then return "os" end end end end return nil`],
];

const script = (attempt: string): string => `
function client.on_data(ctxt, payload)
  local ok, value = pcall(function() ${attempt} end)
  ns.send(ctxt.output, "DATA", {data = payload.data, user_token = tostring(ok) .. "|" .. tostring(value)})
  ns.pipe(ctxt.input, ctxt.output)
end
`;

function tokenOf(result: DeliveryResult): string {
  const send = result.actions.find((a) => a.kind === 'send');
  assert.ok(send && send.kind === 'send', `the callback ran to its send (${result.error?.message ?? 'no error'})`);
  return Buffer.from(send.userToken ?? new Uint8Array()).toString('utf8');
}

before(() => rmSync(MARKER, { force: true }));
after(() => rmSync(MARKER, { force: true }));

for (const [name, attempt] of ATTEMPTS) {
  test(`sandbox: ${name} does not reach the host`, async () => {
    const ext = await loadExtension(script(attempt), 'escape.lua');
    try {
      const token = tokenOf(ext.openConnection(FUZZ_INFO).onClientData(Uint8Array.of(0x10, 0x00)));
      // Either the attempt raised, or what it returned is nothing of the host's (nil, or the sandbox's own text).
      assert.match(token, /^false\|.*(is not available|attempt to|cannot change a protected metatable|__gc metamethods)|^true\|nil$|^true\|protected by the protocol-extension sandbox$/, token);
      assert.equal(existsSync(MARKER), false, 'no host command ran');
    } finally {
      ext.dispose();
    }
  });
}

const BUDGET_DODGES: readonly [string, string][] = [
  ['pcall around a loop', 'for i = 1, 1e9 do pcall(function() while true do end end) end'],
  ['xpcall with a looping handler', 'xpcall(function() error("x") end, function() while true do end end)'],
  ['xpcall: loop, then a looping handler (runs with hooks off in Lua 5.2)', 'xpcall(function() while true do end end, function() while true do end end)'],
  ['xpcall nested in xpcall handlers', 'xpcall(function() while true do end end, function() xpcall(function() while true do end end, function() while true do end end) while true do end end)'],
  ['error object with a looping __tostring', 'error(setmetatable({}, {__tostring = function() while true do end end}))'],
  ['coroutine.wrap loop', 'coroutine.wrap(function() while true do end end)()'],
  ['many coroutines', 'for i = 1, 1e9 do coroutine.wrap(function() for j = 1, 5000 do end end)() end'],
  ['yield across pcall in a loop', 'local co = coroutine.create(function() while true do pcall(coroutine.yield) end end) while true do coroutine.resume(co) end'],
  ['__tostring loop through string.format', 'return string.format("%s", setmetatable({}, {__tostring = function() while true do end end}))'],
  ['__index loop', 'return setmetatable({}, {__index = function(t, k) while true do end end}).x'],
  ['string.gsub callback loop', 'return (("x"):rep(100)):gsub(".", function() while true do end end)'],
  ['table.sort comparator loop', 'local t = {3, 2, 1} table.sort(t, function(a, b) while true do end end)'],
];

for (const [name, code] of BUDGET_DODGES) {
  test(`budget: ${name} is stopped and resets only this connection`, { timeout: 20_000 }, async () => {
    const ext = await loadExtension(`
function client.on_data(ctxt, payload)
  if payload.data:byte(1) == 0x42 then ${code} end
  ns.send(ctxt.output, "DATA", {data = payload.data, user_token = "fine"})
end
`, 'dodge.lua', { limits: { instructionBudget: 200_000 } });
    try {
      const started = performance.now();
      const bad = ext.openConnection(FUZZ_INFO).onClientData(Uint8Array.of(0x42));
      const ms = performance.now() - started;
      assert.equal(bad.error?.kind, 'budget', `${bad.error?.kind}: ${bad.error?.message}`);
      assert.deepEqual(bad.actions, [], 'nothing forwarded');
      assert.ok(ms < 5000, `stopped after ${ms.toFixed(0)} ms`);
      assert.equal(tokenOf(ext.openConnection(FUZZ_INFO).onClientData(Uint8Array.of(0x10))), 'fine', 'the next connection is served');
    } finally {
      ext.dispose();
    }
  });
}

test('a ctxt kept from another connection cannot send for it', async () => {
  const ext = await loadExtension(`
local first
function client.on_data(ctxt, payload)
  if not first then first = ctxt ctxt:hold(payload.data) return end
  ns.send(first.output, "DATA", {data = payload.data, user_token = "stolen"})
end
`, 'steal.lua');
  try {
    const a = ext.openConnection(FUZZ_INFO);
    assert.equal(a.onClientData(Uint8Array.of(1)).held, true);
    const b = ext.openConnection(FUZZ_INFO).onClientData(Uint8Array.of(2));
    assert.ok(b.error, 'using another connection\'s ctxt is an error');
    assert.deepEqual(b.actions, []);
    assert.equal(a.heldBytes, 1, 'the first connection is untouched');
  } finally {
    ext.dispose();
  }
});
