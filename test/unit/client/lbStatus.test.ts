// Unit: the local LB status state machine, what the status bar shows for each state, and the crash-restart backoff.
import test from 'node:test';
import assert from 'node:assert/strict';
import { restartDelayMs, statusBarView, transition, type LbStatus } from '../../../client/lb/lbStatus';
import type { LbStats } from '../../../runtime/proxy/lbProxy';

function stats(active: number, up: boolean[]): LbStats {
  return {
    listening: { host: '127.0.0.1', port: 41883 },
    script: { file: 'mqtt.lua', loadedAt: '2026-01-01T00:00:00.000Z', reloads: 0 },
    method: 'USER_TOKEN',
    connections: { active, piped: active, total: 7 },
    services: up.map((u, i) => ({ id: `broker${i + 1}`, host: '127.0.0.1', port: 1884 + i, address: `127.0.0.1:${1884 + i}`, up: u, healthReason: u ? 'connect ok' : 'refused', activeConnections: 0, totalConnections: 0 })),
    persistence: { type: 'USERSESSION', timeoutMinutes: 2, entries: [] },
    recentDecisions: [],
  };
}

test('start -> ready -> stats -> stopped walks stopped, starting, running (with counts), stopped', () => {
  let s: LbStatus = { kind: 'stopped' };
  s = transition(s, { type: 'start', attempt: 1 });
  assert.equal(s.kind, 'starting');
  assert.match(statusBarView(s, 'MQTT').text, /\$\(sync~spin\) MQTT LB: starting/);
  s = transition(s, { type: 'ready', listen: '127.0.0.1:41883', pid: 42 });
  assert.equal(statusBarView(s, 'MQTT').text, '$(radio-tower) MQTT LB 127.0.0.1:41883');
  s = transition(s, { type: 'stats', stats: stats(1, [true, true, false]) });
  assert.equal(statusBarView(s, 'MQTT').text, '$(radio-tower) MQTT LB 127.0.0.1:41883 · 2/3 up · 1 conn');
  assert.equal(statusBarView(s, 'MQTT').command, 'protoext.showLbStatus');
  s = transition(s, { type: 'stopped', reason: 'stopped by the user' });
  assert.deepEqual(s, { kind: 'stopped', reason: 'stopped by the user' });
  assert.equal(statusBarView(s, 'MQTT').command, 'protoext.startLb', 'a click on a stopped LB starts it');
});

test('stats from a process that is going away do not bring a stopped LB back to running', () => {
  const s = transition({ kind: 'stopped' }, { type: 'stats', stats: stats(0, [true]) });
  assert.deepEqual(s, { kind: 'stopped' });
});

test('an error says what failed and when it restarts; the click opens the log', () => {
  const s = transition({ kind: 'starting', attempt: 1 }, { type: 'failed', message: 'the runtime exited unexpectedly (SIGKILL)', retryInMs: 2000 });
  const view = statusBarView(s, 'MQTT');
  assert.equal(view.text, '$(error) MQTT LB: error');
  assert.match(view.tooltip, /SIGKILL.*restarting in 2 s/);
  assert.equal(view.command, 'protoext.showRuntimeLog');
});

test('connection counts are pluralised', () => {
  const s = transition({ kind: 'running', listen: 'h:1', pid: 1, stats: null }, { type: 'stats', stats: stats(2, [true]) });
  assert.match(statusBarView(s, 'MQTT').text, /2 conns$/);
});

test('crash restarts back off 1, 2, 4, 8, 16, 30 s and then give up', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(restartDelayMs), [1000, 2000, 4000, 8000, 16000, 30000]);
  assert.equal(restartDelayMs(7), null);
});

test('the status bar names the protocol the LB serves', () => {
  const s: LbStatus = { kind: 'running', listen: '127.0.0.1:1514', pid: 1, stats: null };
  assert.equal(statusBarView(s, 'syslog').text, '$(radio-tower) syslog LB 127.0.0.1:1514');
  assert.match(statusBarView({ kind: 'stopped' }, 'syslog').tooltip, /^Local syslog LB stopped/);
});
