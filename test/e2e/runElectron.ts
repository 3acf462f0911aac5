// Runs the same e2e suite under @vscode/test-electron on a desktop with internet: downloads VS Code, installs the VSIX, runs the suite.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';

// Compiled to out/test/e2e/runElectron.js: the repo root is three levels up.
const repo = resolve(__dirname, '..', '..', '..');

function sh(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}`);
}

async function main(): Promise<void> {
  sh('npm', ['run', 'package', '--silent']);
  const vscodeExecutablePath = await downloadAndUnzipVSCode(process.env.PROTOEXT_VSCODE_VERSION ?? 'stable');
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'protoext-electron-')));
  const extensionsDir = join(root, 'extensions');
  const userDataDir = join(root, 'user-data');
  const workspace = join(root, 'workspace');
  mkdirSync(extensionsDir, { recursive: true });
  cpSync(join(repo, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
  // No harnessUrl: the suite falls back to running palette commands by id and skips nothing else.
  writeFileSync(join(workspace, '.protoext-e2e.json'), JSON.stringify({ extensionsDir, sourceDir: repo, ci: Boolean(process.env.CI) }));

  const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(vscodeExecutablePath);
  const install = spawnSync(cli, [...cliArgs, '--extensions-dir', extensionsDir, '--install-extension', join(repo, 'protoext-studio.vsix')], { stdio: 'inherit' });
  if (install.status !== 0) throw new Error(`install-extension exited ${install.status}`);

  // The stub manifest makes out/test/e2e the development extension, so the extension under test is the installed VSIX.
  const devPath = join(repo, 'out', 'test', 'e2e');
  cpSync(join(repo, 'test', 'e2e', 'stub', 'package.json'), join(devPath, 'package.json'));
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: devPath,
      extensionTestsPath: join(devPath, 'suite', 'index'),
      launchArgs: [workspace, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--disable-workspace-trust'],
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
