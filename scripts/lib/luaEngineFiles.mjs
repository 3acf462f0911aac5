// The committed Lua 5.2.4 engine (runtime/lua/wasm): its files, their recorded provenance, and the checks against it.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ENGINE_FILES = ['lua52.js', 'lua52.wasm'];
/** Committed, so a contributor with only Node and npm has the same engine; PROVENANCE.json says what built it. */
export const ENGINE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'runtime', 'lua', 'wasm');
const PROVENANCE = join(ENGINE_DIR, 'PROVENANCE.json');

export function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export function readProvenance() {
  return JSON.parse(readFileSync(PROVENANCE, 'utf8'));
}

/** The committed files as the provenance records them; returns the problems (empty when all is well). */
export function verifyCommitted() {
  if (!existsSync(PROVENANCE)) return [`${PROVENANCE} is missing`];
  const recorded = readProvenance().files;
  const problems = [];
  for (const f of ENGINE_FILES) {
    const file = join(ENGINE_DIR, f);
    if (!existsSync(file)) problems.push(`${file} is missing`);
    else if (sha256(file) !== recorded[f]?.sha256) problems.push(`${file} has sha256 ${sha256(file)}, PROVENANCE.json records ${recorded[f]?.sha256}`);
  }
  return problems;
}

/** Files of a fresh build (in `dir`) whose bytes differ from the committed ones. */
export function differingFrom(dir) {
  return ENGINE_FILES.filter((f) => !existsSync(join(ENGINE_DIR, f)) || sha256(join(dir, f)) !== sha256(join(ENGINE_DIR, f)));
}

/** Replaces the committed engine with a build's output and records how it was made. */
export function commitBuild(dir, provenance) {
  for (const f of ENGINE_FILES) copyFileSync(join(dir, f), join(ENGINE_DIR, f));
  const files = Object.fromEntries(ENGINE_FILES.map((f) => [f, { sha256: sha256(join(ENGINE_DIR, f)), bytes: readFileSync(join(ENGINE_DIR, f)).length }]));
  writeFileSync(PROVENANCE, `${JSON.stringify({ ...provenance, files }, null, 2)}\n`);
}
