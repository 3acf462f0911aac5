// Finds an installed tool (mosquitto, rsyslogd, ...) the way each OS installs it, and says how to install it when it is absent.
import { existsSync } from 'node:fs';
import { posix, win32 } from 'node:path';

export interface ToolHost {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  exists(file: string): boolean;
}

export const currentHost = (): ToolHost => ({ platform: process.platform, env: process.env, exists: existsSync });

/** Where package managers put daemons that are often not on PATH (Debian's /usr/sbin, Homebrew's sbin, Program Files). */
function conventionalDirs(tool: string, host: ToolHost): string[] {
  if (host.platform === 'win32') {
    return [host.env.ProgramFiles, host.env['ProgramFiles(x86)']].filter((d): d is string => !!d).map((d) => win32.join(d, tool));
  }
  if (host.platform === 'darwin') return ['/opt/homebrew/sbin', '/opt/homebrew/bin', '/usr/local/sbin', '/usr/local/bin'];
  return ['/usr/sbin', '/usr/local/sbin', '/sbin'];
}

/** The PATH variable, whatever its case (Windows has `Path`). */
function pathEntries(host: ToolHost): string[] {
  const key = Object.keys(host.env).find((k) => k.toUpperCase() === 'PATH');
  const sep = host.platform === 'win32' ? ';' : ':';
  return (key ? host.env[key] ?? '' : '').split(sep).filter(Boolean);
}

/** On Windows a bare name runs as name + one of PATHEXT; a daemon is always an .exe in practice, but honour the list. */
function fileNames(tool: string, host: ToolHost): string[] {
  if (host.platform !== 'win32') return [tool];
  const exts = (host.env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean).map((e) => e.toLowerCase());
  return [...new Set(['.exe', ...exts])].map((e) => `${tool}${e}`);
}

export function findExecutable(tool: string, host: ToolHost = currentHost()): string | null {
  const join = host.platform === 'win32' ? win32.join : posix.join;
  for (const dir of [...pathEntries(host), ...conventionalDirs(tool, host)]) {
    for (const name of fileNames(tool, host)) {
      const candidate = join(dir, name);
      if (host.exists(candidate)) return candidate;
    }
  }
  return null;
}

/** Each OS's package-manager line for a tool the studio can use; Debian's package names are the project's own baseline. */
const INSTALL: Record<string, { linux: string; darwin: string; win32: string }> = {
  mosquitto: { linux: 'sudo apt-get install mosquitto', darwin: 'brew install mosquitto', win32: 'winget install EclipseFoundation.Mosquitto' },
  mosquitto_pub: { linux: 'sudo apt-get install mosquitto-clients', darwin: 'brew install mosquitto', win32: 'winget install EclipseFoundation.Mosquitto' },
  mosquitto_sub: { linux: 'sudo apt-get install mosquitto-clients', darwin: 'brew install mosquitto', win32: 'winget install EclipseFoundation.Mosquitto' },
  logger: { linux: 'sudo apt-get install bsdutils', darwin: 'logger ships with macOS', win32: 'no logger on Windows (use WSL)' },
  rsyslogd: { linux: 'sudo apt-get install rsyslog', darwin: 'brew install rsyslog', win32: 'no Windows build of rsyslog exists; the in-process sink is used' },
  haproxy: { linux: 'sudo apt-get install haproxy', darwin: 'brew install haproxy', win32: 'no native Windows build of HAProxy exists (use WSL)' },
};

export function installHint(tool: string, platform: NodeJS.Platform = process.platform): string {
  const lines = INSTALL[tool];
  if (!lines) return `install ${tool}`;
  return platform === 'win32' ? lines.win32 : platform === 'darwin' ? lines.darwin : lines.linux;
}
