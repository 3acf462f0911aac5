// Preloaded into the runtime by profileRuntime.js with PROFILE_HEAP=1 (`node --require`): V8's sampling heap profiler,
// counting garbage too, started on SIGUSR2 (after the warm-up round) and written to PROFILE_HEAP_FILE at exit.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

/**
 * Why garbage too: what makes scavenges frequent is what a connection allocates and drops, which `node --heap-prof`
 * leaves out (it keeps only what is still alive at exit). The inspector's sampler can keep collected objects.
 */
const file = process.env.PROFILE_HEAP_FILE;
if (file) {
  const session = new Session();
  session.connect();
  session.post('HeapProfiler.enable');
  const interval = Number(process.env.PROFILE_HEAP_INTERVAL ?? 256);
  let sampling = false;
  process.on('SIGUSR2', () => {
    if (sampling) return;
    sampling = true;
    session.post('HeapProfiler.startSampling', { samplingInterval: interval, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  });
  process.on('exit', () => {
    if (!sampling) return;
    // The in-process session answers synchronously, so the profile is written before the process ends.
    session.post('HeapProfiler.stopSampling', (err, result) => {
      writeFileSync(file, JSON.stringify(err ? { error: err.message } : result.profile));
    });
  });
}
