// schedDelays.ts: a long wait for a core is charged to the task that held that core during the wait, not to a bystander.
import test from 'node:test';
import assert from 'node:assert/strict';
import { attribute, parseTimehist } from '../../bench/lb/schedDelays';

// perf sched timehist rows: time switched out (s), cpu, task, wait time, sch delay, run time (ms).
const TIMEHIST = `
           time    cpu  task name                       wait time  sch delay   run time
                        [tid/pid]                          (msec)     (msec)     (msec)
--------------- ------  ------------------------------  ---------  ---------  ---------
   100.000500 [0001]  node[11]                             0.100      0.010      0.400
   100.003500 [0001]  node[14/11]                          0.000      0.000      3.000
   100.003560 [0000]  <idle>                               0.000      0.000      3.000
   100.003600 [0001]  mosquitto[20]                        3.000      2.900      0.100
   100.004000 [0000]  haproxy[30]                          0.500      0.050      0.300
`;

test('a mosquitto that waited 2.9 ms is charged to the V8 thread that ran on its core, not to the idle core', () => {
  const rows = parseTimehist(TIMEHIST);
  assert.equal(rows.length, 5);
  const { waits, victims, holders } = attribute(rows);
  assert.equal(waits, 1, 'only the wait over 1 ms counts');
  assert.deepEqual([...victims], [['mosquitto', 1]]);
  assert.deepEqual([...holders], [['node thread of 11', 1]]);
});

test('a window in CLOCK_MONOTONIC ms keeps waits outside it out', () => {
  const rows = parseTimehist(TIMEHIST);
  assert.equal(attribute(rows, 100_004, 100_005).waits, 0);
  assert.equal(attribute(rows, 100_003, 100_004).waits, 1);
});

test('a shorter threshold counts the sub-millisecond waits of a warm tail, charged the same way', () => {
  const rows = parseTimehist(TIMEHIST);
  const { waits, victims } = attribute(rows, undefined, undefined, 0.04);
  assert.equal(waits, 2, 'mosquitto (2.9 ms) and haproxy (0.05 ms); node waited 0.01 ms');
  assert.deepEqual([...victims].sort(), [['haproxy', 1], ['mosquitto', 1]]);
});
