// A connection whose script phase an attached debugger runs (runtime/proxy/debuggerRun.ts), seen from the proxy: the debugger's
// results are applied as the engine's; if it leaves before the script acted the engine takes over, after that the client is reset.
import test from 'node:test';
import assert from 'node:assert/strict';
import type { Decision, PersistenceSettings } from '../../../runtime/lb/types';
import type { ConnectionInfo, DeliveryResult } from '../../../runtime/ns/types';
import { LbProxy } from '../../../runtime/proxy/lbProxy';
import type { ScriptTakeover } from '../../../runtime/ns/scriptTakeover';
import { FakeExtension, connectPacket, type FakeOptions } from './fakeScript';
import { connectClient, nextEvent, receivedUntil, startEchoService, type EchoService } from './harness';

const INFO: ConnectionInfo = { client: { ip: '127.0.0.1', port: 1, localIp: '127.0.0.1', localPort: 2 }, vserver: { name: 'vs', params: {} } };

/** A stand-in debugger: runs the same fake script, or goes away at the chunk number `leaveAt` (1-based). */
class FakeDebugger implements ScriptTakeover {
  readonly chunks: Buffer[] = [];
  ended: string | null = null;
  readonly decisions: { decision: Decision; persistence: PersistenceSettings }[] = [];
  private readonly script;
  constructor(private readonly leaveAt: number | null = null, options: FakeOptions = {}) {
    this.script = new FakeExtension(options).openConnection(INFO);
  }
  deliver(chunk: Uint8Array): Promise<DeliveryResult> {
    this.chunks.push(Buffer.from(chunk));
    if (this.chunks.length === this.leaveAt) return Promise.reject(new Error('the user stopped debugging'));
    return Promise.resolve(this.script.onClientData(chunk));
  }
  end(reason: string): void {
    this.ended = reason;
  }
  decided(decision: Decision, persistence: PersistenceSettings): void {
    this.decisions.push({ decision, persistence });
  }
}

async function setup(debuggerFor: FakeDebugger) {
  const service: EchoService = await startEchoService('s1');
  const proxy = new LbProxy({
    services: [{ id: service.id, host: '127.0.0.1', port: service.port }],
    method: 'USER_TOKEN',
    persistence: 'USERSESSION',
    activeHealthChecks: false,
    script: new FakeExtension(),
    loader: async () => new FakeExtension(),
  });
  proxy.claimForDebugger = () => debuggerFor;
  const { port } = await proxy.start();
  return { proxy, port, service, close: async () => { await proxy.stop(); await service.close(); } };
}

const CONNECT = connectPacket('debugged');
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('the debugger holds, then sends and pipes: its result is applied, the LB tells it its decision, the run ends at pipe and bytes flow', async () => {
  const dbg = new FakeDebugger();
  const { proxy, port, service, close } = await setup(dbg);
  try {
    const held = nextEvent(proxy, 'hold');
    const piped = nextEvent(proxy, 'pipe');
    const logged = nextEvent(proxy, 'decision');
    const c = connectClient(port);
    await c.connected;
    c.socket.write(CONNECT.subarray(0, 6));
    assert.equal((await held).heldBytes, 6);
    c.socket.write(CONNECT.subarray(6));
    await piped;
    assert.equal(dbg.ended, 'pipe');
    const { conn: _conn, ...lbDecision } = await logged;
    assert.deepEqual(dbg.decisions, [{ decision: lbDecision, persistence: { type: 'USERSESSION', timeoutMinutes: 2 } }], 'the debugger got the decision the LB logged');
    c.socket.write('after');
    await receivedUntil(c.socket, (all) => all.toString('latin1').endsWith('after'));
    assert.deepEqual(service.received, Buffer.concat([CONNECT, Buffer.from('after')]));
    assert.equal(dbg.chunks.length, 2, 'after pipe the debugger sees nothing more');
    c.socket.end();
    await c.ended;
  } finally {
    await close();
  }
});

test('the debugger leaves before the script acted: the engine takes over with every byte so far, the client never notices', async () => {
  const dbg = new FakeDebugger(2);
  const { proxy, port, service, close } = await setup(dbg);
  try {
    const decision = nextEvent(proxy, 'decision');
    const c = connectClient(port);
    await c.connected;
    c.socket.write(CONNECT.subarray(0, 6));
    await wait(50);
    c.socket.write(CONNECT.subarray(6));
    assert.equal((await decision).token, 'debugged');
    await receivedUntil(c.socket, (all) => all.length >= CONNECT.length);
    assert.deepEqual(service.received, CONNECT);
    assert.equal(dbg.ended, null, 'a debugger that left is not told the run ended');
    c.socket.end();
    assert.equal((await c.ended).how, 'closed');
  } finally {
    await close();
  }
});

test('the debugger leaves after the script acted: the client is reset, the engine cannot continue its state', async () => {
  // In message mode every chunk is sent at once (EOM), so the first chunk acts and the second finds the debugger gone.
  const dbg = new FakeDebugger(2, { messageMode: true });
  const { proxy, port, close } = await setup(dbg);
  try {
    const reset = nextEvent(proxy, 'reset');
    const c = connectClient(port);
    await c.connected;
    c.socket.write('m1');
    await wait(50);
    c.socket.write('m2');
    const r = await reset;
    assert.equal(r.reason, 'script-error');
    assert.match(r.message, /the debugger detached \(the user stopped debugging\) after the script acted/);
    assert.equal((await c.ended).how, 'reset');
  } finally {
    await close();
  }
});
