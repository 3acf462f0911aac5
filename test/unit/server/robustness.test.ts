// Every feature survives half-typed and mangled scripts: random deletions/insertions over the examples never throw.
import test from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../../server/analysis/analyze';
import { completionsAt } from '../../../server/features/completion';
import { hoverMarkdown } from '../../../server/features/hover';
import { definitionOf, referencesOf } from '../../../server/features/navigation';
import { signatureHelpAt } from '../../../server/features/signatureHelp';
import { documentSymbols, foldingRanges } from '../../../server/features/symbols';
import { allFindings } from '../../../server/rules/index';
import { readRepoFile } from './lspSession';

/** Deterministic PRNG (mulberry32) so a failure names a reproducible seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['.', ':', '(', ')', '{', '}', '"', "'", '--[[', ']]', 'goto ', '::x::', 'end', 'local ', '~', '//', '>>', '&', '\n', 'ns.send(', 'ctxt:', 'data:', '日本'];

test('analysis, rules and every request survive 300 random mutations of the examples', () => {
  const sources = [readRepoFile('examples/mqtt.lua'), readRepoFile('examples/mqtt-documented.lua')];
  const next = random(20261126);
  let syntaxErrors = 0;
  for (let round = 0; round < 300; round++) {
    let text = sources[round % sources.length];
    for (let edit = 0; edit < 1 + Math.floor(next() * 4); edit++) {
      const at = Math.floor(next() * text.length);
      text = next() < 0.5
        ? text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 20))
        : text.slice(0, at) + PIECES[Math.floor(next() * PIECES.length)] + text.slice(at);
    }
    const analysis = analyzeText(text);
    if (analysis.syntaxError) syntaxErrors++;
    const findings = allFindings(analysis);
    for (const f of findings) assert.ok(f.span[0] >= 0 && f.span[1] <= text.length && f.span[0] <= f.span[1], `round ${round}: ${f.code} span ${f.span} in bounds of ${text.length}: ${f.message}`);
    const offset = Math.floor(next() * text.length);
    completionsAt(analysis, offset);
    hoverMarkdown(analysis, offset);
    signatureHelpAt(analysis, offset);
    definitionOf(analysis, offset);
    referencesOf(analysis, offset, true);
    documentSymbols(analysis, () => ({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }));
    const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((m) => (m.index ?? 0) + 1)];
    foldingRanges(analysis, (o) => lineStarts.filter((start) => start <= o).length - 1);
  }
  assert.ok(syntaxErrors > 50, `mutations produce syntax errors (${syntaxErrors})`);
});
