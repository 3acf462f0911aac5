// What a diagnostic rule reports: LSP-free (offsets, not positions), so rules are testable on plain text.
import type { Span } from '../analysis/ast';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface TextChange {
  span: Span;
  newText: string;
}

export interface Fix {
  title: string;
  changes: TextChange[];
  preferred?: boolean;
}

export interface Finding {
  /** Stable identifier users can look up and tests can assert on, e.g. `protoext.unknown-member`. */
  code: string;
  message: string;
  span: Span;
  severity: Severity;
  /** Rendered faded (unused code). */
  unnecessary?: boolean;
  fixes?: Fix[];
}

/** Closest candidate by edit distance, when close enough to be a likely typo. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.floor(name.length / 3));
  return bestDistance <= limit ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = saved;
    }
  }
  return row[b.length];
}
