// Code lenses name the workspace protocol the client describes (initialization, then the protoext/protocol notification); raw has no corpus lens.
import test from 'node:test';
import assert from 'node:assert/strict';
import type { CodeLens } from 'vscode-languageserver/node';
import { analyzeText } from '../../../server/analysis/analyze';
import { codeLenses, lensProtocolOf } from '../../../server/features/codeLens';

const SCRIPT = 'function client.on_data(ctxt, payload)\n  ns.pipe(ctxt.input, ctxt.output)\nend\n';
const range = () => ({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
const titles = (lenses: CodeLens[]) => lenses.map((l) => l.command?.title);

test('the lenses name the protocol; a protocol without a corpus gets no check lens', () => {
  const analysis = analyzeText(SCRIPT);
  assert.deepEqual(titles(codeLenses(analysis, 'file:///w/s.lua', range, { title: 'syslog', hasCorpus: true })), ['Debug first flight (syslog)', 'Check against syslog corpus']);
  assert.deepEqual(titles(codeLenses(analysis, 'file:///w/s.lua', range, { title: 'raw TCP', hasCorpus: false })), ['Debug first flight (raw TCP)']);
  assert.deepEqual(titles(codeLenses(analysis, 'file:///w/s.lua', range, null)), ['Debug first flight', 'Check against corpus']);
});

test('only a well-formed protocol description is taken', () => {
  assert.deepEqual(lensProtocolOf({ title: 'MQTT', hasCorpus: true }), { title: 'MQTT', hasCorpus: true });
  assert.equal(lensProtocolOf({ title: 3 }), null);
  assert.equal(lensProtocolOf(undefined), null);
});
