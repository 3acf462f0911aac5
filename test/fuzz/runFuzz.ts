// `npm run fuzz [-- --inputs N --seed S --save]`: the long first-flight fuzz run; prints figures, exits 1 on any crash, hang or failed input.
import { loadSamples, runCampaign, type CampaignFigures } from './fuzzCampaign';
import { saveRegression } from './regressionCases';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v)) throw new Error(`--${name} needs a number`);
  return v;
}

function summary(f: CampaignFigures): string {
  const lines = [
    `inputs tried: ${f.inputs} (valid ${f.kinds.valid}, mutated ${f.kinds.mutated}, random ${f.kinds.random}; seed 0x${f.seed.toString(16)})`,
    ...Object.entries(f.samples).map(([name, s]) => {
      const o = s.outcomes;
      return `  ${name}: forwarded ${o.forwarded}, held-at-end ${o['held-at-end']}, reset ${o.reset} (budget ${s.budgetStops}), closed ${o.closed}, dropped ${o.dropped}; oracle disagreements ${s.oracleDisagreements}; slowest ${s.maxMs.toFixed(1)} ms; Lua heap ${s.heapBytes} B; live contexts ${s.liveConnections}`;
    }),
    `crashes: ${f.crashes}, hangs: ${f.hangs}, failed inputs: ${f.failedInputs}`,
    `${f.seconds.toFixed(1)} s, ${f.inputsPerSecond} inputs/s (each through the decoder and ${Object.keys(f.samples).length} scripts)`,
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const inputs = flag('inputs', 1_000_000);
  const seed = flag('seed', 0x5eed2026);
  const save = process.argv.includes('--save');
  const samples = await loadSamples();
  let saved = 0;
  const figures = runCampaign(samples, {
    seed,
    inputs,
    progressEvery: 100_000,
    onProgress: (f) => console.log(`... ${f.inputs} inputs, ${f.inputsPerSecond}/s, crashes ${f.crashes}, hangs ${f.hangs}, failed ${f.failedInputs}`),
    onFailure: (failure) => {
      console.log(`FAILED input ${failure.index} on ${failure.sample}: ${failure.problems.join(' | ')}`);
      if (save && saved < 50) {
        console.log(`  saved ${saveRegression(failure, seed)}`);
        saved++;
      }
    },
  });
  console.log(summary(figures));
  console.log(JSON.stringify(figures));
  for (const s of samples) s.ext.dispose();
  process.exitCode = figures.crashes === 0 && figures.hangs === 0 && figures.failedInputs === 0 ? 0 : 1;
}

void main();
