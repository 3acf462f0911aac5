// The files "New Protocol Extension" writes for a protocol (its sample script, protoext.json, launch.json, its presets as packets), as plain data; no `vscode` import.
import type { Protocol } from '../../runtime/protocols';

export interface ScaffoldFile {
  /** Relative to the target folder, with forward slashes. */
  path: string;
  content: string;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').replace(/(..)(?!$)/g, '$1 ') + '\n';
}

/** `sampleScript`: the protocol's bundled sample (examples/<defaults.extension>), written under the same name. */
export function scaffoldFiles(protocol: Protocol, sampleScript: string): ScaffoldFile[] {
  const d = protocol.defaults;
  const program = `\${workspaceFolder}/${d.extension}`;
  const config = {
    protocol: protocol.name,
    extension: d.extension,
    listen: `${d.listen.host}:${d.listen.port}`,
    lbMethod: d.lbMethod,
    persistence: { type: d.persistence, timeoutMinutes: 2 },
    embedded: { kind: 'auto', brokers: 3 },
  };
  const presets = protocol.presets();
  const launch = {
    version: '0.2.0',
    configurations: [
      ...presets.map((p) => ({
        type: 'protoext', request: 'launch', name: `Debug ${p.label}`, program, protocol: protocol.name,
        packet: { file: `\${workspaceFolder}/packets/${p.name}.hex` }, ...(p.chunks ? { chunks: p.chunks } : {}), stopOnEntry: true,
      })),
      { type: 'protoext', request: 'attach', name: 'Attach to the local LB', program, protocol: protocol.name },
    ],
  };
  return [
    { path: d.extension, content: sampleScript },
    { path: 'protoext.json', content: JSON.stringify(config, null, 2) + '\n' },
    { path: '.vscode/launch.json', content: JSON.stringify(launch, null, 2) + '\n' },
    ...presets.map((p) => ({ path: `packets/${p.name}.hex`, content: hex(p.bytes) })),
  ];
}
