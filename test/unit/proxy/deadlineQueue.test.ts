// The per-connection timeouts' queue (runtime/proxy/deadlineQueue.ts): order, cancel, re-arm, and no hold on the process.
import test from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { DeadlineQueue, type Deadline, type DeadlineOwner } from '../../../runtime/proxy/deadlineQueue';

class Entry implements DeadlineOwner {
  passedAt: number[] = [];
  armedAt = 0;
  deadline: Deadline | null = null;

  constructor(readonly name: string, private readonly log: string[], private readonly then?: () => void) {}

  armIn(queue: DeadlineQueue, delayMs: number): this {
    this.deadline?.cancel();
    this.armedAt = performance.now();
    this.deadline = queue.arm(this, delayMs);
    return this;
  }

  deadlinePassed(): void {
    this.passedAt.push(performance.now());
    this.log.push(this.name);
    this.then?.();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const refTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

test('entries pass in deadline order, never before their delay; a shorter delay armed later passes first', async () => {
  const q = new DeadlineQueue();
  const log: string[] = [];
  const a = new Entry('a', log).armIn(q, 60);
  const b = new Entry('b', log).armIn(q, 90);
  const c = new Entry('c', log).armIn(q, 20);
  await sleep(150);
  assert.deepEqual(log, ['c', 'a', 'b']);
  for (const [e, delay] of [[a, 60], [b, 90], [c, 20]] as const) {
    assert.equal(e.passedAt.length, 1, `${e.name} passed once`);
    assert.ok(e.passedAt[0] - e.armedAt >= delay, `${e.name} passed after ${e.passedAt[0] - e.armedAt} ms, armed for ${delay}`);
  }
  assert.ok(q.empty);
});

test('a cancelled deadline never passes; the others still do', async () => {
  const q = new DeadlineQueue();
  const log: string[] = [];
  const a = new Entry('a', log).armIn(q, 20);
  new Entry('b', log).armIn(q, 30);
  const c = new Entry('c', log).armIn(q, 40);
  a.deadline!.cancel();
  c.deadline!.cancel();
  c.deadline!.cancel(); // twice: nothing happens
  assert.equal(a.deadline!.queue, null);
  await sleep(80);
  assert.deepEqual(log, ['b']);
});

test('cancelled and armed again: it passes once, at its new deadline', async () => {
  const q = new DeadlineQueue();
  const log: string[] = [];
  const a = new Entry('a', log).armIn(q, 20);
  const b = new Entry('b', log).armIn(q, 40);
  a.armIn(q, 70);
  await sleep(110);
  assert.deepEqual(log, ['b', 'a']);
  assert.equal(a.passedAt.length, 1);
  assert.ok(a.passedAt[0] - a.armedAt >= 70);
  assert.equal(b.passedAt.length, 1);
});

test('an entry can arm another from its deadlinePassed; it passes in its turn', async () => {
  const q = new DeadlineQueue();
  const log: string[] = [];
  const later = new Entry('later', log);
  const first = new Entry('first', log, () => later.armIn(q, 20)).armIn(q, 10);
  await sleep(80);
  assert.deepEqual(log, ['first', 'later']);
  first.deadline!.cancel(); // after it passed: nothing happens
  assert.ok(q.empty);
});

test('an empty queue does not keep the process alive; a queued entry does; stop() ends the timer', async () => {
  const before = refTimers();
  const q = new DeadlineQueue();
  const log: string[] = [];
  const a = new Entry('a', log).armIn(q, 1000);
  assert.equal(refTimers(), before + 1, 'a queued entry holds the process like a timer would');
  a.deadline!.cancel();
  assert.equal(refTimers(), before, 'emptied: the pending timer is unreferenced');
  a.armIn(q, 1000);
  assert.equal(refTimers(), before + 1, 'queued again: referenced again (the same timer, no new one)');
  q.stop();
  assert.equal(refTimers(), before);
  await sleep(20);
  assert.deepEqual(log, []);
});
