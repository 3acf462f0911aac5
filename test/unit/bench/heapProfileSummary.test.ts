// heapProfileSummary: bytes per allocating function, summed over every place it appears in the call tree.
import test from 'node:test';
import assert from 'node:assert/strict';
import { allocationSites, type HeapProfileNode } from '../../bench/lb/heapProfileSummary';

function node(functionName: string, url: string, line: number, selfSize: number, children: HeapProfileNode[] = []): HeapProfileNode {
  return { callFrame: { functionName, url, lineNumber: line - 1 }, selfSize, children };
}

test('self bytes are grouped by function and location, most first; callers without own bytes are not listed', () => {
  const cli = 'file:///work/main/dist/cli.js';
  const profile = {
    head: node('(root)', '', 0, 0, [
      node('accept', cli, 10, 0, [node('pick', cli, 40, 300), node('', cli, 7, 20)]),
      node('onRawRead', cli, 90, 100, [node('pick', cli, 40, 50)]),
      node('(V8 API)', '', 0, 80),
    ]),
  };
  const { total, sites } = allocationSites(profile);
  assert.equal(total, 550);
  assert.deepEqual(sites, [
    { name: 'pick dist/cli.js:40', bytes: 350 },
    { name: 'onRawRead dist/cli.js:90', bytes: 100 },
    { name: '(V8 API)', bytes: 80 },
    { name: '(anonymous) dist/cli.js:7', bytes: 20 },
  ]);
});

test('top limits the list, not the total', () => {
  const profile = { head: node('(root)', '', 0, 0, [node('a', 'node:buffer', 1, 5), node('b', 'node:buffer', 2, 7)]) };
  const { total, sites } = allocationSites(profile, 1);
  assert.equal(total, 12);
  assert.deepEqual(sites, [{ name: 'b buffer:2', bytes: 7 }]);
});
