// Lifecycle against real NATS and a real MongoDB-compatible server: policy
// management, phase evaluation from score changes, a real JetStream redelivery and a
// re-publish outside the duplicate window, and failover of a contact's partition
// from one instance to the other mid-stream.
import { databaseName } from '@cei/config';
import { connectDatabase, type Database } from '@cei/mongo';
import { connectNats, publishEvent, type Nats } from '@cei/nats';
import { messageIds, partitionOf, topology, type PhaseChanged, type ScoreChanged } from '@cei/contracts';
import {
  callSubgraph,
  probeSubject,
  redeliveryFault,
  serviceEnv,
  testNamespace,
  testWorkspace,
  waitFor,
  type NatsProbe,
} from '@cei/testing';
import { loadLifecycleConfig } from './config';
import { lifecycleModels, type LifecycleModels } from './models';
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
  let db: Database;
  let models: LifecycleModels;
  // Both instances' evaluators are wrapped: whichever owns a contact's partition fails the armed batch.
  const fault = redeliveryFault<ScoreChanged>();

  beforeAll(async () => {
    [first, second] = await Promise.all([
      startLifecycle(config, undefined, { wrapHandler: fault.wrap }),
      startLifecycle(config, undefined, { wrapHandler: fault.wrap }),
    ]);
    nats = await connectNats(config.NATS_URL, 'lifecycle-test');
    phaseChanges = await probeSubject<PhaseChanged>(ns.everyWorkspace.phasesChanged);
    db = await connectDatabase(config.MONGO_URL, databaseName(namespace, 'lifecycle'), 2);
    models = lifecycleModels(db.connection);
  });
  afterAll(async () => {
    await phaseChanges?.close();
    await nats?.close();
    await db?.close();
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
  const lifecycleDoc = (ws: string, contactId: string) =>
    models.ContactLifecycle.findById(`${ws}:${contactId}`).lean().exec();
  /** The phase changes the PHASES stream stored for the contact's subject, in stream order. */
  const storedChanges = async (ws: string, contactId: string): Promise<PhaseChanged[]> => {
    const subject = ns.subjects.phaseChanged(ws, contactId);
    const info = await nats.jsm.streams.info(ns.streams.phases.name, { subjects_filter: subject });
    const count = info.state.subjects?.[subject] ?? 0;
    if (count === 0) return [];
    const reader = await nats.js.consumers.get(ns.streams.phases.name, { filter_subjects: [subject] });
    const stored: PhaseChanged[] = [];
    for await (const msg of await reader.fetch({ max_messages: count, expires: 5_000 })) {
      stored.push(msg.json<PhaseChanged>());
      if (stored.length === count) break;
    }
    await reader.delete();
    return stored;
  };

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
      extensions: { code: 'BAD_USER_INPUT', fields: [{ path: 'input.hysteresis', message: 'must be 0 or more' }] },
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

    // The last change's transition is the sentinel: whatever the earlier ones caused arrived before it.
    await waitFor('the transition to EXIT', () => changesOf(ws).some((c) => c.to === 'EXIT'));
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

  it('skips a score change JetStream redelivers after its writes, by its recorded position', async () => {
    const ws = testWorkspace();
    const crossing = scoreChanged(ws, 'bea', 60);
    // Given the evaluator fails the batch holding this change right after writing it (before the ack)
    const armed = fault.failOnceAfterWrites({
      matches: (d) => d.event.workspaceId === ws && d.event.interactionId === crossing.interactionId,
      snapshot: () => lifecycleDoc(ws, 'bea'),
    });

    // When the change is published once, and JetStream gives it back
    await publish(crossing);
    const { failed, again, before } = await armed.redelivered();

    // Then the same stream message came back, flagged as redelivered
    expect(failed.map((d) => [d.seq, d.redelivered])).toEqual([[failed[0]!.seq, false]]);
    expect(again.map((d) => [d.seq, d.redelivered])).toEqual([[failed[0]!.seq, true]]);
    // and the document already recorded its position, so `seq <= lastSeq` held: applied once, not rewritten
    expect(before).toMatchObject({ phase: 'PURCHASE', lastSeq: failed[0]!.seq, transitionCount: 1 });
    expect(await lifecycleDoc(ws, 'bea')).toEqual(before);

    // Sentinel: a later change of the same contact, through the same partition, moves it back
    await publish(scoreChanged(ws, 'bea', 10));
    await waitFor('the sentinel transition', () => changesOf(ws).some((c) => c.transitionId === 'bea~2'));

    // The redelivery re-published its transition (only the `seq <= lastSeq` branch does that), with
    // the same message id: subscribers of core NATS saw it twice, the stream stored it once.
    expect(changesOf(ws).map((c) => c.transitionId)).toEqual(['bea~1', 'bea~1', 'bea~2']);
    expect(changesOf(ws)[1]).toEqual(changesOf(ws)[0]);
    expect((await storedChanges(ws, 'bea')).map((c) => [c.transitionId, c.to])).toEqual([
      ['bea~1', 'PURCHASE'],
      ['bea~2', 'NURTURE'],
    ]);
    expect((await lifecycleOf(first.url, ws, 'bea')).phaseHistory.map((t) => t.id)).toEqual(['bea~2', 'bea~1']);
  });

  it('moves no phase twice for a score change re-published outside the duplicate window (a new position)', async () => {
    const ws = testWorkspace();
    const crossing = scoreChanged(ws, 'bob', 60);
    await publish(crossing);
    // Past the window the stream takes the same change again, at a new seq: lifecycle acts on absolute scores.
    await publish(crossing, `${messageIds.scoreChanged(ws, crossing.interactionId!)}:outside-window`);
    // Sentinel: the next change of the contact, through the same partition, is a transition of its own.
    await publish(scoreChanged(ws, 'bob', 10));
    await waitFor('the sentinel transition', () => changesOf(ws).some((c) => c.to === 'NURTURE'));

    expect(changesOf(ws).map((c) => [c.transitionId, c.to])).toEqual([
      ['bob~1', 'PURCHASE'],
      ['bob~2', 'NURTURE'],
    ]);
    expect((await lifecycleOf(first.url, ws, 'bob')).phaseHistory.map((t) => t.id)).toEqual(['bob~2', 'bob~1']);
  });

  /** The partitions the NATS server pins to an instance right now, as its health endpoint reports them. */
  const pinnedTo = async (instance: Lifecycle): Promise<number[]> => {
    const response = await fetch(new URL('/health?partitions', instance.url));
    const body = (await response.json()) as { partitions?: Record<string, number[]> };
    return body.partitions?.lifecycle ?? [];
  };
  const ownerOf = (partition: number, instances: Lifecycle[]) =>
    waitFor(`the instance partition ${partition} is pinned to`, async () => {
      const owning = [];
      for (const instance of instances) if ((await pinnedTo(instance)).includes(partition)) owning.push(instance);
      return owning.length === 1 && owning[0];
    });

  it('fails over: when the instance the partition is pinned to stops mid-stream, another applies the rest, in order', async () => {
    const ws = testWorkspace();
    const third = await startLifecycle(config);
    const instances = [first, second, third];
    // Scores go up and down across the threshold: any lost or reordered event changes the transitions.
    const scores = Array.from({ length: 60 }, (_, i) => (i % 4 < 2 ? 60 : 10));
    const publishRange = async (from: number, to: number) => {
      for (const general of scores.slice(from, to)) await publish(scoreChanged(ws, 'cat', general));
    };
    // Given the contact's partition pinned to one of three instances, which applied its first changes
    await publishRange(0, 20);
    await waitFor('the first changes applied', () => changesOf(ws).length >= 10);
    const owner = await ownerOf(partitionOf(ws, 'cat'), instances);

    // When that instance stops while changes keep coming, and more come after it stopped
    const publishing = publishRange(20, 40);
    await owner.stop();
    await publishing;
    await publishRange(40, 60);

    // Then the pin is on one of the others (ownerOf throws unless exactly one holds it),
    // and every transition is there, once, in order
    const rest = instances.filter((instance) => instance !== owner);
    await ownerOf(partitionOf(ws, 'cat'), rest);
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
    // A sentinel change after the last one (the 60 end in NURTURE, so it moves the contact to
    // PURCHASE): once its transition is there, every earlier change was applied or lost, and
    // any double would be in the list already. On failure the diff shows what went wrong.
    const withSentinel = [...expected, 'PURCHASE'];
    expect(expected.at(-1)).toBe('NURTURE');
    await publish(scoreChanged(ws, 'cat', 60));
    await waitFor(
      'the sentinel transition',
      () => changesOf(ws).some((c) => c.transitionId === `cat~${withSentinel.length}`),
      {
        timeoutMs: 45_000,
      },
    ).catch(() => undefined);
    expect(changesOf(ws).map((c) => c.to)).toEqual(withSentinel);
    expect(changesOf(ws).map((c) => c.transitionId)).toEqual(withSentinel.map((_, i) => `cat~${i + 1}`));
    // The two left running are stopped by afterAll.
    [first, second] = [rest[0]!, rest[1]!];
  }, 60_000);
});
