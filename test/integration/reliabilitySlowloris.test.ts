// Slowloris through the real LB: 1,000 stalled partial CONNECTs are closed at the first-flight timeout while new clients connect with normal latency.
// peers: mosquitto
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { MosquittoBroker } from '../../runtime/cli/brokers/mosquittoProcess';
import { connectForConnack, connectPacket, percentile, pool, stallPartialConnect, type Version } from '../fuzz/rawMqttClient';
import { Prng } from '../unit/mqtt/prng';
import { startBrokers, startLb, type LbUnderTest } from './helpers/lbHarness';

const STALLED = 1000;
const PROBES = 200;
const FIRST_FLIGHT_TIMEOUT_MS = 4000;

let brokers: MosquittoBroker[];
let lb: LbUnderTest;

before(async () => {
  brokers = await startBrokers(3);
  lb = await startLb(brokers, { limits: { firstFlightTimeoutMs: FIRST_FLIGHT_TIMEOUT_MS } });
});

after(async () => {
  await lb?.stop();
  await Promise.all((brokers ?? []).map((b) => b.stop()));
});

/** Connect-to-CONNACK times of `PROBES` clients, 10 at a time; all must succeed. */
async function probe(tag: string): Promise<number[]> {
  const results = await pool(Array.from({ length: PROBES }, (_, i) => i), 10, async (i) => {
    const r = await connectForConnack(lb.port, `${tag}-${i}`, ([3, 4, 5] as const)[i % 3]);
    r.socket.destroy();
    return r;
  });
  assert.deepEqual(results.filter((r) => !r.ok).map((r) => r.failure), [], `${tag}: every probe got its CONNACK`);
  return results.map((r) => r.ms);
}

test(`${STALLED} stalled partial CONNECTs close at the first-flight timeout; new clients keep normal latency`, { timeout: 90_000 }, async (t) => {
  await probe('warm-up'); // JIT, mosquitto and persistence warm-up: not part of either figure
  const baseline = await probe('calm');
  const rng = new Prng(0x510);
  const closedAtTimeout: number[] = [];
  let allClosed!: () => void;
  const closedAll = new Promise<void>((resolve) => (allClosed = resolve));
  const offClose = lb.proxy.on('close', (c) => {
    if (c.reason.startsWith('first-flight timeout') && closedAtTimeout.push(c.durationMs) === STALLED) allClosed();
  });
  let accepted = 0;
  let allAccepted!: () => void;
  const acceptedAll = new Promise<void>((resolve) => (allAccepted = resolve));
  const offConnection = lb.proxy.on('connection', () => {
    if (++accepted === STALLED) allAccepted();
  });
  const openedAt = performance.now();
  const stalled = await pool(Array.from({ length: STALLED }, (_, i) => i), 50, async (i) => {
    const version = ([3, 4, 5] as const)[i % 3] as Version;
    const full = connectPacket(`slow-${i}`, version).length;
    const cut = rng.int(1, full - 1);
    const s = await stallPartialConnect(lb.port, `slow-${i}`, cut, version);
    return s;
  });
  await acceptedAll;
  offConnection();
  const openMs = performance.now() - openedAt;
  assert.ok(openMs < FIRST_FLIGHT_TIMEOUT_MS - 1000, `the ${STALLED} stalled clients were all open before the first timed out (${openMs.toFixed(0)} ms)`);
  assert.ok(lb.proxy.stats().connections.active >= STALLED, `${lb.proxy.stats().connections.active} connections held by the LB`);
  const loaded = await probe('beside-stalled');
  const endings = await Promise.all(stalled.map((s) => s.ended));
  await closedAll;
  offClose();
  assert.equal(endings.filter((e) => e === 'closed').length, STALLED, `every stalled client was closed (FIN), none reset; LB resets: ${JSON.stringify(lb.resets.slice(0, 3))}`);
  assert.equal(closedAtTimeout.length, STALLED, 'each close says first-flight timeout');
  for (const ms of closedAtTimeout) assert.ok(ms >= FIRST_FLIGHT_TIMEOUT_MS - 50 && ms < FIRST_FLIGHT_TIMEOUT_MS + 3000, `closed after ${ms} ms`);
  assert.equal(brokers.some((b) => b.clients.some((c) => c.clientId.startsWith('slow-'))), false, 'no stalled client reached a broker');
  const figures = {
    calm: { p50: percentile(baseline, 50), p99: percentile(baseline, 99) },
    stalled: { p50: percentile(loaded, 50), p99: percentile(loaded, 99) },
    closeMs: { min: Math.min(...closedAtTimeout), max: Math.max(...closedAtTimeout) },
  };
  t.diagnostic(`connect-to-CONNACK without stalled clients: p50 ${figures.calm.p50.toFixed(1)} ms, p99 ${figures.calm.p99.toFixed(1)} ms; beside ${STALLED} stalled: p50 ${figures.stalled.p50.toFixed(1)} ms, p99 ${figures.stalled.p99.toFixed(1)} ms; stalled closed after ${figures.closeMs.min}-${figures.closeMs.max} ms (timeout ${FIRST_FLIGHT_TIMEOUT_MS})`);
  // Normal latency: a held connection costs the LB a timer and a socket, not CPU. Loose bounds for a loaded 2-core machine.
  assert.ok(figures.stalled.p50 < Math.max(4 * figures.calm.p50, 50), `p50 ${figures.stalled.p50.toFixed(1)} vs calm ${figures.calm.p50.toFixed(1)} ms`);
  assert.ok(figures.stalled.p99 < Math.max(4 * figures.calm.p99, 250), `p99 ${figures.stalled.p99.toFixed(1)} vs calm ${figures.calm.p99.toFixed(1)} ms`);
  assert.equal(lb.proxy.stats().connections.active, 0, 'nothing left open');
});
