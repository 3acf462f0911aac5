// Unit: the e2e harness's own parts: the loopback-only request filter and the suite<->harness HTTP channel.
import test from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// Compiled to out/test/unit/e2e; the harness modules are plain .mjs in the source tree.
const harnessDir = join(__dirname, '..', '..', '..', '..', 'test', 'e2e', 'harness');

interface BrowserModule {
  isLoopback(url: string): boolean;
}
interface HarnessServer {
  url: string;
  close(): Promise<void>;
}
interface HarnessServerModule {
  startHarnessServer(handlers: { onEvent: (e: unknown) => void; onUi: (r: { action: string; n?: number }) => Promise<unknown> }): Promise<HarnessServer>;
}

async function load<T>(file: string): Promise<T> {
  const href: string = pathToFileURL(join(harnessDir, file)).href;
  return (await import(href)) as T;
}

function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

test('the page may reach loopback and in-page schemes only', async () => {
  const { isLoopback } = await load<BrowserModule>('browser.mjs');
  for (const ok of ['http://127.0.0.1:8080/x', 'http://localhost/', 'ws://127.0.0.1:1/', 'data:text/plain,hi', 'blob:http://127.0.0.1/abc', 'vscode-file://vscode-app/x']) assert.ok(isLoopback(ok), ok);
  for (const bad of ['https://open-vsx.org/api', 'https://main.vscode-cdn.net/x', 'http://127.0.0.1.evil.com/', 'http://10.0.0.1/', 'not a url']) assert.ok(!isLoopback(bad), bad);
});

test('UI requests are performed one at a time, in order, and each answer comes back to its caller', async () => {
  const { startHarnessServer } = await load<HarnessServerModule>('harnessServer.mjs');
  const order: string[] = [];
  let running = 0;
  const server = await startHarnessServer({
    onEvent: () => undefined,
    onUi: async (r) => {
      running += 1;
      assert.equal(running, 1, 'two UI actions overlapped');
      order.push(`start ${r.n}`);
      await new Promise<void>((resolve) => setImmediate(resolve));
      order.push(`end ${r.n}`);
      running -= 1;
      return { ok: true, n: r.n };
    },
  });
  try {
    const answers = await Promise.all([1, 2, 3].map((n) => post(`${server.url}/ui`, { action: 'keys', n })));
    assert.deepEqual(answers.map((a) => a.json.n), [1, 2, 3]);
    assert.deepEqual(order, ['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  } finally {
    await server.close();
  }
});

test('a failing UI action answers ok:false with the reason; events reach onEvent; unknown routes are 404', async () => {
  const { startHarnessServer } = await load<HarnessServerModule>('harnessServer.mjs');
  const events: unknown[] = [];
  const server = await startHarnessServer({
    onEvent: (e) => events.push(e),
    onUi: () => Promise.reject(new Error('no such palette entry')),
  });
  try {
    const failed = await post(`${server.url}/ui`, { action: 'palette' });
    assert.deepEqual(failed.json, { ok: false, error: 'no such palette entry' });
    await post(`${server.url}/event`, { kind: 'pass', title: 't', durationMs: 1 });
    assert.deepEqual(events, [{ kind: 'pass', title: 't', durationMs: 1 }]);
    assert.equal((await post(`${server.url}/nope`, {})).status, 404);
  } finally {
    await server.close();
  }
});
