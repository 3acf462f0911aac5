// `npm run bench:engine`: on_data cost of examples/mqtt.lua on a ~40-byte CONNECT, fresh-state and openConnection costs, as one table.
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import mqttPacket from 'mqtt-packet';
import { LuaEngine } from '../../runtime/lua/luaEngine';
import { newSandboxedState } from '../../runtime/lua/sandbox';
import { LoadedExtension, loadExtension } from '../../runtime/ns/loadExtension';
import { DEFAULT_LIMITS, type ConnectionInfo } from '../../runtime/ns/types';
import { EXTENSION_SANDBOX } from '../../runtime/ns/extensionSandbox';

/** One line of the table. Other benches (the reference decoder) add rows through `extraRowsModule` below. */
export interface BenchRow {
  name: string;
  iterations: number;
  /** Runs the measured work once. */
  run(): void;
}

export interface BenchResult {
  name: string;
  iterations: number;
  callsPerSecond: number;
  microsPerCall: number;
  cpuMicrosPerCall: number;
}

/**
 * Warms up, then times `iterations` runs, best of three. CPU time of this process is reported beside
 * wall time: on a shared 2-core machine it is the steadier of the two.
 */
export function measure(row: BenchRow): BenchResult {
  for (let i = 0; i < Math.min(row.iterations, 2000); i++) row.run();
  let bestWall = Number.POSITIVE_INFINITY;
  let bestCpu = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < row.iterations; i++) row.run();
    bestWall = Math.min(bestWall, Number(process.hrtime.bigint() - start) / 1e3);
    const used = process.cpuUsage(cpu);
    bestCpu = Math.min(bestCpu, used.user + used.system);
  }
  const micros = bestWall / row.iterations;
  return { name: row.name, iterations: row.iterations, callsPerSecond: Math.round(1e6 / micros), microsPerCall: micros, cpuMicrosPerCall: bestCpu / row.iterations };
}

export function printTable(results: readonly BenchResult[]): void {
  const width = Math.max(...results.map((r) => r.name.length));
  console.log(`${'measure'.padEnd(width)}  ${'calls/s'.padStart(10)}  ${'us/call'.padStart(9)}  ${'cpu us'.padStart(8)}  iterations`);
  for (const r of results) {
    console.log(`${r.name.padEnd(width)}  ${String(r.callsPerSecond).padStart(10)}  ${r.microsPerCall.toFixed(2).padStart(9)}  ${r.cpuMicrosPerCall.toFixed(2).padStart(8)}  ${r.iterations}`);
  }
}

const INFO: ConnectionInfo = {
  client: { ip: '127.0.0.1', port: 50000, localIp: '127.0.0.1', localPort: 1883 },
  vserver: { name: 'mqtt_vs', params: {} },
};

/** A mosquitto-like v5 CONNECT (Receive Maximum property) of about 40 bytes. */
export const BENCH_CONNECT: Uint8Array = mqttPacket.generate({
  cmd: 'connect', protocolId: 'MQTT', protocolVersion: 5, clean: true, keepalive: 60,
  clientId: 'sensor-0042-eu-west', properties: { receiveMaximum: 20 },
});

/** A 64 KiB-class read of syslog: 512 LF-terminated lines of 128 bytes, as `logger --tcp` sends them. */
export const BENCH_SYSLOG_READ: Uint8Array = new TextEncoder().encode(
  Array.from({ length: 512 }, (_, i) => `<13>Dec  4 16:00:00 host app: message ${String(i).padStart(6, '0')} ${'x'.repeat(82)}\n`).join(''),
);

export async function engineRows(): Promise<BenchRow[]> {
  const file = join('examples', 'mqtt.lua');
  const source = readFileSync(file, 'utf8');
  const ext = await loadExtension(source, file);
  const syslogFile = join('examples', 'syslog.lua');
  const syslog = await loadExtension(readFileSync(syslogFile, 'utf8'), syslogFile);
  const syslogCtxt = syslog.newContext(0, true, INFO, false);
  const split = syslog.deliver(0, syslogCtxt, true, BENCH_SYSLOG_READ, INFO, undefined);
  if (split.error || split.actions.length !== 512) throw new Error(`syslog bench script misbehaves: ${JSON.stringify(split.error)}, ${split.actions.length} sends`);
  const engine = await LuaEngine.shared();
  const ctxtRef = ext.newContext(0, true, INFO, false);
  const check = ext.deliver(0, ctxtRef, true, BENCH_CONNECT, INFO, undefined);
  if (check.error || check.actions.length !== 2) throw new Error(`bench script misbehaves: ${JSON.stringify(check.error)}`);
  return [
    { name: `on_data, examples/mqtt.lua, ${BENCH_CONNECT.length}-byte CONNECT`, iterations: 100_000, run: () => { ext.deliver(0, ctxtRef, true, BENCH_CONNECT, INFO, undefined); } },
    { name: 'on_data with read recording (debugger)', iterations: 50_000, run: () => { ext.deliver(0, ctxtRef, true, BENCH_CONNECT, INFO, { onRead: () => undefined }); } },
    { name: 'openConnection + first on_data + dispose', iterations: 50_000, run: () => { const c = ext.openConnection(INFO); c.onClientData(BENCH_CONNECT); c.dispose(); } },
    { name: 'on_data, examples/syslog.lua, 512 lines (us/call / 512 = per message)', iterations: 300, run: () => { syslog.deliver(0, syslogCtxt, true, BENCH_SYSLOG_READ, INFO, undefined); } },
    { name: 'openConnection + dispose (ctxt is lazy)', iterations: 200_000, run: () => { ext.openConnection(INFO).dispose(); } },
    { name: 'fresh sandboxed state (libs + sandbox)', iterations: 300, run: () => { newSandboxedState(engine, 16 << 20, EXTENSION_SANDBOX).close(); } },
    { name: 'fresh state + ns prelude + load mqtt.lua', iterations: 200, run: () => { LoadedExtension.create(engine, source, file, DEFAULT_LIMITS).dispose(); } },
  ];
}

/** Hook for other benches: a module beside this one exporting `benchRows(): BenchRow[] | Promise<BenchRow[]>` adds its rows. */
const extraRowsModule = join(__dirname, 'decoderBenchRows.js');

async function main(): Promise<void> {
  const rows = await engineRows();
  if (existsSync(extraRowsModule)) {
    const extra = (await import(extraRowsModule)) as { benchRows(): BenchRow[] | Promise<BenchRow[]> };
    rows.push(...(await extra.benchRows()));
  }
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
  printTable(rows.map(measure));
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
