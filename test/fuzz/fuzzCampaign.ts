// A seeded fuzz campaign over the decoder and the bundled sample scripts: outcome figures, failures kept for test/regressions.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadExtension, type LoadedExtension } from '../../runtime/ns/loadExtension';
import { Prng } from '../unit/mqtt/prng';
import { checkDecoder, oracleDisagreement, runFlight, type FlightOutcome } from './firstFlightHost';
import { nextFirstFlight, type FirstFlight } from './firstFlightInputs';

/** The repository root, from out/test/fuzz. */
export const REPO = resolve(__dirname, '..', '..', '..');

export interface Sample {
  name: string;
  ext: LoadedExtension;
  /** Follows the MQTT spec, so the reference decoder is its oracle (the documented script misreads 5.0 on purpose). */
  specCompliant: boolean;
}

export async function loadSamples(): Promise<Sample[]> {
  const load = async (name: string, specCompliant: boolean): Promise<Sample> => {
    const file = join(REPO, 'examples', name);
    return { name, ext: await loadExtension(readFileSync(file, 'utf8'), `examples/${name}`), specCompliant };
  };
  return [await load('mqtt.lua', true), await load('mqtt-documented.lua', false)];
}

export interface FailedInput {
  index: number;
  sample: string;
  flight: FirstFlight;
  problems: string[];
}

export interface SampleFigures {
  outcomes: Record<FlightOutcome, number>;
  budgetStops: number;
  oracleDisagreements: number;
  maxMs: number;
  /** Lua heap of the shared state after the run (a leak shows as growth across runs). */
  heapBytes: number;
  liveConnections: number;
}

export interface CampaignFigures {
  seed: number;
  inputs: number;
  kinds: Record<FirstFlight['kind'], number>;
  samples: Record<string, SampleFigures>;
  crashes: number;
  hangs: number;
  failedInputs: number;
  seconds: number;
  inputsPerSecond: number;
}

export interface CampaignOptions {
  seed: number;
  inputs: number;
  /** Every failed input (violation or oracle disagreement) as it is found. */
  onFailure?: (failure: FailedInput) => void;
  /** Called every `progressEvery` inputs with the figures so far. */
  onProgress?: (figures: CampaignFigures) => void;
  progressEvery?: number;
}

const emptyOutcomes = (): Record<FlightOutcome, number> => ({ forwarded: 0, 'held-at-end': 0, reset: 0, closed: 0, dropped: 0 });

export function runCampaign(samples: readonly Sample[], options: CampaignOptions): CampaignFigures {
  const rng = new Prng(options.seed);
  const started = performance.now();
  const figures: CampaignFigures = {
    seed: options.seed, inputs: 0, kinds: { valid: 0, mutated: 0, random: 0 }, samples: {}, crashes: 0, hangs: 0, failedInputs: 0, seconds: 0, inputsPerSecond: 0,
  };
  for (const s of samples) {
    figures.samples[s.name] = { outcomes: emptyOutcomes(), budgetStops: 0, oracleDisagreements: 0, maxMs: 0, heapBytes: 0, liveConnections: 0 };
  }
  const snapshot = () => {
    figures.seconds = (performance.now() - started) / 1000;
    figures.inputsPerSecond = Math.round(figures.inputs / Math.max(figures.seconds, 1e-9));
    for (const s of samples) {
      figures.samples[s.name].heapBytes = s.ext.state.memory.used;
      figures.samples[s.name].liveConnections = s.ext.liveConnections;
    }
    return figures;
  };
  for (let i = 0; i < options.inputs; i++) {
    const flight = nextFirstFlight(rng);
    figures.inputs++;
    figures.kinds[flight.kind]++;
    const decoderProblems = checkDecoder(flight.chunks);
    let failed = decoderProblems.length > 0;
    if (failed) {
      figures.crashes++;
      options.onFailure?.({ index: i, sample: 'decoder', flight, problems: decoderProblems });
    }
    for (const s of samples) {
      const report = runFlight(s.ext, flight.chunks);
      const own = figures.samples[s.name];
      own.outcomes[report.outcome]++;
      if (report.budgetStopped) own.budgetStops++;
      own.maxMs = Math.max(own.maxMs, report.elapsedMs);
      const problems = [...report.violations];
      if (report.violations.some((v) => v.startsWith('hang'))) figures.hangs++;
      if (report.violations.some((v) => !v.startsWith('hang'))) figures.crashes++;
      if (s.specCompliant) {
        const disagreement = oracleDisagreement(report, flight.chunks);
        if (disagreement) {
          own.oracleDisagreements++;
          problems.push(`oracle: ${disagreement}`);
        }
      }
      if (problems.length > 0) {
        failed = true;
        options.onFailure?.({ index: i, sample: s.name, flight, problems });
      }
    }
    if (failed) figures.failedInputs++;
    if (options.onProgress && options.progressEvery && (i + 1) % options.progressEvery === 0) options.onProgress(snapshot());
  }
  return snapshot();
}
