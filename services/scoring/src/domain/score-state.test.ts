import type { Phase } from '@cei/contracts';
import { decayFactor, isSignificantDrop, nextSignificantDropAt } from './decay';
import type { Predicate, RuleInteraction, ScoringRule } from './rules';
import {
  applyRecord,
  decayedValues,
  decayTo,
  emptyState,
  replay,
  resetStage,
  scoreInteraction,
  type ScoreRecord,
  type ScoreState,
  type ScoringPolicy,
} from './score-state';
import { rule } from './rule-fixtures';

const DAY = 86_400_000;
const T0 = '2024-03-01T00:00:00.000Z';
const T0_MS = Date.parse(T0);

const generalRule = (ruleId: string, kind: ScoringRule['kind'], points: number) =>
  rule({ ruleId, type: 'GENERAL', kind, effect: { general: points, stage: 0, tags: [] } });
const urlContains = (value: string): Predicate => ({
  field: 'URL',
  operator: 'CONTAINS',
  value,
  amount: null,
  property: null,
});

let nextId = 0;
const interaction = (kind: string, occurredAt: string, properties: Record<string, unknown> = {}): RuleInteraction => ({
  interactionId: `i-${++nextId}`,
  kind,
  variant: null,
  occurredAt,
  properties,
});
const visit = (occurredAt: string, url = '/home') => interaction('PAGE_VISIT', occurredAt, { url });

/** Scores interactions one after the other, as the consumer does. */
function scoreAll(policy: ScoringPolicy, interactions: RuleInteraction[], from: ScoreState = emptyState()) {
  let state = from;
  const records: ScoreRecord[] = [];
  interactions.forEach((i, n) => {
    const scored = scoreInteraction(state, policy, i, n + 1);
    state = scored.state;
    records.push(...scored.records);
  });
  return { state, records };
}

describe('decayFactor', () => {
  it('halves every half-life', () => {
    expect(decayFactor(10, T0_MS, T0_MS + 10 * DAY)).toBe(0.5);
    expect(decayFactor(10, T0_MS, T0_MS + 20 * DAY)).toBe(0.25);
    expect(decayFactor(10, T0_MS, T0_MS + 5 * DAY)).toBeCloseTo(0.707107, 6);
  });

  it('is 1 without a half-life, or when no time passed, or backwards in time', () => {
    expect(decayFactor(null, T0_MS, T0_MS + 100 * DAY)).toBe(1);
    expect(decayFactor(10, T0_MS, T0_MS)).toBe(1);
    expect(decayFactor(10, T0_MS, T0_MS - DAY)).toBe(1);
  });

  it('decaying in steps equals decaying at once', () => {
    const steps = decayFactor(7, T0_MS, T0_MS + 3 * DAY) * decayFactor(7, T0_MS + 3 * DAY, T0_MS + 11 * DAY);
    expect(steps).toBeCloseTo(decayFactor(7, T0_MS, T0_MS + 11 * DAY), 12);
  });
});

describe('decayedValues', () => {
  const state = { general: 80, stage: 40, tags: { vip: 20, risk: -8 }, asOf: T0 };

  it('reads every score as of a later instant', () => {
    expect(decayedValues(state, 10, T0_MS + 10 * DAY)).toEqual({ general: 40, stage: 20, tags: { vip: 10, risk: -4 } });
    expect(decayedValues(state, 10, T0_MS + 20 * DAY)).toEqual({ general: 20, stage: 10, tags: { vip: 5, risk: -2 } });
  });

  it('changes nothing without a half-life or without an instant the values hold at', () => {
    expect(decayedValues(state, null, T0_MS + 10 * DAY)).toEqual({
      general: 80,
      stage: 40,
      tags: { vip: 20, risk: -8 },
    });
    expect(decayedValues({ ...state, asOf: null }, 10, T0_MS + 10 * DAY)).toEqual({
      general: 80,
      stage: 40,
      tags: { vip: 20, risk: -8 },
    });
  });
});

describe('decayTo', () => {
  const state: ScoreState = { ...emptyState(), general: 80, stage: 80, tags: { vip: 20 }, asOf: T0 };

  it('writes what decay took from each score as one entry', () => {
    expect(decayTo(state, 10, '2024-03-11T00:00:00.000Z')).toEqual({
      type: 'DECAY',
      at: '2024-03-11T00:00:00.000Z',
      entries: [{ ruleId: null, general: -40, stage: -40, tags: [{ tag: 'vip', points: -10 }] }],
    });
  });

  it('writes nothing before the scores hold, at the same instant, or without a half-life', () => {
    expect(decayTo({ ...state, asOf: null }, 10, '2024-03-11T00:00:00.000Z')).toBeNull();
    expect(decayTo(state, 10, T0)).toBeNull();
    expect(decayTo(state, 10, '2024-02-01T00:00:00.000Z')).toBeNull();
    expect(decayTo(state, null, '2024-03-11T00:00:00.000Z')).toBeNull();
  });

  it('writes even small decay, since the next interaction moves asOf on', () => {
    // One minute takes 0.00385 of 80 points; one hour 0.23072.
    expect(decayTo(state, 10, '2024-03-01T00:01:00.000Z')?.entries[0]?.general).toBeCloseTo(-0.003851, 6);
    const hour = decayTo(state, 10, '2024-03-01T01:00:00.000Z');
    expect(hour?.entries[0]?.general).toBeCloseTo(-0.230716, 6);
  });
});

describe('scoreInteraction', () => {
  const visits80: ScoringPolicy = { rules: [generalRule('visit', 'PAGE_VISIT', 80)], halfLifeDays: 10 };

  it('scores an interaction with its rules and counts it', () => {
    const { state, records } = scoreInteraction(emptyState(), visits80, visit(T0), 1);

    expect(records).toEqual([
      {
        type: 'INTERACTION',
        at: T0,
        seq: 1,
        interaction: expect.objectContaining({ kind: 'PAGE_VISIT', occurredAt: T0 }),
        entries: [{ ruleId: 'visit', general: 80, stage: 80, tags: [] }],
      },
    ]);
    expect(state).toMatchObject({ general: 80, stage: 80, tags: {}, asOf: T0, scoredInteractions: 1 });
    expect(state.activity.interactions).toBe(1);
  });

  it('writes the decay since the last interaction before the new one: 80 with half-life 10 days is 40 after 10 days', () => {
    // Given a contact at 80 points on March 1st
    const first = scoreInteraction(emptyState(), visits80, visit(T0), 1);

    // When it comes back ten days later
    const second = scoreInteraction(first.state, visits80, visit('2024-03-11T00:00:00.000Z'), 2);

    // Then 40 points decayed first, then 80 were earned
    expect(second.records.map((r) => r.type)).toEqual(['DECAY', 'INTERACTION']);
    expect(second.records[0]).toEqual({
      type: 'DECAY',
      at: '2024-03-11T00:00:00.000Z',
      entries: [{ ruleId: null, general: -40, stage: -40, tags: [] }],
    });
    expect(second.state).toMatchObject({ general: 120, stage: 120, asOf: '2024-03-11T00:00:00.000Z' });
  });

  it('keeps the decay of a frequent contact: a minute later, 0.00385 of 80 is gone before the next 80', () => {
    const first = scoreInteraction(emptyState(), visits80, visit(T0), 1);
    const second = scoreInteraction(first.state, visits80, visit('2024-03-01T00:01:00.000Z'), 2);
    expect(second.records.map((r) => r.type)).toEqual(['DECAY', 'INTERACTION']);
    expect(second.state.general).toBeCloseTo(159.996149, 6);
  });

  it('writes no decay record without a half-life', () => {
    const noDecay = { ...visits80, halfLifeDays: null };
    const { state, records } = scoreAll(noDecay, [visit(T0), visit('2024-06-01T00:00:00.000Z')]);
    expect(records.map((r) => r.type)).toEqual(['INTERACTION', 'INTERACTION']);
    expect(state.general).toBe(160);
  });

  it('counts general points toward the stage too, and STAGE effects only toward the stage', () => {
    // Given a general rule, a pricing rule (general and a tag) and a stage-only rule
    const policy: ScoringPolicy = {
      rules: [
        generalRule('visit', 'PAGE_VISIT', 10),
        rule({
          ruleId: 'pricing',
          kind: 'PAGE_VISIT',
          condition: { match: 'ALL', predicates: [urlContains('pricing')] },
          effect: { general: 5, stage: 0, tags: [{ tag: 'pricing', points: 2 }] },
        }),
        rule({ ruleId: 'stage-push', kind: 'PAGE_VISIT', effect: { general: 0, stage: 7, tags: [] } }),
      ],
      halfLifeDays: null,
    };

    // When the contact visits the pricing page, then the blog
    const { state, records } = scoreAll(policy, [visit(T0, '/pricing'), visit('2024-03-02T00:00:00Z', '/blog')]);

    // Then general 10+5+10, stage (10+5+7)+(10+7)
    expect(records[0]!.entries).toEqual([
      { ruleId: 'visit', general: 10, stage: 10, tags: [] },
      { ruleId: 'pricing', general: 5, stage: 5, tags: [{ tag: 'pricing', points: 2 }] },
      { ruleId: 'stage-push', general: 0, stage: 7, tags: [] },
    ]);
    expect(state).toMatchObject({ general: 25, stage: 39, tags: { pricing: 2 } });
  });

  it('adds tag points per tag, negative ones included', () => {
    const policy: ScoringPolicy = {
      rules: [
        rule({
          ruleId: 'buy',
          kind: 'PURCHASE',
          effect: {
            general: 0,
            stage: 0,
            tags: [
              { tag: 'buyer', points: 10 },
              { tag: 'churn risk', points: -3 },
            ],
          },
        }),
        rule({
          ruleId: 'cancel',
          kind: 'SUBSCRIPTION_CANCELLED',
          effect: { general: 0, stage: 0, tags: [{ tag: 'churn risk', points: 20 }] },
        }),
      ],
      halfLifeDays: null,
    };
    const { state } = scoreAll(policy, [
      interaction('PURCHASE', T0),
      interaction('PURCHASE', '2024-03-02T00:00:00Z'),
      interaction('SUBSCRIPTION_CANCELLED', '2024-03-03T00:00:00Z'),
    ]);
    expect(state).toMatchObject({ general: 0, stage: 0, tags: { buyer: 20, 'churn risk': 14 } });
  });

  it('keeps the cap ledger in the state, so a cap holds across interactions', () => {
    const policy: ScoringPolicy = {
      rules: [
        rule({
          ruleId: 'capped',
          kind: 'PAGE_VISIT',
          effect: { general: 4, stage: 0, tags: [] },
          cap: { points: 10, period: 'DAY' },
        }),
      ],
      halfLifeDays: null,
    };
    const { state } = scoreAll(policy, [
      visit(T0),
      visit('2024-03-01T01:00:00Z'),
      visit('2024-03-01T02:00:00Z'),
      visit('2024-03-01T03:00:00Z'),
    ]);
    expect(state.general).toBe(10);
    expect(state.scoredInteractions).toBe(4);
    expect(state.caps).toEqual({ capped: { period: '2024-03-01', used: { GENERAL: 10, STAGE: 0 } } });
  });
});

describe('resetStage', () => {
  it('zeroes the stage score only, and records the phase it starts', () => {
    // Given a contact with general, stage and tag points
    const state: ScoreState = {
      ...emptyState(),
      general: 25,
      stage: 39,
      tags: { pricing: 2 },
      asOf: T0,
      scoredInteractions: 2,
    };

    // When a new phase starts
    const record = resetStage(state, 'transition-1', 'PURCHASE', '2024-03-02T00:00:00.000Z');
    const next = applyRecord(state, record);

    // Then
    expect(record).toEqual({
      type: 'STAGE_RESET',
      at: '2024-03-02T00:00:00.000Z',
      transitionId: 'transition-1',
      phase: 'PURCHASE',
      entries: [{ ruleId: null, general: 0, stage: -39, tags: [] }],
    });
    expect(next).toMatchObject({
      general: 25,
      stage: 0,
      tags: { pricing: 2 },
      phase: 'PURCHASE',
      phaseTransitionId: 'transition-1',
      asOf: T0,
      scoredInteractions: 2,
    });
  });

  it('writes no entry when the stage is already 0', () => {
    expect(resetStage(emptyState(), 'transition-1', 'NURTURE', T0).entries).toEqual([]);
  });
});

describe('a contact over time', () => {
  // Visits give 10; the pricing page 5 more and a pricing tag of 4, at most 8 a day each;
  // a purchase of 100 or more 50 general, 20 stage and a buyer tag of 10. Half-life 10 days.
  const policy: ScoringPolicy = {
    rules: [
      generalRule('visit', 'PAGE_VISIT', 10),
      generalRule('purchase', 'PURCHASE', 50),
      rule({
        ruleId: 'pricing',
        kind: 'PAGE_VISIT',
        condition: { match: 'ALL', predicates: [urlContains('pricing')] },
        effect: { general: 5, stage: 0, tags: [{ tag: 'pricing', points: 4 }] },
        cap: { points: 8, period: 'DAY' },
      }),
      rule({
        ruleId: 'big-purchase',
        kind: 'PURCHASE',
        condition: {
          match: 'ALL',
          predicates: [{ field: 'AMOUNT', operator: 'GTE', value: null, amount: 100, property: null }],
        },
        effect: { general: 0, stage: 20, tags: [{ tag: 'buyer', points: 10 }] },
      }),
    ],
    halfLifeDays: 10,
  };

  type Step =
    | { interaction: RuleInteraction }
    | { reset: { transitionId: string; phase: Phase; at: string } }
    | { decayAt: string };
  const steps: Step[] = [
    { interaction: visit('2024-03-04T09:00:00.000Z', '/pricing') },
    { interaction: visit('2024-03-04T09:00:30.000Z', '/pricing') },
    { interaction: visit('2024-03-04T10:00:00.000Z', '/pricing') },
    { reset: { transitionId: 'transition-1', phase: 'PURCHASE', at: '2024-03-05T00:00:00.000Z' } },
    { decayAt: '2024-03-08T00:00:00.000Z' },
    { interaction: interaction('PURCHASE', '2024-03-14T12:00:00.000Z', { amount: 150, items: ['boots'] }) },
    { interaction: visit('2024-03-14T13:00:00.000Z', '/pricing/team') },
    { decayAt: '2024-03-20T00:00:00.000Z' },
  ];

  /** Live scoring: the consumer for interactions, lifecycle for resets, the decay job for decay. */
  function live(given: ScoringPolicy, upTo = steps.length) {
    let state = emptyState();
    const records: ScoreRecord[] = [];
    let seq = 0;
    const write = (record: ScoreRecord | null) => {
      if (!record) return;
      state = applyRecord(state, record);
      records.push(record);
    };
    for (const step of steps.slice(0, upTo)) {
      if ('interaction' in step) {
        const scored = scoreInteraction(state, given, step.interaction, ++seq);
        state = scored.state;
        records.push(...scored.records);
      } else if ('reset' in step) {
        write(resetStage(state, step.reset.transitionId, step.reset.phase, step.reset.at));
      } else {
        write(decayTo(state, given.halfLifeDays, step.decayAt));
      }
    }
    return { state, records };
  }

  /** The sums of every record's entries, per score, at the scores' precision (6 decimals). */
  function sumsOf(records: ScoreRecord[]) {
    const sums = { general: 0, stage: 0, tags: {} as Record<string, number> };
    for (const entry of records.flatMap((r) => r.entries)) {
      sums.general += entry.general;
      sums.stage += entry.stage;
      for (const { tag, points } of entry.tags) sums.tags[tag] = (sums.tags[tag] ?? 0) + points;
    }
    const at6 = (n: number) => Math.round(n * 1e6) / 1e6;
    return {
      general: at6(sums.general),
      stage: at6(sums.stage),
      tags: Object.fromEntries(Object.entries(sums.tags).map(([tag, n]) => [tag, at6(n)])),
    };
  }

  it('caps the pricing rule per day, and decays even 30 seconds', () => {
    // Two pricing visits 30 s apart: 15, then 10 + 3 (5 capped at 8) with the tag at 4 + 4.
    const { state, records } = live(policy, 2);
    expect(records.map((r) => r.type)).toEqual(['INTERACTION', 'DECAY', 'INTERACTION']);
    expect(state.general).toBeCloseTo(28, 3);
    expect(state.stage).toBeCloseTo(28, 3);
    expect(state.tags.pricing).toBeCloseTo(8, 3);
    expect(state.caps).toEqual({ pricing: { period: '2024-03-04', used: { GENERAL: 8, STAGE: 0, 'TAG:pricing': 8 } } });
  });

  it('writes records whose entries add up to every score', () => {
    const { state, records } = live(policy);

    expect(records.filter((r) => r.type !== 'DECAY').map((r) => r.type)).toEqual([
      'INTERACTION',
      'INTERACTION',
      'INTERACTION',
      'STAGE_RESET',
      'INTERACTION',
      'INTERACTION',
    ]);
    expect(records.map((r) => r.type)).toEqual([
      'INTERACTION',
      'DECAY',
      'INTERACTION',
      'DECAY',
      'INTERACTION',
      'STAGE_RESET',
      'DECAY',
      'DECAY',
      'INTERACTION',
      'DECAY',
      'INTERACTION',
      'DECAY',
    ]);
    expect(sumsOf(records)).toEqual({ general: state.general, stage: state.stage, tags: state.tags });
    expect(Object.keys(state.tags).sort()).toEqual(['buyer', 'pricing']);
    expect(state.general).toBeGreaterThan(0);
  });

  it('replaying the records under the same rules gives the live state and the same records', () => {
    const lived = live(policy);

    const replayed = replay(lived.records, policy);

    expect(replayed.state).toMatchObject({
      general: lived.state.general,
      stage: lived.state.stage,
      tags: lived.state.tags,
      scoredInteractions: 5,
      caps: lived.state.caps,
      phase: 'PURCHASE',
      phaseTransitionId: 'transition-1',
    });
    expect(replayed.state).toEqual(lived.state);
    expect(replayed.records).toEqual(lived.records);
  });

  it('replaying under other rules gives the new totals', () => {
    // Given new rules: a visit is worth 1, a purchase 100, nothing else, and no decay
    const lived = live(policy);
    const newRules: ScoringPolicy = {
      rules: [generalRule('visit', 'PAGE_VISIT', 1), generalRule('purchase', 'PURCHASE', 100)],
      halfLifeDays: null,
    };

    // When the contact is rebuilt
    const { state, records } = replay(lived.records, newRules);

    // Then 3 visits, a reset, a purchase and a visit: general 3+100+1, stage 100+1 after the reset
    expect(state).toMatchObject({ general: 104, stage: 101, tags: {}, scoredInteractions: 5, caps: {} });
    expect(records.map((r) => r.type)).toEqual([
      'INTERACTION',
      'INTERACTION',
      'INTERACTION',
      'STAGE_RESET',
      'INTERACTION',
      'INTERACTION',
    ]);
    expect(sumsOf(records)).toEqual({ general: 104, stage: 101, tags: {} });
  });
});

describe('nextSignificantDropAt', () => {
  // A 10% drop takes halfLife × log2(1/0.9): 10 days × 0.152003 = 1.520031 days = 131,330,673 ms.
  it('is the instant a score has lost 10% of what was published', () => {
    const at = nextSignificantDropAt(10, T0_MS, 80, 80);
    expect(at).toBeCloseTo(T0_MS + 131_330_673, -1);
    expect(80 * decayFactor(10, T0_MS, at!)).toBeCloseTo(72, 9);
  });

  it('counts from what was published, not from the current value', () => {
    // Published 100, already at 95: the target is 90, log2(95/90) × 10 days = 67,394,170 ms away.
    expect(nextSignificantDropAt(10, T0_MS, 95, 100)).toBeCloseTo(T0_MS + 67_394_170, -1);
    // Already below the target: check at once.
    expect(nextSignificantDropAt(10, T0_MS, 85, 100)).toBe(T0_MS);
  });

  it('counts from the current value when nothing worth a point was published', () => {
    expect(nextSignificantDropAt(10, T0_MS, 80, 0.5)).toBeCloseTo(T0_MS + 131_330_673, -1);
  });

  it('treats negative scores by their size', () => {
    expect(nextSignificantDropAt(10, T0_MS, -80, -80)).toBeCloseTo(T0_MS + 131_330_673, -1);
  });

  it('is null without a half-life or with less than a point left', () => {
    expect(nextSignificantDropAt(null, T0_MS, 80, 80)).toBeNull();
    expect(nextSignificantDropAt(10, T0_MS, 0.99, 80)).toBeNull();
  });
});

describe('isSignificantDrop', () => {
  it.each([
    [100, 90, true],
    [100, 90.01, false],
    [100, 111, true],
    [-100, -90, true],
    [2, 1.6, false], // 0.4: under the 0.5 floor
    [2, 1.5, true],
    [0, 0.4, false],
    [0, 0.5, true],
  ])('from %d published to %d: %s', (published, general, expected) => {
    expect(isSignificantDrop(published, general)).toBe(expected);
  });
});
