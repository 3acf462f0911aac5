// The protocol-extension sandbox policy, from the catalog: the engine (runtime/lua) applies it, the language server warns about the same names.
import type { SandboxPolicy } from '../lua/sandbox';
import { FORBIDDEN_GLOBALS, FORBIDDEN_LIBRARY_MEMBERS, OPEN_LIBRARIES } from './catalog';

export const EXTENSION_SANDBOX: SandboxPolicy = { libraries: OPEN_LIBRARIES, forbiddenGlobals: FORBIDDEN_GLOBALS, forbiddenMembers: FORBIDDEN_LIBRARY_MEMBERS };
