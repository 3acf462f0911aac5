// Worker-thread entry of the debug VM: blocks on a shared control word and serves the main thread's messages synchronously.
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { DebugVm, type VmChannel } from './debugVm';
import { LuaEngine } from '../lua/luaEngine';
import { NO_STATEMENTS } from './statementMap';
import { CONTROL_PENDING, type FromWorker, type ToWorker } from './workerProtocol';

interface WorkerInit {
  control: SharedArrayBuffer;
  port: MessagePort;
}

/** Synchronous receive: the VM is paused inside a Lua hook, so the event loop never runs while a session is live. */
function channelFor(init: WorkerInit): VmChannel {
  const control = new Int32Array(init.control);
  const take = (): ToWorker | null => {
    if (Atomics.load(control, CONTROL_PENDING) === 0) return null;
    const got = receiveMessageOnPort(init.port);
    if (!got) return null;
    Atomics.sub(control, CONTROL_PENDING, 1);
    return got.message as ToWorker;
  };
  return {
    post: (msg: FromWorker) => parentPort?.postMessage(msg),
    poll: take,
    next: () => {
      for (;;) {
        const msg = take();
        if (msg) return msg;
        // The counter can be ahead of the port for an instant; a short timed wait covers that race.
        Atomics.wait(control, CONTROL_PENDING, 0, 50);
      }
    },
  };
}

async function main(): Promise<void> {
  const init = workerData as WorkerInit;
  const channel = channelFor(init);
  let vm: DebugVm;
  try {
    // The same engine the LB runs (lua52.wasm beside the bundle or in the build cache), one instance for this thread.
    vm = new DebugVm(await LuaEngine.shared(), channel);
  } catch (e) {
    channel.post({ type: 'loaded', statements: NO_STATEMENTS, error: e instanceof Error ? e.message : String(e) });
    return;
  }
  for (;;) {
    const msg = channel.next();
    if (msg.type === 'load') await vm.load(msg.file, msg.source);
    else if (msg.type === 'setBreakpoints') vm.setBreakpoints(msg.breakpoints);
    else if (msg.type === 'run') {
      vm.setBreakpoints(msg.breakpoints);
      await vm.run(msg.stopOnEntry, msg.info);
    } else if ('id' in msg) channel.post({ type: 'reply', id: msg.id, result: null, error: 'not paused' });
  }
}

void main();
