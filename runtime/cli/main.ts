#!/usr/bin/env node
// The `protoext-lb` command: dispatches subcommands (run, export here; simulate, check, meta join the table below).
import { checkCommand } from './checkCommand';
import { exportConfig } from './exportCommand';
import { metaCommand } from './metaCommand';
import { runCommand } from './runCommand';
import { lowerBackgroundThreadPriority } from '../platform/backgroundThreads';
import { parseRunArgs, RUN_USAGE } from './runOptions';
import { simulateCommand } from './simulateCommand';

export interface Subcommand {
  summary: string;
  /** Resolves with the exit code. */
  run(argv: string[]): Promise<number>;
}

/** The subcommand table: one entry per subcommand, each a thin adapter over its own module. */
export const SUBCOMMANDS: Record<string, Subcommand> = {
  run: {
    summary: 'run the local MQTT load balancer with a protocol extension',
    run: async (argv) => {
      // First, while V8's are the only other threads (backgroundThreads.ts says why).
      lowerBackgroundThreadPriority();
      const parsed = parseRunArgs(argv);
      if (parsed.help) return usage(0);
      return runCommand(parsed.config);
    },
  },
  export: {
    summary: 'print the NetScaler (ADC) batch or HAProxy config for the same settings',
    run: async (argv) => {
      const parsed = parseRunArgs(argv);
      if (parsed.help) return usage(0);
      if (!parsed.exportTarget) throw new Error('export: choose --netscaler or --haproxy');
      process.stdout.write(exportConfig(parsed.config, parsed.exportTarget));
      return 0;
    },
  },
  simulate: {
    summary: 'run the extension on one client first flight (no network): outcome, tokens, LB decision, reference verdict',
    run: (argv) => simulateCommand(argv),
  },
  check: {
    summary: 'run the extension over a CONNECT corpus; list where its user_token disagrees with the reference decoder',
    run: (argv) => checkCommand(argv),
  },
  meta: {
    summary: 'print the LuaLS ---@meta definition file of the ns API',
    run: (argv) => metaCommand(argv),
  },
};

function usage(code: number): number {
  const out = code === 0 ? process.stdout : process.stderr;
  out.write('usage: protoext-lb <command> [options]\n\ncommands:\n');
  for (const [name, cmd] of Object.entries(SUBCOMMANDS)) out.write(`  ${name.padEnd(9)} ${cmd.summary}\n`);
  out.write(`\n${RUN_USAGE}\n`);
  return code;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') return usage(name ? 0 : 1);
  const cmd = SUBCOMMANDS[name];
  if (!cmd) {
    process.stderr.write(`protoext-lb: unknown command "${name}"\n`);
    return usage(1);
  }
  try {
    return await cmd.run(rest);
  } catch (err) {
    process.stderr.write(`protoext-lb ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    // Flush stdout before exiting: piped output (jsonl, export) must not be cut short.
    process.stdout.write('', () => process.exit(code));
  });
}
