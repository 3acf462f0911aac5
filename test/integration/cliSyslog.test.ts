// `protoext-lb` with --protocol syslog end to end: check's verdicts, simulate's messages, and run with embedded rsyslog servers and the in-process sink.
// peers: rsyslogd logger
import test, { before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import type { SimulateReport } from '../../runtime/cli/simulateCommand';
import { CAPTURED } from '../../runtime/protocols/syslog/corpus';
import { ensureCliBuilt, runCli, spawnCli } from './helpers/cliProcess';
import { loggerTcp } from './helpers/syslogHarness';

before(() => ensureCliBuilt());

test('check --protocol syslog: examples/syslog.lua agrees (exit 0); a script that drops the last message is reported (exit 1)', { timeout: 120_000 }, async () => {
  const good = await runCli(['check', '--protocol', 'syslog']);
  assert.equal(good.code, 0, good.stdout + good.stderr);
  assert.match(good.stdout, /^examples\/syslog\.lua: agrees with the reference decoder on all [\d,]+ runs \(14 cases \+ [\d,]+ two-fragment splits\) over the built-in corpus$/m);
  const bad = await runCli(['check', '--protocol', 'syslog', '--extension', 'test/fixtures/syslog/drops-last-message.lua']);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /^logger-rfc5424-lf \[whole, @[\d,-]+\] +RFC 5424, LF +2 messages +1 message +message 2 of 2 is never sent/m);
  assert.match(bad.stdout, /disagreements with the reference decoder in \d+ cases \(syslog RFC 5424, LF: /);
});

test('simulate --protocol syslog: messages with their decisions, the reference\'s fields; raw has no reference', async () => {
  const hex = Buffer.from(CAPTURED.rfc3164Lf).toString('hex');
  const r = await runCli(['simulate', '--protocol', 'syslog', '--hex', hex, '--chunks', '10']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as SimulateReport;
  assert.deepEqual(report.messages.map((m) => [m.event, m.bytes, m.decision.service]), [['EOM', 38, 'syslog1'], ['EOM', 38, 'syslog2']]);
  assert.deepEqual(report.deliveries.map((d) => d.held), [true, false]);
  assert.equal(report.check?.agree, true);
  assert.equal((report.reference.messages as unknown[]).length, 2);
  const raw = JSON.parse((await runCli(['simulate', '--protocol', 'raw', '--extension', 'examples/syslog.lua', '--hex', hex])).stdout) as SimulateReport;
  assert.deepEqual([raw.reference.valid, raw.check, raw.messages.length], [null, null, 2]);
});

test('run --protocol syslog with no service: three rsyslog servers, the ready line says how to send, logger messages land in their out.log', { timeout: 30_000 }, async () => {
  const cli = spawnCli(['run', '--protocol', 'syslog', '--listen', '127.0.0.1:0', '--events', 'jsonl']);
  try {
    const brokers = await cli.out.record('brokers');
    assert.equal(brokers.kind, 'rsyslog');
    assert.deepEqual(brokers.services.map((s) => s.id), ['syslog1', 'syslog2', 'syslog3']);
    const ready = await cli.out.record('ready');
    const port = Number(ready.listen.split(':')[1]);
    assert.match(ready.connect[0], new RegExp(`^printf .* \\| logger --tcp -n 127\\.0\\.0\\.1 -P ${port} -t demo`));
    assert.match(ready.connect.at(-1)!, /^tail -F \S+out\.log \S+out\.log \S+out\.log/);
    await loggerTcp(port, 'itest', 'one\ntwo\nthree\n');
    const deadline = Date.now() + 10_000;
    /** rsyslog creates out.log with its first message. */
    const linesOf = (f: string): string[] => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean) : []);
    const lines = () => brokers.outputs!.flatMap(linesOf);
    while (lines().length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(lines().map((l) => l.split('] ')[1]).sort(), ['one', 'three', 'two']);
    assert.ok(brokers.outputs!.every((f) => linesOf(f).length === 1), 'one message per server (round robin)');
  } finally {
    cli.child.kill('SIGTERM');
    await cli.exit;
  }
});

test('run --protocol syslog --broker-kind sink: in-process sinks take the messages, one decision each', { timeout: 30_000 }, async () => {
  const cli = spawnCli(['run', '--protocol', 'syslog', '--broker-kind', 'sink', '--listen', '127.0.0.1:0', '--events', 'jsonl']);
  try {
    const brokers = await cli.out.record('brokers');
    assert.equal(brokers.kind, 'sink');
    const ready = await cli.out.record('ready');
    await loggerTcp(Number(ready.listen.split(':')[1]), 'itest', 'a\nb\n', ['--octet-count']);
    const sends = [await cli.out.record('send'), await cli.out.record('send', (s) => s.service === 'syslog2')];
    assert.deepEqual(sends.map((s) => [s.service, s.eom]), [['syslog1', true], ['syslog2', true]]);
  } finally {
    cli.child.kill('SIGTERM');
    await cli.exit;
  }
});
