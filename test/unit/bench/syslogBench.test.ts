// The syslog bench's pure parts: numbered lines the runtime's own framing and decoder accept, rsyslog receipt times, the exactly-once tally, goals against direct rsyslog.
import test from 'node:test';
import assert from 'node:assert/strict';
import { frameSyslog } from '../../../runtime/protocols/syslog/framing';
import { decodeSyslog } from '../../../runtime/protocols/syslog/syslogDecoder';
import { METRICS, type BenchRun, type RepMetrics } from '../../bench/lb/benchTypes';
import { judgeGoals, renderMarkdown, summarizeRun } from '../../bench/lb/report';
import { renderSvg } from '../../bench/lb/svgChart';
import { DeliveryTally, parseSinkLine, rfc3339Micros, syslogLine } from '../../bench/lb/syslogWire';

test('a bench line is one LF-framed RFC 5424 message of exactly the asked size', () => {
  const line = syslogLine('flood-0-runtime', 3, 41, 1_796_370_903_475_593, 128);
  const bytes = Buffer.from(line, 'latin1');
  assert.equal(bytes.length, 128);
  assert.deepEqual(frameSyslog(bytes), { status: 'message', length: 128 });
  const decoded = decodeSyslog(bytes);
  assert.equal(decoded.status, 'ok');
  // Longer than asked rather than cut: the number and stamp must survive.
  assert.equal(syslogLine('r', 0, 0, 0, 10).endsWith(' r 0.0 0 \n'), true);
});

test('rsyslog receipt times (date-rfc3339) to microseconds, any offset', () => {
  assert.equal(rfc3339Micros('2026-12-04T07:55:03.611010+00:00'), Date.UTC(2026, 11, 4, 7, 55, 3) * 1000 + 611_010);
  assert.equal(rfc3339Micros('2026-12-04T08:55:03.611010+01:00'), Date.UTC(2026, 11, 4, 7, 55, 3) * 1000 + 611_010);
  assert.equal(rfc3339Micros('2026-12-04T07:55:03.6Z'), Date.UTC(2026, 11, 4, 7, 55, 3) * 1000 + 600_000);
  assert.equal(rfc3339Micros('2026-12-04T07:55:03Z'), Date.UTC(2026, 11, 4, 7, 55, 3) * 1000);
  assert.ok(Number.isNaN(rfc3339Micros('Dec  4 07:55:03')));
});

/** What the stamped rsyslog writes for a line received at `receivedUs`. */
function sinkLine(receivedUs: number, line: string): string {
  const iso = new Date(Math.floor(receivedUs / 1000)).toISOString().replace(/\.\d+Z$/, '');
  return `${iso}.${String(receivedUs % 1_000_000).padStart(6, '0')}+00:00 ${line.slice(0, -1)}`;
}

test('a sink line gives back run, connection, sequence, send and receipt time', () => {
  const sent = Date.UTC(2026, 11, 4, 7, 0, 0) * 1000 + 123_456;
  const p = parseSinkLine(sinkLine(sent + 1500, syslogLine('paced-1-direct', 2, 7, sent, 128)));
  assert.deepEqual(p, { receivedUs: sent + 1500, run: 'paced-1-direct', conn: 2, seq: 7, sentUs: sent });
  assert.equal(parseSinkLine('2026-12-04T07:00:00.000000+00:00 <13>1 - host probe - - - hello'), null);
});

test('the tally wants every message exactly once, whichever sink it reached', () => {
  const at = Date.UTC(2026, 11, 4) * 1000;
  const line = (run: string, conn: number, seq: number, sentUs = 0) => sinkLine(at + 2000, syslogLine(run, conn, seq, sentUs, 128));
  const ok = new DeliveryTally('r1', 2, 3);
  for (const conn of [1, 0]) for (const seq of [2, 0, 1]) ok.add(line('r1', conn, seq, seq === 0 ? at : 0));
  assert.equal(ok.exact, true);
  assert.equal(ok.problem(), null);
  assert.deepEqual(ok.latenciesMs, [2, 2], 'only stamped messages have a latency');

  const bad = new DeliveryTally('r1', 2, 3);
  bad.add(line('r1', 0, 0));
  bad.add(line('r1', 0, 0));
  bad.add(line('r0', 0, 1));
  bad.add(line('r1', 2, 0));
  bad.add('garbage');
  assert.equal(bad.exact, false);
  assert.equal(bad.problem(), '1 of 6 messages arrived (1 twice, 3 foreign lines)');

  const short = new DeliveryTally('r1', 1, 2);
  short.add(line('r1', 0, 1));
  assert.equal(short.problem(), '1 of 2 messages arrived (0 twice, 0 foreign lines)');
});

function syslogRun(runtimeRate: number, scriptUs: number): BenchRun {
  const base = (v: number): RepMetrics => Object.fromEntries(METRICS.map((m) => [m.id, v])) as RepMetrics;
  const noHaproxy = { ...base(100), messagesPerSec: Number.NaN, cpuUsPerMessage: Number.NaN, messageLatencyP50Ms: Number.NaN, messageLatencyP99Ms: Number.NaN, scriptUsPerConnect: Number.NaN };
  return {
    startedAt: '2026-01-01T00:00:00.000Z',
    host: { cpus: 2, loadavgStart: [1, 1, 1], loadavgEnd: [1, 1, 1], node: 'v20', haproxy: 'HAProxy 2.6', mosquitto: 'mosquitto 2.0' },
    settings: { repetitions: 1, quick: true, workers: 1, stormConnections: 1, stormInFlight: 1, serialConnects: 1, throughputMiB1k: 1, throughputMiB16k: 1, idleConnections: 1, nofileLimit: 1, syslogMessages: 1, syslogConnections: 1, syslogPacedMessages: 1, syslogPacedIntervalMs: 4, syslogMessageBytes: 128 },
    reps: { runtime: [{ ...base(100), messagesPerSec: runtimeRate, scriptUsPerConnect: scriptUs }], haproxy: [noHaproxy], direct: [{ ...base(100), messagesPerSec: 1000, scriptUsPerConnect: Number.NaN }] },
    notes: [],
    errors: [],
  };
}

test('the syslog goal is judged against direct rsyslog, the script phase in microseconds', () => {
  const verdicts = (rate: number, us: number) => Object.fromEntries(judgeGoals(summarizeRun(syslogRun(rate, us))).map((v) => [v.goal.metric, v]));
  assert.equal(verdicts(700, 15).messagesPerSec.met, true, '0.7x direct');
  assert.equal(verdicts(699, 15).messagesPerSec.met, false);
  assert.equal(verdicts(700, 15).scriptUsPerConnect.met, true);
  assert.equal(verdicts(700, 16).scriptUsPerConnect.met, false);
  const md = renderMarkdown(syslogRun(650, 42));
  assert.match(md, /\| syslog messages\/s >= 0\.7x direct rsyslog \| 0\.65x \| NO \|/);
  assert.match(md, /\| script phase <= 15 us CPU per connect \| 42\.0 us \| NO \|/);
  assert.match(md, /\| syslog messages \| [^|]+ \| 650 \| - \| 1,000 \| - \| 0\.65x \|/);
});

test('without HAProxy the syslog bars are drawn relative to direct rsyslog, and say so', () => {
  const svg = renderSvg(summarizeRun(syslogRun(500, 10)), 't');
  const title = (who: string) => new RegExp(`<rect x="[\\d.]+" y="([\\d.]+)" width="22" height="([\\d.]+)"[^>]*><title>${who} syslog messages:`);
  const runtime = title('runtime').exec(svg);
  const direct = title('direct \\(mosquitto; rsyslog\\)').exec(svg);
  assert.ok(runtime && direct, 'both syslog bars drawn');
  assert.equal(Number(runtime[2]) * 2, Number(direct[2]), 'runtime at 0.5 of direct');
  assert.equal((svg.match(/1\.0 = direct/g) ?? []).length, 4, 'one note under each syslog metric');
});
