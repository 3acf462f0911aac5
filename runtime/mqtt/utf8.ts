// Strict UTF-8 checking for MQTT strings: well-formed, no surrogates, no overlongs, no U+0000 (3.1.1 §1.5.3, 5.0 §1.5.4).

export type Utf8Problem = { offset: number; reason: 'ill-formed' | 'null-character' };

/** Returns undefined when bytes[start, end) is an MQTT-valid UTF-8 string, else where and why it is not. */
export function checkMqttUtf8(bytes: Uint8Array, start: number, end: number): Utf8Problem | undefined {
  let i = start;
  while (i < end) {
    const b0 = bytes[i];
    if (b0 < 0x80) {
      if (b0 === 0) return { offset: i, reason: 'null-character' };
      i += 1;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (b0 >= 0xc2 && b0 <= 0xdf) { need = 1; min = 0x80; cp = b0 & 0x1f; }
    else if (b0 >= 0xe0 && b0 <= 0xef) { need = 2; min = 0x800; cp = b0 & 0x0f; }
    else if (b0 >= 0xf0 && b0 <= 0xf4) { need = 3; min = 0x10000; cp = b0 & 0x07; }
    else return { offset: i, reason: 'ill-formed' };
    // the continuation bytes are bytes[i+1 .. i+need]: all must lie before end
    if (i + need >= end) return { offset: i, reason: 'ill-formed' };
    for (let k = 1; k <= need; k++) {
      const b = bytes[i + k];
      if ((b & 0xc0) !== 0x80) return { offset: i, reason: 'ill-formed' };
      cp = (cp << 6) | (b & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { offset: i, reason: 'ill-formed' };
    i += need + 1;
  }
  return undefined;
}
