// Test harness: runs a ProtoextDebugSession in-process behind a loopback socket and drives it with DebugClient.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ProtoextDebugSession } from '../../../runtime/debug/debugSession';
import type { InspectorState } from '../../../runtime/debug/inspectorModel';
import type { LaunchArguments } from '../../../runtime/debug/launchConfig';

/** The repo root from out/test/unit/debug. */
export const REPO = join(__dirname, '..', '..', '..', '..');
export const FIXTURE = join(REPO, 'test', 'unit', 'debug', 'fixtures', 'mqtt.lua');
/** Compiled runtime beside the compiled tests: the worker is out/runtime/debug/vmWorker.js. */
const RUNTIME_DIR = join(__dirname, '..', '..', '..', 'runtime', 'debug');

/** Lines of the documented mqtt.lua fixture the tests stop at. */
export const LINE = { firstStatement: 3, clientIdAssign: 62, send: 63, holdLine: 67 } as const;

export interface Harness {
  dc: DebugClient;
  close(): Promise<void>;
}

/** `runtimeDir`: where the VM worker script is (a test may put a broken one there). */
export async function startHarness(runtimeDir = RUNTIME_DIR): Promise<Harness> {
  const sessions: ProtoextDebugSession[] = [];
  const server: Server = createServer((socket) => {
    // The adapter writes a response then its stopped event: without this Nagle holds the event for the delayed ACK (~40 ms).
    socket.setNoDelay(true);
    const session = new ProtoextDebugSession({ runtimeDir });
    sessions.push(session);
    session.setRunAsServer(true);
    session.start(socket, socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const dc = new DebugClient('node', 'unused', 'protoext');
  dc.defaultTimeout = 8000;
  await dc.start(address.port);
  return {
    dc,
    close: async () => {
      await dc.stop().catch(() => undefined);
      for (const s of sessions) s.shutdown();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function launchArgs(extra: Partial<LaunchArguments>): LaunchArguments {
  return { program: FIXTURE, ...extra };
}

/** Launches with breakpoints at `lines` and resolves with the first stop. */
export async function launchWithBreakpoints(dc: DebugClient, args: LaunchArguments, lines: number[]): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await Promise.all([
    dc.waitForEvent('initialized').then(async () => {
      await dc.setBreakpointsRequest({ source: { path: args.program }, breakpoints: lines.map((line) => ({ line })) });
      await dc.configurationDoneRequest();
    }),
    dc.launch(args),
  ]);
  return stopped;
}

export async function topFrame(dc: DebugClient): Promise<DebugProtocol.StackFrame> {
  const st = await dc.stackTraceRequest({ threadId: 1 });
  return st.body.stackFrames[0];
}

/** name -> value of a scope of the top frame. */
export async function scopeValues(dc: DebugClient, scope: string): Promise<Record<string, string>> {
  const frame = await topFrame(dc);
  const scopes = await dc.scopesRequest({ frameId: frame.id });
  const s = scopes.body.scopes.find((x) => x.name === scope);
  if (!s) throw new Error(`no scope ${scope}`);
  const vars = await dc.variablesRequest({ variablesReference: s.variablesReference });
  return Object.fromEntries(vars.body.variables.map((v) => [v.name, v.value]));
}

export async function inspector(dc: DebugClient): Promise<InspectorState> {
  const r = await dc.customRequest('protoext/inspectorState');
  return r.body as InspectorState;
}

/** Sends a stepping request and resolves with the stop it causes. */
export async function stepAndWait(dc: DebugClient, send: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  await send();
  return stopped;
}

/** Attaches to the LB's debug hook with a breakpoint on `line` of `program`; resolves once the adapter waits for a connection. */
export async function attachWithBreakpoint(h: Harness, program: string, hook: string | undefined, line: number): Promise<void> {
  const waiting = new Promise<void>((resolve) => h.dc.on('output', (e: DebugProtocol.OutputEvent) => {
    if (e.body.output.includes('waiting for its next client connection')) resolve();
  }));
  const initialized = h.dc.waitForEvent('initialized');
  await h.dc.initializeRequest();
  await Promise.all([
    initialized.then(async () => {
      const r = await h.dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line }] });
      assert.equal(r.body.breakpoints[0].verified, true, `line ${line} takes a breakpoint`);
      await h.dc.configurationDoneRequest();
    }),
    h.dc.attachRequest({ program, hook } as DebugProtocol.AttachRequestArguments),
  ]);
  await waiting;
}

export const CONNECT_311_TEST = '101000044d5154540402003c000474657374';
