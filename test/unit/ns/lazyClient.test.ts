// ctxt.client is filled when a script first reads it (the LB never asks the socket for addresses a script does not use);
// a debugger, which shows ctxt in Variables, gets it filled at once.
import test from 'node:test';
import assert from 'node:assert/strict';
import type { ConnectionInfo, ScriptAction } from '../../../runtime/ns/types';
import { text } from './connectFixtures';
import { INFO, loadInline } from './nsHarness';

/** INFO whose client addresses count how often they are asked for (on the LB each ask is two system calls). */
function countingInfo(): { info: ConnectionInfo; asked: () => number } {
  let asked = 0;
  const info: ConnectionInfo = {
    vserver: INFO.vserver,
    get client() {
      asked++;
      return INFO.client;
    },
  };
  return { info, asked: () => asked };
}

const sent = (actions: readonly ScriptAction[]): string[] => actions.map((a) => (a.kind === 'send' || a.kind === 'toClient' ? `${a.kind}:${text(a.data) ?? ''}` : a.kind));

test('a script that never reads ctxt.client never asks for the addresses', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    ns.send(ctxt.output, "DATA", {data = payload.data})
    ns.pipe(ctxt.input, ctxt.output)
  end`);
  const { info, asked } = countingInfo();
  const r = ext.openConnection(info).onClientData(Uint8Array.of(1, 2));
  assert.equal(r.error, null);
  assert.equal(asked(), 0);
  ext.dispose();
});

test('the first read of ctxt.client asks once and gives the addresses; ns.send(ctxt.client) answers through it', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    local c = ctxt.client
    ns.send(ctxt.client, "DATA", {data = table.concat({c.ip, c.port, ctxt.client.local_ip, ctxt.client.local_port, tostring(rawequal(c, ctxt.client))}, " ")})
    ns.send(ctxt.output, "EOM", {data = payload.data})
  end`);
  const { info, asked } = countingInfo();
  const conn = ext.openConnection(info);
  const r = conn.onClientData(Uint8Array.of(0x41));
  assert.equal(r.error, null, r.error?.message);
  assert.deepEqual(sent(r.actions), [`toClient:${INFO.client.ip} ${INFO.client.port} ${INFO.client.localIp} ${INFO.client.localPort} true`, 'send:A']);
  assert.equal(asked(), 1);
  conn.onClientData(Uint8Array.of(0x42));
  assert.equal(asked(), 1, 'kept in ctxt for the next on_data');
  ext.dispose();
});

test('ctxt.client of a ctxt kept from another connection is an api error at the script\'s line', async () => {
  const ext = await loadInline(`local kept
  function client.on_data(ctxt, payload)
    if kept == nil then kept = ctxt return end
    local ip = kept.client.ip
  end`);
  assert.equal(ext.openConnection(INFO).onClientData(Uint8Array.of(1)).error, null);
  const r = ext.openConnection(INFO).onClientData(Uint8Array.of(1));
  assert.equal(r.error?.kind, 'api');
  assert.match(r.error?.message ?? '', /^inline\.lua:4: ctxt\.client: this ctxt belongs to another connection/);
  ext.dispose();
});

test('with a read observer (the debugger) ctxt.client is there before the script reads it', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    ns.send(ctxt.output, "EOM", {data = tostring(rawget(ctxt, "client") ~= nil)})
  end`);
  const debugged = ext.openConnection(INFO, { readObserver: { onRead: () => undefined } }).onClientData(Uint8Array.of(1));
  const lb = ext.openConnection(INFO).onClientData(Uint8Array.of(1));
  assert.deepEqual([sent(debugged.actions), sent(lb.actions)], [['send:true'], ['send:false']]);
  ext.dispose();
});
