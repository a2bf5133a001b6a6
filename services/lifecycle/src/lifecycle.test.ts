// Lifecycle against real NATS and a real MongoDB-compatible server: policy
// management, phase evaluation from score changes, redelivery, and failover of a
// contact's partition from one instance to the other mid-stream.
import { connectNats, publishEvent, type Nats } from '@cei/nats';
import { messageIds, partitionOf, topology, type PhaseChanged, type ScoreChanged } from '@cei/contracts';
import {
  callSubgraph,
  probeSubject,
  serviceEnv,
  testNamespace,
  testWorkspace,
  waitFor,
  type NatsProbe,
} from '@cei/testing';
import { loadLifecycleConfig } from './config';
import { startLifecycle, type Lifecycle } from './server';

const CONTACT = /* GraphQL */ `
  query Lifecycle($reps: [_Any!]!) {
    _entities(representations: $reps) {
      ... on Contact {
        id
        phase
        half
        phaseHistory {
          id
          from
          to
          reason
          score
        }
      }
    }
  }
`;

describe('lifecycle subgraph', () => {
  const namespace = testNamespace('lifecycle');
  const ns = topology(namespace);
  const config = loadLifecycleConfig(serviceEnv(namespace, { LIFECYCLE_PORT: '0' }));
  let first: Lifecycle;
  let second: Lifecycle;
  let nats: Nats;
  let phaseChanges: NatsProbe<PhaseChanged>;

  beforeAll(async () => {
    [first, second] = await Promise.all([startLifecycle(config), startLifecycle(config)]);
    nats = await connectNats(config.NATS_URL, 'lifecycle-test');
    phaseChanges = await probeSubject<PhaseChanged>(`${namespace}.*.phases.changed.*`);
  });
  afterAll(async () => {
    await phaseChanges?.close();
    await nats?.close();
    await Promise.all([first?.stop(), second?.stop()]);
  });

  const admin = (workspaceId: string) => ({ workspaceId, role: 'admin' as const });
  let counter = 0;
  function scoreChanged(ws: string, contactId: string, general: number, kind = 'PAGE_VISIT'): ScoreChanged {
    const at = new Date().toISOString();
    return {
      v: 1,
      workspaceId: ws,
      contactId,
      cause: 'INTERACTION',
      interactionId: `s${++counter}`,
      kind: kind as never,
      occurredAt: at,
      delta: 0,
      general,
      stage: 0,
      engagementIndex: 0,
      at,
    };
  }
  const publish = (event: ScoreChanged, msgId = messageIds.scoreChanged(event.workspaceId, event.interactionId!)) =>
    publishEvent(nats.js, ns.subjects.scoreChanged(event.workspaceId, event.contactId), event, msgId);
  const lifecycleOf = async (url: string, ws: string, id: string) =>
    (
      await callSubgraph<{
        _entities: {
          phase: string;
          half: string;
          phaseHistory: { id: string; from: string; to: string; reason: string; score: number }[];
        }[];
      }>(url, { workspaceId: ws, role: 'read' }, CONTACT, { reps: [{ __typename: 'Contact', id }] })
    ).data!._entities[0]!;
  const changesOf = (ws: string) =>
    phaseChanges.events.filter((e) => e.payload.workspaceId === ws).map((e) => e.payload);

  it('serves the default policy and validates updates, admin only', async () => {
    const ws = testWorkspace();
    const initial = await callSubgraph(
      first.url,
      admin(ws),
      `{ lifecyclePolicy { purchaseScore exitScore hysteresis updatedAt } }`,
    );
    expect(initial.data).toEqual({
      lifecyclePolicy: { purchaseScore: 50, exitScore: 20, hysteresis: 5, updatedAt: null },
    });

    const update = `mutation($input: LifecyclePolicyInput!) { updateLifecyclePolicy(input: $input) { purchaseScore exitScore hysteresis } }`;
    const bad = await callSubgraph(first.url, admin(ws), update, {
      input: { purchaseScore: 10, exitScore: 5, hysteresis: -1 },
    });
    expect(bad.errors?.[0]).toMatchObject({
      message: 'input.hysteresis: must be 0 or more',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const reader = await callSubgraph(first.url, { workspaceId: ws, role: 'read' }, update, {
      input: { purchaseScore: 10, exitScore: 5, hysteresis: 1 },
    });
    expect(reader.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    const good = await callSubgraph(first.url, admin(ws), update, {
      input: { purchaseScore: 10, exitScore: 5, hysteresis: 1 },
    });
    expect(good.data).toEqual({ updateLifecyclePolicy: { purchaseScore: 10, exitScore: 5, hysteresis: 1 } });
  });

  it('moves a contact NURTURE → PURCHASE → RETENTION → EXIT and serves each transition by id', async () => {
    const ws = testWorkspace();
    await callSubgraph(
      first.url,
      admin(ws),
      `mutation { updateLifecyclePolicy(input: { purchaseScore: 20, exitScore: 10, hysteresis: 2 }) { hysteresis } }`,
    );
    for (const event of [
      scoreChanged(ws, 'ann', 5),
      scoreChanged(ws, 'ann', 21),
      scoreChanged(ws, 'ann', 19), // inside the hysteresis band: stays in PURCHASE
      scoreChanged(ws, 'ann', 51, 'PURCHASE'),
      scoreChanged(ws, 'ann', 9, 'SOCIAL_DISLIKE'),
    ])
      await publish(event);

    await waitFor('three transitions', () => changesOf(ws).length === 3);
    expect(changesOf(ws).map((c) => [c.from, c.to, c.half, c.reason])).toEqual([
      ['NURTURE', 'PURCHASE', 'PROSPECT', 'score 21 reached the purchase threshold 20'],
      ['PURCHASE', 'RETENTION', 'CUSTOMER', 'first purchase'],
      ['RETENTION', 'EXIT', 'CUSTOMER', 'score 9 fell below the exit threshold 10'],
    ]);
    const card = await waitFor('the lifecycle document', async () => {
      const c = await lifecycleOf(first.url, ws, 'ann');
      return c.phaseHistory.length === 3 && c;
    });
    expect(card).toMatchObject({ phase: 'EXIT', half: 'CUSTOMER' });
    expect(card.phaseHistory.map((t) => t.id)).toEqual(['ann~3', 'ann~2', 'ann~1']);

    const byId = await callSubgraph(
      second.url,
      { workspaceId: ws, role: 'read' },
      `{ phaseTransition(id: "ann~2") { from to score contact { id } } }`,
    );
    expect(byId.data).toEqual({
      phaseTransition: { from: 'PURCHASE', to: 'RETENTION', score: 51, contact: { id: 'ann' } },
    });
    const elsewhere = await callSubgraph(
      first.url,
      { workspaceId: testWorkspace(), role: 'read' },
      `{ phaseTransition(id: "ann~2") { id } }`,
    );
    expect(elsewhere.data).toEqual({ phaseTransition: null });
  });

  it('applies a redelivered score change once', async () => {
    const ws = testWorkspace();
    const crossing = scoreChanged(ws, 'bea', 60);
    await publish(crossing);
    await publish(crossing, `${messageIds.scoreChanged(ws, crossing.interactionId!)}:again`);
    await publish(scoreChanged(ws, 'bea', 61));
    await waitFor('bea evaluated', async () => (await lifecycleOf(first.url, ws, 'bea')).phase === 'PURCHASE');
    await waitFor('all three applied', async () => {
      const info = await nats.jsm.consumers.info(ns.streams.scores.name, `lifecycle-p${partitionOf(ws, 'bea')}`);
      return info.num_pending === 0 && info.num_ack_pending === 0;
    });
    expect(changesOf(ws)).toHaveLength(1);
    expect((await lifecycleOf(first.url, ws, 'bea')).phaseHistory).toHaveLength(1);
  });

  it('fails over: when the owning instance stops mid-stream the other applies the rest, in order', async () => {
    const ws = testWorkspace();
    const third = await startLifecycle(config);
    const owners = [first, second, third];
    // Scores go up and down across the threshold: any lost or reordered event changes the transitions.
    const scores = Array.from({ length: 60 }, (_, i) => (i % 4 < 2 ? 60 : 10));
    for (const [i, general] of scores.entries()) {
      await publish(scoreChanged(ws, 'cat', general));
      if (i === 20) await owners.shift()!.stop(); // one instance leaves mid-stream
    }
    const expected = scores.reduce<string[]>((phases, general) => {
      const current = phases.at(-1) ?? 'NURTURE';
      const next =
        current === 'NURTURE' && general >= 50
          ? 'PURCHASE'
          : current === 'PURCHASE' && general < 45
            ? 'NURTURE'
            : current;
      return next === current ? phases : [...phases, next];
    }, []);
    // Wait for the count, then compare: on failure the diff shows what was lost or reordered.
    await waitFor('every transition', () => changesOf(ws).length >= expected.length, { timeoutMs: 45_000 }).catch(
      () => undefined,
    );
    expect(changesOf(ws).map((c) => c.to)).toEqual(expected);
    expect(changesOf(ws).map((c) => c.transitionId)).toEqual(expected.map((_, i) => `cat~${i + 1}`));
    // The two left running are stopped by afterAll.
    [first, second] = [owners[0]!, owners[1]!];
  }, 60_000);
});
