// The commands `run` prints to try the local MQTT LB: a subscriber and a publisher that land on the same broker.
import { pickByToken } from '../../lb/tokenHash';
import type { LbMethod } from '../../lb/types';

/**
 * Brokers behind the LB are independent, so a subscriber only sees publishers on its own broker: with USER_TOKEN,
 * pick a publisher id that hashes to the subscriber's service so the hint works as printed.
 */
export function hintClientIds(method: LbMethod, serviceIds: readonly string[]): { sub: string; pub: string } {
  if (method !== 'USER_TOKEN') return { sub: 'sub-1', pub: 'pub-1' };
  const enc = new TextEncoder();
  const target = pickByToken(enc.encode('sub-1'), serviceIds);
  for (let i = 1; i < 1000; i++) {
    if (pickByToken(enc.encode(`pub-${i}`), serviceIds) === target) return { sub: 'sub-1', pub: `pub-${i}` };
  }
  return { sub: 'sub-1', pub: 'pub-1' };
}

export function connectHints(host: string, port: number, versions: readonly string[], ids: { sub: string; pub: string }): string[] {
  const v5 = versions.includes('5.0');
  return [
    `mosquitto_sub -h ${host} -p ${port} -i ${ids.sub} -t 'demo/#' -v${v5 ? ' -V mqttv5' : ''}`,
    `mosquitto_pub -h ${host} -p ${port} -i ${ids.pub} -t demo/hello -m hi${v5 ? ' -V mqttv5' : ''}   # this ClientID lands on the same broker as ${ids.sub}`,
  ];
}
