// ctxt.client as a destination (the script answers the client) and the members of the server context.
import test from 'node:test';
import assert from 'node:assert/strict';
import { text } from './connectFixtures';
import { connect, loadInline } from './nsHarness';

const bytes = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

test('ns.send(ctxt.client, ...) is an answer to the client, apart from sends to ctxt.output', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    local line = payload.data:sub(1)
    if line == "PING\\n" then ns.send(ctxt.client, "EOM", {data = "PONG\\n"}) return end
    ns.send(ctxt.output, "EOM", {data = payload.data})
  end`);
  const conn = connect(ext);
  const ping = conn.onClientData(bytes('PING\n'));
  assert.deepEqual(ping.actions, [{ kind: 'toClient', event: 'EOM', data: bytes('PONG\n') }]);
  const other = conn.onClientData(bytes('hello\n'));
  assert.ok(other.actions[0].kind === 'send');
  assert.equal(text(other.actions[0].data), 'hello\n');
  ext.dispose();
});

test('ctxt.client still carries the client addresses; a stream or a split part can be sent to it', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    local head = payload.data:split(2)
    ns.send(ctxt.client, "DATA", {data = head})
    ns.send(ctxt.client, "EOM", {data = ctxt.client.ip})
  end`);
  const r = connect(ext).onClientData(bytes('hello'));
  assert.deepEqual(r.actions.map((a) => (a.kind === 'toClient' ? `${a.event}:${text(a.data)}` : a.kind)), ['DATA:he', 'EOM:192.0.2.10']);
  ext.dispose();
});

test('user_token/user_session make no sense towards the client: an api error at the line', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    ns.send(ctxt.client, "EOM", {data = "x", user_token = "t"})
  end`);
  const r = connect(ext).onClientData(bytes('a'));
  assert.equal(r.error?.kind, 'api');
  assert.match(r.error?.message ?? '', /^inline\.lua:2: ns\.send: user_token and user_session steer the LB decision of ctxt\.output/);
  ext.dispose();
});

test('the server context has output, input, vserver and hold; client-context members are refused naming why', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload) ns.send(ctxt.output, "DATA", {data = payload.data}) end
  function server.on_data(ctxt, payload)
    local kinds = table.concat({tostring(ctxt.output), tostring(ctxt.input), ctxt.vserver.name, type(ctxt.hold)}, " ")
    if payload.data:sub(1) == "client" then return ctxt.client end
    if payload.data:sub(1) == "close" then ctxt:close() end
    ns.send(ctxt.output, "DATA", {data = kinds})
  end`);
  const conn = connect(ext);
  const ok = conn.onServerData(bytes('x'));
  assert.ok(ok.actions[0].kind === 'send');
  assert.equal(text(ok.actions[0].data), 'ns.processing_context ns.processing_context mqtt_vs function');
  for (const [input, member] of [['client', 'client'], ['close', 'close']]) {
    const c = connect(ext);
    const r = c.onServerData(bytes(input));
    assert.equal(r.error?.kind, 'api', member);
    assert.match(r.error?.message ?? '', new RegExp(`ctxt\\.${member} belongs to the client context; server\\.on_data has ctxt\\.output \\(to the client\\)`));
  }
  ext.dispose();
});
