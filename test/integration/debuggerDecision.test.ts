// One truth for decisions: the debugger (launch, no services) decides as `protoext-lb run` does, and attached it shows the LB's own logged decision.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { InspectorState } from '../../runtime/debug/inspectorModel';
import { ensureCliBuilt, spawnCli } from './helpers/cliProcess';
import { endClient, MQTT_LUA, mqttConnect } from './helpers/lbHarness';
import { attachWithBreakpoint, launchWithBreakpoints, scopeValues, startHarness } from '../unit/debug/sessionHarness';

const PIPE_LINE = readFileSync(MQTT_LUA, 'utf8').split('\n').findIndex((l) => /^\s*ns\.pipe\(ctxt\.input/.test(l)) + 1;
const CLIENT_IDS = ['sensor-1', 'sensor-2', 'kitchen/thermostat', 'a', 'ÿ-bytes-éà', 'fleet-0042'];

test('launch with no services: the debugger picks the broker protoext-lb run picks for the same ClientIDs; attached, it shows the LB\'s logged decision', { timeout: 90_000 }, async () => {
  ensureCliBuilt();
  const cli = spawnCli(['run', '--listen', '127.0.0.1:0', '--events', 'jsonl', '--broker-kind', 'aedes']);
  try {
    const ready = await cli.out.record('ready', undefined, 20_000);
    const port = Number(ready.listen.split(':').pop());
    const ran = new Map<string, string | null>();
    for (const id of CLIENT_IDS) {
      await endClient(await mqttConnect(port, id));
      ran.set(id, (await cli.out.record('decision', (d) => d.token === id)).service);
    }
    assert.ok(new Set(ran.values()).size > 1, 'the ClientIDs spread over several brokers, so the comparison means something');

    for (const id of CLIENT_IDS) {
      const h = await startHarness();
      try {
        await launchWithBreakpoints(h.dc, { program: MQTT_LUA, packet: { mqtt: { version: '3.1.1', clientId: id } } }, [PIPE_LINE]);
        const decision = await scopeValues(h.dc, 'Decision');
        assert.equal(decision.service.split(' ')[0], ran.get(id), `ClientID ${JSON.stringify(id)}`);
        assert.equal(decision.persistence, 'USERSESSION: new');
      } finally {
        await h.close();
      }
    }

    assert.ok(ready.debugHook, 'run has a debug hook');
    const h = await startHarness();
    try {
      await attachWithBreakpoint(h, MQTT_LUA, ready.debugHook, PIPE_LINE);
      const stopped = h.dc.waitForEvent('stopped');
      const client = mqttConnect(port, 'attached-7');
      await stopped;
      // ns.send ran, but the LB decides only when this delivery's result reaches it.
      assert.match((await scopeValues(h.dc, 'Decision')).status, /the LB decides/);
      const shown = new Promise<InspectorState>((resolve) => h.dc.on('protoext/inspector', (e: DebugProtocol.Event) => {
        const s = e.body as InspectorState;
        if (s.decision) resolve(s);
      }));
      await h.dc.continueRequest({ threadId: 1 });
      const [state, logged] = await Promise.all([shown, cli.out.record('decision', (d) => d.token === 'attached-7')]);
      await endClient(await client);
      assert.ok(state.decision);
      assert.deepEqual(
        { service: state.decision.service, address: state.decision.address, token: state.decision.token, session: state.decision.session, persistence: state.decision.persistence, reason: state.decision.reason, chosenBy: state.decision.chosenBy },
        { service: logged.service, address: logged.address, token: logged.token, session: logged.session, persistence: logged.persistence, reason: logged.reason, chosenBy: logged.chosenBy },
      );
      assert.match(state.decision.basis, /made by the local LB/);
    } finally {
      await h.close();
    }
  } finally {
    cli.child.kill('SIGTERM');
    await cli.exit;
  }
});
