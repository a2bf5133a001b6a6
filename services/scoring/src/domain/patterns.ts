// MATCHES patterns: RE2 syntax, run by re2js, whose matching time grows linearly with
// the text (it never backtracks), so no pattern an admin writes can stall scoring. The
// size of a pattern's compiled program is bounded too: linear time is linear in that size,
// and re2js builds its automaton lazily, so a huge counted repetition (`.{0,150}x.{150}y`,
// 454 instructions) cost ~160 ms to run the first time and ~5 ms per 8 KiB text after.
// Patterns ignore case, and each is compiled once and kept for the next interactions.
import { RE2JS, RE2JSSyntaxException } from 're2js';
import { RULE_LIMITS } from './rule-limits';

const WHY_RE2 = 'rules use RE2 syntax, which guarantees linear-time matching';

/** Why a pattern cannot be a rule's, in words an admin can act on; null when it can. */
export function patternProblem(pattern: string): string | null {
  try {
    // Without flags, so that RE2 quotes the pattern as written (ignoring case changes no syntax).
    const size = RE2JS.compile(pattern).programSize();
    if (size > RULE_LIMITS.patternProgramSize) {
      return `too complex: its compiled program has ${size} instructions, at most ${RULE_LIMITS.patternProgramSize} are allowed (large counted repetitions such as .{0,150} make it grow; write the pattern with fewer or smaller repetitions)`;
    }
    return null;
  } catch (err) {
    if (!(err instanceof RE2JSSyntaxException)) throw err;
    const feature = unsupportedFeature(err);
    if (feature) return `${feature} is not supported: ${WHY_RE2}`;
    return `not valid RE2 syntax (${err.error}${err.input ? `: ${err.input}` : ''})`;
  }
}

/**
 * The backtracking-only feature a syntax error is about, if any. The error strings are
 * RE2's error codes (the same in Go's regexp/syntax), and `input` is the offending text.
 */
function unsupportedFeature({ error, input }: RE2JSSyntaxException): string | null {
  const at = input ?? '';
  if (error === 'invalid or unsupported Perl syntax') {
    if (at.startsWith('(?=')) return 'lookahead (?=…)';
    if (at.startsWith('(?!')) return 'negative lookahead (?!…)';
  }
  if (error === 'invalid named capture') {
    if (at.startsWith('(?<=')) return 'lookbehind (?<=…)';
    if (at.startsWith('(?<!')) return 'negative lookbehind (?<!…)';
  }
  if (error === 'invalid escape sequence') {
    if (/^\\[1-9]/.test(at)) return `backreference ${at}`;
    if (at.startsWith('\\k')) return 'backreference \\k<…>';
  }
  return null;
}

/**
 * Compiled patterns by source, oldest first out. A compiled pattern holds up to
 * ~80 KiB once used on long texts, so the cache keeps a bounded number of them.
 */
const CACHED_PATTERNS = 1000;
const compiled = new Map<string, RE2JS | null>();

function compiledPattern(pattern: string): RE2JS | null {
  let re = compiled.get(pattern);
  if (re === undefined) {
    try {
      re = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
      // A stored pattern past the size bound (saved before it existed) never matches either.
      if (re.programSize() > RULE_LIMITS.patternProgramSize) re = null;
    } catch (err) {
      // A stored pattern RE2 refuses (saved before rules used RE2) never matches.
      if (!(err instanceof RE2JSSyntaxException)) throw err;
      re = null;
    }
    if (compiled.size >= CACHED_PATTERNS) compiled.delete(compiled.keys().next().value!);
    compiled.set(pattern, re);
  }
  return re;
}

/** Instructions of the pattern's compiled program (0 for one RE2 refuses, which never runs). */
export function patternProgramSize(pattern: string): number {
  return compiledPattern(pattern)?.programSize() ?? 0;
}

/** Instructions of all MATCHES patterns of a rule: what the workspace's pattern budget counts. */
export function rulePatternProgramSize(rule: {
  condition: { predicates: readonly { operator: string; value: string | null }[] } | null;
}): number {
  let size = 0;
  for (const p of rule.condition?.predicates ?? []) {
    if (p.operator === 'MATCHES' && p.value) size += patternProgramSize(p.value);
  }
  return size;
}

/** Whether the pattern matches somewhere in the text, ignoring case. */
export function patternMatches(pattern: string, text: string): boolean {
  return compiledPattern(pattern)?.test(text) ?? false;
}
