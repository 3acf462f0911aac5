// Unit: the "Local LB" tree built from runtime stats and decisions (services, persistence sessions, recent decisions).
import test from 'node:test';
import assert from 'node:assert/strict';
import { buildLbTree, DecisionHistory, MAX_DECISIONS_SHOWN, timeLeft, type DecisionRecord } from '../../../client/lb/lbTreeModel';
import type { LbStats } from '../../../runtime/proxy/lbProxy';

const NOW = Date.parse('2026-01-01T00:00:00.000Z');

const stats: LbStats = {
  listening: { host: '127.0.0.1', port: 41883 },
  script: { file: 'mqtt.lua', loadedAt: '2026-01-01T00:00:00.000Z', reloads: 0 },
  method: 'USER_TOKEN',
  connections: { active: 1, piped: 1, total: 3 },
  services: [
    { id: 'broker1', host: '127.0.0.1', port: 1884, address: '127.0.0.1:1884', up: true, healthReason: 'connect ok', activeConnections: 1, totalConnections: 2 },
    { id: 'broker2', host: '127.0.0.1', port: 1885, address: '127.0.0.1:1885', up: false, healthReason: 'ECONNREFUSED', activeConnections: 0, totalConnections: 1 },
  ],
  persistence: {
    type: 'USERSESSION',
    timeoutMinutes: 2,
    entries: [
      { session: 'sensor-1', sessionHex: '73656e736f722d31', service: 'broker1', expiresAt: null, activeConnections: 1 },
      { session: 'sensor-2', service: 'broker1', expiresAt: NOW + 95_000, activeConnections: 0 },
    ],
  },
  recentDecisions: [],
};

function decision(conn: number, token: string | null, service: string | null): DecisionRecord {
  return { conn, time: `2026-01-01T00:00:0${conn % 10}.000Z`, service, address: service ? '127.0.0.1:1884' : null, method: 'USER_TOKEN', chosenBy: 'USER_TOKEN', token, tokenHex: null, session: token, persistence: 'new', reason: 'hash of the user token' };
}

test('no stats (LB not running): an empty tree, so the welcome view with its Start button shows', () => {
  assert.deepEqual(buildLbTree(null, [decision(1, 'a', 'broker1')]), []);
});

test('services show address, health and connection counts', () => {
  const [services] = buildLbTree(stats, [], NOW);
  assert.equal(services.label, 'Services');
  assert.match(services.description ?? '', /USER_TOKEN on 127\.0\.0\.1:41883 · 1 active \/ 3 total/);
  assert.deepEqual(services.children?.map((c) => [c.label, c.description, c.icon]), [
    ['broker1', '127.0.0.1:1884 · UP · 1 active / 2 total', 'pass'],
    ['broker2', '127.0.0.1:1885 · DOWN · 0 active / 1 total', 'error'],
  ]);
});

test('persistence sessions show their service and the time left (or the open connections holding them)', () => {
  const sessions = buildLbTree(stats, [], NOW)[1];
  assert.deepEqual(sessions.children?.map((c) => [c.label, c.description]), [
    ['"sensor-1"', '-> broker1 · held by 1 open connection'],
    ['"sensor-2"', '-> broker1 · 1 min 35 s left'],
  ]);
  assert.equal(timeLeft({ session: 'x', service: 'b', expiresAt: NOW - 5, activeConnections: 0 }, NOW), '0 s left');
});

test('recent decisions: newest first, token -> service, method and persistence, bounded', () => {
  const many = Array.from({ length: MAX_DECISIONS_SHOWN + 5 }, (_, i) => decision(i + 1, `c${i + 1}`, 'broker1'));
  many.push(decision(99, null, null));
  const recent = buildLbTree(stats, many, NOW)[2];
  assert.equal(recent.children?.length, MAX_DECISIONS_SHOWN);
  assert.equal(recent.children?.[0].label, '#99 (none) -> no service');
  assert.equal(recent.children?.[0].icon, 'warning');
  assert.equal(recent.children?.[1].label, '#25 "c25" -> broker1');
  assert.equal(recent.children?.[1].description, 'USER_TOKEN · persistence new');
  assert.match(recent.children?.[1].tooltip ?? '', /hash of the user token/);
});

test('ids are stable across rebuilds, so expansion state survives a refresh', () => {
  const a = buildLbTree(stats, [decision(1, 'x', 'broker1')], NOW);
  const b = buildLbTree(stats, [decision(1, 'x', 'broker1')], NOW + 1000);
  assert.deepEqual(a.map((n) => n.id), b.map((n) => n.id));
  assert.deepEqual(a[2].children?.map((n) => n.id), b[2].children?.map((n) => n.id));
});

test('the decision history is bounded and finds the latest decision of a connection', () => {
  const h = new DecisionHistory(3);
  for (let i = 1; i <= 5; i++) h.add(decision(i, `t${i}`, 'broker1'));
  assert.deepEqual(h.all().map((d) => d.conn), [3, 4, 5]);
  assert.equal(h.forConnection(4)?.token, 't4');
  assert.equal(h.forConnection(1), undefined);
});

test('a message protocol: the services line names it, each service counts its messages, one decision per message', () => {
  const h = new DecisionHistory();
  for (const service of ['broker1', 'broker2', 'broker1']) h.add(decision(7, null, service));
  h.add(decision(8, null, 'broker2'));
  const [services, , recent] = buildLbTree(stats, h, NOW, { title: 'syslog', balancing: 'message', unitName: 'message' });
  assert.match(services.description ?? '', /^syslog · USER_TOKEN on/);
  assert.deepEqual(services.children?.map((c) => c.description?.split(' · ')[0]), ['2 messages', '2 messages']);
  assert.deepEqual(recent.children?.map((c) => c.label), ['#8 message 1 -> broker2', '#7 message 3 -> broker1', '#7 message 2 -> broker2', '#7 message 1 -> broker1']);
  assert.equal(h.perService().get('broker1'), 2, 'counts survive after the bounded list drops old decisions too');
  const ids = recent.children?.map((c) => c.id) ?? [];
  assert.equal(new Set(ids).size, ids.length, 'decisions of one connection in the same millisecond keep distinct ids (the tree shows each once)');
});
