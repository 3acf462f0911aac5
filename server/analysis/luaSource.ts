// Prepares Lua source for luaparse: finds Lua 5.3+ operators with a token scan and patches them to same-length 5.2 operators.

/** A Lua 5.3+ operator found outside strings and comments (offsets are UTF-16 indices into the text). */
export interface NewerOperator {
  operator: '//' | '&' | '|' | '~' | '<<' | '>>';
  start: number;
  end: number;
}

export interface PreparedSource {
  /** Same length as the input, so every offset luaparse reports is an offset in the user's document. */
  text: string;
  newerOperators: NewerOperator[];
}

const OPERAND_END = /[\w)\]}"']/;
const KEYWORDS_BEFORE_OPERAND = new Set(['return', 'and', 'or', 'not', 'then', 'do', 'else', 'elseif', 'until', 'in', 'local', 'while', 'if']);

function longBracketLevel(text: string, at: number): number {
  // at points to '['; returns the number of '=' for an opening long bracket, or -1.
  let i = at + 1;
  while (text[i] === '=') i++;
  return text[i] === '[' ? i - at - 1 : -1;
}

function skipLongBracket(text: string, at: number, level: number): number {
  const close = ']' + '='.repeat(level) + ']';
  const end = text.indexOf(close, at + level + 2);
  return end < 0 ? text.length : end + close.length;
}

function skipQuoted(text: string, at: number): number {
  const quote = text[at];
  let i = at + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') i += 2;
    else if (c === quote || c === '\n') return i + 1;
    else i++;
  }
  return i;
}

/**
 * luaparse in pseudo-latin1 mode rejects code points above U+00FF (e.g. a Japanese comment), so they become
 * 'x' here, one per UTF-16 unit, which keeps offsets aligned; 5.3 operators become 5.2 operators of the same length
 * so the rest of the file still parses and gets the other checks.
 */
export function prepareSource(source: string): PreparedSource {
  const out = source.replace(/[^\u0000-\u00ff]/g, 'x').split('');
  const newerOperators: NewerOperator[] = [];
  let lastSignificant = '';
  let i = 0;
  const text = source;
  while (i < text.length) {
    const c = text[i];
    if (c === '-' && text[i + 1] === '-') {
      const level = text[i + 2] === '[' ? longBracketLevel(text, i + 2) : -1;
      if (level >= 0) i = skipLongBracket(text, i + 2, level);
      else {
        const nl = text.indexOf('\n', i);
        i = nl < 0 ? text.length : nl;
      }
      continue;
    }
    if (c === '"' || c === "'") {
      i = skipQuoted(text, i);
      lastSignificant = '"';
      continue;
    }
    if (c === '[') {
      const level = longBracketLevel(text, i);
      if (level >= 0) {
        i = skipLongBracket(text, i, level);
        lastSignificant = '"';
        continue;
      }
    }
    const two = text.slice(i, i + 2);
    if (two === '//' || two === '<<' || two === '>>') {
      newerOperators.push({ operator: two, start: i, end: i + 2 });
      out[i] = two === '<<' ? '*' : '/';
      out[i + 1] = ' ';
      lastSignificant = two;
      i += 2;
      continue;
    }
    if (c === '~' && text[i + 1] === '=') {
      lastSignificant = '=';
      i += 2;
      continue;
    }
    if (c === '&' || c === '|' || c === '~') {
      newerOperators.push({ operator: c, start: i, end: i + 1 });
      const binary = OPERAND_END.test(lastSignificant);
      out[i] = binary ? '+' : '-';
      lastSignificant = c;
      i++;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_]\w*/.exec(text.slice(i, i + 64))?.[0] ?? c;
      // After a keyword such as `return` or `and`, a `~` is unary.
      lastSignificant = KEYWORDS_BEFORE_OPERAND.has(word) ? '=' : 'a';
      i += word.length;
      continue;
    }
    if (!/\s/.test(c)) lastSignificant = c;
    i++;
  }
  return { text: out.join(''), newerOperators };
}
