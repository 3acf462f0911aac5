// `--protocol mqtt|syslog|raw` for simulate and check: the name to the protocol, or a usage error that lists the names.
import { DEFAULT_PROTOCOL, PROTOCOL_NAMES, parseProtocolName, protocolByName, type Protocol } from '../protocols';
import { CliUsageError } from './scriptFile';

export const PROTOCOL_FLAG_USAGE = `  --protocol    ${PROTOCOL_NAMES.join(' | ')} (default ${DEFAULT_PROTOCOL}): the reference, corpus, sample and service names follow it`;

export function parseProtocolFlag(text: string | undefined): Protocol {
  if (text === undefined) return protocolByName(DEFAULT_PROTOCOL);
  const name = parseProtocolName(text);
  if (!name) throw new CliUsageError(`--protocol: expected ${PROTOCOL_NAMES.join('|')}, got "${text}"`);
  return protocolByName(name);
}
