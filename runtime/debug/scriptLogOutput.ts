// ns.logger lines of a script under the debugger, as the worker's `output` messages (the Debug Console shows them at their source line).
import type { LogEntry, LogLevel, LogSettings } from '../ns/types';
import type { FromWorker } from './workerProtocol';

/** The debugger shows every level: a developer at a breakpoint wants all the script says. */
const DEBUGGER_LOG_LEVEL: LogLevel = 'debug';

/** error and more severe go to stderr (shown in red), the rest to the console. */
const STDERR_LEVELS: ReadonlySet<LogLevel> = new Set(['emergency', 'alert', 'critical', 'error']);

export function logOutputMessage(entry: LogEntry): FromWorker {
  const conn = entry.conn === null ? '' : ` #${entry.conn}`;
  return { type: 'output', category: STDERR_LEVELS.has(entry.level) ? 'stderr' : 'console', text: `ns.logger [${entry.level}]${conn}: ${entry.message}\n`, line: entry.line };
}

/** The LogSettings a debugger VM loads its script with: every line becomes one `output` message. */
export function debuggerLog(post: (message: FromWorker) => void): LogSettings {
  return { level: DEBUGGER_LOG_LEVEL, sink: (entry) => post(logOutputMessage(entry)) };
}
