// Test helper: loads a script (inline or from examples/) and opens connections with a fixed ConnectionInfo.
import { readFileSync } from 'node:fs';
import { loadExtension, type LoadedExtension } from '../../../runtime/ns/loadExtension';
import type { ConnectionInfo, ConnectionOptions, ConnectionScript, EngineLimits } from '../../../runtime/ns/types';

export const INFO: ConnectionInfo = {
  client: { ip: '192.0.2.10', port: 50123, localIp: '127.0.0.1', localPort: 1883 },
  vserver: { name: 'mqtt_vs', params: { region: 'eu' } },
};

export function loadInline(source: string, limits?: Partial<EngineLimits>): Promise<LoadedExtension> {
  return loadExtension(source, 'inline.lua', { limits });
}

export function loadExample(name: string): Promise<LoadedExtension> {
  const file = `examples/${name}`;
  return loadExtension(readFileSync(file, 'utf8'), file);
}

export function connect(ext: LoadedExtension, options?: ConnectionOptions): ConnectionScript {
  return ext.openConnection(INFO, options);
}
