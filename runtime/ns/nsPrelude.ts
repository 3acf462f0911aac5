// The Lua half of the ns/ctxt emulation: streams, contexts and argument checks run inside the VM, the host only records actions.
import { NS_STREAMS_LUA } from './nsStreamsLua';

/** Chunk name of the prelude: a debugger skips frames whose source is this. */
export const NS_PRELUDE_CHUNK = '=protoext-ns';

/**
 * Called once per state with the host functions; returns `deliver`, `new_ctxt` and `surface` (for the catalog parity test).
 * Streams are Lua tables over a Lua string so `data:byte(i)` never leaves the VM (the hot path);
 * every misuse goes through `api_error`, which marks the failure as an `api` ScriptError and
 * positions it at the user's line.
 */
export const NS_PRELUDE_LUA = String.raw`
local host = ...
local error, type, tostring, tonumber, pairs, next, rawget, setmetatable = error, type, tostring, tonumber, pairs, next, rawget, setmetatable
local s_byte, s_sub, s_find, m_floor = string.byte, string.sub, string.find, math.floor
local host_send, host_pipe, host_hold, host_close, host_api, host_read, host_log, host_client =
  host.send, host.pipe, host.hold, host.close, host.api, host.read, host.log, host.client
local s_format, s_gsub, pcall, ipairs = string.format, string.gsub, pcall, ipairs

-- level counts from the caller of api_error, as error() does.
local function api_error(msg, level)
  host_api()
  error(msg, level + 1)
end

local function not_emulated(what)
  return { __index = function(_, k)
    api_error(what .. tostring(k) .. ' is not emulated by the local runtime (it is not part of the ns API this studio knows)', 2)
  end }
end

-- What each ctxt is, kept beside it rather than in records (no tables per connection beyond the ctxt's own):
local CONN = setmetatable({}, { __mode = 'k' })      -- ctxt -> its connection's number
local CLOSED = setmetatable({}, { __mode = 'k' })    -- ctxt -> true once ctxt:close() ran
local INPUT_OF = setmetatable({}, { __mode = 'k' })  -- ctxt.input -> ctxt
local OUTPUT_OF = setmetatable({}, { __mode = 'k' }) -- ctxt.output -> ctxt
local CLIENT_OF = setmetatable({}, { __mode = 'k' }) -- ctxt.client -> ctxt (no record table: it is created per connection)
-- The running callback: its payload.data, connection, whether reads are recorded, whether it held.
local CURRENT, ACTIVE, RECORD, HELD = nil, nil, false, false
${NS_STREAMS_LUA}

-- Returns the ctxt's connection number.
local function check_ctxt(c, what, level)
  local conn = CONN[c]
  if not conn then api_error(what .. ' must be called on ctxt, with a colon (ctxt:' .. what:match('%w+$') .. '(...))', level + 1) end
  if CLOSED[c] then api_error(what .. ': ctxt was closed by ctxt:close() and is no longer usable', level + 1) end
  if conn ~= ACTIVE then api_error(what .. ': this ctxt belongs to another connection (kept from an earlier callback?)', level + 1) end
  return conn
end

-- The client context has hold and close; the server context (server.on_data) only hold, as documented.
local ctxt_methods = setmetatable({}, not_emulated('ctxt.'))
local not_a_ctxt_member = not_emulated('ctxt.').__index
local server_ctxt_methods = setmetatable({}, { __index = function(t, k)
  if k == 'client' or rawget(ctxt_methods, k) then
    api_error('ctxt.' .. k .. ' belongs to the client context; server.on_data has ctxt.output (to the client), ctxt.input, ctxt.vserver and ctxt:hold', 2)
  end
  return not_a_ctxt_member(t, k)
end })
function ctxt_methods:hold(data)
  local conn = check_ctxt(self, 'ctxt:hold', 2)
  if not is_stream(data) then
    local why = gone_why(data)
    if why then api_error('ctxt:hold: ' .. why, 2) end
    api_error('ctxt:hold(data) expects payload.data or a part of it from data:split(n), got ' .. type(data), 2)
  end
  if HELD then api_error('ctxt:hold: this on_data already holds a stream (hold the one stream the next on_data should start with)', 2) end
  HELD = true
  -- the stream's place in payload.data: the host has those bytes already
  host_hold(conn, data[BASE], data[LEN])
  kill(data, (data == CURRENT and 'payload.data' or 'this stream') .. ' was used after ctxt:hold(); the held bytes come back, followed by the new ones, in the next on_data call')
end
function ctxt_methods:close()
  local conn = check_ctxt(self, 'ctxt:close', 2)
  CLOSED[self] = true
  host_close(conn)
end

local OPTIONS = { data = true, user_token = true, user_session = true }
local EVENTS = { DATA = true, EOM = true }
local function text_option(options, key)
  local v = options[key]
  if v == nil or type(v) == 'string' then return v end
  if type(v) == 'number' then return tostring(v) end
  api_error('ns.send: options.' .. key .. ' must be a string, got ' .. type(v), 3)
end

-- Runs once per message in a message-based script: the checks a correct call passes are inlined, the
-- messages for a wrong one are built by the helpers they call.
ns = setmetatable({}, not_emulated('ns.'))
function ns.send(dest, event, options)
  local c, to_client, to_input = OUTPUT_OF[dest], false, false
  if not c then
    c = CLIENT_OF[dest]
    if c then to_client = true
    else
      c = INPUT_OF[dest]
      if not c then api_error('ns.send: the destination must be ctxt.output or ctxt.client, got ' .. type(dest), 2) end
      to_input = true
    end
  end
  local conn = CONN[c]
  if conn ~= ACTIVE or CLOSED[c] then check_ctxt(c, 'ns.send', 2) end
  if to_input then api_error('ns.send: ctxt.input is where the data comes from; send to ctxt.output (or ctxt.client to answer the client)', 2) end
  if event ~= 'EOM' and event ~= 'DATA' then
    api_error('ns.send: event must be "DATA" or "EOM", got ' .. (type(event) == 'string' and '"' .. event .. '"' or type(event)), 2)
  end
  local data, len, token, session
  if options ~= nil then
    if type(options) ~= 'table' then api_error('ns.send: options must be a table {data=..., user_token=..., user_session=...}, got ' .. type(options), 2) end
    for k in next, options do
      if not OPTIONS[k] then api_error('ns.send: unknown option ' .. tostring(k) .. ' (known: data, user_token, user_session)', 2) end
    end
    local d = options.data
    local td = type(d)
    if td == 'table' and rawget(d, SRC) then data, len = d[BASE], d[LEN] -- its place in payload.data: no copy out of the VM
    elseif d == nil or td == 'string' then data = d
    elseif gone_why(d) then api_error('ns.send: ' .. gone_why(d), 2)
    else api_error('ns.send: options.data must be payload.data or a string, got ' .. type(d), 2) end
    token, session = options.user_token, options.user_session
    if token ~= nil and type(token) ~= 'string' then token = text_option(options, 'user_token') end
    if session ~= nil and type(session) ~= 'string' then session = text_option(options, 'user_session') end
  end
  if to_client and (token or session) then
    api_error('ns.send: user_token and user_session steer the LB decision of ctxt.output; ctxt.client takes only data', 2)
  end
  host_send(conn, event == 'EOM', data, len, token, session, to_client)
end
function ns.pipe(src, dest)
  local c = INPUT_OF[src]
  if not c or OUTPUT_OF[dest] ~= c then api_error('ns.pipe: only ns.pipe(ctxt.input, ctxt.output) is emulated', 2) end
  host_pipe(check_ctxt(c, 'ns.pipe', 2))
end

-- ns.logger:<level>(fmt, ...): levels at or above the threshold (host.log_threshold levels, most severe
-- first) format with string.format and hand the line, with the caller's file:line, to the host; the
-- others return at once (nothing formatted on the hot path). A bad format is an error at the caller's line.
local logger = setmetatable({}, not_emulated('ns.logger:'))
for severity, level in ipairs(host.log_levels) do
  local emitted = severity <= host.log_threshold
  logger[level] = function(self, fmt, ...)
    if self ~= logger then api_error('ns.logger:' .. level .. ' must be called with a colon: ns.logger:' .. level .. '(format, ...)', 2) end
    if not emitted then return end
    local ok, line = pcall(s_format, fmt, ...)
    if not ok then error((s_gsub(line, "to '[%w_.]*'", "to 'ns.logger:" .. level .. "'", 1)), 2) end
    -- error() at level 3 from inside pcall names the script's line that called the logger: "file:line: "
    local _, where = pcall(error, '', 3)
    host_log(ACTIVE, severity, line, where)
  end
end
ns.logger = logger

server_ctxt_methods.hold = ctxt_methods.hold

-- ctxt.client: the client's addresses, and a destination (ns.send(ctxt.client, ...) answers the client).
local function set_client(c, ip, port, local_ip, local_port)
  local t = { ip = ip, port = port, local_ip = local_ip, local_port = local_port }
  c.client = t
  CLIENT_OF[t] = c
  return t
end
-- On the LB the addresses are asked for when a script first reads ctxt.client: most never do, and they cost two
-- system calls (getpeername, getsockname) and four strings per connection.
local function client_ctxt_index(c, k)
  if k == 'client' then
    local conn = CONN[c]
    if conn ~= ACTIVE then api_error('ctxt.client: this ctxt belongs to another connection (kept from an earlier callback?)', 2) end
    return set_client(c, host_client(conn))
  end
  return ctxt_methods[k]
end
local CTXT_MT = {
  [true] = { __index = client_ctxt_index, __metatable = 'ns.tcp.client_context' },
  [false] = { __index = server_ctxt_methods, __metatable = 'ns.tcp.server_context' },
}
local PCTX_MT = { __metatable = 'ns.processing_context', __tostring = function() return 'ns.processing_context' end }

-- ip == nil: ctxt.client is filled when first read (the LB); a debugger passes the addresses to show them at once.
local function new_ctxt(conn, is_client, vserver_name, params, ip, port, local_ip, local_port)
  local input, output = setmetatable({}, PCTX_MT), setmetatable({}, PCTX_MT)
  -- One constructor makes the table at its final size (fields added one by one grow it three times); client = nil
  -- still reserves the slot ctxt.client takes when first read.
  local c = setmetatable({ input = input, output = output, vserver = { name = vserver_name, params = params }, client = nil }, CTXT_MT[is_client])
  CONN[c] = conn
  INPUT_OF[input] = c
  OUTPUT_OF[output] = c
  if is_client and ip ~= nil then set_client(c, ip, port, local_ip, local_port) end
  return c
end

local PART_GONE = 'a part of payload.data made by data:split() is only usable during the on_data call that made it'
local function retire_parts()
  for i = 1, NPARTS do
    local p = PARTS[i]
    if p and p[SRC] then p[SRC], p[OFF] = false, PART_GONE end
  end
  PARTS, NPARTS = nil, 0
end

local function new_payload(stream) return { data = stream } end

local function deliver(handler, ctxt, bytes, record, conn)
  if NPARTS > 0 then retire_parts() end  -- left by a callback that failed
  local stream = new_stream(bytes, 0, #bytes, 0, record and RECORDING_MT or PLAIN_MT)
  CURRENT, ACTIVE, RECORD, HELD = stream, conn, record, false
  handler(ctxt, new_payload(stream))
  if stream[SRC] then kill(stream, 'payload.data is only usable during the on_data call that received it') end
  if NPARTS > 0 then retire_parts() end
  CURRENT, ACTIVE = nil, nil
end

client, server = {}, {}
-- What this prelude implements, as "owner name kind" lines (kind: function or field), for the test that
-- holds it and the catalog to the same names, events and kinds. Never called on the hot path.
local function surface()
  local out = {}
  local function add(owner, t)
    for k, v in pairs(t) do out[#out + 1] = owner .. ' ' .. tostring(k) .. ' ' .. (type(v) == 'function' and 'function' or 'field') end
  end
  local c, s = new_ctxt(0, true, '', {}, '', 0, '', 0), new_ctxt(0, false, '', {}, '', 0, '', 0)
  add('ns', ns)
  add('ns.logger', logger)
  add('ns.tcp.client_context', c)
  add('ns.tcp.client_context', ctxt_methods)
  add('ns.tcp.server_context', s)
  add('ns.tcp.server_context', server_ctxt_methods)
  add('ns.client_info', c.client)
  add('ns.vserver', c.vserver)
  add('ns.tcp.payload', new_payload(false))
  add('ns.tcp.stream', plain)
  add('ns.tcp.stream', recording)
  add('ns.send_options', OPTIONS)
  for e in pairs(EVENTS) do out[#out + 1] = 'ns.send event ' .. e end
  return table.concat(out, '\n')
end

return deliver, new_ctxt, surface
`;
