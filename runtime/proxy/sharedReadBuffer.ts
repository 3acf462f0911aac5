// One read buffer for every connection of the process (both transports, rawTcp.ts and netTcp.ts, read into it).
//
// Why (docs/PERFORMANCE.md): with plain 'data' events Node mallocs a fresh 64 KiB buffer per read and the kernel copies
// into cold pages (page faults, _copy_to_iter); reading into one warm buffer removed that cost.
//
// The rule that keeps it correct: a view of this buffer is valid only during the read callback that got it. A transport
// never hands such a view to the kernel asynchronously: it writes it synchronously (writeNow.ts), and copies whatever the kernel did
// not take before queueing it. Whoever keeps bytes beyond the callback (the script phase, held bytes, the debugger)
// copies them first (ownBytes).

/** Node's own read size. */
export const sharedReadBuffer = Buffer.allocUnsafe(64 * 1024);

/** A copy that outlives the read callback. */
export function ownBytes(view: Uint8Array): Buffer {
  return Buffer.from(view);
}
