// MATCHES patterns: RE2 syntax, run by re2js, whose matching time grows linearly with
// the text (it never backtracks), so no pattern an admin writes can stall scoring.
// Patterns ignore case, and each is compiled once and kept for the next interactions.
import { RE2JS, RE2JSSyntaxException } from 're2js';

const WHY_RE2 = 'rules use RE2 syntax, which guarantees linear-time matching';

/** Why a pattern cannot be a rule's, in words an admin can act on; null when it can. */
export function patternProblem(pattern: string): string | null {
  try {
    // Without flags, so that RE2 quotes the pattern as written (ignoring case changes no syntax).
    RE2JS.compile(pattern);
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

/** Whether the pattern matches somewhere in the text, ignoring case. */
export function patternMatches(pattern: string, text: string): boolean {
  return compiledPattern(pattern)?.test(text) ?? false;
}
