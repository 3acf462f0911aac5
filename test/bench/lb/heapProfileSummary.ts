// Reads a sampling heap profile (HeapProfiler.stopSampling) and lists which functions allocated the most bytes themselves.
import { shortUrl } from './cpuProfileSummary';

export interface HeapProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapProfileNode[];
}

export interface HeapProfile {
  head: HeapProfileNode;
}

export interface AllocationSite {
  name: string;
  bytes: number;
}

/** Bytes allocated by each function itself (not its callees), grouped by function and location, most first; and the total. */
export function allocationSites(profile: HeapProfile, top = 25): { total: number; sites: AllocationSite[] } {
  const bySite = new Map<string, number>();
  let total = 0;
  const pending = [profile.head];
  for (let node = pending.pop(); node; node = pending.pop()) {
    pending.push(...node.children);
    if (node.selfSize === 0) continue;
    total += node.selfSize;
    const f = node.callFrame;
    const site = f.url ? `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}:${f.lineNumber + 1}` : f.functionName;
    bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
  }
  const sites = [...bySite].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, bytes]) => ({ name, bytes }));
  return { total, sites };
}
