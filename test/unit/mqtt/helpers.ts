// Test helpers for the MQTT decoder: normalising decoded packets for comparison and checking result invariants.
import assert from 'node:assert/strict';
import type { ConnectOptions } from '../../../runtime/mqtt/connectEncoder';
import type { ConnectPacket } from '../../../runtime/mqtt/connectPacket';
import type { DecodeResult } from '../../../runtime/mqtt/decodeResult';

/** Replaces byte arrays (Buffer or Uint8Array) by hex strings so packets compare with deepEqual. */
export function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return `hex:${Buffer.from(value).toString('hex')}`;
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

const asText = (v: string | Uint8Array | readonly number[]): string => (typeof v === 'string' ? v : Buffer.from(v as Uint8Array).toString('utf8'));
const asBytes = (v: string | Uint8Array | readonly number[]): Uint8Array => (typeof v === 'string' ? Buffer.from(v) : Uint8Array.from(v));

/** What decodeConnect must return for a packet encoded from `opts` (valid options only). */
export function expectedPacket(opts: ConnectOptions): unknown {
  const v5 = opts.version === '5.0';
  return plain({
    version: opts.version ?? '3.1.1',
    clean: opts.clean ?? true,
    keepAlive: opts.keepAlive ?? 60,
    clientId: asText(opts.clientId ?? ''),
    properties: v5 ? (opts.properties ?? {}) : undefined,
    will: opts.will && {
      topic: asText(opts.will.topic), payload: asBytes(opts.will.payload ?? new Uint8Array(0)), qos: opts.will.qos ?? 0, retain: opts.will.retain ?? false,
      properties: v5 ? (opts.will.properties ?? {}) : undefined,
    },
    username: opts.username === undefined ? undefined : asText(opts.username),
    password: opts.password === undefined ? undefined : asBytes(opts.password),
  });
}

/** The comparable subset of a decoded packet (the same keys as expectedPacket). */
export function comparable(p: ConnectPacket): unknown {
  return plain({ version: p.version, clean: p.clean, keepAlive: p.keepAlive, clientId: p.clientId, properties: p.properties, will: p.will, username: p.username, password: p.password });
}

/** The invariants every result holds, whatever the input. */
export function assertSaneResult(r: DecodeResult, input: Uint8Array): void {
  assert.ok(r.status === 'ok' || r.status === 'incomplete' || r.status === 'invalid', `status ${String((r as { status: unknown }).status)}`);
  for (const f of r.fields) {
    assert.ok(f.offset >= 0 && f.length >= 0 && f.offset + f.length <= input.length, `field ${f.id} [${f.offset}, +${f.length}) outside ${input.length} bytes`);
    assert.equal(f.raw.length, f.length);
  }
  if (r.status === 'ok') assert.ok(r.length >= 2 && r.length <= input.length, `ok length ${r.length} of ${input.length}`);
  if (r.status === 'incomplete') assert.ok(Number.isInteger(r.needed) && r.needed >= 1, `needed ${r.needed}`);
  if (r.status === 'invalid') {
    assert.ok(r.error.offset >= 0 && r.error.offset <= input.length, `error offset ${r.error.offset} of ${input.length}`);
    assert.match(r.error.message, /^\[[^\]]+\] /);
  }
}
