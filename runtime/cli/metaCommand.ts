// `protoext-lb meta`: the LuaLS `---@meta` definition file of the ns API, generated from the one catalog, to stdout or a file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateLuaMeta } from '../ns/luaMetaGenerator';
import { CliUsageError, displayPath } from './scriptFile';

export const META_USAGE = `protoext-lb meta [--out FILE]
  Prints the LuaLS ---@meta definition file of the ns API (or writes it to FILE): put it in a folder listed in
  the Lua extension's "Lua.workspace.library" for completion in editors other than this one.`;

export async function metaCommand(argv: readonly string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({ args: [...argv], options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new CliUsageError(`${err instanceof Error ? err.message : String(err)}\n${META_USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${META_USAGE}\n`);
    return 0;
  }
  const text = generateLuaMeta();
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (values.out === undefined) {
    process.stdout.write(body);
    return 0;
  }
  const out = resolve(values.out);
  try {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, body);
  } catch (err) {
    throw new CliUsageError(`cannot write ${displayPath(out)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  process.stderr.write(`wrote ${displayPath(out)} (${body.length} bytes)\n`);
  return 0;
}
