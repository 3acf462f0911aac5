// Runaway scripts through the real LB and mosquitto: loops, memory bombs, recursion and never-sends stop only their own connection while every good client is served.
// peers: mosquitto
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { MosquittoBroker } from '../../runtime/cli/brokers/mosquittoProcess';
import { loadExtension } from '../../runtime/ns/loadExtension';
import { nextEvent } from '../unit/proxy/harness';
import type { LbEventMap } from '../../runtime/proxy/events';
import { connectForConnack, percentile, pool, stallPartialConnect, type ConnackResult } from '../fuzz/rawMqttClient';
import { MQTT_LUA, startBrokers, startLb, type LbUnderTest } from './helpers/lbHarness';

/**
 * examples/mqtt.lua, wrapped: a ClientID starting with "evil-<kind>" misbehaves before the real parser runs. The
 * ClientID is read the 3.1.1 way (one-byte remaining length), enough for the short ids of this test.
 */
const EVIL_WRAPPER = `
local serve = client.on_data
local function client_id(data)
  if data:len() < 12 or data:byte(1) ~= 0x10 then return nil end
  local at = 5 + data:byte(3) * 256 + data:byte(4) + 4
  if data:len() < at + 1 then return nil end
  return data:sub(at + 2, at + 1 + data:byte(at) * 256 + data:byte(at + 1))
end
local misdeeds = {
  loop = function() while true do end end,
  pcall = function() for i = 1, 1e9 do pcall(function() while true do end end) end end,
  coroutines = function() for i = 1, 1e9 do coroutine.wrap(function() for j = 1, 5000 do end end)() end end,
  memory = function() local t = {} for i = 1, 1e9 do t[i] = ("x"):rep(4096) .. i end end,
  concat = function() local s = "x" while true do s = s .. s end end,
  recursion = function() local function f(n) return 1 + f(n + 1) end return f(1) end,
  hold = function(ctxt, data) ctxt:hold(data) return true end,
}
function client.on_data(ctxt, payload)
  local id = client_id(payload.data)
  local kind = id and id:match('^evil%-(%a+)')
  if kind then
    if misdeeds[kind](ctxt, payload.data) then return end
  end
  return serve(ctxt, payload)
end
`;

const EVIL_KINDS = ['loop', 'pcall', 'coroutines', 'memory', 'concat', 'recursion', 'hold'] as const;
const FIRST_FLIGHT_TIMEOUT_MS = 1500;

let brokers: MosquittoBroker[];
let lb: LbUnderTest;
const connections: LbEventMap['connection'][] = [];

before(async () => {
  brokers = await startBrokers(3);
  const script = await loadExtension(readFileSync(MQTT_LUA, 'utf8') + EVIL_WRAPPER, 'evil-mqtt.lua');
  lb = await startLb(brokers, { script, limits: { firstFlightTimeoutMs: FIRST_FLIGHT_TIMEOUT_MS } });
  lb.proxy.on('connection', (c) => connections.push(c));
});

/** The reset of the LB connection this client opened (found by its port), not whichever reset came last. */
function resetOf(client: ConnackResult): LbEventMap['reset'] {
  const conn = connections.find((c) => c.clientPort === client.localPort);
  assert.ok(conn, `the LB saw no connection from client port ${client.localPort}`);
  const reset = lb.resets.find((r) => r.conn === conn.conn);
  assert.ok(reset, `connection #${conn.conn} was not reset`);
  return reset;
}

after(async () => {
  await lb?.stop();
  await Promise.all((brokers ?? []).map((b) => b.stop()));
});

for (const kind of EVIL_KINDS) {
  test(`evil-${kind} alone: only its connection ends, and the script keeps serving`, { timeout: 20_000 }, async (t) => {
    const id = `evil-${kind}-solo`;
    const closed = nextEvent(lb.proxy, 'close', (c) => c.reason.startsWith('first-flight timeout'), FIRST_FLIGHT_TIMEOUT_MS * 4);
    if (kind !== 'hold') closed.catch(() => undefined);
    const started = performance.now();
    const evil = await connectForConnack(lb.port, id, 4, FIRST_FLIGHT_TIMEOUT_MS * 4);
    const tookMs = performance.now() - started;
    assert.equal(evil.ok, false, 'no CONNACK for a misbehaving script');
    if (kind === 'hold') {
      assert.equal(evil.failure, 'closed');
      assert.ok(tookMs >= FIRST_FLIGHT_TIMEOUT_MS * 0.9, `closed at the first-flight timeout, after ${tookMs.toFixed(0)} ms`);
      assert.match((await closed).reason, /no ns\.send within 1500 ms/);
    } else {
      assert.equal(evil.failure, 'reset');
      const reset = resetOf(evil);
      assert.equal(reset.reason, 'script-error');
      assert.ok(['budget', 'memory', 'runtime'].includes(reset.error?.kind ?? ''), `${reset.error?.kind}: ${reset.message}`);
      assert.ok(tookMs < 3000, `reset within the budget: ${tookMs.toFixed(0)} ms`);
    }
    assert.equal(brokers.some((b) => b.clients.some((c) => c.clientId === id)), false, 'nothing reached a broker');
    t.diagnostic(`evil-${kind}: ${evil.failure} after ${tookMs.toFixed(0)} ms${kind === 'hold' ? '' : ` (${resetOf(evil).error?.kind})`}`);
    const good = await connectForConnack(lb.port, `good-after-${kind}`);
    assert.equal(good.ok, true, `a good client right after: ${good.failure}`);
    good.socket.destroy();
  });
}

test('concurrent good clients are 100% served while every kind of evil client runs beside them', { timeout: 60_000 }, async (t) => {
  const goodIds = Array.from({ length: 300 }, (_, i) => `good-${i}`);
  const evilIds = Array.from({ length: 70 }, (_, i) => `evil-${EVIL_KINDS[i % EVIL_KINDS.length]}-${i}`);
  const resetsBefore = lb.resets.length;
  const evilRun = pool(evilIds, 10, async (id) => {
    const r = await connectForConnack(lb.port, id, 4, FIRST_FLIGHT_TIMEOUT_MS * 4);
    return { id, ...r };
  });
  // Stalled partial CONNECTs and garbage beside them too.
  const stalled = await Promise.all(Array.from({ length: 20 }, (_, i) => stallPartialConnect(lb.port, `stall-${i}`, 5)));
  const goodRun = pool(goodIds, 20, async (id, i) => {
    const r = await connectForConnack(lb.port, id, ([3, 4, 5] as const)[i % 3]);
    r.socket.end();
    return r;
  });
  const [good, evil] = await Promise.all([goodRun, evilRun]);
  const failed = good.filter((g) => !g.ok);
  assert.deepEqual(failed.map((g) => g.failure), [], 'every good client got its CONNACK');
  for (const e of evil) {
    assert.equal(e.ok, false, `${e.id} got no CONNACK`);
    assert.equal(e.failure, e.id.startsWith('evil-hold') ? 'closed' : 'reset', e.id);
  }
  const scriptResets = lb.resets.slice(resetsBefore).filter((r) => r.reason === 'script-error').length;
  assert.equal(scriptResets, evil.filter((e) => !e.id.startsWith('evil-hold')).length, 'one script reset per non-holding evil client');
  assert.equal(brokers.some((b) => b.clients.some((c) => c.clientId.startsWith('evil-'))), false, 'no evil ClientID reached a broker');
  const ms = good.map((g) => g.ms);
  t.diagnostic(`good clients: ${good.length} served of ${good.length}; connect-to-CONNACK p50 ${percentile(ms, 50).toFixed(1)} ms, p99 ${percentile(ms, 99).toFixed(1)} ms beside ${evil.length} evil and ${stalled.length} stalled clients`);
  assert.deepEqual(await Promise.all(stalled.map((s) => s.ended)), stalled.map(() => 'closed'), 'stalled clients closed at the first-flight timeout');
});
