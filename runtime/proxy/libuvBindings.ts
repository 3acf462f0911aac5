// Node's libuv TCP handles (process.binding 'tcp_wrap' and 'stream_wrap', the layer net.Socket drives), checked before use.
// Only the members rawTcp.ts needs are typed; if any is missing, rawBindings() is null and the LB uses net.Socket.
import { getSystemErrorName } from 'node:util';

/** Leads from a handle or request back to the connection that owns it (Node does the same with its owner_symbol). */
export const OWNER = Symbol('rawTcpConnection');

export interface Req {
  oncomplete: (...args: never[]) => void;
  [OWNER]?: unknown;
}
export interface TcpHandle {
  fd: number;
  onread: (this: TcpHandle) => void;
  onconnection?: unknown;
  [OWNER]?: unknown;
  readStart(): number;
  readStop(): number;
  useUserBuffer(buf: Uint8Array): void;
  setNoDelay(on: boolean): number;
  writeBuffer(req: Req, buf: Uint8Array): number;
  shutdown(req: Req): number;
  close(cb: () => void): void;
  reset(cb: () => void): number;
  connect(req: Req, address: string, port: number): number;
  connect6(req: Req, address: string, port: number): number;
  getpeername(out: { address?: string; port?: number }): number;
  getsockname(out: { address?: string; port?: number }): number;
}
export interface Bindings {
  TCP: new (type: number) => TcpHandle;
  TCPConnectWrap: new () => Req;
  ShutdownWrap: new () => Req;
  WriteWrap: new () => Req;
  SOCKET: number;
  state: Int32Array;
  kReadBytesOrError: number;
  kLastWriteWasAsync: number;
  UV_EOF: number;
}

function loadBindings(): Bindings | null {
  try {
    const binding = (process as unknown as { binding(name: string): Record<string, unknown> }).binding;
    const tcp = binding('tcp_wrap') as { TCP?: Bindings['TCP']; TCPConnectWrap?: Bindings['TCPConnectWrap']; constants?: { SOCKET?: number } };
    const stream = binding('stream_wrap') as {
      ShutdownWrap?: Bindings['ShutdownWrap'];
      WriteWrap?: Bindings['WriteWrap'];
      streamBaseState?: Int32Array;
      kReadBytesOrError?: number;
      kLastWriteWasAsync?: number;
    };
    const proto = tcp.TCP?.prototype as Partial<TcpHandle> | undefined;
    const methods: (keyof TcpHandle)[] = ['readStart', 'readStop', 'useUserBuffer', 'setNoDelay', 'writeBuffer', 'shutdown', 'close', 'reset', 'connect', 'connect6', 'getpeername', 'getsockname'];
    if (!tcp.TCP || !tcp.TCPConnectWrap || tcp.constants?.SOCKET === undefined || !stream.ShutdownWrap || !stream.WriteWrap) return null;
    if (!(stream.streamBaseState instanceof Int32Array) || stream.kReadBytesOrError === undefined || stream.kLastWriteWasAsync === undefined) return null;
    if (!proto || methods.some((m) => typeof proto[m] !== 'function')) return null;
    return {
      TCP: tcp.TCP,
      TCPConnectWrap: tcp.TCPConnectWrap,
      ShutdownWrap: stream.ShutdownWrap,
      WriteWrap: stream.WriteWrap,
      SOCKET: tcp.constants.SOCKET,
      state: stream.streamBaseState,
      kReadBytesOrError: stream.kReadBytesOrError,
      kLastWriteWasAsync: stream.kLastWriteWasAsync,
      UV_EOF: uvEofCode(binding),
    };
  } catch {
    return null;
  }
}

/** libuv's EOF status (the same -4095 on every platform; asked for in case that ever changes). */
function uvEofCode(binding: (name: string) => Record<string, unknown>): number {
  try {
    const code = (binding('uv') as { UV_EOF?: unknown }).UV_EOF;
    return typeof code === 'number' ? code : -4095;
  } catch {
    return -4095;
  }
}

let bindings: Bindings | null | undefined;

/** The handles, or null when this Node does not offer them as expected. */
export function rawBindings(): Bindings | null {
  if (bindings === undefined) bindings = loadBindings();
  return bindings;
}

export function errorName(status: number): string {
  try {
    return getSystemErrorName(status);
  } catch {
    return `UV${status}`;
  }
}

/** An Error like Node's own for a libuv status (`connect ECONNREFUSED 127.0.0.1:1883`). */
export function uvError(status: number, syscall: string, detail = ''): NodeJS.ErrnoException {
  const code = errorName(status);
  const err: NodeJS.ErrnoException = new Error(`${syscall} ${code}${detail ? ` ${detail}` : ''}`);
  err.code = code;
  err.errno = status;
  err.syscall = syscall;
  return err;
}
