// test/regressions/*.hex: first flights that once failed (or sit on an edge), one delivery per hex line, `#` lines say why.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FailedInput } from './fuzzCampaign';
import { REPO } from './fuzzCampaign';

export const REGRESSIONS_DIR = join(REPO, 'test', 'regressions');

export interface RegressionCase {
  name: string;
  comments: string[];
  chunks: Uint8Array[];
}

export function parseRegression(name: string, text: string): RegressionCase {
  const comments: string[] = [];
  const chunks: Uint8Array[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#')) comments.push(line.slice(1).trim());
    else if (line.length > 0) {
      const digits = line.replace(/[\s:]/g, '');
      if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`${name}: not hex: ${line}`);
      chunks.push(Uint8Array.from(Buffer.from(digits, 'hex')));
    }
  }
  return { name, comments, chunks };
}

export function readRegressions(dir = REGRESSIONS_DIR): RegressionCase[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.hex'))
    .sort()
    .map((f) => parseRegression(f, readFileSync(join(dir, f), 'utf8')));
}

/** Writes a failed input as a regression file named by seed and index; returns its path. */
export function saveRegression(failure: FailedInput, seed: number, dir = REGRESSIONS_DIR): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `fuzz-${seed.toString(16)}-${failure.index}.hex`);
  const lines = [
    `# found by npm run fuzz (seed 0x${seed.toString(16)}, input ${failure.index}, ${failure.flight.kind}${failure.flight.mutation ? ` ${failure.flight.mutation}` : ''}) on ${failure.sample}`,
    ...failure.problems.map((p) => `# ${p.replace(/\n/g, ' ')}`),
    ...failure.flight.chunks.map((c) => Buffer.from(c).toString('hex')),
    '',
  ];
  writeFileSync(file, lines.join('\n'));
  return file;
}
