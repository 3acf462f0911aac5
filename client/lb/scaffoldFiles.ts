// The files "New MQTT Protocol Extension" writes (script, protoext.json, launch.json, sample packets), as plain data; no `vscode` import.
import { encodeConnect } from '../../runtime/mqtt';

export interface ScaffoldFile {
  /** Relative to the target folder, with forward slashes. */
  path: string;
  content: string;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').replace(/(..)(?!$)/g, '$1 ') + '\n';
}

export function scaffoldFiles(sampleScript: string): ScaffoldFile[] {
  const config = {
    extension: 'mqtt.lua',
    listen: '127.0.0.1:1883',
    lbMethod: 'USER_TOKEN',
    persistence: { type: 'USERSESSION', timeoutMinutes: 2 },
    embedded: { kind: 'auto', brokers: 3 },
  };
  const launch = {
    version: '0.2.0',
    configurations: [
      { type: 'protoext', request: 'launch', name: 'Debug CONNECT (MQTT 3.1.1)', program: '${workspaceFolder}/mqtt.lua', packet: { file: '${workspaceFolder}/packets/connect-v311.hex' }, stopOnEntry: true },
      { type: 'protoext', request: 'launch', name: 'Debug CONNECT (MQTT 5.0 + properties)', program: '${workspaceFolder}/mqtt.lua', packet: { file: '${workspaceFolder}/packets/connect-v5-properties.hex' }, stopOnEntry: true },
      { type: 'protoext', request: 'launch', name: 'Debug fragmented CONNECT', program: '${workspaceFolder}/mqtt.lua', packet: { mqtt: { version: '3.1.1', clientId: 'sensor-1' } }, chunks: [1, 6] },
      { type: 'protoext', request: 'attach', name: 'Attach to the local LB', program: '${workspaceFolder}/mqtt.lua' },
    ],
  };
  return [
    { path: 'mqtt.lua', content: sampleScript },
    { path: 'protoext.json', content: JSON.stringify(config, null, 2) + '\n' },
    { path: '.vscode/launch.json', content: JSON.stringify(launch, null, 2) + '\n' },
    { path: 'packets/connect-v311.hex', content: hex(encodeConnect({ version: '3.1.1', clientId: 'sensor-1', keepAlive: 60 })) },
    { path: 'packets/connect-v5-properties.hex', content: hex(encodeConnect({ version: '5.0', clientId: 'sensor-1', keepAlive: 60, properties: { receiveMaximum: 20 } })) },
    { path: 'packets/connect-v31.hex', content: hex(encodeConnect({ version: '3.1', clientId: 'sensor-1', keepAlive: 60 })) },
  ];
}
