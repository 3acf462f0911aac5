// Which bytes of the current delivery the script has read: first-read order, the last offset read, and "a new byte since the last step".
export class PayloadReads {
  /** 0-based offsets in first-read order. */
  reads: number[] = [];
  lastRead: number | null = null;
  /** Set when a byte never read before is read; cleared by the stepper when a byte step starts. */
  newByteRead = false;
  private seen = new Set<number>();

  reset(): void {
    this.reads = [];
    this.seen = new Set();
    this.lastRead = null;
    this.newByteRead = false;
  }

  /** A read of Lua positions first..last (1-based, inclusive), as the stream methods report them. */
  record(first: number, last: number): void {
    for (let o = first - 1; o <= last - 1; o++) {
      if (this.seen.has(o)) continue;
      this.seen.add(o);
      this.reads.push(o);
      this.newByteRead = true;
    }
    this.lastRead = last - 1;
  }
}
