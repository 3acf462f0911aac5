// The LB decision: persistence new/hit/rebound/expiry, round-robin fallback for empty tokens, least connection, health.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Balancer } from '../../../runtime/lb/balancer';
import type { LbMethod, PersistenceType } from '../../../runtime/lb/types';

const enc = new TextEncoder();
const services = [
  { id: 'm1', host: '127.0.0.1', port: 1 },
  { id: 'm2', host: '127.0.0.1', port: 2 },
  { id: 'm3', host: '127.0.0.1', port: 3 },
];

function make(method: LbMethod = 'USER_TOKEN', persistence: PersistenceType = 'USERSESSION', minutes = 2) {
  const clock = { now: 1_000_000 };
  const lb = new Balancer({ services, method, persistence, persistenceTimeoutMinutes: minutes, clock: () => clock.now, health: { fall: 1, rise: 1 } });
  return { lb, clock };
}
const req = (id: string) => ({ token: enc.encode(id), session: enc.encode(id) });

test('first decision creates a persistence entry, the next one hits it', () => {
  const { lb } = make();
  const first = lb.decide(req('alice'));
  assert.equal(first.persistence, 'new');
  assert.equal(first.chosenBy, 'USER_TOKEN');
  assert.equal(first.token, 'alice');
  assert.equal(first.tokenHex, '616c696365');
  assert.match(first.reason, /hashes to m\d/);
  const second = lb.decide(req('alice'));
  assert.equal(second.persistence, 'hit');
  assert.equal(second.service, first.service);
  assert.deepEqual(lb.persistenceEntries().map((e) => [e.session, e.service]), [['alice', first.service]]);
});

test('a down persisted service is rebound, and the entry follows the new service', () => {
  const { lb } = make();
  const first = lb.decide(req('bob'));
  lb.markDown(first.service!, 'test');
  const second = lb.decide(req('bob'));
  assert.equal(second.persistence, 'rebound');
  assert.notEqual(second.service, first.service);
  assert.match(second.reason, new RegExp(`persisted service ${first.service}`));
  lb.recordCheck(first.service!, true, 'back');
  const third = lb.decide(req('bob'));
  assert.equal(third.persistence, 'hit');
  assert.equal(third.service, second.service, 'persistence keeps the rebound service after the old one returns');
});

test('an excluded (just failed) service is never chosen', () => {
  const { lb } = make('USER_TOKEN', 'NONE');
  const first = lb.decide(req('carol'));
  const retry = lb.decide({ ...req('carol'), exclude: new Set([first.service!]) });
  assert.notEqual(retry.service, first.service);
  assert.equal(retry.persistence, 'none');
});

test('entries expire after the idle timeout and are refreshed by activity', () => {
  const { lb, clock } = make('ROUNDROBIN', 'USERSESSION', 1);
  const first = lb.decide(req('dave'));
  clock.now += 50_000;
  assert.equal(lb.decide(req('dave')).persistence, 'hit', 'hit refreshes the entry');
  clock.now += 50_000;
  assert.equal(lb.decide(req('dave')).persistence, 'hit');
  assert.equal(lb.persistenceEntries()[0].expiresAt, clock.now + 60_000);
  clock.now += 60_000;
  assert.equal(lb.persistenceEntries().length, 0);
  const later = lb.decide(req('dave'));
  assert.equal(later.persistence, 'new');
  assert.ok(first.service);
});

test('an entry with an open connection does not expire; idle time counts from its close', () => {
  const { lb, clock } = make('USER_TOKEN', 'USERSESSION', 1);
  const d = lb.decide(req('erin'));
  lb.connectionOpened(d.service!, 'erin');
  clock.now += 10 * 60_000;
  assert.equal(lb.persistenceEntries()[0].expiresAt, null);
  lb.connectionClosed(d.service!, 'erin');
  clock.now += 59_000;
  assert.equal(lb.decide(req('erin')).persistence, 'hit');
});

test('empty or absent token falls back to round-robin over services that are up', () => {
  const { lb } = make('USER_TOKEN', 'USERSESSION');
  const picks = [0, 1, 2].map(() => lb.decide({ token: new Uint8Array(0), session: null }));
  assert.deepEqual(picks.map((p) => p.service), ['m1', 'm2', 'm3']);
  assert.ok(picks.every((p) => p.chosenBy === 'ROUNDROBIN' && p.persistence === 'none' && p.token === null));
  assert.match(picks[0].reason, /no user_token; round-robin/);
  lb.markDown('m2', 'test');
  assert.deepEqual([0, 1, 2].map(() => lb.decide({ token: null, session: null }).service), ['m1', 'm3', 'm1']);
});

test('LEASTCONNECTION picks the service with the fewest open connections', () => {
  const { lb } = make('LEASTCONNECTION', 'NONE');
  lb.connectionOpened('m1', null);
  lb.connectionOpened('m2', null);
  lb.connectionOpened('m2', null);
  const d = lb.decide({ token: null, session: null });
  assert.equal(d.service, 'm3');
  assert.equal(d.chosenBy, 'LEASTCONNECTION');
  lb.connectionOpened('m3', null);
  lb.connectionOpened('m3', null);
  lb.connectionClosed('m2', null);
  assert.equal(lb.decide({ token: null, session: null }).service, 'm1');
});

test('no service up gives a decision with no service and says why', () => {
  const { lb } = make();
  for (const s of services) lb.markDown(s.id, 'test');
  const d = lb.decide(req('x'));
  assert.equal(d.service, null);
  assert.equal(d.reason, 'no service is up');
});

test('health: fall failures take a service down, rise successes bring it back', () => {
  const lb = new Balancer({ services, method: 'ROUNDROBIN', persistence: 'NONE', health: { fall: 2, rise: 3 } });
  assert.equal(lb.recordCheck('m1', false, 'refused'), null);
  assert.equal(lb.recordCheck('m1', false, 'refused'), 'down');
  assert.equal(lb.services()[0].up, false);
  assert.equal(lb.recordCheck('m1', true, 'ok'), null);
  assert.equal(lb.recordCheck('m1', true, 'ok'), null);
  assert.equal(lb.recordCheck('m1', true, 'ok'), 'up');
});

test('binary sessions are exact: different bytes never share an entry', () => {
  const { lb } = make('ROUNDROBIN', 'USERSESSION');
  const a = lb.decide({ token: null, session: new Uint8Array([0xc3, 0xa9]) });
  const b = lb.decide({ token: null, session: new Uint8Array([0xc3, 0xaa]) });
  assert.equal(a.persistence, 'new');
  assert.equal(b.persistence, 'new');
  assert.equal(lb.persistenceEntries().length, 2);
});

test('duplicate service ids are rejected', () => {
  assert.throws(() => new Balancer({ services: [services[0], services[0]], method: 'ROUNDROBIN', persistence: 'NONE' }), /duplicate service id/);
});

test('persistence entries show UTF-8 sessions as text, with exact bytes in hex', () => {
  const { lb } = make('ROUNDROBIN', 'USERSESSION');
  lb.decide({ token: null, session: enc.encode('capteur-é') });
  const [entry] = lb.persistenceEntries();
  assert.equal(entry.session, 'capteur-é');
  assert.equal(entry.sessionHex, Buffer.from('capteur-é').toString('hex'));
});
