// The environment for a child package-manager run: nothing inherited from an outer npm, the chosen Node first on PATH.
import { delimiter } from 'node:path';

/**
 * Under `npm test` the outer npm exports its config as npm_config_* (its user agent names the outer Node major),
 * its lifecycle as npm_lifecycle_* / npm_package_*, and prepends node_modules/.bin and node-gyp-bin to PATH.
 * An inner `npm install` reads all of that as its own config: code-server's postinstall then sees "node/v20"
 * and refuses, however the inner Node is chosen. So none of it is passed on.
 */
const OUTER_NPM_VARS = /^(npm_|INIT_CWD$|NODE$|NODE_OPTIONS$|NODE_PATH$|COLOR$|EDITOR$)/i;
const OUTER_NPM_PATH_ENTRY = /([\\/]node_modules[\\/]\.bin|[\\/]node-gyp-bin)[\\/]?$/;

/** The PATH variable's own name: `Path` on Windows, `PATH` elsewhere (whichever the environment has). */
export function pathKey(env) {
  return Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
}

/**
 * A copy of `env` fit for a nested package-manager run.
 * @param {NodeJS.ProcessEnv} env the environment to clean (usually process.env)
 * @param {{ nodeBinDir?: string, set?: Record<string, string>, sep?: string }} options
 *   nodeBinDir goes first on PATH (the Node the child must run on); set adds variables after the scrub.
 */
export function packageManagerEnv(env, { nodeBinDir, set = {}, sep = delimiter } = {}) {
  const key = pathKey(env);
  const clean = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && !OUTER_NPM_VARS.test(k)) clean[k] = v;
  }
  const entries = (env[key] ?? '').split(sep).filter((p) => p && !OUTER_NPM_PATH_ENTRY.test(p));
  if (nodeBinDir) entries.unshift(nodeBinDir);
  if (key !== 'PATH') delete clean.PATH;
  clean[key] = entries.join(sep);
  return { ...clean, ...set };
}
