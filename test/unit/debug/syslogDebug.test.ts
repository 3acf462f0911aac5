// Debugging a message protocol over DAP: the vendor's syslog tutorial logic on 2.5 messages stops once per message at ns.send, with Payload and Decision scopes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { inspector, launchWithBreakpoints, REPO, scopeValues, startHarness, stepAndWait } from './sessionHarness';
import { PROTOCOLS } from '../../../runtime/protocols';

const TUTORIAL = join(REPO, 'test', 'fixtures', 'syslog', 'vendor-tutorial.lua');
/** `ns.send(ctxt.output, "EOM", {data = message})` in the tutorial fixture. */
const SEND_LINE = readFileSync(TUTORIAL, 'utf8').split('\n').findIndex((l) => l.includes('ns.send(ctxt.output, "EOM"')) + 1;
const SERVICES = ['127.0.0.1:5141', '127.0.0.1:5142'];

/** The preset's two whole messages (LF-framed). */
function wholeMessages(): string[] {
  const text = Buffer.from(PROTOCOLS.syslog.presets()[0].bytes).toString('latin1');
  return text.split('\n').slice(0, 2).map((m) => `${m}\n`);
}

test('syslog: two whole messages and half a third stop once per message at ns.send, then the run ends without an error stop', async () => {
  const h = await startHarness();
  const stops: DebugProtocol.StoppedEvent[] = [];
  const errors: string[] = [];
  h.dc.on('stopped', (e: DebugProtocol.StoppedEvent) => stops.push(e));
  h.dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'stderr') errors.push(e.body.output); });
  try {
    const messages = wholeMessages();
    const first = await launchWithBreakpoints(h.dc, { program: TUTORIAL, protocol: 'syslog', packet: { preset: 'rfc5424-two-and-a-half' }, lbMethod: 'ROUNDROBIN', persistence: 'NONE', services: SERVICES }, [SEND_LINE]);
    const services: string[] = [];
    for (let i = 0; i < 2; i++) {
      if (i > 0) await stepAndWait(h.dc, () => h.dc.continueRequest({ threadId: 1 }));
      const stop = i === 0 ? first : stops[stops.length - 1];
      assert.equal(stop.body.reason, 'breakpoint');
      const locals = await scopeValues(h.dc, 'Locals');
      assert.equal(locals.message, `${JSON.stringify(messages[i])} (ns.tcp.stream, ${messages[i].length} bytes)`, `stop ${i + 1}: this message in Locals`);
      const payload = await scopeValues(h.dc, 'Payload');
      assert.equal(payload.length, String(PROTOCOLS.syslog.presets()[0].bytes.length), 'the Payload scope shows the whole delivery');
      const state = await inspector(h.dc);
      assert.equal(state.protocol.name, 'syslog');
      assert.ok(state.fields.some((f) => f.label === '#2 MSG'), 'the field map covers both whole messages');
      assert.equal(state.sent.length, i, 'the messages sent before this stop');
      // Step over ns.send: the Decision scope shows this message's decision (a new one per message).
      await stepAndWait(h.dc, () => h.dc.nextRequest({ threadId: 1 }));
      const decision = await scopeValues(h.dc, 'Decision');
      assert.equal(decision['messages sent'], String(i + 1));
      services.push(decision[`#${i + 1} EOM`]);
    }
    assert.match(services[0], /^-> svc1: /);
    assert.match(services[1], /^-> svc2: /, 'round robin: the second message gets the next service');
    const terminated = h.dc.waitForEvent('terminated');
    await h.dc.continueRequest({ threadId: 1 });
    await terminated;
    assert.equal(stops.filter((s) => s.body.reason === 'breakpoint').length, 2, 'one stop per whole message, none for the half');
    assert.equal(stops.some((s) => s.body.reason === 'exception'), false, 'no error stop');
    assert.deepEqual(errors, []);
  } finally {
    await h.close();
  }
});

test('an unknown protocol is the launch error, naming those that exist', async () => {
  const h = await startHarness();
  try {
    await assert.rejects(h.dc.launch({ program: TUTORIAL, protocol: 'smtp' } as DebugProtocol.LaunchRequestArguments), /protocol "smtp" is unknown \(one of mqtt, syslog, raw\)/);
  } finally {
    await h.close();
  }
});

test('syslog: byte stepping and the Payload scope work as for MQTT (examples/syslog.lua reads the first byte, then finds the LF)', async () => {
  const h = await startHarness();
  try {
    const program = join(REPO, 'examples', 'syslog.lua');
    const bytes = Buffer.from(PROTOCOLS.syslog.presets()[0].bytes);
    const entry = await launchWithBreakpoints(h.dc, { program, protocol: 'syslog', stopOnEntry: true, services: SERVICES }, []);
    assert.equal(entry.body.reason, 'entry');
    await stepAndWait(h.dc, () => h.dc.nextRequest({ threadId: 1, granularity: 'instruction' }));
    assert.deepEqual((await inspector(h.dc)).reads, [0], 'data:byte(1): the first byte');
    await stepAndWait(h.dc, () => h.dc.customRequest('protoext/stepToNextByte', { threadId: 1 }));
    const state = await inspector(h.dc);
    assert.ok(state.reads.includes(bytes.indexOf(0x0a)), `data:find("\\n") read up to the first LF (reads ${state.reads.join(',')})`);
    const payload = await scopeValues(h.dc, 'Payload');
    assert.equal(payload.length, String(bytes.length), 'no packet given: the protocol\'s first preset');
    assert.match(payload['read offsets'], /^0-\d+ \(0-based/);
  } finally {
    await h.close();
  }
});
