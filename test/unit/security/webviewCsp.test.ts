// The CONNECT Inspector webview: a strict CSP (default-src 'none', nonce'd script and style, no http(s) sources) and no remote content.
import test from 'node:test';
import assert from 'node:assert/strict';
import { configureInspectorWebview } from '../../../client/inspector/inspectorWebview';
import { renderInspector } from '../../../client/inspector/renderInspector';

interface FakeWebview {
  options: { enableScripts?: boolean; localResourceRoots?: readonly unknown[] };
  html: string;
  cspSource: string;
  onDidReceiveMessage: () => { dispose(): void };
  postMessage: (m: unknown) => Promise<boolean>;
}

/** The page both places of the inspector (Run and Debug view, editor panel) get. */
function renderedPage(): { html: string; webview: FakeWebview } {
  const none = () => ({ dispose: () => undefined });
  const webview: FakeWebview = { options: {}, html: '', cspSource: 'https://file+.vscode-resource.vscode-cdn.net', onDidReceiveMessage: none, postMessage: async () => true };
  configureInspectorWebview(webview as unknown as Parameters<typeof configureInspectorWebview>[0]);
  return { html: webview.html, webview };
}

function cspOf(html: string): Map<string, string[]> {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
  assert.ok(m, 'the page declares a CSP in a meta tag');
  const directives = new Map<string, string[]>();
  for (const part of m[1].split(';').map((p) => p.trim()).filter(Boolean)) {
    const [name, ...sources] = part.split(/\s+/);
    directives.set(name, sources);
  }
  return directives;
}

test('the inspector page has default-src \'none\' and nonce-only scripts', () => {
  const { html } = renderedPage();
  const csp = cspOf(html);
  assert.deepEqual(csp.get('default-src'), ["'none'"]);
  const scripts = csp.get('script-src') ?? [];
  assert.ok(scripts.length > 0 && scripts.every((s) => /^'nonce-[A-Za-z0-9+/=]{16,}'$/.test(s)), `script-src ${scripts.join(' ')}`);
  for (const [name, sources] of csp) {
    assert.ok(!sources.includes("'unsafe-eval'") && !sources.includes("'unsafe-inline'") && !sources.includes('*'), `${name}: ${sources.join(' ')}`);
    // The webview's own resource origin (cspSource) is the only https source allowed, and only for styles.
    for (const s of sources) if (/^https?:/.test(s)) assert.equal(name, 'style-src', `${name} allows ${s}`);
  }
});

test('the page loads no remote content: no src/href to http(s); its script and its style are there and carry the nonce', () => {
  const { html, webview } = renderedPage();
  assert.doesNotMatch(html, /\s(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
  assert.doesNotMatch(html, /@import|url\(\s*["']?https?:/i);
  const nonce = /'nonce-([^']+)'/.exec(html)?.[1];
  assert.ok(nonce, 'the CSP names a nonce');
  const tags = html.match(/<(script|style)\b[^>]*>/g) ?? [];
  // The page has its one script and one style: a page without them would pass the nonce check vacuously.
  assert.deepEqual(tags.map((t) => /^<(\w+)/.exec(t)?.[1]).sort(), ['script', 'style']);
  for (const tag of tags) assert.ok(tag.includes(`nonce="${nonce}"`), tag);
  assert.deepEqual(webview.options.localResourceRoots, [], 'no local files are exposed to the page either');
});

test('each page gets a fresh nonce', () => {
  const a = /'nonce-([^']+)'/.exec(renderedPage().html)?.[1];
  const b = /'nonce-([^']+)'/.exec(renderedPage().html)?.[1];
  assert.ok(a && b && a !== b);
});

test('the empty inspector content carries no remote references or active elements', () => {
  const html = renderInspector(null);
  assert.doesNotMatch(html, /https?:\/\/|<script|<iframe|<img/i);
});
