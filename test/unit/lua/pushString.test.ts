// Text pushed into the VM (the vserver's name, addresses, error messages): ASCII goes straight into wasm memory, anything else through TextEncoder; Lua must see the same bytes either way.
import test from 'node:test';
import assert from 'node:assert/strict';
import { sandbox } from './evalLua';

const CASES = ['', 'mqtt_vs', '127.0.0.1', '::ffff:10.0.0.1', 'a'.repeat(5000), 'café', 'ascii then €', '€ first', '\u{1F600} astral', 'nul\u0000inside'];

test('pushString gives Lua the UTF-8 bytes of the text, ASCII or not, short or longer than the scratch buffer', async () => {
  const L = await sandbox();
  for (const text of CASES) {
    L.pushString(text);
    const bytes = L.toBytes(-1);
    L.setTop(-2);
    assert.deepEqual(bytes, new Uint8Array(Buffer.from(text, 'utf8')), JSON.stringify(text.slice(0, 40)));
  }
  L.close();
});

test('an ASCII string pushed after a longer non-ASCII one is not mixed with its leftover bytes', async () => {
  const L = await sandbox();
  L.pushString('ü'.repeat(100));
  L.pushString('ab');
  assert.equal(Buffer.from(L.toBytes(-1) ?? []).toString('utf8'), 'ab');
  assert.equal(Buffer.from(L.toBytes(-2) ?? []).toString('utf8'), 'ü'.repeat(100));
  L.setTop(-3);
  L.close();
});
