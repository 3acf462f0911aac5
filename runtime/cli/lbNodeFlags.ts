// The node command-line flags an LB process (`run`) is started with: by the extension, `npm start` and the bench alike.

/**
 * `--no-memory-reducer`. When the LB goes quiet, V8's memory reducer runs memory-reducing major GCs, and those keep
 * no map without a live object (V8 skips its map retention for them): once every connection has closed, the maps of
 * the per-connection classes go, and with them every optimized function that embedded one. The next connections
 * then run unoptimized while V8 recompiles on its worker threads, which compete with the backends for the cores.
 * Measured (docs/PERFORMANCE.md): after a 20 s pause, 40 functions thrown away and about 100 recompiled in the next
 * storm and serial run; without the reducer, none. In a full bench the runtime's p99 connect-to-CONNACK went from
 * about 2 ms to 0.7 ms and its CPU per connect from 320-330 to 175 us. The cost: the heap is not shrunk while idle
 * (RSS with 9,900 idle connections 102 MB against 100-101). V8 reads this flag only when the heap is set up, so it
 * cannot be set from inside the process (`v8.setFlagsFromString` was measured to change nothing).
 */
export const LB_NODE_FLAGS: readonly string[] = ['--no-memory-reducer'];
