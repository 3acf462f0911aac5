// Lint rules for the whole tree: typescript-eslint recommended, plus the one-way imports between client/, server/ and runtime/.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const noVscode = { name: 'vscode', message: 'Only client/ (and the e2e suite that runs in the extension host) may import vscode.' };
const noClient = { group: ['**/client', '**/client/**'], message: 'client/ is the VS Code layer; nothing below it may import it.' };
const noServer = { group: ['**/server', '**/server/**'], message: 'server/ is its own process; share code through runtime/ns/catalog instead.' };
/** server/ may read the ns catalog (and nothing else of runtime/): the catalog is the one source of truth it shares. */
const onlyCatalogFromRuntime = {
  group: ['**/runtime/**', '!**/runtime/ns', '!**/runtime/ns/catalog', '!**/runtime/ns/catalog.js', '!**/runtime/ns/catalog.ts'],
  message: 'server/ may import only runtime/ns/catalog from runtime/.',
};

/**
 * Protocol knowledge stays behind the protocol interface: outside runtime/protocols/, code imports the registry
 * (runtime/protocols) only, never a protocol's folder; runtime/mqtt (MQTT's parts until they move under
 * runtime/protocols/mqtt/) only from runtime/protocols/mqtt/.
 */
const noProtocolFolder = {
  regex: '^\\.{1,2}/(.+/)?protocols/(?!protocol$|index$)[^/]+',
  message: 'A protocol\'s folder is its own: import the registry (runtime/protocols) and ask the Protocol interface.',
};
const noMqttParts = {
  regex: '^\\.{1,2}/(.+/)?mqtt(/.*)?$',
  message: 'runtime/mqtt is MQTT\'s own: use the Protocol interface (runtime/protocols); only runtime/protocols/mqtt/ adapts it.',
};
const PROTOCOL_FOLDERS = ['mqtt', 'syslog', 'raw'];
/** Inside runtime/protocols/<name>/: no other protocol's folder (siblings share only protocol.ts). */
const noSiblingProtocol = (name) => ({
  regex: `^\\.\\./(${PROTOCOL_FOLDERS.filter((p) => p !== name).join('|')})(/.*)?$`,
  message: 'Protocols do not import each other: share code through runtime/protocols/protocol.ts.',
});

const restrict = (paths, patterns) => ({ 'no-restricted-imports': ['error', { paths, patterns }] });

/** The doors between runtime/ rooms (docs/ARCHITECTURE.md): each room lists the rooms it may not import. */
const ROOM_NEEDS = {
  lua: 'the Lua engine knows no protocol-extension API: it takes its sandbox lists as input (runtime/ns/extensionSandbox.ts)',
  ns: 'the ns API knows bytes and the engine (and the LB decision types its debugger-takeover contract carries), not sockets, protocols or tools',
  mqtt: 'protocol decoders are pure',
  lb: 'load-balancing decisions are pure',
  packets: 'packet descriptions know only the protocol encoders',
  proxy: 'the pipeline talks to a debugger through runtime/ns/scriptTakeover.ts, never to runtime/debug',
  debug: 'the debugger runs the engine; it does not reach into the proxy or the CLI',
};
const roomPattern = (rooms, why) => ({ group: rooms.flatMap((r) => [`**/${r}`, `**/${r}/**`]), message: `Not across this door: ${why}.` });
/** `base`: the patterns every runtime/ file has (a room that still uses runtime/mqtt directly passes its own). */
const roomRule = (room, forbidden, base = [noClient, noServer, noMqttParts, noProtocolFolder]) => ({
  files: [`runtime/${room}/**/*.ts`],
  rules: restrict([noVscode], [...base, roomPattern(forbidden, ROOM_NEEDS[room])]),
});

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-results/**', '.vscode-test/**', 'bench/results/**', '**/*.d.ts', 'runtime/lua/wasm/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Emscripten's glue and luaparse's AST are untyped at the edges; `any` stays visible in review instead of failing lint.
      '@typescript-eslint/no-explicit-any': 'warn',
      'no-empty': ['error', { allowEmptyCatch: true }],
      // Protocol code matches raw bytes, control characters included.
      'no-control-regex': 'off',
    },
  },
  // Default for everything that is not client/, the e2e suite, runtime/ or server/: no vscode.
  { files: ['**/*.{ts,mjs,js,cjs}'], rules: restrict([noVscode], []) },
  { files: ['runtime/**/*.ts'], rules: restrict([noVscode], [noClient, noServer, noMqttParts, noProtocolFolder]) },
  roomRule('lua', ['ns', 'mqtt', 'lb', 'packets', 'proxy', 'debug', 'cli', 'protocols']),
  roomRule('ns', ['mqtt', 'packets', 'proxy', 'debug', 'cli', 'protocols']),
  roomRule('lb', ['lua', 'ns', 'mqtt', 'packets', 'proxy', 'debug', 'cli', 'protocols']),
  roomRule('proxy', ['lua', 'packets', 'debug', 'cli']),
  // The debugger and packet descriptions still import runtime/mqtt (MQTT's parts move under the protocol interface next); never a protocol's folder.
  roomRule('packets', ['lua', 'ns', 'lb', 'proxy', 'debug', 'cli'], [noClient, noServer, noProtocolFolder]),
  roomRule('debug', ['proxy'], [noClient, noServer, noProtocolFolder, {
    regex: '^\\.\\./cli/(?!config$|brokers/embeddedServices$)',
    message: 'From runtime/cli the debugger takes only the configuration and the embedded services\' names (it decides over the services the local LB would use).',
  }]),
  roomRule('mqtt', ['lua', 'ns', 'lb', 'packets', 'proxy', 'debug', 'cli'], [noClient, noServer]),
  // The CLI may use every room; from runtime/debug only the LB's attach hook (packet parsing lives in runtime/packets).
  {
    files: ['runtime/cli/**/*.ts'],
    rules: restrict([noVscode], [noClient, noServer, noMqttParts, noProtocolFolder, { group: ['**/debug/*', '!**/debug/attachHook'], message: 'From runtime/debug the CLI takes only the attach hook; shared parsing belongs in its own room (runtime/packets).' }]),
  },
  // The registry imports each protocol's folder (./mqtt is the adapter); runtime/mqtt itself is the adapter's.
  { files: ['runtime/protocols/*.ts'], rules: restrict([noVscode], [noClient, noServer, { ...noMqttParts, regex: '^\\.\\./mqtt(/.*)?$' }]) },
  ...PROTOCOL_FOLDERS.map((name) => ({
    files: [`runtime/protocols/${name}/**/*.ts`],
    rules: restrict([noVscode], [noClient, noServer, noSiblingProtocol(name), ...(name === 'mqtt' ? [] : [noMqttParts])]),
  })),
  { files: ['server/**/*.ts'], rules: restrict([noVscode], [noClient, onlyCatalogFromRuntime]) },
  { files: ['client/**/*.ts', 'test/e2e/suite/**/*.ts'], rules: { 'no-restricted-imports': 'off' } },
  // Test doubles sometimes hand `this` to callbacks they build.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-this-alias': 'off' } },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
);
