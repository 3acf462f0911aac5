// protoext.json and flags: defaults, precedence, and validation messages that name the key path and what was expected.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyConfigFile, defaultConfig, parseHostPort } from '../../../runtime/cli/config';
import { parseRunArgs } from '../../../runtime/cli/runOptions';

const apply = (json: unknown) => applyConfigFile(defaultConfig(), json, 'protoext.json', (p) => `/base/${p}`);

test('defaults follow the ADC: USER_TOKEN, USERSESSION, 2 minutes, 5 s first flight, loopback', () => {
  const c = defaultConfig();
  assert.equal(c.lbMethod, 'USER_TOKEN');
  assert.deepEqual(c.persistence, { type: 'USERSESSION', timeoutMinutes: 2 });
  assert.equal(c.limits.firstFlightTimeoutMs, 5000);
  assert.deepEqual(c.listen, { host: '127.0.0.1', port: 1883 });
  assert.equal(c.extension, null);
});

test('a full config file is applied; extension paths resolve against the file', () => {
  const c = apply({
    extension: 'mqtt.lua',
    listen: '127.0.0.1:2883',
    services: ['127.0.0.1:1884', { name: 'two', address: '[::1]:1885' }],
    lbMethod: 'LEASTCONNECTION',
    persistence: { type: 'NONE', timeoutMinutes: 0.25 },
    limits: { maxHeldBytes: 100 },
    vserver: { params: { tenant: 'a' } },
  });
  assert.equal(c.extension, '/base/mqtt.lua');
  assert.deepEqual(c.listen, { host: '127.0.0.1', port: 2883 });
  assert.equal(c.listenExplicit, true);
  assert.deepEqual(c.services, [{ id: 'svc1', host: '127.0.0.1', port: 1884 }, { id: 'two', host: '::1', port: 1885 }]);
  assert.equal(c.lbMethod, 'LEASTCONNECTION');
  assert.deepEqual(c.persistence, { type: 'NONE', timeoutMinutes: 0.25 });
  assert.equal(c.limits.maxHeldBytes, 100);
  assert.equal(c.limits.firstFlightTimeoutMs, 5000, 'unset limits keep defaults');
  assert.deepEqual(c.vserver.params, { tenant: 'a' });
});

const cases: [unknown, RegExp][] = [
  [[], /^Error: protoext\.json: \$: expected an object, got \[\]$/],
  [{ lbMethod: 'HASH' }, /\$\.lbMethod: expected one of USER_TOKEN \| ROUNDROBIN \| LEASTCONNECTION, got "HASH"/],
  [{ services: [{ address: '1.2.3.4' }] }, /\$\.services\[0\]\.address: expected "HOST:PORT"/],
  [{ services: ['1.2.3.4:99999'] }, /\$\.services\[0\]: expected "HOST:PORT"/],
  [{ services: [{ name: 'a', address: ':1' }, { name: 'a', address: ':2' }] }, /\$\.services\[1\]\.name: expected a name not used by another service, got "a"/],
  [{ persistence: { timeoutMinutes: 0 } }, /\$\.persistence\.timeoutMinutes: expected a number \(> 0, <= 1440\), got 0/],
  [{ limits: { maxConnections: 1.5 } }, /\$\.limits\.maxConnections: expected an integer \(>= 1\), got 1\.5/],
  [{ limits: { maxHeldBytez: 1 } }, /\$\.limits\.maxHeldBytez: unknown key; expected one of firstFlightTimeoutMs/],
  [{ vserver: { params: { a: 1 } } }, /\$\.vserver\.params\.a: expected a string/],
  [{ embedded: { kind: 'emqx' } }, /\$\.embedded\.kind: expected one of auto \| mosquitto \| aedes/],
];
for (const [json, message] of cases) {
  test(`rejects ${JSON.stringify(json)} with a precise message`, () => {
    assert.throws(() => apply(json), message);
  });
}

test('HOST:PORT parsing: IPv4, bracketed IPv6, bare port, and refusals', () => {
  assert.deepEqual(parseHostPort('10.0.0.1:1883'), { host: '10.0.0.1', port: 1883 });
  assert.deepEqual(parseHostPort('[::1]:1883'), { host: '::1', port: 1883 });
  assert.deepEqual(parseHostPort('1883'), { host: '127.0.0.1', port: 1883 });
  assert.equal(parseHostPort('host'), null);
  assert.equal(parseHostPort('h:70000'), null);
});

test('flags override the config file and name themselves in errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'protoext-cfg-'));
  const file = join(dir, 'protoext.json');
  writeFileSync(file, JSON.stringify({ lbMethod: 'ROUNDROBIN', services: ['127.0.0.1:1'], extension: 'x.lua' }));
  const parsed = parseRunArgs(['--config', file, '--lb-method', 'USER_TOKEN', '--persistence-timeout', '0.5', '--service', 'a=127.0.0.1:2', '--service', '127.0.0.1:3'], '/cwd');
  assert.equal(parsed.config.lbMethod, 'USER_TOKEN');
  assert.equal(parsed.config.persistence.timeoutMinutes, 0.5);
  assert.deepEqual(parsed.config.services.map((s) => `${s.id}@${s.port}`), ['a@2', 'svc2@3']);
  assert.equal(parsed.config.extension, join(dir, 'x.lua'));
  assert.throws(() => parseRunArgs(['--persistence-timeout', 'soon']), /^Error: command line: --persistence-timeout: expected a number \(> 0, <= 1440\), got "soon"$/);
  assert.throws(() => parseRunArgs(['--service', 'nowhere']), /command line: --service: expected "HOST:PORT"/);
  assert.throws(() => parseRunArgs(['--bogus']), /Unknown option '--bogus'/);
  assert.throws(() => parseRunArgs(['--netscaler', '--haproxy']), /choose one of --netscaler or --haproxy/);
});

test('the ns.logger threshold: default debug, protoext.json log.level, --log-level wins, a bad level named by its flag', () => {
  assert.equal(parseRunArgs([]).config.log.level, 'debug');
  const dir = mkdtempSync(join(tmpdir(), 'protoext-log-'));
  const file = join(dir, 'protoext.json');
  writeFileSync(file, JSON.stringify({ log: { level: 'warning' } }));
  assert.equal(parseRunArgs(['--config', file]).config.log.level, 'warning');
  assert.equal(parseRunArgs(['--config', file, '--log-level', 'info']).config.log.level, 'info');
  assert.throws(() => parseRunArgs(['--log-level', 'verbose']), /--log-level: expected one of emergency \| alert .* \| debug, got "verbose"/);
  writeFileSync(file, JSON.stringify({ log: { level: 'loud' } }));
  assert.throws(() => parseRunArgs(['--config', file]), /\$\.log\.level: expected one of/);
});
