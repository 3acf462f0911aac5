// The Lua prelude of the debug VM: sandbox globals and an ns/ctxt/payload emulation whose reads and sends call back into the host.

/** Chunk name of everything that is not the user's file: the hook never stops in, nor shows, frames from it. */
export const PRELUDE_CHUNK = '=[protoext]';

/**
 * Called with (host_read, host_send, host_pipe, host_hold, host_close, vserver_name, client_ip, client_port, local_ip, local_port).
 * Returns (sandbox_env, deliver): user code runs with sandbox_env as _ENV; deliver(bytes) calls client.on_data.
 * Why Lua and not JS: every stream method is a Lua function the hook can skip by chunk name, and string semantics stay genuine 5.2.
 */
export const PRELUDE_SOURCE = String.raw`
local host_read, host_send, host_pipe, host_hold, host_close, vs_name, c_ip, c_port, l_ip, l_port = ...
local G = _G
local string_byte, string_sub, string_find, type, error, setmetatable = string.byte, string.sub, string.find, type, error, setmetatable

local sandbox = {}
for _, k in ipairs({'assert','error','ipairs','next','pairs','pcall','rawequal','rawget','rawlen','rawset','select',
  'setmetatable','getmetatable','tonumber','tostring','type','unpack','xpcall','_VERSION'}) do sandbox[k] = G[k] end
local function copy(t) local c = {} for k, v in pairs(t) do c[k] = v end return c end
for _, lib in ipairs({'string','table','math','bit32','coroutine'}) do sandbox[lib] = copy(G[lib]) end
sandbox.string.dump = nil
string.dump = nil
sandbox._G = sandbox

-- payload.data: a byte stream whose reads are reported to the host (1-based inclusive ranges).
local Stream = {}
local state = setmetatable({}, {__mode = 'k'})
local function live(s)
  local st = state[s]
  if st == nil then error('not a stream', 3) end
  if st.dead then error('the data was held by ctxt:hold and can no longer be used', 3) end
  return st.bytes
end
local function range(n, i, j)
  if i < 0 then i = n + i + 1 end
  if j < 0 then j = n + j + 1 end
  if i < 1 then i = 1 end
  if j > n then j = n end
  return i, j
end
function Stream.len(s) return #live(s) end
function Stream.byte(s, i, j)
  local b = live(s)
  i = i or 1
  j = j or i
  local a, z = range(#b, i, j)
  if a <= z then host_read(a, z) end
  return string_byte(b, i, j)
end
function Stream.sub(s, i, j)
  local b = live(s)
  j = j or -1
  local a, z = range(#b, i, j)
  if a <= z then host_read(a, z) end
  return string_sub(b, i, j)
end
function Stream.find(s, pattern, init, plain)
  local b = live(s)
  local r = {string_find(b, pattern, init, plain)}
  if r[1] then host_read(r[1], r[2]) end
  return unpack(r)
end
function Stream.split(s, sep)
  local b = live(s)
  if #b > 0 then host_read(1, #b) end
  local out, pos = {}, 1
  while true do
    local a, z = string_find(b, sep, pos, true)
    if not a or sep == '' then out[#out + 1] = string_sub(b, pos) break end
    out[#out + 1] = string_sub(b, pos, a - 1)
    pos = z + 1
  end
  return out
end
local StreamMeta = {__index = Stream, __len = function(s) return #live(s) end,
  __tostring = function(s) local b = live(s) if #b > 0 then host_read(1, #b) end return b end,
  __metatable = 'ns.tcp.stream'}
local function new_stream(bytes)
  local s = setmetatable({}, StreamMeta)
  state[s] = {bytes = bytes}
  return s
end
local function bytes_of(v, what)
  if type(v) == 'string' then return v end
  if state[v] then return live(v) end
  if v == nil then return nil end
  error(what .. ' must be a string or a stream, got ' .. type(v), 3)
end

local output, input = {name = 'output'}, {name = 'input'}
local Ctxt = {}
function Ctxt.hold(self, data)
  if state[data] then state[data].dead = true end
  host_hold()
end
function Ctxt.close(self) host_close() end
local ctxt = setmetatable({output = output, input = input,
  vserver = {name = vs_name, params = {}},
  client = {ip = c_ip, port = c_port, local_ip = l_ip, local_port = l_port}}, {__index = Ctxt})

sandbox.ns = {
  send = function(dest, event, opts)
    if dest ~= output and dest ~= ctxt.client then error('ns.send: destination must be ctxt.output', 2) end
    if event ~= 'DATA' and event ~= 'EOM' then error('ns.send: event must be "DATA" or "EOM", got ' .. tostring(event), 2) end
    opts = opts or {}
    host_send(event, bytes_of(opts.data, 'data') or '', bytes_of(opts.user_token, 'user_token'), bytes_of(opts.user_session, 'user_session'))
  end,
  pipe = function(src, dest) host_pipe() end,
}
sandbox.client = {}
sandbox.server = {}

local function deliver(bytes)
  local client = sandbox.client
  if type(client) ~= 'table' or type(client.on_data) ~= 'function' then return false end
  client.on_data(ctxt, {data = new_stream(bytes)})
  return true
end
return sandbox, deliver
`;

/**
 * Called with (main chunk, sandbox, "@file") after the main chunk ran: the active lines of every function of the file it can reach,
 * through tables and upvalues. Lua's own debug library does the work; the user's sandbox never sees it.
 */
export const ACTIVE_LINES_WALKER = String.raw`local main, sandbox, src = ...
local lines, seen = {}, {}
local function visit(v, depth)
  if depth > 8 or seen[v] then return end
  local t = type(v)
  if t == 'function' then
    seen[v] = true
    local info = debug.getinfo(v, 'SL')
    if info.source == src and info.activelines then for l in pairs(info.activelines) do lines[#lines + 1] = l end end
    local i = 1
    while true do local n, uv = debug.getupvalue(v, i) if not n then break end visit(uv, depth + 1) i = i + 1 end
  elseif t == 'table' then
    seen[v] = true
    for _, x in pairs(v) do visit(x, depth + 1) end
  end
end
visit(main, 0)
visit(sandbox, 0)
return table.concat(lines, ',')`;
