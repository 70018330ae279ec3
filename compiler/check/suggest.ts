/**
 * "Did you mean ...?" for unknown names: the closest candidate by edit
 * distance (insertions, deletions, substitutions and adjacent swaps, ignoring
 * case), if it is close enough to be a likely typo.
 */
import { type Diagnostic, withNote } from "../diagnostics/diagnostic.js";

function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The candidate nearest to `name`, within a third of its length (at least 1), or null. */
export function closest(name: string, candidates: Iterable<string>): string | null {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    if (c === name) continue;
    const dist = distance(name.toLowerCase(), c.toLowerCase());
    if (dist < bestDistance) {
      best = c;
      bestDistance = dist;
    }
  }
  return best;
}

/** `d` with a "did you mean" note when a candidate is close to `name`. */
export function withSuggestion(d: Diagnostic, name: string, candidates: Iterable<string>): Diagnostic {
  const near = closest(name, candidates);
  return near === null ? d : withNote(d, `did you mean '${near}'?`, null);
}
