// The proxy's protective limits and their defaults (each refusal they cause is logged with its reason).

export interface ProxyLimits {
  /** A client must complete its first flight (the first ns.send) within this time, or it is closed. */
  firstFlightTimeoutMs: number;
  /** Bytes the script may hold before a decision; beyond it the client is reset (HAProxy's buffer is about 16 KB). */
  maxHeldBytes: number;
  /** Concurrent client connections; beyond it new clients are reset. */
  maxConnections: number;
  /** Lua instructions per callback, passed to the engine when the script is loaded. */
  instructionBudget: number;
  /** How long a connection to a service may take before it counts as failed. */
  connectTimeoutMs: number;
}

export const DEFAULT_PROXY_LIMITS: ProxyLimits = {
  firstFlightTimeoutMs: 5000,
  maxHeldBytes: 64 * 1024,
  maxConnections: 10_000,
  instructionBudget: 1_000_000,
  connectTimeoutMs: 3000,
};
