// examples/syslog.lua against the reference framing over 3,000 mutated and randomly chunked syslog deliveries: it never disagrees, never crashes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { judgeRun } from '../../../runtime/cli/checkJudge';
import { runFirstFlight } from '../../../runtime/cli/firstFlight';
import { loadExtension } from '../../../runtime/ns/loadExtension';
import { PROTOCOLS } from '../../../runtime/protocols';
import { Prng } from '../mqtt/prng';

const SYSLOG = PROTOCOLS.syslog;
const ALPHABET = [...Buffer.from('<>0123456789 -[]"\n')];

test('3,000 mutated deliveries in random chunks: examples/syslog.lua agrees with RFC 6587 framing on every one', { timeout: 120_000 }, async () => {
  const ext = await loadExtension(readFileSync('examples/syslog.lua', 'utf8'), 'examples/syslog.lua');
  const rng = new Prng(0x1e0f);
  const corpus = SYSLOG.corpus();
  const kinds = { messages: 0, held: 0, invalid: 0 };
  try {
    for (let i = 0; i < 3000; i++) {
      let bytes = Buffer.concat(Array.from({ length: rng.int(1, 3) }, () => rng.pick(corpus).bytes));
      const op = rng.int(0, 3);
      if (op === 0) for (let k = rng.int(1, 3); k > 0; k--) bytes[rng.int(0, bytes.length - 1)] = rng.pick(ALPHABET);
      else if (op === 1) bytes = bytes.subarray(0, rng.int(1, bytes.length));
      else if (op === 2) bytes = Buffer.concat([bytes.subarray(0, rng.int(0, bytes.length)), Buffer.from([rng.pick(ALPHABET)]), bytes]);
      if (bytes.length === 0) continue;
      const deliveries: Uint8Array[] = [];
      for (let at = 0; at < bytes.length;) {
        const size = rng.int(1, 64);
        deliveries.push(bytes.subarray(at, at + size));
        at += size;
      }
      const expect = SYSLOG.expectation(bytes)!;
      const j = judgeRun(runFirstFlight(ext, deliveries), expect);
      assert.ok(j.agree, `input ${i} (${bytes.toString('hex')}) in ${deliveries.length} deliveries: expected ${j.expected}, got ${j.got}: ${j.why}`);
      if (expect.kind === 'messages') kinds[expect.invalid ? 'invalid' : expect.heldBytes > 0 ? 'held' : 'messages']++;
    }
  } finally {
    ext.dispose();
  }
  assert.ok(kinds.messages > 100 && kinds.held > 100 && kinds.invalid > 10, JSON.stringify(kinds));
});
