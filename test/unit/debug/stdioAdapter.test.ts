// The bundled adapter over stdio, as VS Code runs it: esbuild bundles debugAdapter + debugWorker like esbuild.mjs, DebugClient spawns node on it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { findLuaWasmDir } from '../../../runtime/lua/luaModule';
import { CONNECT_311_TEST, FIXTURE, LINE, REPO } from './sessionHarness';

test('node debugAdapter.js speaks DAP on stdio and stops at a breakpoint with the worker bundle beside it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'protoext-dap-'));
  const dc = new DebugClient('node', join(dir, 'debugAdapter.js'), 'protoext');
  dc.defaultTimeout = 15000;
  try {
    await build({
      entryPoints: { debugAdapter: join(REPO, 'runtime/debug/debugAdapter.ts'), debugWorker: join(REPO, 'runtime/debug/vmWorker.ts') },
      outdir: dir, bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'], logLevel: 'silent',
    });
    const wasmDir = findLuaWasmDir();
    assert.ok(existsSync(join(wasmDir, 'lua52.wasm')), 'the Lua WASM build exists (npm install builds it)');
    for (const f of ['lua52.js', 'lua52.wasm']) copyFileSync(join(wasmDir, f), join(dir, f));
    await dc.start();
    await dc.hitBreakpoint({ program: FIXTURE, packet: CONNECT_311_TEST }, { path: FIXTURE, line: LINE.clientIdAssign });
    const st = await dc.stackTraceRequest({ threadId: 1 });
    assert.equal(st.body.stackFrames[0].name, 'on_data');
    const terminated = dc.waitForEvent('terminated');
    await dc.continueRequest({ threadId: 1 });
    await terminated;
  } finally {
    await dc.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
});
