// stream:split(n) and ctxt:hold(stream) as the ADC documents them: a byte offset, two full streams, and a hold of exactly the stream given.
import test from 'node:test';
import assert from 'node:assert/strict';
import type { ScriptAction } from '../../../runtime/ns/types';
import { text } from './connectFixtures';
import { connect, loadExample, loadInline } from './nsHarness';

const bytes = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));
const sent = (actions: readonly ScriptAction[]): string[] => actions.map((a) => (a.kind === 'send' ? `${a.event}:${text(a.data)}` : a.kind));

test('split(n) returns the first n bytes and the rest, both full streams (len, byte, sub, find, split)', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    local head, rest = payload.data:split(3)
    local a, b = rest:split(2)
    local s = rest:find("de", 1, true)
    local out = table.concat({head:len(), #head, head:sub(1), head:byte(3), rest:len(), rest:sub(1, 2), s, a:sub(1), b:sub(1), tostring(rest)}, "|")
    ns.send(ctxt.output, "EOM", {data = out})
  end`);
  const r = connect(ext).onClientData(bytes('abcdefg'));
  assert.equal(r.error, null);
  assert.deepEqual(sent(r.actions), ['EOM:3|3|abc|99|4|de|1|de|fg|ns.tcp.stream (4 bytes)']);
  ext.dispose();
});

test('split(n) clamps n to 0..len and truncates fractions: one part may be empty, never an error', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    local d = payload.data
    local out = {}
    for _, n in ipairs({-5, 0, 2.7, 5, 99}) do
      local a, b = d:split(n)
      out[#out + 1] = a:len() .. "/" .. b:len()
    end
    ns.send(ctxt.output, "EOM", {data = table.concat(out, " ")})
  end`);
  const r = connect(ext).onClientData(bytes('hello'));
  assert.deepEqual(sent(r.actions), ['EOM:0/5 0/5 2/3 5/0 5/0']);
  ext.dispose();
});

test('split with something other than a number is an api error at the calling line (the separator form is gone)', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    local a, b = payload.data:split(",")
  end`);
  const r = connect(ext).onClientData(bytes('a,b'));
  assert.equal(r.error?.kind, 'api');
  assert.match(r.error?.message ?? '', /^inline\.lua:2: stream:split\(n\) takes a byte offset .*got string/);
  ext.dispose();
});

test('split parts can be sent: ns.send gets exactly their bytes', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    local m, rest = payload.data:split(4)
    ns.send(ctxt.output, "EOM", {data = m})
    ns.send(ctxt.output, "EOM", {data = rest})
  end`);
  const r = connect(ext).onClientData(bytes('one\ntwo\n'));
  assert.deepEqual(sent(r.actions), ['EOM:one\n', 'EOM:two\n']);
  ext.dispose();
});

test('holding a split remainder keeps only it: sent bytes are never delivered again', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    local m, rest = payload.data:split(3)
    ns.send(ctxt.output, "EOM", {data = m})
    ctxt:hold(rest)
  end`);
  const conn = connect(ext);
  const first = conn.onClientData(bytes('abcde'));
  assert.equal(first.held, true);
  assert.equal(text(first.heldData ?? null), 'de');
  assert.equal(conn.heldBytes, 2);
  const second = conn.onClientData(bytes('fgh'));
  assert.deepEqual(sent(second.actions), ['EOM:def']);
  assert.equal(conn.heldBytes, 2, 'the new remainder "gh"');
  ext.dispose();
});

test('using a held split part afterwards is an api error; assigning its variable is not', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    local m, rest = payload.data:split(1)
    ctxt:hold(rest)
    rest = nil
    local again = m:len()
    if payload.data:len() > 99 then return end
  end`);
  const r = connect(ext).onClientData(bytes('ab'));
  assert.equal(r.error, null, 'assignment and other streams are fine');
  const ext2 = await loadInline(`function client.on_data(ctxt, payload)
    local m, rest = payload.data:split(1)
    ctxt:hold(rest)
    return rest:len() + 0
  end`);
  const r2 = connect(ext2).onClientData(bytes('ab'));
  assert.equal(r2.error?.kind, 'api');
  assert.match(r2.error?.message ?? '', /this stream was used after ctxt:hold\(\)/);
  ext.dispose();
  ext2.dispose();
});

test('a second hold in one on_data is an api error naming the line', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    local a, b = payload.data:split(1)
    ctxt:hold(a)
    ctxt:hold(b)
  end`);
  const r = connect(ext).onClientData(bytes('ab'));
  assert.equal(r.error?.kind, 'api');
  assert.match(r.error?.message ?? '', /^inline\.lua:4: ctxt:hold: this on_data already holds a stream/);
  ext.dispose();
});

test('split parts die with the callback that made them', async () => {
  const ext = await loadInline(`kept = nil
    function client.on_data(ctxt, payload)
    if kept then return kept:len() + 0 end
    kept = payload.data:split(1)
  end`);
  const conn = connect(ext);
  assert.equal(conn.onClientData(bytes('ab')).error, null);
  const r = conn.onClientData(bytes('cd'));
  assert.equal(r.error?.kind, 'api');
  assert.match(r.error?.message ?? '', /only usable during the on_data call that made it/);
  ext.dispose();
});

test('server.on_data holds exactly the stream given, too', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload) ns.send(ctxt.output, "DATA", {data = payload.data}) end
  function server.on_data(ctxt, payload)
    local data = payload.data
    local nl = data:find("\\n", 1, true)
    if not nl then ctxt:hold(data) return end
    local line, rest = data:split(nl)
    ns.send(ctxt.output, "DATA", {data = line})
    ctxt:hold(rest)
  end`);
  const conn = connect(ext);
  const a = conn.onServerData(bytes('he'));
  assert.equal(a.held, true);
  const b = conn.onServerData(bytes('llo\nwor'));
  assert.deepEqual(sent(b.actions), ['DATA:hello\n']);
  assert.equal(conn.heldBytes, 3);
  const c = conn.onServerData(bytes('ld\n'));
  assert.deepEqual(sent(c.actions), ['DATA:world\n']);
  ext.dispose();
});

test('read recording positions split parts in the delivered stream', async () => {
  const ext = await loadInline(`function client.on_data(ctxt, payload)
    local a, b = payload.data:split(4)
    local x = b:byte(2)
    ctxt:hold(b)
  end`);
  const reads: [number, number][] = [];
  connect(ext, { readObserver: { onRead: (first, last) => reads.push([first, last]) } }).onClientData(bytes('abcdefgh'));
  assert.deepEqual(reads, [[5, 5]]);
  ext.dispose();
});

test("the vendor's split loop over one 64 KiB delivery of 512 syslog lines stays within the state's memory (parts dropped by the script are not pinned)", async () => {
  // Each data:split(pos) copies the rest: kept until the callback ends, 512 rests would hold about 16 MB, the default limit.
  const ext = await loadExample('syslog.lua');
  const line = '<13>1 - bench lbbench - - - '.padEnd(127, 'x') + '\n';
  const r = connect(ext).onClientData(bytes(line.repeat(512)));
  assert.equal(r.error, null);
  assert.equal(r.actions.length, 512);
  assert.ok(r.actions.every((a) => a.kind === 'send' && a.event === 'EOM' && text(a.data) === line));
  ext.dispose();
});

test('parts made by split are still retired at the end of the callback when the script kept them', async () => {
  const ext = await loadInline(`local kept
  function client.on_data(ctxt, payload)
    if kept then return kept:len() end
    local a, b = payload.data:split(1)
    kept = b
    ns.send(ctxt.output, "DATA", {data = a})
  end`);
  const c = connect(ext);
  c.onClientData(bytes('xy'));
  const r = c.onClientData(bytes('z'));
  assert.equal(r.error?.kind, 'api');
  assert.match(r.error?.message ?? '', /a part of payload\.data made by data:split\(\) is only usable during the on_data call that made it/);
  ext.dispose();
});
