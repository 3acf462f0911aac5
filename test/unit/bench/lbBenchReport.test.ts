// The LB bench's pure parts: median/range/percentiles, ratio and goal verdicts, markdown and SVG rendering, MQTT wire bytes.
import test from 'node:test';
import assert from 'node:assert/strict';
import mqttPacket from 'mqtt-packet';
import { GOALS, METRICS, TARGETS, targetsOf, type BenchRun, type RepMetrics } from '../../bench/lb/benchTypes';
import { connectPacket, endsWithPingresp, isConnackAccepted, publishPacket } from '../../bench/lb/mqttWire';
import { formatNumber, judgeGoals, renderMarkdown, summarizeRun } from '../../bench/lb/report';
import { median, percentile, ratio, summarize } from '../../bench/lb/stats';
import { renderSvg } from '../../bench/lb/svgChart';

test('median of odd and even counts, unsorted input, empty', () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('nearest-rank percentiles pick real samples', () => {
  const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose
  assert.equal(percentile(samples, 50), 50);
  assert.equal(percentile(samples, 99), 99);
  assert.equal(percentile(samples, 100), 100);
  assert.equal(percentile(samples, 0), 1);
  assert.equal(percentile([7], 99), 7);
  assert.throws(() => percentile([1], 101), RangeError);
});

test('summaries drop failed repetitions (NaN) and report the range', () => {
  assert.deepEqual(summarize([3, Number.NaN, 1, 2]), { median: 2, min: 1, max: 3, n: 3 });
  assert.equal(summarize([Number.NaN]).n, 0);
  assert.equal(ratio(1, 0), Number.NaN);
  assert.equal(ratio(3, 2), 1.5);
});

function rep(scale: number): RepMetrics {
  return Object.fromEntries(METRICS.map((m) => [m.id, 100 * scale])) as RepMetrics;
}

function fakeRun(runtimeScale: number[]): BenchRun {
  return {
    startedAt: '2026-01-01T00:00:00.000Z',
    host: { cpus: 2, loadavgStart: [1, 1, 1], loadavgEnd: [2, 2, 2], node: 'v20', haproxy: 'HAProxy 2.6', mosquitto: 'mosquitto 2.0' },
    settings: { repetitions: runtimeScale.length, quick: false, workers: 1, stormConnections: 2000, stormInFlight: 64, serialConnects: 500, throughputMiB1k: 128, throughputMiB16k: 512, idleConnections: 9900, nofileLimit: 20000, syslogMessages: 1000, syslogConnections: 4, syslogPacedMessages: 100, syslogPacedIntervalMs: 4, syslogMessageBytes: 128 },
    reps: {
      runtime: runtimeScale.map(rep),
      haproxy: runtimeScale.map(() => rep(1)),
      direct: runtimeScale.map(() => ({ ...rep(2), cpuUsPerConnect: Number.NaN })),
    },
    notes: ['a note'],
    errors: [],
  };
}

test('goal verdicts compare runtime medians with HAProxy medians (or absolute bounds)', () => {
  const table = summarizeRun(fakeRun([0.7, 0.85, 1.2]));
  assert.equal(table.runtime.connectsPerSec.median, 85);
  assert.equal(table.runtime.connectsPerSec.min, 70);
  const verdicts = Object.fromEntries(judgeGoals(table).map((v) => [v.goal.metric, v]));
  assert.equal(verdicts.connectsPerSec.met, true, '0.85x >= 0.8x');
  assert.equal(verdicts.throughput16kMBps.met, false, '0.85x < 0.9x');
  assert.equal(verdicts.cpuUsPerConnect.met, true, '0.85x <= 2x');
  assert.equal(verdicts.idleRssMB.value, 85, 'absolute goal uses the runtime median');
  assert.equal(verdicts.idleRssMB.met, true);
});

test('the markdown table has one row per metric, ratios, ranges and goal lines', () => {
  const md = renderMarkdown(fakeRun([0.5, 1, 1.5]));
  assert.match(md, /\| connect storm \| connects\/s \| 100 \(50\.0-150\) \| 100 \(100-100\) \| 200 \(200-200\) \| 1\.00x \| 0\.50x \|/);
  assert.match(md, /\| proxy CPU per connect \|[^\n]*\| - \| 1\.00x \| - \|/, 'direct has no proxy CPU');
  assert.equal(md.split('\n').filter((l) => l.startsWith('| ') && !/^\| (metric|goal|---) /.test(l)).length, METRICS.length + GOALS.length);
  assert.match(md, /- a note/);
  assert.equal(formatNumber(1234.4), '1,234');
  assert.equal(formatNumber(Number.NaN), '-');
});

test('the SVG chart is well-formed, has a bar per measured target and metric, and escapes text', () => {
  const run = fakeRun([1, 2]);
  const svg = renderSvg(summarizeRun(run), 'title <&>');
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.ok(svg.trimEnd().endsWith('</svg>'));
  assert.match(svg, /title &lt;&amp;&gt;/);
  const bars = svg.match(/<rect x="[\d.]+" y="[\d.]+" width="22"/g) ?? [];
  assert.equal(bars.length, METRICS.length * TARGETS.length - 1, 'no bar where direct has no value (proxy CPU)');
});

test('wire packets decode with an independent parser', () => {
  const parsed: mqttPacket.Packet[] = [];
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  parser.on('packet', (p) => parsed.push(p));
  parser.parse(Buffer.concat([connectPacket('bench-1'), publishPacket('bench/t', 16 * 1024)]));
  assert.equal(parsed.length, 2);
  const connect = parsed[0] as mqttPacket.IConnectPacket;
  assert.equal(connect.clientId, 'bench-1');
  assert.equal(connect.protocolVersion, 4);
  assert.equal(connect.keepalive, 0);
  const publish = parsed[1] as mqttPacket.IPublishPacket;
  assert.equal(publish.qos, 0);
  assert.equal((publish.payload as Buffer).length, 16 * 1024);
  assert.ok(isConnackAccepted(Buffer.from([0x20, 0x02, 0x00, 0x00])));
  assert.ok(!isConnackAccepted(Buffer.from([0x20, 0x02, 0x00, 0x05])));
  assert.ok(endsWithPingresp(Buffer.from([0x00, 0xd0, 0x00])));
});

test('a run with the plain Node proxy gets its column, a runtime / plain Node proxy ratio and a fourth bar per metric', () => {
  const run = fakeRun([2, 2]);
  run.reps['node-floor'] = [rep(1.25), rep(1.25)];
  const table = summarizeRun(run);
  assert.deepEqual(targetsOf(table), ['runtime', 'haproxy', 'node-floor', 'direct']);
  const md = renderMarkdown(run, table);
  assert.match(md, /\| metric \| unit \| runtime \| HAProxy \| plain Node proxy \| direct \(mosquitto; rsyslog\) \| runtime \/ HAProxy \| runtime \/ plain Node proxy \| runtime \/ direct \|/);
  assert.match(md, /\| connect storm \| connects\/s \| 200 \(200-200\) \| 100 \(100-100\) \| 125 \(125-125\) \| 200 \(200-200\) \| 2\.00x \| 1\.60x \| 1\.00x \|/);
  const svg = renderSvg(table, 't');
  assert.equal((svg.match(/<rect x="[\d.]+" y="[\d.]+" width="22"/g) ?? []).length, METRICS.length * 4 - 1);
  assert.match(svg, />plain Node proxy</);
});
