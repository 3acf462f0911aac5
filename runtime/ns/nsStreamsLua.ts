// The ns prelude's streams (payload.data and its split parts) as Lua text: their methods, the debugger's recording variant, split.
//
// Not a chunk of its own: nsPrelude.ts places it inside its one chunk, after the locals it uses (api_error,
// not_emulated, host_read, the string functions, the running callback's ACTIVE and RECORD). What it declares
// (SRC/OFF/LEN/BASE, PLAIN_MT, new_stream, kill, gone_why, is_stream, PARTS) serves the rest of the prelude.
export const NS_STREAMS_LUA = String.raw`
-- A stream is a table over a Lua string under private keys (no weak-table traffic per delivery, which costs the
-- GC): SRC the string, OFF the bytes of SRC before the stream, LEN its length, BASE its offset in the delivered
-- payload.data. split() makes views, never copies: the vendor's loop (message, data = data:split(pos) per message)
-- would otherwise copy the rest at every message, quadratic in the messages of a read (16 MB of copying for one
-- 64 KiB read of 512 syslog lines). Once unusable, SRC holds false and OFF says why (no new key: no table resize).
-- The keys are strings no script writes by accident: Lua finds a short string key by pointer, a table key through a
-- hash and an equality call per probe (about 5% of the split loop's time). A script that builds such a table on
-- purpose gets nothing it could not read anyway: the host bounds every offset and length to the running delivery.
local SRC, OFF, LEN, BASE = '\0src', '\0off', '\0len', '\0base'
-- The split parts made by the running callback, retired when it ends. Held weakly: a part the script dropped needs
-- no retiring, and a script that splits a 64 KiB read byte by byte must not keep 131,072 tables alive until it returns.
local WEAK_VALUES = { __mode = 'v' }
local PARTS, NPARTS = nil, 0

local function gone_why(v)
  if type(v) == 'table' and rawget(v, SRC) == false then return rawget(v, OFF) end
end

-- Called straight from a stream method, itself called by the script: level 3 is the script's line.
local function dead(self)
  local why = gone_why(self)
  if why then api_error(why, 3) end
  api_error('expected payload.data (an ns.tcp.stream), got ' .. type(self) .. ' (call it as data:byte(i), with a colon)', 3)
end

local function is_stream(v)
  return type(v) == 'table' and rawget(v, SRC)
end

local function kill(stream, why)
  stream[SRC], stream[OFF] = false, why
end

-- The stream as a string of its own (OFF 0, to the string's end), copied out of its source once: for a part that
-- ends before its source does (the split loop never asks, it sends such a part whole) and for arguments the
-- offset arithmetic below does not cover.
local function own(self)
  local s, o, n = self[SRC], self[OFF], self[LEN]
  if o ~= 0 or n ~= #s then
    s = s_sub(s, o + 1, o + n)
    self[SRC], self[OFF] = s, 0
  end
  return s
end

-- A stream that runs to its string's end is read in place with shifted positions: negative positions and a
-- pattern's $ count from the same end. Shifting is exact for whole numbers well inside Lua's 32-bit integers
-- (Lua turns math.huge into the smallest integer); anything else goes through own().
-- (tonumber(v) == v: a number and not NaN, without type()'s string result.)
local function whole(v) return v == nil or (tonumber(v) == v and v % 1 == 0 and v > -0x40000000 and v < 0x40000000) end
-- Lua's own rule (lstrlib's posrelat) for a position in n bytes: negative counts from the end, too far back is 0.
local function posrelat(p, n)
  if p >= 0 then return p elseif -p > n then return 0 end
  return n + p + 1
end
local function shifted(o, a, b, ...)
  if a == nil then return nil end
  return a - o, b - o, ...
end

-- byte, sub and find open alike (read SRC, OFF, LEN; a dead stream raises; a part that ends early is copied out).
-- The lines are repeated rather than a helper: the split loop calls these per message, and a call is what it pays for.
local plain = setmetatable({}, not_emulated('stream:'))
function plain:len()
  if not self[SRC] then dead(self) end
  return self[LEN]
end
function plain:byte(i, j)
  local s, o, n = self[SRC], self[OFF], self[LEN]
  if not s then dead(self) end
  if o + n ~= #s then s, o = own(self), 0 end
  if o == 0 then return s_byte(s, i, j) end
  if j == nil and (i == 1 or i == nil) then return s_byte(s, o + 1) end
  if not (whole(i) and whole(j)) then return s_byte(own(self), i, j) end
  i = posrelat(i or 1, n)
  j = posrelat(j or i, n)
  if i < 1 then i = 1 end
  return s_byte(s, o + i, o + j)
end
function plain:sub(i, j)
  local s, o, n = self[SRC], self[OFF], self[LEN]
  if not s then dead(self) end
  if o + n ~= #s then s, o = own(self), 0 end
  if o == 0 then return s_sub(s, i, j) end
  if i == nil or not (whole(i) and whole(j)) then return s_sub(own(self), i, j) end
  i = posrelat(i, n)
  j = posrelat(j or -1, n)
  if i < 1 then i = 1 end
  return s_sub(s, o + i, o + j)
end
-- Position captures () and the frontier %f see the whole string, so such patterns search a copy.
function plain:find(pattern, init, isplain)
  local s, o, n = self[SRC], self[OFF], self[LEN]
  if not s then dead(self) end
  if o + n ~= #s then s, o = own(self), 0 end
  if o == 0 then return s_find(s, pattern, init, isplain) end
  local at = init or 1
  if (at ~= 1 and not whole(at)) or (not isplain and (type(pattern) ~= 'string' or s_find(pattern, '()', 1, true) or s_find(pattern, '%f', 1, true))) then
    return s_find(own(self), pattern, init, isplain)
  end
  if at < 0 then at = posrelat(at, n) end
  if at < 1 then at = 1 elseif at > n + 1 then return nil end
  if isplain then
    local a, b = s_find(s, pattern, o + at, true)
    if a then return a - o, b - o end
    return nil
  end
  return shifted(o, s_find(s, pattern, o + at))
end

-- The recording variant reports which positions of the delivered stream were read (0-based, inclusive) to
-- the host: for the debugger only, which shows a stream's bytes by reading its string, so its streams always
-- own their bytes (own(), and split copies). A split part knows where it starts in the delivered stream (BASE).
local function report(self, len, i, j)
  i, j = tonumber(i), tonumber(j)
  if not i or not j then return end
  if i < 0 then i = len + i + 1 end
  if i < 1 then i = 1 end
  if j < 0 then j = len + j + 1 elseif j > len then j = len end
  if i <= j then host_read(ACTIVE, self[BASE] + i - 1, self[BASE] + j - 1) end
end
local recording = setmetatable({}, not_emulated('stream:'))
recording.len = plain.len
function recording:byte(i, j)
  if not self[SRC] then dead(self) end
  local b = own(self)
  i = i or 1
  report(self, #b, i, j or i)
  return s_byte(b, i, j)
end
function recording:sub(i, j)
  if not self[SRC] then dead(self) end
  local b = own(self)
  report(self, #b, i, j or -1)
  return s_sub(b, i, j)
end
function recording:find(pattern, init, isplain)
  if not self[SRC] then dead(self) end
  local b = own(self)
  local s, e = s_find(b, pattern, init, isplain)
  report(self, #b, init or 1, e or -1)
  return s, e
end

local function stream_mt(methods)
  return {
    __index = methods,
    __len = function(s) if not s[SRC] then dead(s) end return s[LEN] end,
    __tostring = function(s) return 'ns.tcp.stream (' .. (s[SRC] and s[LEN] .. ' bytes' or 'no longer usable') .. ')' end,
    __metatable = 'ns.tcp.stream',
  }
end
local PLAIN_MT, RECORDING_MT = stream_mt(plain), stream_mt(recording)

local function new_stream(s, o, n, base, mt)
  return setmetatable({ [SRC] = s, [OFF] = o, [LEN] = n, [BASE] = base }, mt)
end

-- stream:split(n), as on the ADC: n is a byte offset; two streams, the first n bytes and the rest. n is
-- truncated to an integer and clamped to 0..len, so one of the parts may be empty (never an error).
-- The parts die with the callback that made them, as payload.data does (PARTS lists them).
local function split(self, n)
  local s = self[SRC]
  if not s then dead(self) end
  if tonumber(n) ~= n then
    api_error('stream:split(n) takes a byte offset (a number: the first part gets n bytes), got ' .. type(n), 3)
  end
  local len, o, base = self[LEN], self[OFF], self[BASE]
  if n % 1 ~= 0 then n = m_floor(n) end
  if n < 0 then n = 0 elseif n > len then n = len end
  local first, rest
  if RECORD then
    s = own(self)
    first = new_stream(s_sub(s, 1, n), 0, n, base, RECORDING_MT)
    rest = new_stream(s_sub(s, n + 1), 0, len - n, base + n, RECORDING_MT)
  else -- new_stream written out: one call fewer per part, twice per message in the split loop
    first = setmetatable({ [SRC] = s, [OFF] = o, [LEN] = n, [BASE] = base }, PLAIN_MT)
    rest = setmetatable({ [SRC] = s, [OFF] = o + n, [LEN] = len - n, [BASE] = base + n }, PLAIN_MT)
  end
  if not PARTS then PARTS = setmetatable({}, WEAK_VALUES) end
  PARTS[NPARTS + 1], PARTS[NPARTS + 2] = first, rest
  NPARTS = NPARTS + 2
  return first, rest
end
plain.split, recording.split = split, split
`;
