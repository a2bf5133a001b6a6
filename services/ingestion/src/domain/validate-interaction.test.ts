import { validateInteraction, LIMITS } from './validate-interaction';

const now = new Date('2026-11-23T12:00:00Z');
const valid = { id: 'i1', kind: 'PAGE_VISIT', contactId: 'c1', source: 'AD', properties: { url: '/pricing' } };

describe('validateInteraction', () => {
  it('turns a valid page visit into an event with its source as variant', () => {
    const result = validateInteraction(valid, 'ws1', now);
    expect(result).toEqual({
      ok: true,
      event: expect.objectContaining({
        workspaceId: 'ws1',
        interactionId: 'i1',
        kind: 'PAGE_VISIT',
        variant: 'AD',
        occurredAt: now.toISOString(),
      }),
    });
  });

  it.each([
    [{ kind: 'TELEPATHY' }, /^kind: unknown kind 'TELEPATHY'/],
    [{ contactId: undefined }, /^contactId: required/],
    [{ contactId: '  ' }, /^contactId: required/],
    [{ occurredAt: '2026-11-23T12:06:00Z' }, /^occurredAt: more than 5 minutes in the future/],
    [{ occurredAt: 'yesterday' }, /^occurredAt: not an ISO-8601/],
    [{ properties: { blob: 'x'.repeat(LIMITS.propertiesBytes) } }, /^properties: \d+ bytes as JSON; at most 8192/],
    [{ properties: [1, 2] }, /^properties: must be a JSON object/],
    [
      { properties: { 'utm.source': 'ad' } },
      /^properties: the name 'utm\.source' cannot contain '\.' or start with '\$'/,
    ],
    [{ properties: { cart: { items: [{ $price: 3 }] } } }, /^properties\.cart\.items\.0: the name '\$price' cannot/],
    [{ properties: { note: 'a\u0000b' } }, /^properties\.note: contains the character U\+0000/],
    [{ properties: { 'a\u0000b': 1 } }, /^properties: a name contains the character U\+0000/],
    [{ contactId: 'c\u00001' }, /^contactId: contains the character U\+0000/],
    [{ source: 'CARRIER_PIGEON' }, /^source: 'CARRIER_PIGEON' is not one of DIRECT/],
    [{ channel: 'MAILING' }, /^channel: only EMAIL_OPEN and EMAIL_CLICK/],
    [{ email: 'not-an-email' }, /^email: 'not-an-email' is not an email address/],
  ])('rejects %j with a reason naming the field', (patch, reason) => {
    const result = validateInteraction({ ...valid, ...patch }, 'ws1', now);
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.reason).toMatch(reason);
  });

  const usage = { id: 'u1', contactId: 'c1' };
  it.each([
    [{ kind: 'FEATURE_USAGE', properties: {} }, /^properties\.feature: required for FEATURE_USAGE/],
    [{ kind: 'FEATURE_ERROR', properties: { feature: '  ' } }, /^properties\.feature: required for FEATURE_ERROR/],
    [{ kind: 'FEATURE_USAGE', properties: { feature: 7 } }, /^properties\.feature: required/],
    [{ kind: 'FEATURE_USAGE', properties: { feature: 'x'.repeat(101) } }, /^properties\.feature: at most 100/],
    [{ kind: 'FEATURE_USAGE', properties: { feature: 'reports', error: 3 } }, /^properties\.error: true\/false/],
  ])('rejects product usage %j without a usable feature', (patch, reason) => {
    const result = validateInteraction({ ...usage, ...patch }, 'ws1', now);
    expect(result.ok === false && result.reason).toMatch(reason);
  });

  it('accepts product usage naming a feature, failed or not', () => {
    for (const properties of [
      { feature: 'reports' },
      { feature: 'reports', error: 'timeout' },
      { feature: 'api', error: true },
    ]) {
      expect(validateInteraction({ ...usage, kind: 'FEATURE_USAGE', properties }, 'ws1', now).ok).toBe(true);
    }
    expect(
      validateInteraction({ ...usage, kind: 'FEATURE_ERROR', properties: { feature: 'api' } }, 'ws1', now).ok,
    ).toBe(true);
  });

  it('accepts an email click from a mailing and a purchase without variant', () => {
    expect(
      validateInteraction({ id: 'e', kind: 'EMAIL_CLICK', contactId: 'c', channel: 'MAILING' }, 'w', now),
    ).toMatchObject({
      ok: true,
      event: { variant: 'MAILING' },
    });
    expect(
      validateInteraction({ id: 'p', kind: 'PURCHASE', contactId: 'c', properties: { amount: 30 } }, 'w', now),
    ).toMatchObject({
      ok: true,
      event: { variant: null, properties: { amount: 30 } },
    });
  });
});
