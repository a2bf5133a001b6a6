// Scoring against real NATS and a real MongoDB-compatible server: rule
// management, the interaction scorer, redelivery, and two instances sharing one
// contact's partition without losing an update or reordering its score changes.
import { connectNats, publishEvent, type Nats } from '@cei/nats';
import { messageIds, topology, type InteractionRecorded, type ScoreChanged } from '@cei/contracts';
import {
  callSubgraph,
  probeSubject,
  serviceEnv,
  testNamespace,
  testWorkspace,
  waitFor,
  type NatsProbe,
} from '@cei/testing';
import { loadScoringConfig } from './config';
import { startScoring, type Scoring } from './server';

const CREATE_RULE = /* GraphQL */ `
  mutation Create($input: ScoringRuleInput!) {
    createScoringRule(input: $input) {
      id
      kind
      variant
      points
      enabled
    }
  }
`;
const SCORE = /* GraphQL */ `
  query Score($reps: [_Any!]!) {
    _entities(representations: $reps) {
      ... on Contact {
        id
        score {
          general
          engagementIndex
          scoredInteractions
        }
      }
    }
  }
`;

describe('scoring subgraph', () => {
  const namespace = testNamespace('scoring');
  const ns = topology(namespace);
  const config = loadScoringConfig(serviceEnv(namespace, { SCORING_PORT: '0' }));
  let first: Scoring;
  let second: Scoring;
  let nats: Nats;
  let scoreChanges: NatsProbe<ScoreChanged>;

  beforeAll(async () => {
    // Two instances from the start: they split the partitions between them.
    [first, second] = await Promise.all([startScoring(config), startScoring(config)]);
    nats = await connectNats(config.NATS_URL, 'scoring-test');
    scoreChanges = await probeSubject<ScoreChanged>(`${namespace}.*.scores.changed.*`);
  });
  afterAll(async () => {
    await scoreChanges?.close();
    await nats?.close();
    await Promise.all([first?.stop(), second?.stop()]);
  });

  const admin = (workspaceId: string) => ({ workspaceId, role: 'admin' as const });

  async function givenRules(ws: string, rules: { kind: string; variant?: string; points: number }[]) {
    for (const input of rules) {
      const response = await callSubgraph(first.url, admin(ws), CREATE_RULE, { input });
      expect(response.errors).toBeUndefined();
    }
  }

  let counter = 0;
  function interaction(
    ws: string,
    contactId: string,
    kind: string,
    variant: string | null = null,
  ): InteractionRecorded {
    const now = new Date().toISOString();
    return {
      v: 1,
      workspaceId: ws,
      interactionId: `i${++counter}`,
      contactId,
      email: null,
      kind: kind as never,
      variant,
      occurredAt: now,
      recordedAt: now,
      properties: {},
    };
  }
  const record = (
    event: InteractionRecorded,
    msgId = messageIds.interactionRecorded(event.workspaceId, event.interactionId),
  ) => publishEvent(nats.js, ns.subjects.interactionRecorded(event.workspaceId, event.contactId), event, msgId);

  async function scoreOf(ws: string, contactId: string) {
    const response = await callSubgraph<{
      _entities: { score: { general: number; engagementIndex: number; scoredInteractions: number } }[];
    }>(first.url, { workspaceId: ws, role: 'read' }, SCORE, { reps: [{ __typename: 'Contact', id: contactId }] });
    return response.data!._entities[0]!.score;
  }

  it('manages rules with errors that name the field, admin only', async () => {
    const ws = testWorkspace();
    const created = await callSubgraph(first.url, admin(ws), CREATE_RULE, {
      input: { kind: 'PAGE_VISIT', variant: 'AD', points: 5 },
    });
    expect(created.data).toEqual({
      createScoringRule: { id: 'PAGE_VISIT:AD', kind: 'PAGE_VISIT', variant: 'AD', points: 5, enabled: true },
    });

    const again = await callSubgraph(first.url, admin(ws), CREATE_RULE, {
      input: { kind: 'PAGE_VISIT', variant: 'AD', points: 7 },
    });
    expect(again.errors?.[0]?.message).toMatch(/a rule for PAGE_VISIT:AD exists already; use updateScoringRule/);

    const badVariant = await callSubgraph(first.url, admin(ws), CREATE_RULE, {
      input: { kind: 'PURCHASE', variant: 'AD', points: 7 },
    });
    expect(badVariant.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.variant' } });

    const writer = await callSubgraph(first.url, { workspaceId: ws, role: 'write' }, CREATE_RULE, {
      input: { kind: 'PURCHASE', points: 30 },
    });
    expect(writer.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });

    const updated = await callSubgraph(
      first.url,
      admin(ws),
      `mutation { updateScoringRule(id: "PAGE_VISIT:AD", input: { points: 6 }) { points } }`,
    );
    expect(updated.data).toEqual({ updateScoringRule: { points: 6 } });
    const listed = await callSubgraph(first.url, admin(ws), `{ scoringRules { id points } }`);
    expect(listed.data).toEqual({ scoringRules: [{ id: 'PAGE_VISIT:AD', points: 6 }] });
    const deleted = await callSubgraph(first.url, admin(ws), `mutation { deleteScoringRule(id: "PAGE_VISIT:AD") }`);
    expect(deleted.data).toEqual({ deleteScoringRule: true });
    const otherWorkspace = await callSubgraph(first.url, admin(testWorkspace()), `{ scoringRules { id } }`);
    expect(otherWorkspace.data).toEqual({ scoringRules: [] });
  });

  it('scores interactions by kind and variant and publishes each change', async () => {
    const ws = testWorkspace();
    await givenRules(ws, [
      { kind: 'PAGE_VISIT', points: 1 },
      { kind: 'PAGE_VISIT', variant: 'AD', points: 5 },
      { kind: 'EMAIL_CLICK', points: 3 },
      { kind: 'PURCHASE', points: 30 },
    ]);
    for (const event of [
      interaction(ws, 'ann', 'PAGE_VISIT', 'AD'),
      interaction(ws, 'ann', 'PAGE_VISIT', 'DIRECT'),
      interaction(ws, 'ann', 'EMAIL_CLICK', 'MAILING'),
      interaction(ws, 'ann', 'PURCHASE'),
      interaction(ws, 'ann', 'LIVE_CHAT'),
    ])
      await record(event);

    const changes = await waitFor('five score changes', () => {
      const mine = scoreChanges.events.filter((e) => e.payload.workspaceId === ws);
      return mine.length === 5 && mine;
    });
    expect(changes.map((c) => [c.payload.kind, c.payload.delta, c.payload.general])).toEqual([
      ['PAGE_VISIT', 5, 5],
      ['PAGE_VISIT', 1, 6],
      ['EMAIL_CLICK', 3, 9],
      ['PURCHASE', 30, 39],
      ['LIVE_CHAT', 0, 39],
    ]);
    await waitFor('the score document', async () => (await scoreOf(ws, 'ann')).scoredInteractions === 5);
    expect(await scoreOf(ws, 'ann')).toEqual({ general: 39, engagementIndex: 32.3, scoredInteractions: 5 });
  });

  it('counts a redelivered or re-published interaction once', async () => {
    const ws = testWorkspace();
    await givenRules(ws, [{ kind: 'PAGE_VISIT', points: 2 }]);
    const event = interaction(ws, 'bea', 'PAGE_VISIT');
    await record(event);
    await record(event); // same message id: the stream drops it
    await record(event, `${messageIds.interactionRecorded(ws, event.interactionId)}:outside-window`); // a new position
    await record(interaction(ws, 'bea', 'PAGE_VISIT'));

    await waitFor('both distinct interactions scored', async () => (await scoreOf(ws, 'bea')).scoredInteractions === 2);
    expect(await scoreOf(ws, 'bea')).toMatchObject({ general: 4, scoredInteractions: 2 });
    expect(scoreChanges.events.filter((e) => e.payload.workspaceId === ws)).toHaveLength(2);
  });

  it('with two instances, loses no update and keeps the order of one contact', async () => {
    const ws = testWorkspace();
    await givenRules(ws, [
      { kind: 'PAGE_VISIT', points: 1 },
      { kind: 'EMAIL_OPEN', points: 2 },
    ]);
    const contacts = ['c0', 'c1', 'c2', 'c3'];
    const events = Array.from({ length: 400 }, (_, i) =>
      interaction(ws, contacts[i % contacts.length]!, i % 3 === 0 ? 'EMAIL_OPEN' : 'PAGE_VISIT'),
    );
    await Promise.all(events.map((event) => record(event)));

    const expected = new Map<string, number>();
    for (const e of events)
      expected.set(e.contactId, (expected.get(e.contactId) ?? 0) + (e.kind === 'EMAIL_OPEN' ? 2 : 1));
    await waitFor(
      'all 400 scored',
      () => scoreChanges.events.filter((e) => e.payload.workspaceId === ws).length === 400,
      { timeoutMs: 30_000 },
    );

    for (const contactId of contacts) {
      expect((await scoreOf(ws, contactId)).general).toBe(expected.get(contactId));
      const totals = scoreChanges.events
        .filter((e) => e.payload.workspaceId === ws && e.payload.contactId === contactId)
        .map((e) => e.payload.general);
      // Published in stream order: every change is the previous total plus its points.
      expect(totals).toEqual([...totals].sort((a, b) => a - b));
      expect(new Set(totals).size).toBe(totals.length);
    }
  });
});
