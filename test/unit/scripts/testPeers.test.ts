// The test runner skips (outside CI) an integration file whose declared real peers are missing, and runs the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

interface TestPeers {
  declaredPeers(compiled: string): string[];
  partitionByPeers(files: string[], find: (tool: string) => boolean): { run: string[]; skipped: { file: string; missing: string[] }[] };
}

test('integration files declare their peers, and a missing peer skips exactly the files that need it', async () => {
  const m = (await import(pathToFileURL(resolve('scripts/lib/testPeers.mjs')).href)) as TestPeers;
  const haproxy = 'out/test/integration/exportHaproxy.test.js';
  const sandbox = 'out/test/integration/securitySandbox.test.js';
  const versions = 'out/test/integration/lbVersions.test.js';
  assert.deepEqual(m.declaredPeers(haproxy), ['mosquitto', 'haproxy']);
  assert.deepEqual(m.declaredPeers(sandbox), []);
  const { run, skipped } = m.partitionByPeers([haproxy, sandbox, versions], (tool) => tool !== 'haproxy');
  assert.deepEqual(run, [sandbox, versions]);
  assert.deepEqual(skipped, [{ file: haproxy, missing: ['haproxy'] }]);
});
