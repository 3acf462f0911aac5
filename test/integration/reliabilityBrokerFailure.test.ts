// Broker failure under load: one of three mosquitto brokers is killed during a connect storm; only its clients are lost and no later connect fails.
// peers: mosquitto
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import type * as net from 'node:net';
import type { MosquittoBroker } from '../../runtime/cli/brokers/mosquittoProcess';
import { connectForConnack, pool, type ConnackResult } from '../fuzz/rawMqttClient';
import { startBrokers, startLb, type LbUnderTest } from './helpers/lbHarness';

const CLIENTS = 1200;
const KILL_AFTER = 400;
/** Passive detection: the first connect to the dead broker fails (and is retried elsewhere); it must come this soon after the kill. */
const DETECTION_MS = 1000;

let brokers: MosquittoBroker[];
let lb: LbUnderTest;

before(async () => {
  brokers = await startBrokers(3);
  lb = await startLb(brokers);
});

after(async () => {
  await lb?.stop();
  await Promise.all((brokers ?? []).map((b) => b.stop()));
});

interface StormClient extends ConnackResult {
  id: string;
  startedAt: number;
  /** Set when the connection closed after its CONNACK. */
  lost: boolean;
}

/** The service that finally carried the client (the last decision for its token: a failed connect is re-decided). */
function serviceOf(id: string): string | null {
  return lb.decisions.filter((d) => d.token === id).at(-1)?.service ?? null;
}

/** PINGREQ, resolves true at the PINGRESP (the whole path LB + broker is alive). */
function ping(socket: net.Socket, timeoutMs = 5000): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    const onData = (d: Buffer) => {
      if (d.includes(0xd0)) done(true);
    };
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.off('data', onData);
      resolve(ok);
    };
    socket.on('data', onData);
    socket.write(Buffer.from([0xc0, 0x00]));
  });
}

test(`killing 1 of 3 brokers during a storm of ${CLIENTS} connects loses only that broker's clients`, { timeout: 120_000 }, async (t) => {
  let killAt = Infinity;
  let killed: Promise<void> | null = null;
  const victim = 'b2';
  let downAt = Infinity;
  lb.proxy.once('service-down', (e) => {
    if (e.service === victim) downAt = performance.now();
  });
  const storm = await pool(Array.from({ length: CLIENTS }, (_, i) => i), 30, async (i): Promise<StormClient> => {
    if (i === KILL_AFTER) {
      killAt = performance.now();
      killed = brokers[1].stop('SIGKILL');
    }
    const id = `storm-${i}`;
    const startedAt = performance.now();
    const r = await connectForConnack(lb.port, id, ([3, 4, 5] as const)[i % 3]);
    const client: StormClient = { ...r, id, startedAt, lost: false };
    if (r.ok) void r.ended.then(() => (client.lost = true));
    return client;
  });
  await killed;
  const connectedBeforeKill = storm.filter((c) => c.ok && c.startedAt < killAt);
  const onVictim = connectedBeforeKill.filter((c) => serviceOf(c.id) === victim);
  // Every client the dead broker held is closed by the LB (its backend connection broke).
  await Promise.all(onVictim.map((c) => c.ended));
  const survivors = storm.filter((c) => c.ok && !onVictim.includes(c));
  const alive = await pool(survivors, 50, (c) => ping(c.socket));
  const lost = storm.filter((c) => c.lost);
  const failedAfterWindow = storm.filter((c) => !c.ok && c.startedAt >= downAt);
  const failedInWindow = storm.filter((c) => !c.ok && c.startedAt < downAt);
  t.diagnostic(`${CLIENTS} connects, broker ${victim} SIGKILLed after ${KILL_AFTER}, marked down ${(downAt - killAt).toFixed(0)} ms later: ${onVictim.length} connections lost (all on ${victim}), ${failedInWindow.length} connects failed in flight, ${failedAfterWindow.length} failed after detection; ${survivors.length} survivors answered PINGREQ: ${alive.filter(Boolean).length}`);
  assert.ok(downAt - killAt < DETECTION_MS, `detected ${(downAt - killAt).toFixed(0)} ms after the kill`);
  assert.ok(onVictim.length > 50, `the victim held a third of the early clients (${onVictim.length})`);
  assert.deepEqual(lost.map((c) => c.id).sort(), onVictim.map((c) => c.id).sort(), 'the lost connections are exactly those on the dead broker');
  assert.deepEqual(failedAfterWindow.map((c) => `${c.id}: ${c.failure}`), [], 'no connect fails after the detection window');
  for (const c of failedInWindow) assert.equal(lb.decisions.filter((d) => d.token === c.id)[0]?.service, victim, `${c.id} failed in flight to the dead broker`);
  assert.equal(alive.every(Boolean), true, 'every client on a surviving broker still answers PINGREQ');
  const afterKill = storm.filter((c) => c.ok && c.startedAt >= downAt);
  assert.ok(afterKill.length > 500, `${afterKill.length} clients connected after the detection`);
  assert.equal(afterKill.some((c) => serviceOf(c.id) === victim), false, 'none of them on the dead broker');
  for (const c of storm) c.socket.destroy();
});
