// Scoring against real NATS and a real MongoDB-compatible server, with two
// instances: rule management and its audit log, general and advanced rules applied
// by the consumer with explanations that add up, a duplicate publish and a re-publish
// counted once, and one contact's concurrent interactions neither lost nor reordered.
import { messageIds } from '@cei/contracts';
import { testWorkspace, waitFor } from '@cei/testing';
import { historyOf, scoreOf, startScoringKit, sumOf, type ScoringKit } from './scoring-test-kit';

const CREATE_RULE = /* GraphQL */ `
  mutation Create($input: ScoringRuleInput!) {
    createScoringRule(input: $input) {
      id
      type
      kind
      variant
      points
      enabled
      revision
    }
  }
`;

describe('scoring subgraph', () => {
  let kit: ScoringKit;
  beforeAll(async () => {
    kit = await startScoringKit('scoring');
  });
  afterAll(() => kit?.stop());

  /** What scoring adds to the contact card: the interactions it counted and the latest of their times. */
  async function activityOf(ws: string, contactId: string) {
    const response = await kit.gql<{ _entities: { interactionCount: number; lastInteractionAt: string | null }[] }>(
      ws,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Contact { interactionCount lastInteractionAt } } }`,
      { reps: [{ __typename: 'Contact', id: contactId }] },
      'read',
    );
    expect(response.errors).toBeUndefined();
    return response.data!._entities[0]!;
  }

  async function givenRules(ws: string, rules: Record<string, unknown>[]): Promise<string[]> {
    const ids: string[] = [];
    for (const input of rules) {
      const response = await kit.gql<{ createScoringRule: { id: string } }>(ws, CREATE_RULE, { input });
      expect(response.errors).toBeUndefined();
      ids.push(response.data!.createScoringRule.id);
    }
    return ids;
  }

  it('manages rules with errors that name the field, admin only, and audits every change', async () => {
    const ws = testWorkspace();
    const created = await kit.gql(ws, CREATE_RULE, { input: { kind: 'PAGE_VISIT', variant: 'AD', points: 5 } });
    expect(created.data).toEqual({
      createScoringRule: {
        id: 'PAGE_VISIT:AD',
        type: 'GENERAL',
        kind: 'PAGE_VISIT',
        variant: 'AD',
        points: 5,
        enabled: true,
        revision: 1,
      },
    });

    const again = await kit.gql(ws, CREATE_RULE, { input: { kind: 'PAGE_VISIT', variant: 'AD', points: 7 } });
    expect(again.errors?.[0]?.message).toMatch(/a rule for PAGE_VISIT:AD exists already; use updateScoringRule/);
    const badVariant = await kit.gql(ws, CREATE_RULE, { input: { kind: 'PURCHASE', variant: 'AD', points: 7 } });
    expect(badVariant.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', fields: [{ path: 'input.variant', message: expect.any(String) }] },
    });
    const impossible = await kit.gql(ws, CREATE_RULE, {
      input: {
        type: 'ADVANCED',
        kind: 'PURCHASE',
        when: { predicates: [{ field: 'SEARCH_PHRASE', operator: 'CONTAINS', value: 'crm' }] },
        effect: { general: 0 },
      },
    });
    expect(impossible.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [
        { path: 'input.when.predicates[0].field', message: expect.any(String) },
        { path: 'input.effect', message: expect.any(String) },
      ],
    });
    const lookahead = await kit.gql(ws, CREATE_RULE, {
      input: {
        type: 'ADVANCED',
        when: { predicates: [{ field: 'URL', operator: 'MATCHES', value: '^/pricing(?=/team)' }] },
        effect: { general: 1 },
      },
    });
    expect(lookahead.errors?.[0]?.extensions?.fields).toEqual([
      {
        path: 'input.when.predicates[0].value',
        message: 'lookahead (?=…) is not supported: rules use RE2 syntax, which guarantees linear-time matching',
      },
    ]);
    const writer = await kit.gql(ws, CREATE_RULE, { input: { kind: 'PURCHASE', points: 30 } }, 'write');
    expect(writer.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });

    const updated = await kit.gql(
      ws,
      `mutation { updateScoringRule(id: "PAGE_VISIT:AD", input: { points: 6 }) { points revision } }`,
    );
    expect(updated.data).toEqual({ updateScoringRule: { points: 6, revision: 2 } });
    const disabled = await kit.gql(
      ws,
      `mutation { setScoringRuleEnabled(id: "PAGE_VISIT:AD", enabled: false) { enabled } }`,
    );
    expect(disabled.data).toEqual({ setScoringRuleEnabled: { enabled: false } });
    const listed = await kit.gql(ws, `{ scoringRules { id points enabled } }`);
    expect(listed.data).toEqual({ scoringRules: [{ id: 'PAGE_VISIT:AD', points: 6, enabled: false }] });
    const deleted = await kit.gql(ws, `mutation { deleteScoringRule(id: "PAGE_VISIT:AD") }`);
    expect(deleted.data).toEqual({ deleteScoringRule: true });
    const otherWorkspace = await kit.gql(testWorkspace(), `{ scoringRules { id } }`);
    expect(otherWorkspace.data).toEqual({ scoringRules: [] });

    const audit = await kit.gql<{
      scoringRuleAudit: {
        entries: {
          action: string;
          actor: string;
          revision: number;
          before: { points: number } | null;
          after: { points: number } | null;
        }[];
        hasNextPage: boolean;
        endCursor: string;
      };
    }>(
      ws,
      `{ scoringRuleAudit(ruleId: "PAGE_VISIT:AD", first: 3) { entries { action actor revision before { points } after { points } } hasNextPage endCursor } }`,
    );
    expect(audit.data!.scoringRuleAudit.entries).toEqual([
      { action: 'DELETED', actor: 'admin-key:test', revision: 4, before: { points: 6 }, after: null },
      { action: 'DISABLED', actor: 'admin-key:test', revision: 3, before: { points: 6 }, after: { points: 6 } },
      { action: 'UPDATED', actor: 'admin-key:test', revision: 2, before: { points: 5 }, after: { points: 6 } },
    ]);
    expect(audit.data!.scoringRuleAudit.hasNextPage).toBe(true);
    const rest = await kit.gql<{
      scoringRuleAudit: { entries: { action: string; before: unknown }[]; hasNextPage: boolean };
    }>(
      ws,
      `query($after: String) { scoringRuleAudit(first: 10, after: $after) { entries { action before { id } } hasNextPage } }`,
      { after: audit.data!.scoringRuleAudit.endCursor },
    );
    expect(rest.data!.scoringRuleAudit).toEqual({ entries: [{ action: 'CREATED', before: null }], hasNextPage: false });
  });

  it('scores by general and advanced rules, per tag and stage, and the explanation adds up', async () => {
    const ws = testWorkspace();
    const [, , , pricing, bigOrder] = await givenRules(ws, [
      { kind: 'PAGE_VISIT', points: 1 },
      { kind: 'PAGE_VISIT', variant: 'AD', points: 5 },
      { kind: 'PURCHASE', points: 30 },
      {
        type: 'ADVANCED',
        name: 'pricing page',
        kind: 'PAGE_VISIT',
        when: { predicates: [{ field: 'URL', operator: 'CONTAINS', value: '/pricing' }] },
        effect: { general: 10, tags: [{ tag: 'crm', points: 4 }] },
        cap: { points: 15, period: 'DAY' },
      },
      {
        type: 'ADVANCED',
        name: 'big order',
        when: { predicates: [{ field: 'AMOUNT', operator: 'GTE', amount: 500 }] },
        effect: { stage: 7, tags: [{ tag: 'crm', points: 2 }] },
      },
    ]);
    const today = '2026-11-23T10:00:00.000Z';
    for (const event of [
      kit.interaction(ws, 'ann', 'PAGE_VISIT', {
        variant: 'AD',
        properties: { url: 'https://x.io/pricing' },
        occurredAt: today,
      }),
      kit.interaction(ws, 'ann', 'PAGE_VISIT', {
        variant: 'DIRECT',
        properties: { url: 'https://x.io/PRICING/team' },
        occurredAt: today,
      }),
      kit.interaction(ws, 'ann', 'PAGE_VISIT', {
        variant: 'DIRECT',
        properties: { url: 'https://x.io/blog' },
        occurredAt: today,
      }),
      kit.interaction(ws, 'ann', 'PURCHASE', { properties: { amount: 900 }, occurredAt: today }),
      // Late: an older time does not move lastInteractionAt back.
      kit.interaction(ws, 'ann', 'LIVE_CHAT', { occurredAt: '2026-11-20T08:00:00.000Z' }),
    ])
      await kit.record(event);

    const changes = await waitFor('five score changes', () => {
      const mine = kit.changesOf(ws);
      return mine.length === 5 && mine;
    });
    // ad visit 5 + pricing 10; direct visit 1 + pricing capped at 15 − 10 = 5; blog 1; purchase 30 (+7 stage); chat 0.
    expect(changes.map((c) => [c.cause, c.kind, c.delta, c.general, c.stage])).toEqual([
      ['INTERACTION', 'PAGE_VISIT', 15, 15, 15],
      ['INTERACTION', 'PAGE_VISIT', 6, 21, 21],
      ['INTERACTION', 'PAGE_VISIT', 1, 22, 22],
      ['INTERACTION', 'PURCHASE', 30, 52, 59],
      ['INTERACTION', 'LIVE_CHAT', 0, 52, 59],
    ]);
    await waitFor('the score document', async () => (await scoreOf(kit, ws, 'ann')).scoredInteractions === 5);
    const score = await scoreOf(kit, ws, 'ann');
    expect(score).toEqual({
      general: 52,
      stage: 59,
      tags: [{ tag: 'crm', points: 10 }], // the cap is per score: crm gets 4 + 4 (under 15), then 2
      engagementIndex: 40.5,
      scoredInteractions: 5,
      phase: null,
    });

    const history = await historyOf(kit, ws, 'ann', 3);
    expect(history.map((e) => [e.cause, e.ruleId, e.general, e.stage])).toEqual([
      ['INTERACTION', null, 0, 0], // LIVE_CHAT: no rule
      ['INTERACTION', bigOrder, 0, 7],
      ['INTERACTION', 'PURCHASE:*', 30, 30],
      ['INTERACTION', 'PAGE_VISIT:*', 1, 1],
      ['INTERACTION', pricing, 5, 5],
      ['INTERACTION', 'PAGE_VISIT:*', 1, 1],
      ['INTERACTION', pricing, 10, 10],
      ['INTERACTION', 'PAGE_VISIT:AD', 5, 5],
    ]);
    expect(sumOf(history)).toEqual({ general: 52, stage: 59, tags: { crm: 10 } });
    expect(await activityOf(ws, 'ann')).toEqual({ interactionCount: 5, lastInteractionAt: today });
    expect(await activityOf(ws, 'nobody')).toEqual({ interactionCount: 0, lastInteractionAt: null });
  });

  it('counts an interaction published twice under its id, and re-published outside the duplicate window, once', async () => {
    const ws = testWorkspace();
    await givenRules(ws, [{ kind: 'PAGE_VISIT', points: 2 }]);
    const event = kit.interaction(ws, 'bea', 'PAGE_VISIT');
    await kit.record(event);
    await kit.record(event); // same message id: the stream drops it
    await kit.record(event, `${messageIds.interactionRecorded(ws, event.interactionId)}:outside-window`); // a new position
    // (A real JetStream redelivery is forced in scoring-redelivery.test.ts.)
    // Sentinel: the contact's next interaction, through the same partition.
    const next = kit.interaction(ws, 'bea', 'PAGE_VISIT');
    await kit.record(next);

    await waitFor('the sentinel scored', () => kit.changesOf(ws).some((c) => c.interactionId === next.interactionId));
    expect(kit.changesOf(ws).map((c) => [c.interactionId, c.general])).toEqual([
      [event.interactionId, 2],
      [next.interactionId, 4],
    ]);
    expect(await scoreOf(kit, ws, 'bea')).toMatchObject({ general: 4, scoredInteractions: 2 });
    expect((await activityOf(ws, 'bea')).interactionCount).toBe(2);
  });

  it('answers every change of a message of several by its id, as it was published', async () => {
    const ws = testWorkspace();
    await givenRules(ws, [{ kind: 'PAGE_VISIT', points: 3 }]);
    // 40 visits of one contact at once: the later ones wait for the first batch, and go out together.
    const events = Array.from({ length: 40 }, () => kit.interaction(ws, 'dia', 'PAGE_VISIT'));
    await Promise.all(events.map((event) => kit.record(event)));
    await waitFor('all 40 scored', () => kit.changesOf(ws).length === 40, { timeoutMs: 30_000 });

    const published = kit.changesOf(ws);
    // Several went out in one message: a later one is named by its message's first and its place.
    const later = published.filter((c) => /~\d+\.\d+$/.test(c.changeId!));
    expect(later.length).toBeGreaterThan(0);
    expect(new Set(published.map((c) => c.changeId)).size).toBe(40);
    const FIELDS = '{ id cause interactionId kind delta general stage engagementIndex at contact { id } }';
    for (const change of published) {
      const answer = await kit.gql<{ scoreChange: Record<string, unknown> }>(
        ws,
        `query($id: ID!) { scoreChange(id: $id) ${FIELDS} }`,
        { id: change.changeId },
        'read',
      );
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.scoreChange).toEqual({
        id: change.changeId,
        cause: change.cause,
        interactionId: change.interactionId,
        kind: change.kind,
        delta: change.delta,
        general: change.general,
        stage: change.stage,
        engagementIndex: change.engagementIndex,
        at: change.at,
        contact: { id: 'dia' },
      });
    }
    // An id no message gave (a place beyond its message; a later change's own position, which is not
    // a message's first), and another workspace's, find nothing.
    const [first] = later;
    const message = first!.changeId!.replace(/\.\d+$/, '');
    const position = Number(message.slice(message.lastIndexOf('~') + 1));
    const ids = new Set(published.map((c) => c.changeId));
    // (fewer messages than changes: one of the next 40 positions is not a message's first)
    const notFirst = Array.from({ length: 40 }, (_, k) => `dia~${position + 1 + k}`).find((id) => !ids.has(id))!;
    for (const [workspace, id] of [
      [ws, `${message}.999`],
      [ws, notFirst],
      [testWorkspace(), first!.changeId!],
    ] as const) {
      const answer = await kit.gql<{ scoreChange: unknown }>(
        workspace,
        `query($id: ID!) { scoreChange(id: $id) { id } }`,
        { id },
        'read',
      );
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toEqual({ scoreChange: null });
    }
  });

  it('with two instances, loses no update and keeps the order of one contact', async () => {
    const ws = testWorkspace();
    await givenRules(ws, [
      { kind: 'PAGE_VISIT', points: 1 },
      { kind: 'EMAIL_OPEN', points: 2 },
    ]);
    const contacts = ['c0', 'c1', 'c2', 'c3'];
    const events = Array.from({ length: 400 }, (_, i) =>
      kit.interaction(ws, contacts[i % contacts.length]!, i % 3 === 0 ? 'EMAIL_OPEN' : 'PAGE_VISIT'),
    );
    await Promise.all(events.map((event) => kit.record(event)));

    const expected = new Map<string, number>();
    for (const e of events)
      expected.set(e.contactId, (expected.get(e.contactId) ?? 0) + (e.kind === 'EMAIL_OPEN' ? 2 : 1));
    await waitFor('all 400 scored', () => kit.changesOf(ws).length === 400, { timeoutMs: 30_000 });

    for (const contactId of contacts) {
      // Changes are published just before the score document is written.
      await waitFor(`${contactId} written`, async () => (await scoreOf(kit, ws, contactId)).scoredInteractions === 100);
      expect((await scoreOf(kit, ws, contactId)).general).toBe(expected.get(contactId));
      const totals = kit.changesOf(ws, contactId).map((e) => e.general);
      // Published in stream order: every change is the previous total plus its points.
      expect(totals).toEqual([...totals].sort((a, b) => a - b));
      expect(new Set(totals).size).toBe(totals.length);
    }
    // 100 records each, across several sealed history buckets: the explanation still adds up.
    expect(sumOf(await historyOf(kit, ws, 'c0', 200)).general).toBe(expected.get('c0'));
  });
});
