// A session's links by service: one field for the usual single service, a Map beyond; each service has one link at a time.
import test from 'node:test';
import assert from 'node:assert/strict';
import type { BackendLink } from '../../../runtime/proxy/backendLink';
import { ServiceLinks } from '../../../runtime/proxy/serviceLinks';

const link = (id: string, n = 0): BackendLink => ({ service: { id }, n }) as unknown as BackendLink;

test('links are found by service, counted and listed once each', () => {
  const links = new ServiceLinks();
  const [a, b, c] = [link('a'), link('b'), link('c')];
  for (const l of [a, b, c]) links.set(l);
  assert.equal(links.size, 3);
  assert.equal(links.get('b'), b);
  assert.deepEqual(links.values(), [a, b, c]);
  links.delete('a');
  assert.equal(links.get('a'), undefined);
  assert.deepEqual(links.values(), [b, c]);
  links.clear();
  assert.equal(links.size, 0);
});

test('a new link for a service replaces its old one wherever that is kept (never two links for one service)', () => {
  const links = new ServiceLinks();
  const a = link('a');
  const b1 = link('b', 1);
  links.set(a);
  links.set(b1);
  links.delete('a');
  const b2 = link('b', 2);
  links.set(b2);
  assert.equal(links.size, 1);
  assert.deepEqual(links.values(), [b2]);
  const a2 = link('a', 2);
  links.set(a2);
  links.set(link('a', 3));
  assert.equal(links.size, 2);
  assert.equal((links.get('a') as unknown as { n: number }).n, 3);
});
