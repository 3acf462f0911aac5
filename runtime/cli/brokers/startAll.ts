// Starts a number of embedded backends one by one; when one fails, the ones already running are stopped before the error goes on.
export async function startAll<T extends { stop(): Promise<void> }>(count: number, start: () => Promise<T>): Promise<T[]> {
  const started: T[] = [];
  try {
    for (let i = 0; i < count; i++) started.push(await start());
  } catch (err) {
    await Promise.all(started.map((b) => b.stop()));
    throw err;
  }
  return started;
}
