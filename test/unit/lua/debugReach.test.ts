// What the debugger builds on: a line hook that reads lua_getinfo and locals (lua_getlocal) mid-callback, and the engine inside a worker_thread.
import test from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { LUA_HOOKLINE, LUA_MASKLINE } from '../../../runtime/lua/luaConstants';
import { sandbox, value, evalIn } from './evalLua';

test('a line hook sees each line and the locals of the running frame, and can be removed', async () => {
  const state = await sandbox();
  const lua = state.lua;
  const what = lua.allocateUTF8('Sl');
  const seen: string[] = [];
  state.setDebugHook((L, ar, event) => {
    if (event !== LUA_HOOKLINE) return;
    lua._lua_getinfo(L, what, ar);
    const info = state.engine.readDebugRecord(ar);
    if (info.shortSrc !== 'hooked.lua') return;
    const locals: string[] = [];
    for (let n = 1; ; n++) {
      const name = lua._lua_getlocal(L, ar, n);
      if (name === 0) break;
      const local = lua.UTF8ToString(name);
      // "(*temporary)" slots are the VM's scratch registers, not the script's locals.
      if (!local.startsWith('(')) locals.push(`${local}=${state.toDisplayString(-1, L)}`);
      lua._lua_settop(L, -2);
    }
    seen.push(`${info.currentLine}:${locals.join(',')}`);
  }, LUA_MASKLINE);
  assert.equal(value(evalIn(state, 'local a = 1\nlocal b = a + 1\nreturn a + b', '@hooked.lua')), '3');
  assert.deepEqual(seen, ['1:', '2:a=1', '3:a=1,b=2']);
  state.setDebugHook(null);
  seen.length = 0;
  assert.equal(value(evalIn(state, 'local a = 1\nreturn a', '@hooked.lua')), '1');
  assert.deepEqual(seen, []);
  lua._free(what);
  state.close();
});

test('the engine loads and runs a script inside a worker_thread', async () => {
  const loader = join(__dirname, '..', '..', '..', 'runtime', 'ns', 'loadExtension.js');
  const code = `
    const { parentPort } = require('node:worker_threads');
    const { loadExtension } = require(${JSON.stringify(loader)});
    loadExtension('function client.on_data(c, p) ns.send(c.output, "DATA", {data = p.data, user_token = p.data:sub(2, 3)}) end', 'w.lua')
      .then((ext) => {
        const r = ext.openConnection({ client: { ip: '', port: 0, localIp: '', localPort: 0 }, vserver: { name: '', params: {} } }).onClientData(Buffer.from('xyz'));
        parentPort.postMessage(Buffer.from(r.actions[0].userToken).toString());
      });`;
  const worker = new Worker(code, { eval: true });
  const token = await new Promise<string>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.equal(token, 'yz');
});
