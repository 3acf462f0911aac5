// The lint doors of the protocol room: outside runtime/protocols/ only the registry is imported, protocols do not import each other, runtime/mqtt only from its adapter.
import test from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';

const REPO = resolve(__dirname, '..', '..', '..', '..');
const eslint = new ESLint({ cwd: REPO });

/** The restricted-import messages ESLint reports for `source` placed at `file`. */
async function doorsCrossed(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: resolve(REPO, file) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const CASES: [string, string, RegExp | null][] = [
  ['runtime/cli/probe.ts', "import { SYSLOG } from '../protocols/syslog';\nexport const x = SYSLOG;\n", /A protocol's folder is its own/],
  ['runtime/cli/probe.ts', "import { decodeConnect } from '../mqtt';\nexport const x = decodeConnect;\n", /runtime\/mqtt is MQTT's own/],
  ['runtime/proxy/probe.ts', "import { frameSyslog } from '../protocols/syslog/framing';\nexport const x = frameSyslog;\n", /A protocol's folder is its own/],
  ['runtime/protocols/syslog/probe.ts', "import { MQTT } from '../mqtt';\nexport const x = MQTT;\n", /Protocols do not import each other/],
  ['runtime/protocols/raw/probe.ts', "import { decodeConnect } from '../../mqtt';\nexport const x = decodeConnect;\n", /runtime\/mqtt is MQTT's own/],
  ['runtime/cli/probe.ts', "import { PROTOCOLS, twoFragmentSplits } from '../protocols';\nimport type { Protocol } from '../protocols/protocol';\nexport const x: [unknown, unknown, Protocol | null] = [PROTOCOLS, twoFragmentSplits, null];\n", null],
  ['runtime/protocols/mqtt/probe.ts', "import { decodeConnect } from '../../mqtt';\nexport const x = decodeConnect;\n", null],
  ['runtime/protocols/probe.ts', "import { SYSLOG } from './syslog';\nexport const x = SYSLOG;\n", null],
];

for (const [file, source, door] of CASES) {
  test(`${file}: ${source.split('\n')[0]} ${door ? 'is refused' : 'is allowed'}`, { timeout: 60_000 }, async () => {
    const messages = await doorsCrossed(file, source);
    if (door === null) assert.deepEqual(messages, []);
    else assert.ok(messages.some((m) => door.test(m)), messages.join(' | ') || 'no restricted-import error');
  });
}
