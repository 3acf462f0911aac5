// The loopback HTTP endpoint the suite talks to: it reports test results and asks for UI actions, one at a time.
import { createServer } from 'node:http';

function readJson(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      try {
        resolve(body ? JSON.parse(body) : {});
      } catch (err) {
        reject(err);
      }
    });
    req.on('error', reject);
  });
}

/**
 * POST /event {kind:'pass'|'fail'|'done', ...} -> onEvent(event); POST /ui {action, ...} -> await onUi(request).
 * UI requests are serialized: the keyboard and the screen are shared.
 */
export async function startHarnessServer({ onEvent, onUi }) {
  let queue = Promise.resolve();
  const server = createServer(async (req, res) => {
    const reply = (status, obj) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(obj));
    };
    try {
      const body = await readJson(req);
      if (req.method === 'POST' && req.url === '/event') {
        onEvent(body);
        return reply(200, { ok: true });
      }
      if (req.method === 'POST' && req.url === '/ui') {
        const run = queue.then(() => onUi(body));
        queue = run.catch(() => undefined);
        const result = await run.catch((err) => ({ ok: false, error: err instanceof Error ? err.message : String(err) }));
        return reply(200, result);
      }
      return reply(404, { ok: false, error: `no route ${req.method} ${req.url}` });
    } catch (err) {
      return reply(400, { ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}
