// The catalog is the one description of the ns API: every member it lists exists in the Lua prelude with the same kind, every prelude API is listed, events agree, and each call accepts the argument kinds the catalog gives.
import test from 'node:test';
import assert from 'node:assert/strict';
import { API_MEMBERS, SEND_EVENTS, type ApiMember, type ApiType } from '../../../runtime/ns/catalog';
import { connect, loadInline } from './nsHarness';

/** Owners the prelude implements (the callbacks client.on_data / server.on_data are the script's, not the prelude's). */
const isPreludeMember = (m: ApiMember): boolean => m.kind !== 'callback';
const memberName = (m: ApiMember): string => m.path.split(/[.:]/).pop() ?? m.path;
const catalogLine = (m: ApiMember): string => `${m.owner} ${memberName(m)} ${m.kind === 'field' ? 'field' : 'function'}`;

test('catalog and prelude list the same members with the same kinds, and the same ns.send events', async () => {
  const ext = await loadInline('');
  const surface = ext.apiSurface();
  ext.dispose();
  const prelude = new Set(surface.filter((l) => !l.startsWith('ns.send event ')));
  const catalog = new Set(API_MEMBERS.filter(isPreludeMember).map(catalogLine));
  assert.deepEqual([...catalog].filter((l) => !prelude.has(l)).sort(), [], 'in the catalog but not implemented by the prelude');
  assert.deepEqual([...prelude].filter((l) => !catalog.has(l)).sort(), [], 'implemented by the prelude but missing from the catalog');
  const events = surface.filter((l) => l.startsWith('ns.send event ')).map((l) => l.slice('ns.send event '.length));
  assert.deepEqual(events.sort(), [...SEND_EVENTS].sort());
});

/** A Lua expression of the given catalog kind, inside client.on_data (ctxt, payload and a fresh stream `d` in scope). */
const VALUE_OF: Partial<Record<ApiType, string>> = {
  string: '"x"',
  integer: '1',
  number: '1',
  boolean: 'true',
  any: '"x"',
  'ns.tcp.stream': 'd',
  'ns.processing_context': 'ctxt.output',
  'ns.send_options': '{data = "x"}',
};
/** One value of another kind, which the runtime refuses where the catalog asks for this one. */
const WRONG_FOR: Partial<Record<ApiType, string>> = { integer: '"x"', 'ns.tcp.stream': '42', 'ns.processing_context': '{}' };

/** Calls with the catalog's argument kinds: `ctxt:hold(d)`, `d:split(1)`, `ns.send(ctxt.output, "DATA", {...})`, ... */
function callOf(m: ApiMember, args: string[]): string {
  const receiver = m.owner === 'ns.tcp.stream' ? 'd' : m.owner === 'ns.tcp.client_context' ? 'ctxt' : m.owner === 'ns.logger' ? 'ns.logger' : m.owner;
  return m.kind === 'method' ? `${receiver}:${memberName(m)}(${args.join(', ')})` : `${m.path}(${args.join(', ')})`;
}

const CALLABLE = API_MEMBERS.filter((m) => (m.kind === 'method' || m.kind === 'function') && m.owner !== 'ns.tcp.server_context');

for (const member of CALLABLE) {
  test(`${member.path} accepts the argument kinds the catalog gives, and the runtime checks refuse other kinds`, async () => {
    // ns.pipe's source is the input context; every other processing-context argument is a destination.
    const args = (member.params ?? []).map((p) => (p.oneOf ? `"${p.oneOf[0]}"` : p.name === 'src' ? 'ctxt.input' : VALUE_OF[p.type] ?? 'nil'));
    const ext = await loadInline(`function client.on_data(ctxt, payload)\n  local d = payload.data\n  ${callOf(member, args)}\nend`);
    const r = connect(ext).onClientData(Uint8Array.of(0x61, 0x62));
    assert.equal(r.error, null, `${callOf(member, args)}: ${r.error?.message}`);
    ext.dispose();
    for (const [i, param] of (member.params ?? []).entries()) {
      const wrong = WRONG_FOR[param.type];
      if (!wrong) continue;
      const bad = [...args];
      bad[i] = wrong;
      const ext2 = await loadInline(`function client.on_data(ctxt, payload)\n  local d = payload.data\n  ${callOf(member, bad)}\nend`);
      const r2 = connect(ext2).onClientData(Uint8Array.of(0x61, 0x62));
      // api: our own check; runtime: Lua's (a stream method is string.byte/sub/find underneath)
      assert.ok(r2.error?.kind === 'api' || r2.error?.kind === 'runtime', `${callOf(member, bad)} is refused`);
      assert.equal(r2.error.line, 3, r2.error.message);
      ext2.dispose();
    }
  });
}
