// `protoext-lb export --netscaler|--haproxy`: prints the production configuration for the same settings as `run`.
import type { RunConfig } from './config';
import { bundledExtensionPath } from './bundledExtension';
import { exportHaproxy } from './export/haproxy';
import { exportNetscaler } from './export/netscaler';

export function exportConfig(config: RunConfig, target: 'netscaler' | 'haproxy'): string {
  return target === 'netscaler' ? exportNetscaler(config, config.extension ?? bundledExtensionPath()) : exportHaproxy(config);
}
