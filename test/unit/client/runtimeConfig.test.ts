// Unit: protoext.lb.* settings become a validated runtime config through the CLI's own validator; a workspace protoext.json wins.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveRuntimeConfig, settingsToConfigJson, type LbSettings } from '../../../client/lb/runtimeConfig';

const defaults: LbSettings = {
  listen: '127.0.0.1:1883',
  services: [],
  lbMethod: 'USER_TOKEN',
  persistenceType: 'USERSESSION',
  persistenceTimeoutMinutes: 2,
  limits: {},
  script: '',
  embeddedBrokerKind: 'auto',
  embeddedBrokers: 3,
};

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'protoext-client-cfg-'));
}

test('default settings: the bundled sample, embedded brokers, USER_TOKEN + USERSESSION', () => {
  const r = resolveRuntimeConfig(defaults, folder());
  assert.equal(r.source, 'settings');
  assert.equal(r.config.extension, null);
  assert.deepEqual(r.config.services, []);
  assert.equal(r.config.lbMethod, 'USER_TOKEN');
  assert.deepEqual(r.config.embedded, { kind: 'auto', brokers: 3 });
});

test('mqtt.lua at the workspace root is the default script; a relative script setting is made absolute', () => {
  const root = folder();
  writeFileSync(join(root, 'mqtt.lua'), '-- x');
  assert.equal(resolveRuntimeConfig(defaults, root).config.extension, join(root, 'mqtt.lua'));
  assert.equal(settingsToConfigJson({ ...defaults, script: 'lib/other.lua' }, root).extension, join(root, 'lib/other.lua'));
});

test('a bad setting is reported like a bad protoext.json key, by the CLI validator', () => {
  assert.throws(() => resolveRuntimeConfig({ ...defaults, lbMethod: 'HASH' }, folder()), /settings \(protoext\.lb\.\*\): \$\.lbMethod: expected one of USER_TOKEN \| ROUNDROBIN \| LEASTCONNECTION, got "HASH"/);
  assert.throws(() => resolveRuntimeConfig({ ...defaults, services: ['nohost'] }, folder()), /\$\.services\[0\]: expected "HOST:PORT"/);
  assert.throws(() => resolveRuntimeConfig({ ...defaults, limits: { maxHeldBytes: -1 } }, folder()), /\$\.limits\.maxHeldBytes/);
});

test('services and limits from settings reach the config', () => {
  const r = resolveRuntimeConfig({ ...defaults, services: ['127.0.0.1:1884', { name: 'b2', address: '127.0.0.1:1885' }], limits: { maxConnections: 10 } }, folder());
  assert.deepEqual(r.config.services.map((s) => [s.id, s.port]), [['svc1', 1884], ['b2', 1885]]);
  assert.equal(r.config.limits.maxConnections, 10);
});

test('a workspace protoext.json takes precedence over the settings', () => {
  const root = folder();
  writeFileSync(join(root, 'protoext.json'), JSON.stringify({ extension: 'mqtt.lua', lbMethod: 'ROUNDROBIN' }));
  const r = resolveRuntimeConfig({ ...defaults, lbMethod: 'LEASTCONNECTION' }, root);
  assert.equal(r.source, 'protoext.json');
  assert.equal(r.configFile, join(root, 'protoext.json'));
  assert.equal(r.config.lbMethod, 'ROUNDROBIN');
  assert.equal(r.config.extension, join(root, 'mqtt.lua'));
});

test('a broken protoext.json names the file', () => {
  const root = folder();
  writeFileSync(join(root, 'protoext.json'), '{ "listen": ');
  assert.throws(() => resolveRuntimeConfig(defaults, root), (err: Error) => err.message.startsWith(join(root, 'protoext.json')));
});

test('a protoext.json key with a bad value names the file and the key (what a watched edit reports)', () => {
  const root = folder();
  writeFileSync(join(root, 'protoext.json'), JSON.stringify({ lbMethod: 'NO_SUCH_METHOD' }));
  assert.throws(() => resolveRuntimeConfig(defaults, root), (err: Error) => err.message.includes(join(root, 'protoext.json')) && err.message.includes('$.lbMethod'));
});

test('protoext.log.level reaches the config as log.level; unset keeps the runtime default; a bad level is named like a protoext.json key', () => {
  assert.equal(resolveRuntimeConfig({ ...defaults, logLevel: 'warning' }, folder()).config.log.level, 'warning');
  assert.equal(resolveRuntimeConfig({ ...defaults, logLevel: '' }, folder()).config.log.level, 'debug');
  assert.throws(() => resolveRuntimeConfig({ ...defaults, logLevel: 'loud' }, folder()), /\$\.log\.level: expected one of emergency/);
});
