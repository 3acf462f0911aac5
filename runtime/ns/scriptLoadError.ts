// The error loadExtension throws for a script that cannot be loaded (syntax error, or a failure while its main chunk runs).
import type { ScriptError } from './types';

export class ScriptLoadError extends Error {
  constructor(readonly error: ScriptError) {
    super(error.message);
    this.name = 'ScriptLoadError';
  }
}
