// Through `protoext-lb run` and `simulate`: a script that answers PING lines itself via ctxt.client, forwards the other lines one message each, and logs with ns.logger.
import test, { before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as net from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SimulateReport } from '../../runtime/cli/simulateCommand';
import { CLI, ensureCliBuilt, spawnCli } from './helpers/cliProcess';

before(() => ensureCliBuilt());

// Splits the stream into LF-terminated lines (the remainder is held); PING is answered, the rest goes to the service.
const PING_SCRIPT = `function client.on_data(ctxt, payload)
  local data = payload.data
  ns.logger:info("saw %d bytes", data:len())
  while data do
    local nl = data:find("\\n", 1, true)
    if not nl then ctxt:hold(data) return end
    local line
    if data:len() > nl then line, data = data:split(nl) else line, data = data, nil end
    if line:sub(1) == "PING\\n" then
      ns.send(ctxt.client, "EOM", {data = "PONG\\n"})
    else
      ns.send(ctxt.output, "EOM", {data = line})
    end
  end
end
`;

function scriptFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'protoext-ping-'));
  const file = join(dir, 'ping.lua');
  writeFileSync(file, PING_SCRIPT);
  return file;
}

/** A plain TCP service that keeps everything it receives. */
async function startSink(): Promise<{ port: number; received: () => string; close: () => Promise<void> }> {
  const chunks: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('data', (d) => chunks.push(d));
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    received: () => Buffer.concat(chunks).toString('latin1'),
    close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('run: PING lines get PONG from the script via ctxt.client; the service receives only the other lines; ns.logger lines are log events', { timeout: 30_000 }, async () => {
  const sink = await startSink();
  const cli = spawnCli(['run', '--extension', scriptFile(), '--listen', '127.0.0.1:0', '--service', `sink=127.0.0.1:${sink.port}`,
    '--lb-method', 'ROUNDROBIN', '--persistence', 'NONE', '--events', 'jsonl']);
  const client = new net.Socket();
  try {
    const ready = await cli.out.record('ready');
    const port = Number(ready.listen.split(':')[1]);
    let answers = '';
    await new Promise<void>((r) => client.connect(port, '127.0.0.1', r));
    client.on('data', (d) => (answers += d.toString('latin1')));
    client.write('hello\nPI');
    await cli.out.record('hold');
    client.write('NG\nworld\nPING\n');
    await until(() => answers === 'PONG\nPONG\n', 'two PONGs');
    await until(() => sink.received() === 'hello\nworld\n', 'the two other lines at the service');
    const replies = await cli.out.record('reply', (r) => r.bytes === 5 && r.eom);
    const sends = cli.out.lines.filter((l) => l.includes('"event":"send"')).map((l) => JSON.parse(l) as { eom: boolean; bytes: number });
    assert.deepEqual(sends.map((s) => [s.bytes, s.eom]), [[6, true], [6, true]], 'one EOM per line, each its own message');
    const decisions = cli.out.lines.filter((l) => l.includes('"event":"decision"'));
    assert.equal(decisions.length, 2, 'after each EOM the next line gets a new decision');
    const log = await cli.out.record('log', (e) => e.message === 'saw 8 bytes');
    assert.deepEqual([log.level, log.conn, log.line, log.file.endsWith('ping.lua')], ['info', replies.conn, 3, true]);
    assert.equal(sink.received().includes('PING'), false);
  } finally {
    client.destroy();
    cli.child.kill('SIGKILL');
    await sink.close();
  }
});

test('simulate: the log array has the formatted ns.logger lines; answers to the client are counted apart from sends', { timeout: 30_000 }, async () => {
  const out = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, [CLI, 'simulate', '--extension', scriptFile(), '--hex', Buffer.from('PING\nhi\n').toString('hex'), '--chunks', '3'], (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
  const report = JSON.parse(out) as SimulateReport;
  assert.equal(report.error, null);
  assert.deepEqual(report.log.map((l) => [l.level, l.message, l.line]), [['info', 'saw 3 bytes', 3], ['info', 'saw 8 bytes', 3]]);
  assert.equal(report.sends, 1);
  assert.equal(report.bytes_sent, 3);
  assert.equal(report.client_sends, 1);
  assert.equal(report.bytes_to_client, 5);
  assert.equal(report.outcome, 'send');
});
