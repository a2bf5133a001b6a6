import { patternMatches, patternProblem } from './patterns';

const KiB8 = 8 * 1024;
/** `unit` repeated to 8 KiB, then `tail` (the character that makes a backtracking engine retry every split). */
const eightKiB = (unit: string, tail = '') =>
  unit.repeat(Math.ceil(KiB8 / unit.length)).slice(0, KiB8 - tail.length) + tail;

// Patterns from the ReDoS literature (OWASP, Davis et al. 2018, the `^.*.*.*.*x$` an
// admin could save before), each with the 8 KiB text that makes a backtracking engine
// explore exponentially or polynomially many paths: V8 takes seconds ((.*a){12}) to
// far longer than any test run (the others: more than 5 s from 32 to 400 characters).
// Linear-time matching answers them all at once. Jest cannot interrupt a synchronous
// match, so a backtracking engine would hang this file instead of passing it.
const OWASP_EMAIL =
  '^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$';
const REDOS: [pattern: string, input: string, matches: boolean, text: string][] = [
  ['^.*.*.*.*x$', 'a… (no x)', false, eightKiB('a')],
  ['^.*.*.*.*x$', 'a…x', true, eightKiB('a', 'x')],
  ['(a+)+$', 'a…!', false, eightKiB('a', '!')],
  ['(a|aa)+$', 'a…!', false, eightKiB('a', '!')],
  ['(a|a?)+$', 'a…!', true, eightKiB('a', '!')],
  ['(.*a){12}', 'eleven a among b…', false, eightKiB('b'.repeat(740) + 'a').slice(0, KiB8 - 1) + 'b'],
  ['(x+x+)+y', 'x…', false, eightKiB('x')],
  ['^(([a-z])+.)+[A-Z]([a-z])+$', 'a…!', false, eightKiB('a', '!')],
  ['^(\\w+\\s?)*$', 'ab ab …!', false, eightKiB('ab ', '!')],
  [OWASP_EMAIL, 'a…!', false, eightKiB('a', '!')],
  [OWASP_EMAIL, 'a…@example.com', true, eightKiB('a', '@example.com')],
  ['^([a-z0-9]+[._-]?)+@example\\.com$', 'a…!', false, eightKiB('a', '!')],
  ['^https?://([\\w.-]+)+\\.example\\.com/', 'https://a.a.…!', false, 'https://' + eightKiB('a.', '!').slice(8)],
];

describe('patternMatches: linear time on the patterns that freeze a backtracking engine', () => {
  it.each(REDOS)('%s on 8 KiB of %s is accepted and answers %s', (pattern, _, matches, text) => {
    expect(text).toHaveLength(KiB8);
    expect(patternProblem(pattern)).toBeNull();
    expect(patternMatches(pattern, text)).toBe(matches);
  });
});

describe('patternMatches', () => {
  it('finds the pattern anywhere in the text unless anchored', () => {
    expect(patternMatches('pricing', 'https://shop.example/pricing/team')).toBe(true);
    expect(patternMatches('^pricing', 'https://shop.example/pricing/team')).toBe(false);
    expect(patternMatches('/team$', 'https://shop.example/pricing/team')).toBe(true);
  });

  it('ignores case, beyond ASCII too', () => {
    expect(patternMatches('^/PRICING/(team|pro)$', '/pricing/Team')).toBe(true);
    expect(patternMatches('zürich', '/stores/ZÜRICH')).toBe(true);
  });

  it('gives the same answer every time (the compiled pattern keeps no state between texts)', () => {
    const answers = ['/a/team', '/b', '/c/TEAM'].map((text) => patternMatches('team$', text));
    expect(answers).toEqual([true, false, true]);
    expect(patternMatches('team$', '/a/team')).toBe(true);
  });

  it('never matches with a stored pattern RE2 refuses (saved before rules used RE2)', () => {
    expect(patternMatches('(?<=/)pricing', '/pricing')).toBe(false);
    expect(patternMatches('(a)\\1', 'aa')).toBe(false);
  });
});

describe('patternProblem', () => {
  const WHY = 'is not supported: rules use RE2 syntax, which guarantees linear-time matching';

  it.each([
    ['^/pricing(?=/team)', `lookahead (?=…) ${WHY}`],
    ['^/pricing(?!/free)', `negative lookahead (?!…) ${WHY}`],
    ['(?<=/shop)/pricing', `lookbehind (?<=…) ${WHY}`],
    ['(?<!/old)/pricing', `negative lookbehind (?<!…) ${WHY}`],
    ['^/(en|es)/\\1/', `backreference \\1 ${WHY}`],
    ['^/(?<lang>en|es)/\\k<lang>/', `backreference \\k<…> ${WHY}`],
  ])('refuses %s, saying why', (pattern, problem) => {
    expect(patternProblem(pattern)).toBe(problem);
  });

  it.each(['.{0,150}x.{150}y', '(x{0,20}){0,10}'])('refuses %s, whose compiled program is too large', (pattern) => {
    expect(patternProblem(pattern)).toMatch(
      /^too complex: its compiled program has \d+ instructions, at most 250 are allowed/,
    );
    // Stored before the bound existed, it never matches rather than cost every interaction.
    expect(patternMatches(pattern, 'x'.repeat(151) + 'y'.repeat(151))).toBe(false);
  });

  it('says what is wrong with a pattern that is not RE2 syntax', () => {
    expect(patternProblem('/pricing(')).toBe('not valid RE2 syntax (missing closing ): /pricing()');
    expect(patternProblem('[z-a]')).toBe('not valid RE2 syntax (invalid character class range: z-a)');
  });

  it.each([
    '^/pricing(/.*)?$',
    '^https?://(www\\.)?example\\.com/',
    '\\.(pdf|docx?)$',
    '^/(?P<lang>en|es)/blog',
    '\\d{4}',
  ])('accepts %s', (pattern) => {
    expect(patternProblem(pattern)).toBeNull();
  });
});
