// The protocol-extension sandbox: a fresh capped state with only the safe standard libraries, and clear errors for what was removed.
import type { LuaEngine } from './luaEngine';
import type { LuaState } from './luaState';
import type { Ptr } from './luaModule';

/**
 * Runs once in every new state, after the libraries are opened. Removed globals and library members
 * raise an error naming them and saying why (instead of "attempt to call a nil value"); `__gc` is
 * refused because a finalizer could run outside a protected call, where an error aborts the instance.
 * `xpcall` skips the script's message handler for the budget error: that error is raised from the count hook, and
 * Lua 5.2 runs the message handler before unwinding, while hooks are still off (allowhook = 0), so a looping
 * handler would run forever with no budget.
 */
const SANDBOX_LUA = `
local forbidden, forbidden_members, budget_spent = ...
local error, rawget, setmetatable, type, xpcall = error, rawget, setmetatable, type, xpcall
for name in pairs(forbidden) do _G[name] = nil end
local libs = {}
for path, why in pairs(forbidden_members) do
  local lib, member = path:match('^(%w+)%.(%w+)$')
  _G[lib][member] = nil
  libs[lib] = libs[lib] or {}
  libs[lib][member] = why
end
for lib, members in pairs(libs) do
  setmetatable(_G[lib], { __index = function(_, k)
    local why = members[k]
    if why then error(lib .. '.' .. k .. ' is not available: ' .. why, 2) end
  end })
end
setmetatable(_G, { __metatable = 'protected by the protocol-extension sandbox', __index = function(_, k)
  local why = forbidden[k]
  if why then error(k .. ' is not available: ' .. why, 2) end
end })
_G.xpcall = function(f, handler, ...)
  if type(handler) ~= 'function' then return xpcall(f, handler, ...) end
  return xpcall(f, function(m)
    if budget_spent() then return m end
    return handler(m)
  end, ...)
end
_G.setmetatable = function(t, mt)
  if type(mt) == 'table' and rawget(mt, '__gc') ~= nil then
    error('__gc metamethods are not available in a protocol extension (finalizers run outside the callback)', 2)
  end
  return setmetatable(t, mt)
end
`;

/** Libraries a sandbox may open besides base (never io/os/package/debug: they reach the host). */
export type SafeLibrary = 'string' | 'table' | 'math' | 'bit32' | 'coroutine';

/** What the sandbox opens and removes, with the reason a script is told: given by the caller (the ns layer, from its catalog). */
export interface SandboxPolicy {
  libraries: readonly SafeLibrary[];
  forbiddenGlobals: Readonly<Record<string, string>>;
  /** `lib.member` paths, e.g. `string.dump`. */
  forbiddenMembers: Readonly<Record<string, string>>;
}

export class SandboxSetupError extends Error {}

/** A new state with base and the policy's libraries (never luaL_openlibs: io/os/package reach the host). */
export function newSandboxedState(engine: LuaEngine, memoryLimitBytes: number, policy: SandboxPolicy): LuaState {
  const state = engine.newState(memoryLimitBytes);
  try {
    const lua = engine.lua;
    state.pushFunction((L: Ptr) => {
      // `base` fills the globals table itself; the other libraries become globals of their own name.
      for (const lib of ['base' as const, ...policy.libraries]) {
        lua[`_luaopen_${lib}`](L);
        if (lib !== 'base') {
          const name = lua.allocateUTF8(lib);
          lua._lua_setglobal(L, name);
          lua._free(name);
        }
        lua._lua_settop(L, 0);
      }
      return 0;
    });
    expectOk(state.call(0, 0), 'opening the standard libraries');
    expectOk(state.load(new TextEncoder().encode(SANDBOX_LUA), '=protoext-sandbox'), 'compiling the sandbox');
    pushStringTable(state, policy.forbiddenGlobals);
    pushStringTable(state, policy.forbiddenMembers);
    state.pushFunction((L: Ptr) => {
      lua._lua_pushboolean(L, state.budgetSpent ? 1 : 0);
      return 1;
    });
    expectOk(state.call(3, 0), 'installing the sandbox');
    return state;
  } catch (e) {
    state.close();
    throw e;
  }
}

function pushStringTable(state: LuaState, table: Readonly<Record<string, string>>): void {
  const lua = state.lua;
  lua._lua_createtable(state.L, 0, Object.keys(table).length);
  for (const [k, v] of Object.entries(table)) {
    state.pushString(k);
    state.pushString(v);
    lua._lua_rawset(state.L, -3);
  }
}

function expectOk(outcome: ReturnType<LuaState['call']>, what: string): void {
  if (!outcome.ok) {
    throw new SandboxSetupError(`Lua sandbox setup failed while ${what}: ${outcome.failure.message}`);
  }
}
