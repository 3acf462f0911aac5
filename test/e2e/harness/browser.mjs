// Drives /usr/bin/chromium with playwright-core: loopback only, smoke-test hooks exposed, UI actions the suite asks for.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage', '--no-proxy-server',
  // Chromium resolves outside hosts on its own (safe browsing, etc.); nothing may leave the machine.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

export function isLoopback(url) {
  if (/^(data|blob|about|chrome-error|vscode-[a-z-]+):/.test(url)) return true;
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host.endsWith('.localhost');
  } catch {
    return false;
  }
}

/**
 * Opens a fresh chromium profile. `onLog(type, args)` receives the extension host console
 * (codeAutomationLog), `onExit(code)` the suite's result (codeAutomationExit).
 */
export async function openBrowser({ executablePath, profileDir, onLog, onExit, onBlocked }) {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    args: FLAGS,
    viewport: { width: 1400, height: 900 },
  });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLoopback(url)) return route.continue();
    onBlocked?.(url);
    return route.abort('blockedbyclient');
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.exposeFunction('codeAutomationLog', (type, args) => onLog(type, args));
  await page.exposeFunction('codeAutomationExit', (code) => onExit(code));
  return { context, page, close: () => context.close().catch(() => undefined) };
}

function fileName(name) {
  return `${String(name).replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120)}.png`;
}

/** Performs one UI request from the suite; always resolves to { ok, ... } so the suite sees the reason. */
export async function performUiAction(page, request, { screenshotDir }) {
  const timeout = Math.min(Number(request.timeoutMs) || 15_000, 60_000);
  switch (request.action) {
    case 'palette': {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout });
      // F1 opens the palette with ">" already typed; keep it so only commands match.
      await input.fill(`>${request.title}`);
      // Enter runs the focused row, and the list filters asynchronously: wait until the focused row is ours.
      const row = page.locator('.quick-input-list .monaco-list-row.focused', { hasText: request.title }).first();
      await row.waitFor({ state: 'visible', timeout });
      await page.keyboard.press('Enter');
      // The palette closes, or the command at once opens its own quick pick in the same widget (no ">" then).
      // (A string: it runs in the page, where `document` is.)
      await page.waitForFunction(`(() => { const el = document.querySelector('.quick-input-widget input'); return !el || el.offsetParent === null || !el.value.startsWith('>'); })()`, undefined, { timeout });
      return { ok: true };
    }
    case 'keys':
      for (const key of request.keys) await page.keyboard.press(key);
      return { ok: true };
    case 'type':
      await page.keyboard.type(request.text);
      return { ok: true };
    case 'waitForText':
      await page.getByText(request.text).first().waitFor({ state: 'visible', timeout });
      return { ok: true };
    case 'screenshot': {
      mkdirSync(screenshotDir, { recursive: true });
      const path = join(screenshotDir, fileName(request.name));
      await page.screenshot({ path });
      return { ok: true, path };
    }
    default:
      return { ok: false, error: `unknown UI action ${JSON.stringify(request.action)}` };
  }
}
