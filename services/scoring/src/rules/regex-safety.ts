// Whether a regular expression could backtrack catastrophically (ReDoS). safe-regex2
// missed alternations like (x|x)*y and refused optional groups like (/.*)?, so this
// is a small, conservative analysis of its own, tested in validate-rule.test.ts.
// A small analysis of a (valid) pattern for exponential backtracking. Refused: a
// repetition (at most > 1) inside another, alternatives inside a repetition that can
// start with the same character, more than MAX_REPETITIONS repetitions. An optional
// part (`?`) is not a repetition, so `^/pricing(/.*)?$` is fine.
type CharSet = [number, number][];
type RegexNode =
  | { t: 'chars'; set: CharSet }
  | { t: 'empty' }
  | { t: 'look'; body: RegexNode }
  | { t: 'seq'; items: RegexNode[] }
  | { t: 'alt'; options: RegexNode[] }
  | { t: 'rep'; min: number; max: number; body: RegexNode };

const MAX_REPETITIONS = 25;
const ANY_CHAR: CharSet = [[0, 0x10ffff]];
const DIGIT: CharSet = [[48, 57]];
const WORD: CharSet = [
  [48, 57],
  [65, 90],
  [95, 95],
  [97, 122],
];
const SPACE: CharSet = [
  [9, 13],
  [32, 32],
  [160, 160],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];

function complement(set: CharSet): CharSet {
  const sorted = [...set].sort((a, b) => a[0] - b[0]);
  const out: CharSet = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}

/** Adds the other ASCII case of every letter (patterns run case-insensitive). */
function caseFold(set: CharSet): CharSet {
  const out: CharSet = [...set];
  for (const [lo, hi] of set) {
    for (const [a, z, shift] of [
      [65, 90, 32],
      [97, 122, -32],
    ] as const) {
      if (lo <= z && hi >= a) out.push([Math.max(lo, a) + shift, Math.min(hi, z) + shift]);
    }
  }
  return out;
}

function overlaps(a: CharSet, b: CharSet): boolean {
  return a.some(([lo, hi]) => b.some(([l, h]) => lo <= h && l <= hi));
}

function parsePattern(pattern: string): RegexNode {
  let i = 0;
  const escapeSet = (c: string): CharSet | null =>
    ({ d: DIGIT, D: complement(DIGIT), w: WORD, W: complement(WORD), s: SPACE, S: complement(SPACE) })[c] ?? null;
  const escapedChar = (): number => {
    const c = pattern[i++] ?? '';
    const hex = c === 'x' ? 2 : c === 'u' ? 4 : 0;
    if (hex && /^[0-9a-f]+$/i.test(pattern.slice(i, i + hex))) {
      i += hex;
      return parseInt(pattern.slice(i - hex, i), 16);
    }
    return ({ n: 10, r: 13, t: 9, f: 12, v: 11, '0': 0 } as Record<string, number>)[c] ?? c.codePointAt(0) ?? 0;
  };
  const parseClass = (): CharSet => {
    const negated = pattern[i] === '^';
    if (negated) i++;
    const set: CharSet = [];
    while (i < pattern.length && pattern[i] !== ']') {
      let lo: number;
      if (pattern[i] === '\\') {
        i++;
        const named = escapeSet(pattern[i] ?? '');
        if (named) {
          i++;
          set.push(...named);
          continue;
        }
        lo = pattern[i] === 'b' ? (i++, 8) : escapedChar();
      } else lo = pattern.codePointAt(i++) ?? 0;
      let hi = lo;
      if (pattern[i] === '-' && pattern[i + 1] !== ']' && i + 1 < pattern.length) {
        i++;
        if (pattern[i] === '\\') {
          i++;
          hi = escapedChar();
        } else hi = pattern.codePointAt(i++) ?? 0;
      }
      set.push([lo, Math.max(lo, hi)]);
    }
    i++;
    const folded = caseFold(set);
    return negated ? complement(folded) : folded;
  };
  const parseAtom = (): RegexNode => {
    const c = pattern[i++]!;
    if (c === '(') {
      let look = false;
      if (pattern[i] === '?') {
        const head = /^\?(<?[=!]|:)?/.exec(pattern.slice(i))![0];
        look = /[=!]/.test(head);
        // A named group `(?<name>` skips its name; the others their prefix.
        i = head === '?' ? pattern.indexOf('>', i) + 1 : i + head.length;
      }
      const body = parseAlt();
      i++;
      return look ? { t: 'look', body } : body;
    }
    if (c === '[') return { t: 'chars', set: parseClass() };
    if (c === '.') return { t: 'chars', set: ANY_CHAR };
    if (c === '^' || c === '$') return { t: 'empty' };
    if (c === '\\') {
      const e = pattern[i] ?? '';
      const named = escapeSet(e);
      if (named) return (i++, { t: 'chars', set: named });
      if (e === 'b' || e === 'B') return (i++, { t: 'empty' });
      if (/[1-9]/.test(e) || e === 'k') {
        // A back-reference: whatever its group matched, possibly nothing.
        i = e === 'k' ? pattern.indexOf('>', i) + 1 : i + (/^\d+/.exec(pattern.slice(i))?.[0].length ?? 1);
        return { t: 'rep', min: 0, max: 1, body: { t: 'chars', set: ANY_CHAR } };
      }
      const code = e === 'c' ? (i++, (pattern.codePointAt(i++) ?? 0) % 32) : escapedChar();
      return { t: 'chars', set: caseFold([[code, code]]) };
    }
    const code = c.codePointAt(0) ?? 0;
    return { t: 'chars', set: caseFold([[code, code]]) };
  };
  const parseSeq = (): RegexNode => {
    const items: RegexNode[] = [];
    while (i < pattern.length && pattern[i] !== '|' && pattern[i] !== ')') {
      let node = parseAtom();
      for (;;) {
        const q = pattern[i];
        const braces = q === '{' ? /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i)) : null;
        if (q === '*' || q === '+' || q === '?') {
          i++;
          node = { t: 'rep', min: q === '+' ? 1 : 0, max: q === '?' ? 1 : Infinity, body: node };
        } else if (braces) {
          i += braces[0].length;
          const min = Number(braces[1]);
          const max = braces[2] === undefined ? min : braces[3] ? Number(braces[3]) : Infinity;
          node = { t: 'rep', min, max, body: node };
        } else break;
        if (pattern[i] === '?') i++;
      }
      items.push(node);
    }
    return items.length === 1 ? items[0]! : { t: 'seq', items };
  };
  const parseAlt = (): RegexNode => {
    const options = [parseSeq()];
    while (pattern[i] === '|') {
      i++;
      options.push(parseSeq());
    }
    return options.length === 1 ? options[0]! : { t: 'alt', options };
  };
  return parseAlt();
}

/** The characters a node can start with, and whether it can match nothing. */
function firstOf(node: RegexNode): { set: CharSet; nullable: boolean } {
  switch (node.t) {
    case 'chars':
      return { set: node.set, nullable: false };
    case 'empty':
    case 'look':
      return { set: [], nullable: true };
    case 'rep': {
      const body = firstOf(node.body);
      return { set: body.set, nullable: node.min === 0 || body.nullable };
    }
    case 'alt': {
      const firsts = node.options.map(firstOf);
      return { set: firsts.flatMap((f) => f.set), nullable: firsts.some((f) => f.nullable) };
    }
    case 'seq': {
      const set: CharSet = [];
      for (const item of node.items) {
        const first = firstOf(item);
        set.push(...first.set);
        if (!first.nullable) return { set, nullable: false };
      }
      return { set, nullable: true };
    }
  }
}

export function isSafePattern(pattern: string): boolean {
  let repetitions = 0;
  const safe = (node: RegexNode, repeated: boolean): boolean => {
    switch (node.t) {
      case 'chars':
      case 'empty':
        return true;
      case 'look':
        return safe(node.body, repeated);
      case 'seq':
        return node.items.every((item) => safe(item, repeated));
      case 'alt': {
        if (repeated) {
          const firsts = node.options.map((o) => firstOf(o).set);
          if (firsts.some((a, k) => firsts.slice(k + 1).some((b) => overlaps(a, b)))) return false;
        }
        return node.options.every((o) => safe(o, repeated));
      }
      case 'rep': {
        if (++repetitions > MAX_REPETITIONS) return false;
        const loops = node.max > 1;
        if (loops && repeated) return false;
        return safe(node.body, repeated || loops);
      }
    }
  };
  try {
    return safe(parsePattern(pattern), false);
  } catch {
    return false;
  }
}
