// The protocol is chosen, not assumed: --protocol and "protocol" in protoext.json switch defaults, backends and exports; explicit settings stay.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunArgs } from '../../../runtime/cli/runOptions';
import { exportConfig } from '../../../runtime/cli/exportCommand';
import { HaproxyUnsupported } from '../../../runtime/cli/export/haproxy';

test('no protocol: MQTT as before (1883, USER_TOKEN, USERSESSION, mqtt_vs/mqtt_lb)', () => {
  const { config } = parseRunArgs([]);
  assert.equal(config.protocol, 'mqtt');
  assert.deepEqual([config.listen.port, config.lbMethod, config.persistence.type, config.vserver.name, config.lbVserverName], [1883, 'USER_TOKEN', 'USERSESSION', 'mqtt_vs', 'mqtt_lb']);
});

test('--protocol syslog: 1514, ROUNDROBIN per message, no persistence, syslog_vs/syslog_lb; explicit flags win', () => {
  const { config } = parseRunArgs(['--protocol', 'syslog']);
  assert.deepEqual([config.protocol, config.listen.port, config.lbMethod, config.persistence.type, config.vserver.name, config.lbVserverName], ['syslog', 1514, 'ROUNDROBIN', 'NONE', 'syslog_vs', 'syslog_lb']);
  const explicit = parseRunArgs(['--protocol', 'syslog', '--lb-method', 'LEASTCONNECTION', '--listen', '127.0.0.1:6514']).config;
  assert.deepEqual([explicit.lbMethod, explicit.listen.port], ['LEASTCONNECTION', 6514]);
});

test('"protocol" in protoext.json, and --protocol over a file that set its own listen: the file\'s setting stays', () => {
  const dir = mkdtempSync(join(tmpdir(), 'protoext-proto-'));
  const file = join(dir, 'protoext.json');
  writeFileSync(file, JSON.stringify({ protocol: 'syslog', embedded: { kind: 'rsyslog' } }));
  const fromFile = parseRunArgs(['--config', file]).config;
  assert.deepEqual([fromFile.protocol, fromFile.lbMethod, fromFile.embedded.kind], ['syslog', 'ROUNDROBIN', 'rsyslog']);
  writeFileSync(file, JSON.stringify({ listen: '127.0.0.1:2000', lbMethod: 'USER_TOKEN' }));
  const flagOverFile = parseRunArgs(['--config', file, '--protocol', 'raw']).config;
  assert.deepEqual([flagOverFile.protocol, flagOverFile.listen.port, flagOverFile.persistence.type], ['raw', 2000, 'NONE']);
  // USER_TOKEN is the MQTT default, so a file stating it cannot be told apart; the raw default takes over
  assert.equal(flagOverFile.lbMethod, 'ROUNDROBIN');
});

test('bad protocol and backend kinds are named with what is allowed', () => {
  assert.throws(() => parseRunArgs(['--protocol', 'http']), /--protocol: expected one of mqtt \| syslog \| raw, got "http"/);
  assert.throws(() => parseRunArgs(['--protocol', 'syslog', '--broker-kind', 'mosquitto']), /--broker-kind: expected one of auto \| rsyslog \| sink \(the syslog backends\)/);
  assert.throws(() => parseRunArgs(['--broker-kind', 'rsyslog']), /one of auto \| mosquitto \| aedes \(the mqtt backends\)/);
});

test('export --netscaler follows the protocol: its user protocol, lb method, vserver names, sample and port', () => {
  const text = exportConfig(parseRunArgs(['--protocol', 'syslog', '--service', 's1=10.0.0.5:514']).config, 'netscaler');
  assert.match(text, /^import ns extension local:syslog\.lua syslog_code$/m);
  assert.match(text, /^add user protocol SYSLOG_TCP -transport TCP -extension syslog_code$/m);
  assert.match(text, /^add lb vserver syslog_lb USER_TCP -lbMethod ROUNDROBIN -persistenceType NONE$/m);
  assert.match(text, /^add user vserver syslog_vs SYSLOG_TCP 127\.0\.0\.1 1514 -defaultLB syslog_lb$/m);
  assert.match(text, /^bind lb vserver syslog_lb s1$/m);
});

test('export --haproxy: syslog says why it cannot; raw exports plain balancing, not a user_token it cannot compute; MQTT unchanged', () => {
  assert.throws(() => exportConfig(parseRunArgs(['--protocol', 'syslog']).config, 'haproxy'), (e: unknown) => e instanceof HaproxyUnsupported && /messages inside them.*HAProxy 2\.9/.test(e.message));
  const raw = exportConfig(parseRunArgs(['--protocol', 'raw', '--service', '127.0.0.1:9001']).config, 'haproxy');
  assert.match(raw, /^ {4}balance roundrobin$/m);
  assert.doesNotMatch(raw, /mqtt/);
  assert.throws(() => exportConfig(parseRunArgs(['--protocol', 'raw', '--lb-method', 'USER_TOKEN']).config, 'haproxy'), /cannot compute the user_token/);
  assert.match(exportConfig(parseRunArgs([]).config, 'haproxy'), /mqtt_field_value\(connect,client_identifier\)/);
});
