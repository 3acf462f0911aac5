// export --netscaler / --haproxy: the production configuration mirrors the local settings line by line.
import test from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig, type RunConfig } from '../../../runtime/cli/config';
import { exportHaproxy } from '../../../runtime/cli/export/haproxy';
import { adcName, exportNetscaler } from '../../../runtime/cli/export/netscaler';

function config(patch: Partial<RunConfig> = {}): RunConfig {
  return {
    ...defaultConfig(),
    services: [{ id: 'mqtt_svr1', host: '10.0.0.1', port: 1501 }, { id: 'mqtt svr2', host: '10.0.0.2', port: 1501 }],
    ...patch,
  };
}

test('NetScaler batch: extension import, user protocol, services, USER_TOKEN lb vserver with USERSESSION, binds, user vserver', () => {
  const lines = exportNetscaler(config({ vserver: { name: 'mqtt_vs', params: { tenant: 'blue' } } }), '/x/examples/mqtt.lua').split('\n');
  const commands = lines.filter((l) => l && !l.startsWith('#'));
  assert.deepEqual(commands, [
    'import ns extension local:mqtt.lua mqtt_code',
    'add user protocol MQTT -transport TCP -extension mqtt_code',
    'add lb monitor mqtt_lb_tcp_mon TCP -interval 2 -resptimeout 1 -retries 2 -successRetries 2',
    'add service mqtt_svr1 10.0.0.1 USER_TCP 1501',
    'bind service mqtt_svr1 -monitorName mqtt_lb_tcp_mon',
    'add service mqtt_svr2 10.0.0.2 USER_TCP 1501',
    'bind service mqtt_svr2 -monitorName mqtt_lb_tcp_mon',
    'add lb vserver mqtt_lb USER_TCP -lbMethod USER_TOKEN -persistenceType USERSESSION -timeout 2',
    'bind lb vserver mqtt_lb mqtt_svr1',
    'bind lb vserver mqtt_lb mqtt_svr2',
    'add user vserver mqtt_vs MQTT 127.0.0.1 1883 -defaultLB mqtt_lb -params "tenant=blue"',
  ]);
});

test('NetScaler: fractional minutes are rounded up and said so; NONE persistence has no timeout', () => {
  const text = exportNetscaler(config({ persistence: { type: 'USERSESSION', timeoutMinutes: 0.1 } }), 'mqtt.lua');
  assert.match(text, /# The ADC takes whole minutes: persistence timeout 0.1 rounded up to 1\./);
  assert.match(text, /-persistenceType USERSESSION -timeout 1\n/);
  const none = exportNetscaler(config({ persistence: { type: 'NONE', timeoutMinutes: 2 }, lbMethod: 'ROUNDROBIN' }), 'mqtt.lua');
  assert.match(none, /add lb vserver mqtt_lb USER_TCP -lbMethod ROUNDROBIN -persistenceType NONE\n/);
  assert.equal(adcName('9 bad/name'), '9_bad_name');
});

test('HAProxy: ClientID captured in the frontend, consistent hash and stick table in the backend, checks per server', () => {
  const text = exportHaproxy(config({ limits: { ...defaultConfig().limits, firstFlightTimeoutMs: 3000 } }));
  assert.match(text, /tcp-request inspect-delay 3000ms/);
  assert.match(text, /tcp-request content set-var\(sess\.cid\) req\.payload\(0,0\),mqtt_field_value\(connect,client_identifier\)/);
  assert.match(text, /balance hash var\(sess\.cid\)\n {4}hash-type consistent/);
  assert.match(text, /stick-table type string len 256 size 1m expire 120000ms\n {4}stick on var\(sess\.cid\)/);
  assert.match(text, /server mqtt_svr1 10\.0\.0\.1:1501 check inter 2000ms fall 2 rise 2/);
  assert.match(text, /server mqtt_svr2 10\.0\.0\.2:1501 check/);
  const rr = exportHaproxy(config({ lbMethod: 'LEASTCONNECTION', persistence: { type: 'NONE', timeoutMinutes: 2 } }));
  assert.match(rr, /balance leastconn/);
  assert.doesNotMatch(rr, /stick/);
});
