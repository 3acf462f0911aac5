// runFirstFlight on inline scripts: each outcome (send, hold, reset, close, pipe, drop), deliveries after pipe/reset, held bytes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadExtension } from '../../../runtime/ns/loadExtension';
import { runFirstFlight } from '../../../runtime/cli/firstFlight';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'latin1');

async function script(body: string) {
  return loadExtension(`function client.on_data(ctxt, payload)\n${body}\nend\n`, 'inline.lua');
}

test('send then pipe: the first send carries the tokens; later deliveries are piped past the script', async () => {
  const ext = await script('ns.send(ctxt.output, "DATA", {data = payload.data, user_token = "t\\255", user_session = "s"})\nns.pipe(ctxt.input, ctxt.output)');
  const run = runFirstFlight(ext, [bytes('abc'), bytes('de')]);
  assert.equal(run.outcome, 'send');
  assert.deepEqual(Buffer.from(run.firstSend!.token!), Buffer.from([0x74, 0xff]));
  assert.equal(Buffer.from(run.firstSend!.session!).toString(), 's');
  assert.equal(run.piped, true);
  assert.equal(run.bytesSent, 5);
  assert.deepEqual(run.deliveries.map((d) => d.handledBy), ['script', 'piped']);
  ext.dispose();
});

test('hold until 4 bytes: every delivery but the last is held; a short flight ends in hold with the bytes kept', async () => {
  const ext = await script('local d = payload.data\nif d:len() < 4 then ctxt:hold(d) return end\nns.send(ctxt.output, "DATA", {data = d, user_token = d:sub(1, 2)})');
  const full = runFirstFlight(ext, [bytes('a'), bytes('b'), bytes('cd')]);
  assert.equal(full.outcome, 'send');
  assert.deepEqual(full.deliveries.map((d) => d.held), [true, true, false]);
  assert.equal(Buffer.from(full.firstSend!.token!).toString(), 'ab');
  assert.equal(full.heldBytes, 0);
  const short = runFirstFlight(ext, [bytes('a'), bytes('bc')]);
  assert.equal(short.outcome, 'hold');
  assert.equal(short.heldBytes, 3);
  assert.equal(short.firstSend, null);
  ext.dispose();
});

test('error() resets with file:line; later deliveries are skipped', async () => {
  const ext = await script('if payload.data:byte(1) ~= 0x10 then\n  error("not a CONNECT")\nend\nctxt:hold(payload.data)');
  const run = runFirstFlight(ext, [bytes('x'), bytes('y')]);
  assert.equal(run.outcome, 'reset');
  assert.match(run.error!.message, /^inline\.lua:3: not a CONNECT/);
  assert.deepEqual(run.deliveries.map((d) => d.handledBy), ['script', 'skipped']);
  ext.dispose();
});

test('close, pipe without send, and doing nothing are told apart', async () => {
  const close = await script('ctxt:close()');
  assert.equal(runFirstFlight(close, [bytes('a')]).outcome, 'close');
  const pipe = await script('ns.pipe(ctxt.input, ctxt.output)');
  assert.equal(runFirstFlight(pipe, [bytes('a')]).outcome, 'pipe');
  const nothing = await script('local _ = payload.data:len()');
  assert.equal(runFirstFlight(nothing, [bytes('a')]).outcome, 'drop');
  for (const ext of [close, pipe, nothing]) ext.dispose();
});
