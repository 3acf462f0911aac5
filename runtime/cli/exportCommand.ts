// `protoext-lb export --netscaler|--haproxy`: prints the production configuration for the same settings (and protocol) as `run`.
import { PROTOCOLS } from '../protocols';
import type { RunConfig } from './config';
import { bundledExtensionPath } from './bundledExtension';
import { exportHaproxy } from './export/haproxy';
import { exportNetscaler } from './export/netscaler';

export function exportConfig(config: RunConfig, target: 'netscaler' | 'haproxy'): string {
  const protocol = PROTOCOLS[config.protocol];
  if (target === 'haproxy') return exportHaproxy(config);
  return exportNetscaler(config, config.extension ?? bundledExtensionPath(undefined, protocol.defaults.extension), protocol.exportHints.netscalerProtocol);
}
