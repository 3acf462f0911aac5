// Parses Lua 5.2 with luaparse; on a syntax error keeps the error and re-parses with the offending lines blanked, so features still work.
import * as luaparse from 'luaparse';
import type * as lua from 'luaparse';
import type { Span } from './ast';
import { prepareSource, type NewerOperator } from './luaSource';

export interface SyntaxProblem {
  message: string;
  span: Span;
}

export interface ParseResult {
  /** The tree of the text, or of the text with the broken lines blanked (see `recovered`); undefined when even that failed. */
  chunk?: lua.Chunk;
  recovered: boolean;
  syntaxError?: SyntaxProblem;
  newerOperators: NewerOperator[];
}

const OPTIONS = {
  luaVersion: '5.2',
  encodingMode: 'pseudo-latin1',
  // Only ranges: positions come from the LSP document, and scopes from our own resolver (locations/scope cost ~2x).
  ranges: true,
  comments: true,
} as const;

const MAX_RECOVERY_ATTEMPTS = 3;

interface LuaparseError extends Error {
  index: number;
  line: number;
  column: number;
}

function isLuaparseError(e: unknown): e is LuaparseError {
  return e instanceof Error && typeof (e as Partial<LuaparseError>).index === 'number';
}

function problemOf(e: LuaparseError, text: string): SyntaxProblem {
  const message = e.message.replace(/^\[\d+:\d+\]\s*/, '');
  // luaparse can report one past the end (an unfinished long comment).
  const at = Math.min(e.index, text.length);
  const word = /^[\w]+|^\S/.exec(text.slice(at, at + 64));
  return { message, span: [at, at + (word ? word[0].length : 0)] };
}

function blankLineAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const nl = text.indexOf('\n', offset);
  const end = nl < 0 ? text.length : nl;
  return text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);
}

/** Lines that cannot end a statement while someone is typing (`ns.`, `data:`, `goto `): blanked together on the first recovery. */
const INCOMPLETE_LINE = /(?:(?<![.:])[.:]|\bgoto)[ \t]*$/;

function blankIncompleteLines(text: string): string {
  return text.split('\n').map((line) => (INCOMPLETE_LINE.test(line) ? ' '.repeat(line.length) : line)).join('\n');
}

/** Blanks the last non-blank line before the line holding offset (where an unclosed call or table usually starts). */
function blankLineBefore(text: string, offset: number): string {
  let end = text.lastIndexOf('\n', offset - 1);
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    if (text.slice(start, end).trim() !== '') return blankLineAt(text, start);
    end = start - 1;
  }
  return text;
}

function tryParse(text: string): lua.Chunk | LuaparseError {
  try {
    return luaparse.parse(text, OPTIONS);
  } catch (e) {
    if (isLuaparseError(e)) return e;
    throw e;
  }
}

export function parseLua(source: string): ParseResult {
  const prepared = prepareSource(source);
  const first = tryParse(prepared.text);
  if (!(first instanceof Error)) return { chunk: first, recovered: false, newerOperators: prepared.newerOperators };
  const syntaxError = problemOf(first, source);
  let text = blankIncompleteLines(prepared.text);
  const blanked = text === prepared.text ? first : tryParse(text);
  if (!(blanked instanceof Error)) return { chunk: blanked, recovered: true, syntaxError, newerOperators: prepared.newerOperators };
  let error: LuaparseError = blanked;
  for (let attempt = 0; attempt < MAX_RECOVERY_ATTEMPTS; attempt++) {
    // At the very end of the text the missing piece is usually an `end`: blanking helps nothing, so append one.
    if (error.index >= text.trimEnd().length) text += '\nend';
    else {
      // An unclosed call or table is reported where the parser gave up (often the next line): try the line before too.
      const before = tryParse(blankLineBefore(text, error.index));
      if (!(before instanceof Error)) return { chunk: before, recovered: true, syntaxError, newerOperators: prepared.newerOperators };
      text = blankLineAt(text, error.index);
    }
    const next = tryParse(text);
    if (!(next instanceof Error)) return { chunk: next, recovered: true, syntaxError, newerOperators: prepared.newerOperators };
    error = next;
  }
  return { recovered: true, syntaxError, newerOperators: prepared.newerOperators };
}
