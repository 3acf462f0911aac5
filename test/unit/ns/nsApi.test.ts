// The ns/ctxt emulation: send, pipe, hold, close, error = reset, argument checks, stream methods, shared globals and read recording.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ScriptLoadError } from '../../../runtime/ns/loadExtension';
import { CONNECT_311, text } from './connectFixtures';
import { connect, loadInline } from './nsHarness';

const bytes = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

test('send then pipe: actions in call order with token, session and the delivered bytes', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    ns.send(ctxt.output, "DATA", {data = payload.data, user_token = "tok", user_session = 42})
    ns.pipe(ctxt.input, ctxt.output)
  end`);
  const r = connect(ext).onClientData(bytes('hello'));
  assert.equal(r.error, null);
  assert.equal(r.held, false);
  assert.equal(r.actions.length, 2);
  const [send, pipe] = r.actions;
  assert.ok(send.kind === 'send');
  assert.equal(send.event, 'DATA');
  assert.equal(text(send.data), 'hello');
  assert.equal(text(send.userToken), 'tok');
  assert.equal(text(send.userSession), '42');
  assert.deepEqual(pipe, { kind: 'pipe' });
  ext.dispose();
});

test('one string as both token and session is copied out once; different values each keep their own bytes', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    local id = payload.data:sub(1, 3)
    ns.send(ctxt.output, "DATA", {data = "a", user_token = id, user_session = id})
    ns.send(ctxt.output, "DATA", {data = "b", user_token = "abc", user_session = "abd"})
  end`);
  const r = connect(ext).onClientData(bytes('xyz!'));
  assert.equal(r.error, null);
  const [same, differ] = r.actions;
  assert.ok(same.kind === 'send' && differ.kind === 'send');
  assert.equal(text(same.userToken), 'xyz');
  assert.equal(same.userSession, same.userToken, 'the same Lua string: the same bytes');
  assert.equal(text(differ.userToken), 'abc');
  assert.equal(text(differ.userSession), 'abd');
  assert.notEqual(differ.userSession, differ.userToken);
  ext.dispose();
});

test('after ns.pipe the handler is not called again: bytes pass straight through', async () => {
  const ext = await loadInline(`calls = 0
    function client.on_data(ctxt, payload) calls = calls + 1 if calls > 1 then error("called again") end
      ns.send(ctxt.output, "DATA", {data = payload.data}) ns.pipe(ctxt.input, ctxt.output) end`);
  const conn = connect(ext);
  conn.onClientData(bytes('first'));
  const r = conn.onClientData(bytes('second'));
  assert.equal(r.error, null);
  assert.equal(r.actions.length, 1);
  assert.ok(r.actions[0].kind === 'send' && text(r.actions[0].data) === 'second' && r.actions[0].userToken === null);
  ext.dispose();
});

test('error() resets: the result carries file:line and nothing before the error is forwarded', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    ns.send(ctxt.output, "DATA", {data = payload.data, user_token = "x"})
    error("bad packet")
  end`);
  const conn = connect(ext);
  const r = conn.onClientData(bytes('abc'));
  assert.deepEqual(r.actions, []);
  assert.equal(r.held, false);
  assert.ok(r.error);
  assert.equal(r.error.kind, 'runtime');
  assert.equal(r.error.message, 'inline.lua:3: bad packet');
  assert.equal(r.error.line, 3);
  assert.match(r.error.traceback, /inline\.lua:3/);
  assert.doesNotMatch(r.error.traceback, /protoext-/, 'runtime frames are left out');
  assert.equal(r.discardedActions?.length, 1, 'the send before the error is reported as discarded');
  assert.equal(conn.onClientData(bytes('more')).error, r.error, 'a failed connection keeps failing');
  ext.dispose();
});

test('an event other than DATA/EOM is an api error at the calling line', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    ns.send(ctxt.output, "DATAX", {data = payload.data})
  end`);
  const r = connect(ext).onClientData(bytes('abc'));
  assert.equal(r.error?.kind, 'api');
  assert.equal(r.error?.message, 'inline.lua:2: ns.send: event must be "DATA" or "EOM", got "DATAX"');
  ext.dispose();
});

test('ns.send checks its destination and options', async () => {
  const cases: [string, RegExp][] = [
    ['ns.send(ctxt.input, "DATA", {})', /ctxt\.input is where the data comes from/],
    ['ns.send(nil, "DATA", {})', /destination must be ctxt\.output or ctxt\.client, got nil/],
    ['ns.send(ctxt.output, "DATA", {data = payload.data, user_tokn = "x"})', /unknown option user_tokn/],
    ['ns.send(ctxt.output, "DATA", {user_token = {}})', /options\.user_token must be a string, got table/],
    ['ns.send(ctxt.output, "DATA", {data = 5})', /options\.data must be payload\.data or a string/],
    ['ns.pipe(ctxt.output, ctxt.input)', /only ns\.pipe\(ctxt\.input, ctxt\.output\) is emulated/],
  ];
  for (const [call, expected] of cases) {
    const ext = await loadInline(`function client.on_data(ctxt, payload)\n  ${call}\nend`);
    const r = connect(ext).onClientData(bytes('abc'));
    assert.equal(r.error?.kind, 'api', call);
    assert.match(r.error?.message ?? '', /^inline\.lua:2: /, call);
    assert.match(r.error?.message ?? '', expected, call);
    ext.dispose();
  }
});

test('using payload.data after ctxt:hold is an api error', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    local data = payload.data
    ctxt:hold(data)
    local first = data:byte(1)
  end`);
  const r = connect(ext).onClientData(bytes('abc'));
  assert.equal(r.error?.kind, 'api');
  assert.match(r.error?.message ?? '', /^inline\.lua:4: payload\.data was used after ctxt:hold\(\)/);
  ext.dispose();
});

test('misuse in a tail call (the script frame is gone) is not blamed on the runtime', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    local data = payload.data
    ctxt:hold(data)
    return data:byte(1)
  end`);
  const r = connect(ext).onClientData(bytes('abc'));
  assert.equal(r.error?.kind, 'api');
  assert.match(r.error?.message ?? '', /^payload\.data was used after ctxt:hold\(\)/);
  assert.doesNotMatch(r.error?.traceback ?? '', /protoext-/);
  ext.dispose();
});

test('held bytes are prefixed to the next delivery, across several deliveries', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    local data = payload.data
    if data:len() < 6 then ctxt:hold(data) return end
    ns.send(ctxt.output, "DATA", {data = data, user_token = data:sub(1, 6)})
  end`);
  const conn = connect(ext);
  for (const part of ['a', 'bc', 'd']) {
    const r = conn.onClientData(bytes(part));
    assert.equal(r.held, true);
    assert.deepEqual(r.actions, []);
  }
  assert.equal(conn.heldBytes, 4);
  const r = conn.onClientData(bytes('efgh'));
  assert.equal(r.held, false);
  assert.ok(r.actions[0].kind === 'send');
  assert.equal(text(r.actions[0].data), 'abcdefgh');
  assert.equal(text(r.actions[0].userToken), 'abcdef');
  assert.equal(conn.heldBytes, 0);
  ext.dispose();
});

test('stream methods behave like their string counterparts (1-based)', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    local d = payload.data
    local head, rest = d:split(2)
    local s, e = d:find("b,c", 1, true)
    local out = table.concat({d:len(), #d, d:byte(1), d:byte(-1), d:sub(2, 3), d:sub(-1), s, e, head:sub(1), rest:len()}, "|")
    ns.send(ctxt.output, "EOM", {data = out})
  end`);
  const r = connect(ext).onClientData(bytes('a,b,c'));
  assert.ok(r.actions[0].kind === 'send');
  assert.equal(r.actions[0].event, 'EOM');
  assert.equal(text(r.actions[0].data), '5|5|97|99|,b|c|3|5|a,|3');
  ext.dispose();
});

test('ctxt exposes the client addresses and the vserver name and params', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    local c = ctxt.client
    ns.send(ctxt.output, "DATA", {data = table.concat({c.ip, c.port, c.local_ip, c.local_port, ctxt.vserver.name, ctxt.vserver.params.region, tostring(ctxt.vserver.params.none)}, " ")})
  end`);
  const r = connect(ext).onClientData(bytes('x'));
  assert.ok(r.actions[0].kind === 'send');
  assert.equal(text(r.actions[0].data), '192.0.2.10 50123 127.0.0.1 1883 mqtt_vs eu nil');
  ext.dispose();
});

test('what is not emulated fails naming it', async () => {
  for (const [code, expected] of [
    ['ns.log("x")', /ns\.log is not emulated by the local runtime/],
    ['ctxt:reply("x")', /ctxt\.reply is not emulated by the local runtime/],
    ['payload.data:upper()', /stream:upper is not emulated by the local runtime/],
  ] as const) {
    const ext = await loadInline(`function client.on_data(ctxt, payload)\n  ${code}\nend`);
    const r = connect(ext).onClientData(bytes('x'));
    assert.equal(r.error?.kind, 'api', code);
    assert.match(r.error?.message ?? '', expected);
    assert.match(r.error?.message ?? '', /^inline\.lua:2: /);
    ext.dispose();
  }
});

test('ctxt:close is reported and later data is not processed', async () => {
  const ext = await loadInline('function client.on_data(ctxt, payload) ctxt:close() end');
  const conn = connect(ext);
  assert.deepEqual(conn.onClientData(bytes('x')).actions, [{ kind: 'close' }]);
  assert.deepEqual(conn.onClientData(bytes('y')), { actions: [], held: false, error: null });
  ext.dispose();
});

test('only the callbacks the script defines are used; the other side passes through natively', async () => {
  const ext = await loadInline('function client.on_data(ctxt, payload) ctxt:hold(payload.data) end');
  assert.equal(ext.hasClientOnData, true);
  assert.equal(ext.hasServerOnData, false);
  const r = connect(ext).onServerData(bytes('from server'));
  assert.ok(r.actions[0].kind === 'send' && text(r.actions[0].data) === 'from server');
  ext.dispose();
});

test('globals are shared by the connections of one script; ctxt is per connection', async () => {
  const ext = await loadInline(`seen = 0
    function client.on_data(ctxt, payload)
      seen = seen + 1
      ns.send(ctxt.output, "DATA", {data = payload.data, user_token = tostring(seen)})
    end`);
  const a = connect(ext).onClientData(bytes('a'));
  const b = connect(ext).onClientData(bytes('b'));
  assert.ok(a.actions[0].kind === 'send' && b.actions[0].kind === 'send');
  assert.equal(text(a.actions[0].userToken), '1');
  assert.equal(text(b.actions[0].userToken), '2');
  ext.dispose();
});

test('a script that does not compile throws ScriptLoadError of kind syntax with file:line', async () => {
  await assert.rejects(loadInline('function client.on_data(ctxt, payload)\n  local x = = 1\nend'), (e: unknown) => {
    assert.ok(e instanceof ScriptLoadError);
    assert.equal(e.error.kind, 'syntax');
    assert.equal(e.error.file, 'inline.lua');
    assert.equal(e.error.line, 2);
    assert.match(e.error.message, /^inline\.lua:2: /);
    return true;
  });
});

test('the budget stops a looping callback and the next connection still runs', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    if payload.data:byte(1) == 76 then while true do end end
    ns.send(ctxt.output, "DATA", {data = payload.data})
  end`, { instructionBudget: 20_000 });
  const looped = connect(ext).onClientData(bytes('L'));
  assert.equal(looped.error?.kind, 'budget');
  assert.equal(looped.error?.line, 2);
  const fine = connect(ext).onClientData(bytes('ok'));
  assert.equal(fine.error, null);
  assert.equal(fine.actions.length, 1);
  ext.dispose();
});

test('the memory cap stops a memory bomb in a callback; the script keeps serving', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    if payload.data:byte(1) == 66 then local t = {} for i = 1, 1e9 do t[i] = ("x"):rep(1000) end end
    ns.send(ctxt.output, "DATA", {data = payload.data})
  end`, { memoryLimitBytes: 4 * 1024 * 1024, instructionBudget: 100_000_000 });
  assert.equal(connect(ext).onClientData(bytes('B')).error?.kind, 'memory');
  assert.equal(connect(ext).onClientData(bytes('ok')).error, null);
  ext.dispose();
});

test('all 256 byte values go through a stream and ns.send unchanged', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    local d = payload.data
    ns.send(ctxt.output, "DATA", {data = d:sub(1, -1), user_token = d:sub(129, 256)})
  end`);
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  const r = connect(ext).onClientData(all);
  assert.ok(r.actions[0].kind === 'send');
  assert.deepEqual(r.actions[0].data, all);
  assert.deepEqual(r.actions[0].userToken, all.subarray(128));
  ext.dispose();
});

test('read recording reports the positions read to its observer; without one the host hears of no read', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    local d = payload.data
    local a = d:byte(2) local s = d:sub(5, 7) local n = d:len()
  end`);
  // Every ns call from the script enters the host through current(); this script makes no call but its reads.
  const host = ext as unknown as { current: (L: number) => unknown };
  const current = host.current;
  let hostCalls = 0;
  host.current = function (this: unknown, L: number) {
    hostCalls++;
    return current.call(this, L);
  };
  const reads: [number, number][] = [];
  connect(ext, { readObserver: { onRead: (first, last) => reads.push([first, last]) } }).onClientData(CONNECT_311);
  assert.deepEqual(reads, [[1, 1], [4, 6]]);
  assert.equal(hostCalls, 2, 'each recorded read went through the host');
  hostCalls = 0;
  const r = connect(ext).onClientData(CONNECT_311);
  assert.equal(r.error, null);
  assert.equal(hostCalls, 0, 'with no observer the plain stream runs: nothing is recorded');
  ext.dispose();
});
