// USER_TOKEN per message through the real proxy: each syslog message is decided on its own user_token (its APP-NAME), so one connection's messages follow their tokens.
import test from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as net from 'node:net';
import { TcpSink } from '../../runtime/cli/brokers/tcpSink';
import { pickByToken } from '../../runtime/lb/tokenHash';
import { loadExtension } from '../../runtime/ns/loadExtension';
import { PROTOCOLS } from '../../runtime/protocols';
import { encodeSyslogStream } from '../../runtime/protocols/syslog/syslogEncoder';
import { LbProxy } from '../../runtime/proxy/lbProxy';
import type { LbEventMap } from '../../runtime/proxy/events';

/** Tutorial-style splitting on LF; the token is the APP-NAME, the 4th SP-separated field of an RFC 5424 message. */
const BY_APP_NAME = `
function client.on_data(ctxt, payload)
    local data = payload.data
    local message, pos
    ::split_message::
    pos = data:find("\\n", 1, true)
    if pos == nil then goto need_more_data end
    if data:len() > pos then message, data = data:split(pos) else message, data = data, nil end
    ns.send(ctxt.output, "EOM", {data = message, user_token = message:sub(1, pos):match("^%S+ %S+ %S+ (%S+)")})
    if data ~= nil then goto split_message end
    goto done
    ::need_more_data::
    ctxt:hold(data)
    ::done::
end
`;

test('USER_TOKEN per message: every message lands on the service its own token hashes to, one decision each', { timeout: 30_000 }, async () => {
  const sinks = await Promise.all([1, 2, 3].map(() => TcpSink.start(PROTOCOLS.syslog.frame)));
  const loader = (source: string, name: string) => loadExtension(source, name);
  const script = await loader(BY_APP_NAME, 'by-app-name.lua');
  const services = sinks.map((s, i) => ({ id: `syslog${i + 1}`, host: '127.0.0.1', port: s.port }));
  const proxy = new LbProxy({ services, method: 'USER_TOKEN', persistence: 'NONE', activeHealthChecks: false, script, loader });
  const decisions: LbEventMap['decision'][] = [];
  proxy.on('decision', (d) => decisions.push(d));
  const { port } = await proxy.start();
  try {
    const apps = ['billing', 'auth', 'billing', 'cron', 'web', 'auth', 'mail', 'web', 'billing', 'dns'];
    const socket = net.connect({ host: '127.0.0.1', port });
    await once(socket, 'connect');
    socket.end(encodeSyslogStream(apps.map((appName, i) => ({ appName, msg: `message ${i}` }))));
    socket.resume();
    await once(socket, 'close');
    const deadline = Date.now() + 5000;
    while (sinks.reduce((n, s) => n + s.messages.length, 0) < apps.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const ids = services.map((s) => s.id);
    assert.deepEqual(decisions.map((d) => [d.token, d.service]), apps.map((a) => [a, pickByToken(Buffer.from(a), ids)]));
    apps.forEach((app, i) => {
      const sink = sinks[ids.indexOf(pickByToken(Buffer.from(app), ids)!)];
      assert.equal(sink.messages.filter((m) => m.toString('latin1').endsWith(` ${app} - - - message ${i}\n`)).length, 1, `message ${i} (${app}) on its token's service`);
    });
    assert.ok(new Set(decisions.map((d) => d.service)).size >= 2, 'the tokens spread one connection over services');
  } finally {
    await proxy.stop();
    await Promise.all(sinks.map((s) => s.stop()));
    script.dispose();
  }
});
