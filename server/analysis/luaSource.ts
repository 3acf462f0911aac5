// Prepares Lua source for luaparse: finds Lua 5.3+ operators with a token scan and patches them to same-length 5.2 operators.

/** A Lua 5.3+ operator found outside strings and comments (offsets are UTF-16 indices into the text). */
export interface NewerOperator {
  operator: '//' | '&' | '|' | '~' | '<<' | '>>';
  start: number;
  end: number;
  /** `~x` (bitwise NOT) rather than `a ~ b`. */
  unary?: boolean;
}

export interface PreparedSource {
  /** Same length as the input, so every offset luaparse reports is an offset in the user's document. */
  text: string;
  newerOperators: NewerOperator[];
}

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

const C = (ch: string) => ch.charCodeAt(0);
const [DASH, DQUOTE, SQUOTE, LBRACKET, SLASH, LT, GT, TILDE, EQ, AMP, PIPE] = ['-', '"', "'", '[', '/', '<', '>', '~', '=', '&', '|'].map(C);

function isWordStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

function isWord(code: number): boolean {
  return isWordStart(code) || (code >= 48 && code <= 57);
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 11 || code === 12;
}

/**
 * luaparse in pseudo-latin1 mode rejects code points above U+00FF (e.g. a Japanese comment), so they become
 * 'x' here, one per UTF-16 unit, which keeps offsets aligned; 5.3 operators become 5.2 operators of the same length
 * so the rest of the file still parses and gets the other checks. Runs on every keystroke: char codes, no slicing.
 */
export function prepareSource(source: string): PreparedSource {
  const text = source;
  const newerOperators: NewerOperator[] = [];
  /** Whether the last significant token ends an operand (then `~` is binary XOR, else unary NOT). */
  let afterOperand = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === DASH && text.charCodeAt(i + 1) === DASH) {
      const level = text.charCodeAt(i + 2) === LBRACKET ? longBracketLevel(text, i + 2) : -1;
      if (level >= 0) i = skipLongBracket(text, i + 2, level);
      else {
        const nl = text.indexOf('\n', i);
        i = nl < 0 ? n : nl;
      }
      continue;
    }
    if (c === DQUOTE || c === SQUOTE) {
      i = skipQuoted(text, i);
      afterOperand = true;
      continue;
    }
    if (c === LBRACKET) {
      const level = longBracketLevel(text, i);
      if (level >= 0) {
        i = skipLongBracket(text, i, level);
        afterOperand = true;
        continue;
      }
    }
    const next = text.charCodeAt(i + 1);
    if ((c === SLASH && next === SLASH) || (c === LT && next === LT) || (c === GT && next === GT)) {
      newerOperators.push({ operator: text.slice(i, i + 2) as NewerOperator['operator'], start: i, end: i + 2 });
      afterOperand = false;
      i += 2;
      continue;
    }
    if (c === TILDE && next === EQ) {
      afterOperand = false;
      i += 2;
      continue;
    }
    if (c === AMP || c === PIPE || c === TILDE) {
      newerOperators.push({ operator: text[i] as NewerOperator['operator'], start: i, end: i + 1, unary: !afterOperand });
      afterOperand = false;
      i++;
      continue;
    }
    if (isWordStart(c)) {
      const start = i;
      while (i < n && isWord(text.charCodeAt(i))) i++;
      // After a keyword such as `return` or `and`, a `~` is unary.
      afterOperand = !KEYWORDS_BEFORE_OPERAND.has(text.slice(start, i));
      continue;
    }
    if (c >= 48 && c <= 57) {
      while (i < n && (isWord(text.charCodeAt(i)) || text.charCodeAt(i) === 46)) i++;
      afterOperand = true;
      continue;
    }
    if (!isSpace(c)) afterOperand = c === 41 || c === 93 || c === 125; // ) ] }
    i++;
  }
  return { text: patch(source, newerOperators), newerOperators };
}

const PATCH: Readonly<Record<string, string>> = { '//': '/ ', '<<': '* ', '>>': '/ ', '&': '+', '|': '+', '~': '+' };

function patch(source: string, operators: readonly NewerOperator[]): string {
  let text = /[^\u0000-\u00ff]/.test(source) ? source.replace(/[^\u0000-\u00ff]/g, 'x') : source;
  if (operators.length === 0) return text;
  const parts: string[] = [];
  let at = 0;
  for (const op of operators) {
    parts.push(text.slice(at, op.start), op.unary ? '-' : PATCH[op.operator]);
    at = op.end;
  }
  parts.push(text.slice(at));
  text = parts.join('');
  return text;
}
