// The one description of the ns/ctxt API: the runtime implements it, the language server and the LuaLS meta generator read it.

/** What a value is, in the vocabulary of the API docs (LuaLS type names where they exist). */
export type ApiType =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'table'
  | 'function'
  | 'any'
  | 'nil'
  | 'ns.tcp.client_context'
  | 'ns.tcp.server_context'
  | 'ns.tcp.payload'
  | 'ns.tcp.stream'
  | 'ns.processing_context'
  | 'ns.vserver'
  | 'ns.client_info'
  | 'ns.send_options'
  | 'ns.logger';

export interface ApiParam {
  name: string;
  type: ApiType;
  doc: string;
  optional?: boolean;
  /** Literal values the argument must be one of (checked by the runtime and the language server). */
  oneOf?: readonly string[];
}

export interface ApiMember {
  /** Lua spelling: `ns.send`, `ctxt:hold`, `ctxt.output`, `stream:byte`, `client.on_data`. */
  path: string;
  kind: 'function' | 'method' | 'field' | 'callback';
  /** The table the member belongs to, as a type name (or `ns` / `client` / `server` for the globals). */
  owner: string;
  type?: ApiType;
  params?: readonly ApiParam[];
  returns?: readonly { type: ApiType; doc: string }[];
  doc: string;
  /** False: exists on the ADC but the local runtime does not emulate it; calling it fails naming it. */
  emulated: boolean;
}

export interface ApiClass {
  name: string;
  doc: string;
}

export const API_CLASSES: readonly ApiClass[] = [
  { name: 'ns', doc: 'The ADC extension library: sends data between processing contexts and pipes streams.' },
  { name: 'client', doc: 'TCP client behavior. Define `client.on_data` to process data from the client; leave it out for the native default.' },
  { name: 'server', doc: 'TCP server behavior. Define `server.on_data` to process data from the server; leave it out and server-to-client bytes take the native fast path.' },
  { name: 'ns.tcp.client_context', doc: 'TCP client processing context (`ctxt`): one per client connection.' },
  { name: 'ns.tcp.server_context', doc: 'TCP server processing context (`ctxt`): one per server connection.' },
  { name: 'ns.tcp.payload', doc: 'Event payload passed to `on_data`.' },
  { name: 'ns.tcp.stream', doc: 'TCP data received, as a stream of bytes with a Lua-string-like interface (1-based positions).' },
  { name: 'ns.processing_context', doc: 'A stage of the processing pipeline (`ctxt.input`, `ctxt.output`).' },
  { name: 'ns.vserver', doc: 'The user virtual server the connection arrived on.' },
  { name: 'ns.client_info', doc: 'The client connection: addresses and ports.' },
  { name: 'ns.send_options', doc: 'Payload of an `ns.send` event.' },
  { name: 'ns.logger', doc: 'The ADC log (ns.log there): `ns.logger:info("saw %d bytes", n)`. Here each line carries its level, connection and file:line, and shows in the runtime log, the Output channel, the Debug Console and simulate.' },
];

const EVENTS = ['DATA', 'EOM'] as const;
export type SendEvent = (typeof EVENTS)[number];

/** ns.logger levels, most severe first (the syslog severities 0-7): a threshold emits its own level and those before it. */
export const LOG_LEVELS = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const loggerMethods: ApiMember[] = LOG_LEVELS.map((level, severity) => ({
  path: `ns.logger:${level}`, kind: 'method', owner: 'ns.logger', emulated: true,
  params: [
    { name: 'format', type: 'string', doc: 'A `string.format` format: `%s`, `%d`, `%x`, `%q`, ...' },
    { name: '...', type: 'any', doc: 'The values for the format.', optional: true },
  ],
  doc: `Logs one line at level ${level} (syslog severity ${severity}), formatted by \`string.format\` rules: a bad format or argument is an error at the calling line. Below the log-level threshold nothing is formatted.`,
}));

// Members the client and the server context share (the server's copies differ only in owner).
const CTXT_INPUT: ApiMember = { path: 'ctxt.input', kind: 'field', owner: 'ns.tcp.client_context', type: 'ns.processing_context', emulated: true, doc: 'The previous processing context in the pipeline, where the TCP stream comes from.' };
const CTXT_VSERVER: ApiMember = { path: 'ctxt.vserver', kind: 'field', owner: 'ns.tcp.client_context', type: 'ns.vserver', emulated: true, doc: 'The virtual server context.' };
const CTXT_HOLD: ApiMember = {
  path: 'ctxt:hold', kind: 'method', owner: 'ns.tcp.client_context', emulated: true,
  params: [{ name: 'data', type: 'ns.tcp.stream', doc: 'The stream to keep: `payload.data`, or the remainder from `data:split(n)`.' }],
  doc: 'Keeps exactly that stream in the context; when more data arrives, `on_data` is called again with the held bytes followed by the new ones. Bytes already sent (a split part sent before the hold) are never delivered again. After `hold`, the data reference is no longer usable: any use is an error (assigning the variable is not a use). One hold per on_data call.',
};

export const API_MEMBERS: readonly ApiMember[] = [
  {
    path: 'client.on_data', kind: 'callback', owner: 'client', emulated: true,
    params: [
      { name: 'ctxt', type: 'ns.tcp.client_context', doc: 'TCP client processing context.' },
      { name: 'payload', type: 'ns.tcp.payload', doc: 'Event payload; `payload.data` is the TCP data received.' },
    ],
    doc: 'Called with the TCP data received from the client. Parse it, then `ns.send` it to `ctxt.output` (the first data sent makes the load-balancing decision), `ctxt:hold` it to wait for more, or `error()` to reset the connection.',
  },
  {
    path: 'server.on_data', kind: 'callback', owner: 'server', emulated: true,
    params: [
      { name: 'ctxt', type: 'ns.tcp.server_context', doc: 'TCP server processing context.' },
      { name: 'payload', type: 'ns.tcp.payload', doc: 'Event payload; `payload.data` is the TCP data received from the server.' },
    ],
    doc: 'Called with the TCP data received from the server. When not defined, server-to-client bytes take the native fast path.',
  },
  {
    path: 'ns.send', kind: 'function', owner: 'ns', emulated: true,
    params: [
      { name: 'dest', type: 'ns.processing_context', doc: 'Where the event goes: `ctxt.output` (next stage, the LB vserver) or `ctxt.client`.' },
      { name: 'event', type: 'string', doc: '`"DATA"`: part of a message. `"EOM"`: end of message; the next data gets a new load-balancing decision.', oneOf: EVENTS },
      { name: 'options', type: 'ns.send_options', doc: '`{data = stream|string, user_token = string, user_session = string}`.', optional: true },
    ],
    doc: 'Sends an event to another processing context. The LB vserver makes its decision on the first data it receives (lbMethod USER_TOKEN balances on `user_token`, persistenceType USERSESSION persists on `user_session`); after an `EOM` the next data gets a new decision. All contiguous DATA events and the following EOM go to the server chosen for the first DATA.',
  },
  {
    path: 'ns.pipe', kind: 'function', owner: 'ns', emulated: true,
    params: [
      { name: 'src', type: 'ns.processing_context', doc: 'Usually `ctxt.input`.' },
      { name: 'dest', type: 'ns.processing_context', doc: 'Usually `ctxt.output`.' },
    ],
    doc: 'Pipes everything that arrives on `src` straight to `dest`: the callback is not called again for this connection.',
  },
  { path: 'ctxt.output', kind: 'field', owner: 'ns.tcp.client_context', type: 'ns.processing_context', emulated: true, doc: 'The next processing context in the pipeline (the LB vserver). Send `DATA`/`EOM` events to it.' },
  CTXT_INPUT,
  CTXT_VSERVER,
  { path: 'ctxt.client', kind: 'field', owner: 'ns.tcp.client_context', type: 'ns.client_info', emulated: true, doc: 'The client connection context: IP address, source and destination ports. Also a destination: `ns.send(ctxt.client, "EOM", {data = ...})` answers the client directly, without any service.' },
  CTXT_HOLD,
  // The server context (server.on_data): output leads to the client; it has no client field and no close.
  { path: 'ctxt.output', kind: 'field', owner: 'ns.tcp.server_context', type: 'ns.processing_context', emulated: true, doc: 'The next processing context on the way back: it leads to the client. Send `DATA`/`EOM` events to it.' },
  { ...CTXT_INPUT, owner: 'ns.tcp.server_context', doc: 'The previous processing context in the pipeline, where the server\'s TCP stream comes from.' },
  { ...CTXT_VSERVER, owner: 'ns.tcp.server_context' },
  { ...CTXT_HOLD, owner: 'ns.tcp.server_context' },
  { path: 'ctxt:close', kind: 'method', owner: 'ns.tcp.client_context', params: [], emulated: true, doc: 'Closes the client connection by sending a FIN to the client. After it the context is no longer usable.' },
  { path: 'ctxt.vserver.params', kind: 'field', owner: 'ns.vserver', type: 'table', emulated: true, doc: 'The `-params name=value` of the user vserver, as a table of strings.' },
  { path: 'ctxt.vserver.name', kind: 'field', owner: 'ns.vserver', type: 'string', emulated: true, doc: 'The name of the user vserver.' },
  { path: 'ctxt.client.ip', kind: 'field', owner: 'ns.client_info', type: 'string', emulated: true, doc: 'The client IP address.' },
  { path: 'ctxt.client.port', kind: 'field', owner: 'ns.client_info', type: 'integer', emulated: true, doc: 'The client (source) port.' },
  { path: 'ctxt.client.local_ip', kind: 'field', owner: 'ns.client_info', type: 'string', emulated: true, doc: 'The address the client connected to (the vserver IP).' },
  { path: 'ctxt.client.local_port', kind: 'field', owner: 'ns.client_info', type: 'integer', emulated: true, doc: 'The port the client connected to (the vserver port).' },
  { path: 'payload.data', kind: 'field', owner: 'ns.tcp.payload', type: 'ns.tcp.stream', emulated: true, doc: 'The TCP data received, as a stream of bytes (held data first, then the new bytes).' },
  {
    path: 'stream:len', kind: 'method', owner: 'ns.tcp.stream', emulated: true, params: [],
    returns: [{ type: 'integer', doc: 'Number of bytes.' }],
    doc: 'The number of bytes in the stream, like `string.len`.',
  },
  {
    path: 'stream:byte', kind: 'method', owner: 'ns.tcp.stream', emulated: true,
    params: [
      { name: 'i', type: 'integer', doc: 'First position (1-based; default 1).', optional: true },
      { name: 'j', type: 'integer', doc: 'Last position (default i).', optional: true },
    ],
    returns: [{ type: 'integer', doc: 'The byte values.' }],
    doc: 'The numeric values of the bytes at positions i..j, like `string.byte`.',
  },
  {
    path: 'stream:sub', kind: 'method', owner: 'ns.tcp.stream', emulated: true,
    params: [
      { name: 'i', type: 'integer', doc: 'First position (1-based).' },
      { name: 'j', type: 'integer', doc: 'Last position (default -1, the end).', optional: true },
    ],
    returns: [{ type: 'string', doc: 'The bytes as a Lua string.' }],
    doc: 'The bytes from position i to j as a string, like `string.sub`.',
  },
  {
    path: 'stream:find', kind: 'method', owner: 'ns.tcp.stream', emulated: true,
    params: [
      { name: 'pattern', type: 'string', doc: 'A Lua pattern (or plain text with `plain`).' },
      { name: 'init', type: 'integer', doc: 'Where to start (default 1).', optional: true },
      { name: 'plain', type: 'boolean', doc: 'Plain substring search.', optional: true },
    ],
    returns: [{ type: 'integer', doc: 'Start and end positions, or nil.' }],
    doc: 'Finds the first match of a pattern, like `string.find`.',
  },
  {
    path: 'stream:split', kind: 'method', owner: 'ns.tcp.stream', emulated: true,
    params: [{ name: 'n', type: 'integer', doc: 'Byte offset: the first part gets the first n bytes. Truncated to an integer and clamped to 0..len (n <= 0: the first part is empty; n >= len: the rest is empty).' }],
    returns: [
      { type: 'ns.tcp.stream', doc: 'The first n bytes.' },
      { type: 'ns.tcp.stream', doc: 'The rest.' },
    ],
    doc: 'Splits the stream at a byte offset into two streams, both with the full stream interface: `message, data = data:split(n)`. The parts are usable during the on_data call that made them; either can be sent or held.',
  },
  { path: 'ns.logger', kind: 'field', owner: 'ns', type: 'ns.logger', emulated: true, doc: 'The ADC log: `ns.logger:<level>(format, ...)`, levels emergency, alert, critical, error, warning, notice, info, debug.' },
  ...loggerMethods,
  { path: 'ns.send_options.data', kind: 'field', owner: 'ns.send_options', type: 'ns.tcp.stream', emulated: true, doc: 'The data to send (a stream or a string).' },
  { path: 'ns.send_options.user_token', kind: 'field', owner: 'ns.send_options', type: 'string', emulated: true, doc: 'The token lbMethod USER_TOKEN balances on.' },
  { path: 'ns.send_options.user_session', kind: 'field', owner: 'ns.send_options', type: 'string', emulated: true, doc: 'The session persistenceType USERSESSION persists on.' },
];

/** Globals the sandbox removes, with the reason given to the user (runtime error text and language-server diagnostic). */
export const FORBIDDEN_GLOBALS: Readonly<Record<string, string>> = {
  io: 'file and console I/O is not available to protocol extensions',
  os: 'operating-system access is not available to protocol extensions',
  require: 'modules cannot be loaded in a protocol extension',
  package: 'modules cannot be loaded in a protocol extension',
  debug: 'the debug library is not available to protocol extensions',
  load: 'loading code at run time is not allowed in a protocol extension',
  loadstring: 'loading code at run time is not allowed in a protocol extension',
  loadfile: 'loading files is not allowed in a protocol extension',
  dofile: 'loading files is not allowed in a protocol extension',
  collectgarbage: 'the garbage collector is managed by the host',
  print: 'there is no console on the ADC; use error() or the debugger',
};

/** Library tables the sandbox opens (Lua 5.2 genuine); members of `string` minus `dump`. */
export const OPEN_LIBRARIES = ['string', 'table', 'math', 'bit32', 'coroutine'] as const;
export const FORBIDDEN_LIBRARY_MEMBERS: Readonly<Record<string, string>> = {
  'string.dump': 'bytecode cannot be produced or loaded in a protocol extension',
};

/** Lua 5.3/5.4 habits that behave differently on the ADC's Lua 5.2 (for diagnostics and docs). */
export const LUA54_TRAPS: readonly { construct: string; message: string }[] = [
  { construct: '//', message: 'Integer division `//` is Lua 5.3+; on Lua 5.2 use math.floor(a / b).' },
  { construct: '&|~<<>>', message: 'Bitwise operators are Lua 5.3+; on Lua 5.2 use bit32.band/bor/bxor/lshift/rshift.' },
  { construct: 'math.type', message: 'math.type does not exist in Lua 5.2 (there is no integer subtype).' },
  { construct: 'string.pack', message: 'string.pack/unpack are Lua 5.3+; decode bytes with data:byte().' },
  { construct: 'utf8', message: 'The utf8 library is Lua 5.3+.' },
  { construct: 'table.unpack', message: 'Lua 5.2 has table.unpack and the global unpack; 5.4 only table.unpack. Both work here.' },
];

export function memberByPath(path: string): ApiMember | undefined {
  return API_MEMBERS.find((m) => m.path === path);
}

export function membersOf(owner: string): ApiMember[] {
  return API_MEMBERS.filter((m) => m.owner === owner);
}

export const SEND_EVENTS: readonly SendEvent[] = EVENTS;
