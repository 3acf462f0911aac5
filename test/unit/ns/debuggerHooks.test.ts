// The engine's optional hooks for the debugger: live actions, a stop on error() before the stack unwinds, a hook over the main chunk.
import test from 'node:test';
import assert from 'node:assert/strict';
import { LUA_HOOKLINE, LUA_MASKLINE, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS } from '../../../runtime/lua/luaConstants';
import { loadExtension, type LoadedExtension } from '../../../runtime/ns/loadExtension';
import type { ObservedAction } from '../../../runtime/ns/types';
import { connect, loadInline } from './nsHarness';

/** A global of the script as text, read from the host while a callback may be running (raw: no metamethod runs). */
function globalText(ext: LoadedExtension, name: string): string {
  const { state } = ext;
  const top = state.top();
  state.lua._lua_rawgeti(state.L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
  state.pushString(name);
  state.lua._lua_rawget(state.L, -2);
  const text = state.toDisplayString(-1);
  state.setTop(top);
  return text;
}

test('the action observer sees ns.send, ctxt:hold, ns.pipe and ctxt:close while on_data still runs', async () => {
  const ext = await loadInline(`
    function client.on_data(ctxt, payload)
      marker = "before " .. payload.data:len()
      if payload.data:len() < 3 then ctxt:hold(payload.data) return end
      ns.send(ctxt.output, "DATA", {data = payload.data, user_token = "t"})
      marker = "after send"
      ns.pipe(ctxt.input, ctxt.output)
      marker = "after pipe"
      ctxt:close()
      marker = "after close"
    end`);
  const seen: string[] = [];
  const conn = connect(ext, {
    actionObserver: {
      onAction: (a: ObservedAction) => {
        // The marker each action sees is the one set just before it: the observer runs inside the callback, not after it.
        seen.push(`${a.kind}${a.kind === 'send' ? `:${Buffer.from(a.userToken ?? []).toString()}` : ''} @ ${globalText(ext, 'marker')}`);
      },
    },
  });
  assert.equal(conn.onClientData(Buffer.from('ab')).held, true);
  const result = conn.onClientData(Buffer.from('c'));
  assert.deepEqual(seen, ['hold @ before 2', 'send:t @ before 3', 'pipe @ after send', 'close @ after pipe']);
  assert.equal(globalText(ext, 'marker'), 'after close', 'the callback ran to its end');
  assert.deepEqual(result.actions.map((a) => a.kind), ['send', 'pipe', 'close']);
  conn.dispose();
  ext.dispose();
});

test('the error hook runs before the stack unwinds: the failing frame and its locals are still there', async () => {
  const ext = await loadInline(`
    function client.on_data(ctxt, payload)
      local clientID = "abc"
      error("bad packet")
    end`);
  const lua = ext.state.lua;
  const ar = lua._malloc(256);
  const locals: string[] = [];
  let message = '';
  ext.state.errorHook = (L) => {
    message = ext.state.toDisplayString(1, L);
    for (let level = 0; lua._lua_getstack(L, level, ar) !== 0; level++) {
      for (let n = 1; ; n++) {
        const name = lua._lua_getlocal(L, ar, n);
        if (name === 0) break;
        locals.push(`${level}:${lua.UTF8ToString(name)}=${ext.state.toDisplayString(-1, L)}`);
        lua._lua_settop(L, -2);
      }
    }
  };
  const result = connect(ext).onClientData(Buffer.from('x'));
  assert.match(message, /inline\.lua:4: bad packet/);
  assert.ok(locals.some((l) => /:clientID=abc$/.test(l)), locals.join(' '));
  assert.equal(result.error?.line, 4);
  lua._free(ar);
  ext.dispose();
});

test('beforeMainChunk installs a line hook that sees the top-level lines of the script', async () => {
  const lines: number[] = [];
  const ext = await loadExtension('local a = 1\nlocal b = a + 1\nfunction client.on_data() end\n', 'top.lua', {
    beforeMainChunk: (loaded) => {
      const what = loaded.state.lua.allocateUTF8('Sl');
      loaded.state.setDebugHook((L, ar, event) => {
        if (event !== LUA_HOOKLINE) return;
        loaded.state.lua._lua_getinfo(L, what, ar);
        const info = loaded.state.engine.readDebugRecord(ar);
        if (info.source === '@top.lua') lines.push(info.currentLine);
      }, LUA_MASKLINE);
    },
  });
  assert.deepEqual([...new Set(lines)], [1, 2, 3]);
  assert.equal(ext.hasClientOnData, true);
  ext.dispose();
});
