// `export --haproxy`: an HAProxy config for the same settings where HAProxy can express them (MQTT: balance on the ClientID, the peer baseline), else why not.
import { PROTOCOLS, type ExportHints } from '../../protocols';
import type { RunConfig } from '../config';

/** HAProxy cannot express this protocol's or method's balancing; the message says why and what to do instead. */
export class HaproxyUnsupported extends Error {}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** HAProxy server names: no spaces or odd characters. */
function serverName(id: string): string {
  return id.replace(/[^A-Za-z0-9_.:-]/g, '_');
}

export function exportHaproxy(config: RunConfig, hints: ExportHints['haproxy'] = PROTOCOLS[config.protocol].exportHints.haproxy): string {
  if ('unsupported' in hints) throw new HaproxyUnsupported(`HAProxy cannot express the ${config.protocol} load balancing: ${hints.unsupported}`);
  const { healthCheck: h } = config;
  if (config.lbMethod === 'USER_TOKEN' && !hints.tokenBalance) {
    throw new HaproxyUnsupported(`HAProxy cannot compute the user_token the ${config.protocol} script computes (it does not run the Lua extension); export with --lb-method ROUNDROBIN or LEASTCONNECTION, or use --netscaler`);
  }
  const balance = config.lbMethod === 'USER_TOKEN' && hints.tokenBalance
    ? hints.tokenBalance
    : [`    balance ${config.lbMethod === 'ROUNDROBIN' ? 'roundrobin' : 'leastconn'}`];
  const stick = config.persistence.type === 'USERSESSION' && hints.stickOn
    ? ['    # USERSESSION persistence on the same key with the same idle timeout.',
      `    stick-table type string len 256 size 1m expire ${Math.max(1, Math.round(config.persistence.timeoutMinutes * 60_000))}ms`,
      `    stick on ${hints.stickOn}`]
    : [];
  if (config.persistence.type === 'USERSESSION' && !hints.stickOn) {
    throw new HaproxyUnsupported(`HAProxy cannot persist on the user_session the ${config.protocol} script computes; export with --persistence NONE, or use --netscaler`);
  }
  const lines = [
    ...hints.header,
    'global',
    '    # No global maxconn: HAProxy derives it from the FD limit; the per-frontend limit below mirrors the local LB.',
    '',
    'defaults',
    '    mode tcp',
    `    timeout connect ${config.limits.connectTimeoutMs}ms`,
    '    timeout client 1h',
    '    timeout server 1h',
    '',
    `frontend ${serverName(config.vserver.name)}`,
    '    mode tcp',
    `    bind ${hostPort(config.listen.host, config.listen.port)}`,
    `    maxconn ${config.limits.maxConnections}`,
    `    tcp-request inspect-delay ${config.limits.firstFlightTimeoutMs}ms`,
    ...hints.frontend,
    `    default_backend ${serverName(config.lbVserverName)}`,
    '',
    `backend ${serverName(config.lbVserverName)}`,
    '    mode tcp',
    ...balance,
    ...stick,
    ...config.services.map((s) => `    server ${serverName(s.id)} ${hostPort(s.host, s.port)} check inter ${h.intervalMs}ms fall ${h.fall} rise ${h.rise}`),
  ];
  return lines.join('\n') + '\n';
}
