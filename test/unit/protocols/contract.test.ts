// Every registered protocol keeps the interface's promises: presets the reference accepts, framing iff message-based, a corpus its own reference agrees with, a sample that exists.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { BACKEND_KINDS } from '../../../runtime/cli/brokers/backendKinds';
import { PROTOCOLS, PROTOCOL_NAMES, parseProtocolName } from '../../../runtime/protocols';

const EXAMPLES = resolve(__dirname, '..', '..', '..', '..', 'examples');

for (const name of PROTOCOL_NAMES) {
  const p = PROTOCOLS[name];
  test(`${name}: names, defaults and registry agree`, () => {
    assert.equal(p.name, name);
    assert.equal(parseProtocolName(name.toUpperCase()), name);
    assert.ok(existsSync(resolve(EXAMPLES, p.defaults.extension)), `examples/${p.defaults.extension}`);
    assert.equal(p.defaults.backendKinds[0], 'auto');
    assert.ok(p.defaults.backendKinds.every((k) => (BACKEND_KINDS as readonly string[]).includes(k)));
    assert.equal(new Set([1, 2, 3].map(p.defaults.serviceName)).size, 3);
    assert.equal(p.defaults.listen.host, '127.0.0.1');
    assert.ok(p.tryIt('127.0.0.1', 4242, { method: p.defaults.lbMethod, serviceIds: ['a', 'b'], versions: [] }).every((line) => line.includes('4242')));
  });

  // Presets include deliberately partial and malformed traffic (a half message, a bad remaining length) to debug with;
  // the first one is what a launch without a packet runs, so it must be clean.
  test(`${name}: ${p.balancing}-based, so framing ${p.balancing === 'message' ? 'cuts messages' : 'is absent'}; the default preset passes the reference`, () => {
    assert.equal(p.frame !== null, p.balancing === 'message');
    assert.equal(p.decode === null, p.corpus().length === 0, 'a reference decoder comes with a corpus');
    const presets = p.presets();
    assert.ok(presets.length > 0 || p.decode === null, 'a protocol with a decoder offers presets');
    for (const preset of presets) {
      assert.ok(preset.bytes.length > 0, preset.name);
      assert.equal(new Set(presets.map((x) => x.name)).size, presets.length, 'preset names are unique');
    }
    const first = presets[0];
    if (first && p.decode) assert.equal(p.decode(first.bytes).status, 'ok', first.name);
    if (first && p.frame) {
      const expect = p.expectation(first.bytes);
      assert.ok(expect?.kind === 'messages' && expect.messages.length > 0 && !expect.invalid, first.name);
    }
  });

  test(`${name}: the corpus's expectations are the reference's own for each case`, () => {
    for (const c of p.corpus()) {
      const own = p.expectation(c.bytes);
      if (c.expect.kind === 'reject' && own?.kind === 'reject') assert.equal(own.code, c.expect.code, c.name);
      else assert.deepEqual(own, c.expect, c.name);
      assert.equal(c.version, p.versionOf(c.bytes) ?? c.version, c.name);
    }
  });
}
