// The LB's node flags (runtime/cli/lbNodeFlags.ts) are the ones `npm start` uses too: one list, kept in step.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LB_NODE_FLAGS } from '../../../runtime/cli/lbNodeFlags';

const REPO = join(__dirname, '..', '..', '..', '..');

test('npm start runs `run` with exactly the LB node flags', () => {
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const m = /node ((?:--\S+ )*)dist\/cli\.js run/.exec(pkg.scripts.start);
  assert.ok(m, `start script: ${pkg.scripts.start}`);
  assert.deepEqual(m[1].trim().split(' ').filter(Boolean), [...LB_NODE_FLAGS]);
});

test('every flag is one node accepts', () => {
  const r = spawnSync(process.execPath, [...LB_NODE_FLAGS, '-e', 'process.exit(0)'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
