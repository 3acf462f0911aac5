// Reads a V8 .cpuprofile (node --cpu-prof) and lists where the samples fall: self time per function, the table that guides optimisation.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
}

export interface HotFunction {
  name: string;
  /** Share of all samples (idle included) spent in the function itself. */
  selfPercent: number;
  selfSamples: number;
}

export function shortUrl(url: string): string {
  const i = Math.max(url.lastIndexOf('/runtime/'), url.lastIndexOf('/node_modules/'), url.lastIndexOf('/dist/'));
  return i >= 0 ? url.slice(i + 1) : url.replace(/^node:/, '');
}

/** Self samples grouped by function and location, most first; `(idle)` and `(program)` stay visible as their own rows. */
export function hotFunctions(profile: CpuProfile, top = 25): HotFunction[] {
  const bySite = new Map<string, number>();
  let total = 0;
  for (const n of profile.nodes) {
    const hits = n.hitCount ?? 0;
    if (hits === 0) continue;
    total += hits;
    const f = n.callFrame;
    const site = f.url ? `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}:${f.lineNumber + 1}` : f.functionName;
    bySite.set(site, (bySite.get(site) ?? 0) + hits);
  }
  return [...bySite]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, selfSamples]) => ({ name, selfSamples, selfPercent: total === 0 ? 0 : (100 * selfSamples) / total }));
}
