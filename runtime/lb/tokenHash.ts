// USER_TOKEN consistent hashing: rendezvous (highest random weight) over service ids, so removing one of N services moves only its ~1/N of tokens.

/** FNV-1a over bytes, continued from a running hash. */
function fnv1a(bytes: Uint8Array, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Murmur3's finalizer: FNV alone clusters on similar ids (m1, m2, m3); this spreads them. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

const encoder = new TextEncoder();
const idSeeds = new Map<string, number>();

function seedOf(serviceId: string): number {
  let seed = idSeeds.get(serviceId);
  if (seed === undefined) {
    seed = fnv1a(encoder.encode(serviceId), 0x811c9dc5);
    idSeeds.set(serviceId, seed);
  }
  return seed;
}

/** The weight of one (token, service) pair; the service with the highest weight owns the token. */
export function rendezvousWeight(token: Uint8Array, serviceId: string): number {
  return fmix32(fnv1a(token, seedOf(serviceId)));
}

/** The owner of a token among candidates (ties broken by id, so the result never depends on order). */
export function pickByToken(token: Uint8Array, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestWeight = -1;
  for (const id of candidates) {
    const w = rendezvousWeight(token, id);
    if (w > bestWeight || (w === bestWeight && best !== null && id < best)) {
      best = id;
      bestWeight = w;
    }
  }
  return best;
}
