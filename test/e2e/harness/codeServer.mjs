// Installs the VSIX into a fresh code-server profile and runs code-server on a loopback port in its own process group.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';

/** A free loopback port: the kernel picks it (port 0), we release it and hand it to code-server. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function baseEnv(profile) {
  return {
    ...process.env,
    XDG_CONFIG_HOME: profile.xdgConfig,
    // Any gallery lookup fails at once on a dead loopback port instead of trying the internet.
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/item', resourceUrlTemplate: 'http://127.0.0.1:9/res' }),
    ...profile.extraEnv,
  };
}

function profileArgs(profile) {
  return ['--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir];
}

/** `code-server --install-extension x.vsix` into the fresh extensions dir; throws with code-server's output on failure. */
export function installVsix(paths, profile, vsix) {
  const r = spawnSync(paths.nodeBin, [paths.codeServerBin, ...profileArgs(profile), '--install-extension', vsix], {
    env: baseEnv(profile),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`install-extension exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  return `${r.stdout}`.trim();
}

/**
 * Starts code-server detached (its own process group, so every child dies with it) and resolves
 * once it prints that it listens. `stop()` kills the whole group.
 */
export async function startCodeServer(paths, profile, { port, logFile, timeoutMs = 60_000 }) {
  const args = [
    paths.codeServerBin,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    ...profileArgs(profile),
    '--vscode-option', 'enable-smoke-test-driver',
  ];
  const child = spawn(paths.nodeBin, args, { env: baseEnv(profile), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile);
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let output = '';
  const stop = () => killGroup(child.pid);
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`code-server did not listen within ${timeoutMs} ms:\n${output}`)), timeoutMs);
      const onData = (buf) => {
        output += buf.toString();
        if (/HTTP server listening on/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`code-server exited early (${code ?? signal}):\n${output}`));
      });
    });
  } catch (err) {
    stop();
    throw err;
  }
  return { pid: child.pid, url: `http://127.0.0.1:${port}`, stop };
}

/** SIGTERM to the group, SIGKILL to whatever is left shortly after; never throws. */
export function killGroup(pid) {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline) {
    try {
      process.kill(-pid, 0);
    } catch {
      return;
    }
    spawnSync('sleep', ['0.1']);
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // gone between the check and the kill
  }
}
