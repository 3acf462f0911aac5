// How simulate/check show script-produced bytes (user_token, user_session) as JSON strings without losing a byte.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export interface BinaryText {
  /**
   * The bytes as UTF-8 when they are valid UTF-8; otherwise as latin1 (one character per byte, U+0000-U+00FF), so the
   * string still maps back to the exact bytes. `encoding` says which; the hex beside it is always exact.
   */
  text: string;
  encoding: 'utf8' | 'latin1';
  hex: string;
}

export function binaryText(bytes: Uint8Array): BinaryText {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    return { text: strictUtf8.decode(bytes), encoding: 'utf8', hex: buf.toString('hex') };
  } catch {
    return { text: buf.toString('latin1'), encoding: 'latin1', hex: buf.toString('hex') };
  }
}

/** For a table cell: JSON-quoted (control characters escaped), shortened in the middle past `max` characters. */
export function quoteForTable(text: string, max = 40): string {
  const quoted = JSON.stringify(text);
  if (quoted.length <= max) return quoted;
  const keep = Math.max(4, Math.floor((max - 3) / 2));
  return `${quoted.slice(0, keep)}...${quoted.slice(-keep)}`;
}
