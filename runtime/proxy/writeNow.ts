// The direct write both transports use to forward bytes, which may be a view of the shared read buffer (sharedReadBuffer.ts).
import { writeSync } from 'node:fs';

/**
 * One write(2) on a non-blocking descriptor, the way HAProxy forwards: the bytes the kernel took (0 when it
 * would block), or the error. The caller copies and queues whatever was not taken.
 */
export function writeNow(fd: number, bytes: Uint8Array): number | Error {
  try {
    return writeSync(fd, bytes);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'EAGAIN' || code === 'EWOULDBLOCK' ? 0 : (err as Error);
  }
}
