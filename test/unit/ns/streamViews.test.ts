// Split parts are views over payload.data (no copies); every stream method on a part must answer exactly what Lua's
// string function answers on the part's own bytes: the script compares both for many positions, patterns and parts.
import test from 'node:test';
import assert from 'node:assert/strict';
import type { ScriptAction } from '../../../runtime/ns/types';
import { text } from './connectFixtures';
import { connect, loadInline } from './nsHarness';

const sent = (actions: readonly ScriptAction[]): string[] => actions.map((a) => (a.kind === 'send' ? text(a.data) ?? '' : a.kind));

// Results (all of them, errors included) of one call, as one comparable string.
const COMPARE_LUA = String.raw`
local function pack(ok, ...)
  local out = { tostring(ok), tostring(select('#', ...)) }
  for k = 1, select('#', ...) do
    local v = select(k, ...)
    -- error texts name the function (and count its arguments) as Lua was called: a method and the reference differ only there
    out[#out + 1] = ok and tostring(v) or (tostring(v):gsub("^.-:%d+: ", ""):gsub("'[%w_?]+'", "'f'"):gsub("#%d", "#n"))
  end
  return table.concat(out, ',')
end

local POSITIONS = { false, 0, 1, 2, 3, -1, -2, -3, 7, -7, 40, -40, 1.5, -1.5, 2.5, "2", "x", math.huge, -math.huge, 0/0, 2^31 - 2, -2^31 + 1, 2^40 }
local PATTERNS = { "\n", " ", "%d+", "^%d", "^<", "<", "$", "e$", "\n$", "%s(%w+)", "()", "()x", "%f[%w]%w+", "[", "%", "(%d)(%d?)", ".-\n", "" }

local failures, checks = {}, 0
-- make() gives a fresh part for each call: an awkward argument copies a part out for good, after which it is no view.
local function check(what, make, ref, call)
  checks = checks + 1
  local got, want = pack(pcall(call, make())), pack(pcall(call, ref))
  if got ~= want and #failures < 5 then
    failures[#failures + 1] = what .. ' on ' .. string.format('%q', ref) .. ': got ' .. got .. ' want ' .. want
  end
end

local function arg(v) if v == false then return nil end return v end
-- Lua's string functions as methods of a string, so one call serves a part and its reference.
local function byte(s, i, j) return s:byte(i, j) end
local function sub(s, i, j) return s:sub(i, j) end

local function compare(make, ref)
  check('len', make, ref, function(s) return s:len(), #s end)
  for _, i in ipairs(POSITIONS) do
    local a = arg(i)
    for _, j in ipairs(POSITIONS) do
      local b = arg(j)
      check('byte(' .. tostring(a) .. ',' .. tostring(b) .. ')', make, ref, function(s) return byte(s, a, b) end)
      check('sub(' .. tostring(a) .. ',' .. tostring(b) .. ')', make, ref, function(s) return sub(s, a, b) end)
    end
    for _, p in ipairs(PATTERNS) do
      check('find(' .. string.format('%q', p) .. ',' .. tostring(a) .. ')', make, ref, function(s) return s:find(p, a) end)
      check('find plain(' .. string.format('%q', p) .. ',' .. tostring(a) .. ')', make, ref, function(s) return s:find(p, a, true) end)
    end
  end
end

function client.on_data(ctxt, payload)
  local whole = payload.data:sub(1)
  local seed = 7
  local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648 return seed % (n + 1) end
  for _ = 1, 12 do
    -- a chain of splits, as the split loop makes them: the rest of the rest of ...
    local data, at = payload.data, 0
    for _ = 1, 3 do
      local n, parent = rnd(#whole - at), data
      compare(function() return select(2, parent:split(n)) end, whole:sub(at + n + 1))
      compare(function() return (parent:split(n)) end, whole:sub(at + 1, at + n))
      data, at = select(2, parent:split(n)), at + n
    end
  end
  ns.send(ctxt.output, "EOM", { data = #failures == 0 and ('ok ' .. checks) or table.concat(failures, '\n') })
end
`;

test('every stream method on a split part answers as Lua does on the part\'s own bytes (positions, patterns, errors)', async () => {
  const ext = await loadInline(COMPARE_LUA, { instructionBudget: 100_000_000 });
  const r = connect(ext).onClientData(Uint8Array.from(Buffer.from('<13>1 2026 host app - - - one two\n42 <14>x e\n7 tail', 'latin1')));
  assert.equal(r.error, null, r.error?.message);
  const [verdict] = sent(r.actions);
  assert.match(verdict, /^ok \d+$/, verdict);
  assert.ok(Number(verdict.slice(3)) > 100_000, verdict);
  ext.dispose();
});

test('the split loop sends each part as a view of the delivered bytes and holds a copy of the remainder', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    local data = payload.data
    while true do
      local pos = data:find("\\n", 1, true)
      if not pos then break end
      local m
      m, data = data:split(pos)
      ns.send(ctxt.output, "EOM", {data = m})
    end
    ctxt:hold(data)
  end`);
  const conn = connect(ext);
  const input = Uint8Array.from(Buffer.from('a\nbb\nccc\ndd', 'latin1'));
  const r = conn.onClientData(input);
  assert.deepEqual(sent(r.actions), ['a\n', 'bb\n', 'ccc\n']);
  for (const a of r.actions) assert.equal(a.kind === 'send' && a.data.buffer, input.buffer, 'no copy out of the VM');
  assert.equal(text(r.heldData ?? null), 'dd');
  assert.notEqual(r.heldData?.buffer, input.buffer, 'the held remainder must not pin the whole read');
  assert.deepEqual(sent(conn.onClientData(Uint8Array.from(Buffer.from('d\n', 'latin1'))).actions), ['ddd\n']);
  ext.dispose();
});

test('splitting a 32 KiB read byte by byte fits the state\'s memory: dropped parts are not kept until the callback ends', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    local data, count = payload.data, 0
    while data:len() > 0 do
      local byte
      byte, data = data:split(1)
      count = count + byte:byte(1) - 96
    end
    ns.send(ctxt.output, "EOM", {data = tostring(count)})
  end`, { memoryLimitBytes: 2 << 20, instructionBudget: 10_000_000 });
  const r = connect(ext).onClientData(new Uint8Array(32 * 1024).fill(0x61));
  assert.equal(r.error, null, r.error?.message);
  assert.deepEqual(sent(r.actions), [String(32 * 1024)]);
  ext.dispose();
});
