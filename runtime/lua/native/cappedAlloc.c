/*
 * Lua's allocator with a per-state cap, compiled into the engine beside Lua's own sources.
 *
 * Why C: Lua allocates or frees about twelve times per syslog message and thirty-five times per MQTT
 * connection; an allocator written in JavaScript made each of those a WASM -> JS -> WASM round trip.
 * The account lives in WASM memory so the host still reads and arms it (luaEngine.ts, MemoryAccount).
 */
#include <stdlib.h>
#include "lua.h"

/* Field order and sizes are read by MemoryAccount in runtime/lua/luaEngine.ts (four 32-bit words). */
typedef struct protoext_account {
  size_t used;         /* bytes Lua holds now */
  size_t limit;        /* the cap */
  int refused;         /* set when a request was refused; the host clears it before each call */
  int protected_depth; /* the cap applies only inside lua_pcallk: a refusal outside one would abort */
} protoext_account;

/* Shrinking and freeing never fail (Lua relies on it); with ptr NULL, osize is a type tag, not a size. */
static void *capped_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  protoext_account *account = (protoext_account *)ud;
  size_t old = ptr == NULL ? 0 : osize;
  void *out;
  if (nsize == 0) {
    free(ptr);
    account->used -= old;
    return NULL;
  }
  if (account->protected_depth > 0 && nsize > old && account->used + (nsize - old) > account->limit) {
    account->refused = 1;
    return NULL;
  }
  out = realloc(ptr, nsize);
  if (out != NULL) account->used = account->used - old + nsize;
  return out;
}

/* A state whose every allocation is counted against `account` (lua_getallocf gives the account back). */
LUA_API lua_State *protoext_newstate(protoext_account *account) {
  return lua_newstate(capped_alloc, account);
}
