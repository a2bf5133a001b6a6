// Lifecycle against real NATS and a real MongoDB-compatible server: policy
// management, phase evaluation from score changes (with a clock the test moves: dwell,
// a new customer's grace, time in phases), history pages beyond the last 100, a real
// JetStream redelivery and a re-publish outside the duplicate window, and failover of
// a contact's partition from one instance to the other mid-stream.
import { databaseName } from '@cei/config';
import { connectDatabase, type Database } from '@cei/mongo';
import { connectNats, publishEvent, type Nats } from '@cei/nats';
import {
  messageIds,
  partitionOf,
  topology,
  type LifecycleRequested,
  type PhaseChanged,
  type ScoreChanged,
} from '@cei/contracts';
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
import {
  lifecycleDoc as decodeLifecycle,
  lifecycleModels,
  type ContactLifecycleRow,
  type LifecycleModels,
} from './models';
import { startLifecycle, type Lifecycle } from './server';
import { lifecycleApplied } from './lifecycle-test-kit';

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
          cause
          interactionId
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
  // The instances' clock (when they apply a change): it stands still unless a test moves it.
  let clock = Date.parse('2026-03-01T12:00:00Z');
  const now = () => new Date(clock);
  const advanceMinutes = (minutes: number) => (clock += minutes * 60_000);

  beforeAll(async () => {
    [first, second] = await Promise.all([
      startLifecycle(config, undefined, { wrapHandler: fault.wrap, now }),
      startLifecycle(config, undefined, { wrapHandler: fault.wrap, now }),
    ]);
    nats = await connectNats(config.NATS_URL, 'lifecycle-test');
    phaseChanges = await probeSubject<PhaseChanged>(ns.everyWorkspace.phasesChanged);
    db = await connectDatabase(config.MONGO_URL, databaseName(namespace, 'lifecycle'), 2);
    models = lifecycleModels(db);
  });
  afterAll(async () => {
    await phaseChanges?.close();
    await nats?.close();
    await db?.close();
    await Promise.all([first?.stop(), second?.stop()]);
  });

  const admin = (workspaceId: string) => ({ workspaceId, role: 'admin' as const });
  let counter = 0;
  /** A score change an interaction of `kind` caused, or (kind null) a stage reset. */
  function scoreChanged(
    ws: string,
    contactId: string,
    general: number,
    kind: string | null = 'PAGE_VISIT',
  ): ScoreChanged {
    const at = new Date().toISOString();
    return {
      v: 1,
      workspaceId: ws,
      contactId,
      cause: kind === null ? 'STAGE_RESET' : 'INTERACTION',
      interactionId: kind === null ? null : `s${++counter}`,
      kind: kind as never,
      occurredAt: at,
      delta: 0,
      general,
      stage: 0,
      engagementIndex: 0,
      at,
    };
  }
  const publish = (
    event: ScoreChanged,
    msgId = event.interactionId === null
      ? messageIds.stageReset(event.workspaceId, `${event.contactId}~reset${++counter}`)
      : messageIds.scoreChanged(event.workspaceId, event.interactionId),
  ) => publishEvent(nats.js, ns.subjects.scoreChanged(event.workspaceId, event.contactId), event, msgId);
  const lifecycleOf = async (url: string, ws: string, id: string) =>
    (
      await callSubgraph<{
        _entities: {
          phase: string;
          half: string;
          phaseHistory: {
            id: string;
            from: string;
            to: string;
            reason: string;
            score: number;
            cause: string | null;
            interactionId: string | null;
          }[];
        }[];
      }>(url, { workspaceId: ws, role: 'read' }, CONTACT, { reps: [{ __typename: 'Contact', id }] })
    ).data!._entities[0]!;
  const changesOf = (ws: string) =>
    phaseChanges.events.filter((e) => e.payload.workspaceId === ws).map((e) => e.payload);
  const lifecycleDoc = async (ws: string, contactId: string) => {
    const row = await models.ContactLifecycle.findById(`${ws}:${contactId}`).lean<ContactLifecycleRow>().exec();
    return row && decodeLifecycle(row);
  };
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
  /**
   * The contact's transitions in the phases stream once it has stored `last`. A core subscriber can
   * see a published transition before the stream has stored it, so the sentinel seen by `changesOf`
   * is waited for here too; the stream keeps a subject's messages in order, so the ones before it are in.
   */
  const storedThrough = (ws: string, contactId: string, last: string): Promise<PhaseChanged[]> =>
    waitFor(`the phases stream to store ${last}`, async () => {
      const stored = await storedChanges(ws, contactId);
      return stored.some((c) => c.transitionId === last) && stored;
    });

  it('serves the default policy and validates updates, admin only', async () => {
    const ws = testWorkspace();
    const fields = `purchaseEnterScore purchaseLeaveScore exitEnterScore exitLeaveScore minDwellMinutes newCustomerGraceDays purchaseScore exitScore hysteresis`;
    const initial = await callSubgraph(first.url, admin(ws), `{ lifecyclePolicy { ${fields} updatedAt } }`);
    expect(initial.data).toEqual({
      lifecyclePolicy: {
        purchaseEnterScore: 50,
        purchaseLeaveScore: 45,
        exitEnterScore: 20,
        exitLeaveScore: 25,
        minDwellMinutes: 0,
        newCustomerGraceDays: 30,
        purchaseScore: 50,
        exitScore: 20,
        hysteresis: 5,
        updatedAt: null,
      },
    });

    const update = `mutation($input: LifecyclePolicyInput!) { updateLifecyclePolicy(input: $input) { ${fields} } }`;
    const bad = await callSubgraph(first.url, admin(ws), update, {
      input: { purchaseScore: 10, exitScore: 5, hysteresis: -1 },
    });
    expect(bad.errors?.[0]).toMatchObject({
      message: 'input.hysteresis: must be 0 or more',
      extensions: { code: 'BAD_USER_INPUT', fields: [{ path: 'input.hysteresis', message: 'must be 0 or more' }] },
    });
    const crossed = await callSubgraph(first.url, admin(ws), update, {
      input: {
        purchaseEnterScore: 10,
        purchaseLeaveScore: 12,
        exitEnterScore: 5,
        exitLeaveScore: 6,
        minDwellMinutes: -5,
      },
    });
    expect(crossed.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [
        { path: 'input.purchaseLeaveScore', message: 'must not be above purchaseEnterScore (12 > 10)' },
        { path: 'input.minDwellMinutes', message: 'must be between 0 and 527040 (a year)' },
      ],
    });
    const reader = await callSubgraph(first.url, { workspaceId: ws, role: 'read' }, update, {
      input: { purchaseScore: 10, exitScore: 5, hysteresis: 1 },
    });
    expect(reader.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect((await callSubgraph(first.url, admin(ws), `{ lifecyclePolicy { updatedAt } }`)).data).toEqual({
      lifecyclePolicy: { updatedAt: null },
    });

    // The shorthand older clients send maps onto the four thresholds
    const shorthand = await callSubgraph(first.url, admin(ws), update, {
      input: { purchaseScore: 10, exitScore: 5, hysteresis: 1 },
    });
    expect(shorthand.data).toEqual({
      updateLifecyclePolicy: {
        purchaseEnterScore: 10,
        purchaseLeaveScore: 9,
        exitEnterScore: 5,
        exitLeaveScore: 6,
        minDwellMinutes: 0,
        newCustomerGraceDays: 30,
        purchaseScore: 10,
        exitScore: 5,
        hysteresis: 1,
      },
    });
    const full = {
      purchaseEnterScore: 40,
      purchaseLeaveScore: 25,
      exitEnterScore: 10,
      exitLeaveScore: 18,
      minDwellMinutes: 120,
      newCustomerGraceDays: 14,
    };
    await callSubgraph(first.url, admin(ws), update, { input: full });
    expect((await callSubgraph(second.url, admin(ws), `{ lifecyclePolicy { ${fields} } }`)).data).toEqual({
      lifecyclePolicy: { ...full, purchaseScore: 40, exitScore: 10, hysteresis: 15 },
    });
  });

  it('moves a contact NURTURE → PURCHASE → RETENTION → EXIT and serves each transition by id', async () => {
    const ws = testWorkspace();
    await callSubgraph(
      first.url,
      admin(ws),
      `mutation { updateLifecyclePolicy(input: { purchaseScore: 20, exitScore: 10, hysteresis: 2, newCustomerGraceDays: 0 }) { hysteresis } }`,
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

  const setPolicy = async (ws: string, input: Record<string, number>) => {
    const set = await callSubgraph(
      first.url,
      admin(ws),
      `mutation($input: LifecyclePolicyInput!) { updateLifecyclePolicy(input: $input) { updatedAt } }`,
      { input },
    );
    expect(set.errors).toBeUndefined();
  };
  /** Publishes the change, waits until lifecycle has applied it (acknowledged), and reads the contact's document. */
  const applied = async (event: ScoreChanged) => {
    const { seq } = await publish(event);
    await lifecycleApplied(nats, ns, event.workspaceId, event.contactId, seq);
    return (await lifecycleDoc(event.workspaceId, event.contactId))!;
  };

  it('keeps a first purchase worth few points in RETENTION through the stage reset after it, and sends the customer to EXIT only once the grace is over', async () => {
    // Given the default policy: EXIT below 20, a new customer's grace of 30 days
    const ws = testWorkspace();
    // When a prospect's first purchase leaves the score at 3, and the stage reset scoring sends
    // after the phase change (no interaction, the same score) is applied
    const purchase = scoreChanged(ws, 'fay', 3, 'PURCHASE');
    await publish(purchase);
    const afterReset = await applied(scoreChanged(ws, 'fay', 3, null));
    // Then the customer is in RETENTION, not EXIT
    expect(afterReset).toMatchObject({ phase: 'RETENTION', half: 'CUSTOMER', transitionCount: 1 });
    // and so after a dislike a day later
    advanceMinutes(24 * 60);
    expect(await applied(scoreChanged(ws, 'fay', -5, 'SOCIAL_DISLIKE'))).toMatchObject({
      phase: 'RETENTION',
      transitionCount: 1,
    });

    // When 30 days have passed since the purchase, the next change below the threshold (decay) sends it to EXIT
    advanceMinutes(29 * 24 * 60);
    await publish({ ...scoreChanged(ws, 'fay', 2, null), cause: 'DECAY' });
    await waitFor('the transition to EXIT', () => changesOf(ws).some((c) => c.to === 'EXIT'));
    expect(changesOf(ws).map((c) => [c.from, c.to, c.reason])).toEqual([
      ['NURTURE', 'RETENTION', 'first purchase'],
      ['RETENTION', 'EXIT', 'score 2 fell below the exit threshold 20'],
    ]);
    const history = await lifecycleOf(first.url, ws, 'fay');
    // Each transition keeps the score and the cause behind it
    expect(history.phaseHistory.map((t) => [t.id, t.to, t.score, t.cause, t.interactionId])).toEqual([
      ['fay~2', 'EXIT', 2, 'DECAY', null],
      ['fay~1', 'RETENTION', 3, 'INTERACTION', purchase.interactionId],
    ]);
  });

  it('starts a new phase with a stage score of zero, and leaves the document as it was for the stage reset that follows', async () => {
    // Given a prospect whose change takes it over the purchase threshold with stage points of its own
    const ws = testWorkspace();
    const crossed = await applied({ ...scoreChanged(ws, 'hal', 60), stage: 30 });
    expect(crossed).toMatchObject({ phase: 'PURCHASE', score: 60, stage: 0, transitionCount: 1 });
    // When scoring's stage reset for the new phase arrives (the same score, stage zero)
    const afterReset = await applied(scoreChanged(ws, 'hal', 60, null));
    // Then it changed nothing, not even the document's position
    expect(afterReset).toEqual(crossed);
    // and a later change is applied after it as usual
    const later = await applied({ ...scoreChanged(ws, 'hal', 65), stage: 5 });
    expect(later).toMatchObject({ phase: 'PURCHASE', score: 65, stage: 5, transitionCount: 1 });
    expect(later.lastSeq).toBeGreaterThan(crossed.lastSeq);
    expect(changesOf(ws).map((c) => [c.contactId, c.to])).toEqual([['hal', 'PURCHASE']]);
  });

  it('applies a PHASE_CHECK request in order with the score changes: a customer below the exit threshold moves to EXIT once the grace is over, with no new score', async () => {
    // Given a customer whose purchase left the score at 3 (below EXIT's 20), inside its 30-day grace
    const ws = testWorkspace();
    await publish(scoreChanged(ws, 'gus', 3, 'PURCHASE'));
    const request = (): LifecycleRequested => ({ v: 1, request: 'PHASE_CHECK', workspaceId: ws, contactId: 'gus' });
    const check = async () => {
      const { seq } = await publishEvent(
        nats.js,
        ns.subjects.lifecycleRequested(ws, 'gus'),
        request(),
        `test:${ws}:gus:check${++counter}`,
      );
      await lifecycleApplied(nats, ns, ws, 'gus', seq);
      return (await lifecycleDoc(ws, 'gus'))!;
    };
    // When a phase check arrives within the grace, nothing moves
    expect(await check()).toMatchObject({ phase: 'RETENTION', score: 3, transitionCount: 1 });
    // When the grace is over and a phase check arrives (no score change in between)
    advanceMinutes(30 * 24 * 60 + 1);
    const after = await check();
    // Then the contact is in EXIT with the stored score, the transition published once
    expect(after).toMatchObject({ phase: 'EXIT', score: 3, transitionCount: 2 });
    await waitFor('the transition to EXIT', () => changesOf(ws).some((c) => c.to === 'EXIT'));
    // And a later check (the sentinel) changes nothing more
    await check();
    expect(changesOf(ws).map((c) => [c.from, c.to])).toEqual([
      ['NURTURE', 'RETENTION'],
      ['RETENTION', 'EXIT'],
    ]);
    const history = await lifecycleOf(first.url, ws, 'gus');
    expect(history.phaseHistory[0]).toMatchObject({ to: 'EXIT', score: 3, cause: null, interactionId: null });
  });

  it('moves a contact back only after the minimum dwell, and counts the time spent in each phase by the clock', async () => {
    const ws = testWorkspace();
    await setPolicy(ws, {
      purchaseEnterScore: 50,
      purchaseLeaveScore: 45,
      exitEnterScore: 20,
      exitLeaveScore: 25,
      minDwellMinutes: 60,
      newCustomerGraceDays: 0,
    });
    const start = clock;
    await publish(scoreChanged(ws, 'gus', 60));
    await waitFor('NURTURE → PURCHASE', () => changesOf(ws).length === 1);
    // Within the dwell the score falls below the leave threshold: the contact stays
    advanceMinutes(10);
    expect(await applied(scoreChanged(ws, 'gus', 10))).toMatchObject({ phase: 'PURCHASE', transitionCount: 1 });
    // After it, the same score moves it back
    advanceMinutes(50);
    await publish(scoreChanged(ws, 'gus', 10));
    await waitFor('PURCHASE → NURTURE', () => changesOf(ws).length === 2);
    advanceMinutes(5);
    await publish(scoreChanged(ws, 'gus', 12, 'PURCHASE'));
    await waitFor('NURTURE → RETENTION', () => changesOf(ws).length === 3);
    advanceMinutes(30);

    expect(changesOf(ws).map((c) => [c.to, c.at])).toEqual([
      ['PURCHASE', new Date(start).toISOString()],
      ['NURTURE', new Date(start + 60 * 60_000).toISOString()],
      ['RETENTION', new Date(start + 65 * 60_000).toISOString()],
    ]);
    const times = await callSubgraph<{ _entities: { timeInPhases: { phase: string; seconds: number }[] }[] }>(
      second.url,
      { workspaceId: ws, role: 'read' },
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Contact { timeInPhases { phase seconds } } } }`,
      { reps: [{ __typename: 'Contact', id: 'gus' }] },
    );
    expect(times.data!._entities[0]!.timeInPhases).toEqual([
      { phase: 'NURTURE', seconds: 5 * 60 },
      { phase: 'PURCHASE', seconds: 60 * 60 },
      { phase: 'RETENTION', seconds: 30 * 60 },
      { phase: 'EXIT', seconds: 0 },
    ]);
  });

  it('pages the phase history beyond the last 100 by cursor, older transitions coming from buckets by _id', async () => {
    // Given a contact that crossed the purchase threshold 260 times (60 and 10 alternate)
    const ws = testWorkspace();
    const flip = async (from: number, to: number) => {
      for (let i = from; i < to; i++) await publish(scoreChanged(ws, 'hal', i % 2 === 0 ? 60 : 10));
      await waitFor(`transition hal~${to}`, () => changesOf(ws).some((c) => c.transitionId === `hal~${to}`), {
        timeoutMs: 60_000,
      });
    };
    await flip(0, 200);
    await flip(200, 260);

    // Then the document keeps the last 160 and the first 100 are in bucket 1, written once
    const doc = (await lifecycleDoc(ws, 'hal'))!;
    expect([doc.transitionCount, doc.archivedThrough, doc.transitions.length]).toEqual([260, 100, 160]);
    const bucket = await models.TransitionBucket.findById(`${ws}:hal:1`).lean().exec();
    expect(bucket!.transitions.map((t) => t.n)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));

    // And the pages, each after the last id of the one before, list every transition once, newest first
    const PAGE = `query($reps: [_Any!]!, $after: ID) { _entities(representations: $reps) { ... on Contact { phaseHistory(first: 100, after: $after) { id to score } } } }`;
    const page = async (after: string | null) => {
      const r = await callSubgraph<{ _entities: { phaseHistory: { id: string; to: string; score: number }[] }[] }>(
        first.url,
        { workspaceId: ws, role: 'read' },
        PAGE,
        { reps: [{ __typename: 'Contact', id: 'hal' }], after },
      );
      expect(r.errors).toBeUndefined();
      return r.data!._entities[0]!.phaseHistory;
    };
    const seen: string[] = [];
    let after: string | null = null;
    for (const size of [100, 100, 60, 0]) {
      const entries = await page(after);
      expect(entries).toHaveLength(size);
      seen.push(...entries.map((e) => e.id));
      after = entries.at(-1)?.id ?? after;
    }
    expect(seen).toEqual(Array.from({ length: 260 }, (_, i) => `hal~${260 - i}`));
    const byId = await callSubgraph(
      second.url,
      { workspaceId: ws, role: 'read' },
      `{ phaseTransition(id: "hal~7") { from to score } }`,
    );
    expect(byId.data).toEqual({ phaseTransition: { from: 'NURTURE', to: 'PURCHASE', score: 60 } });

    // A cursor of another contact, or a page size out of range, is named
    const bad = async (args: string) =>
      (
        await callSubgraph(
          first.url,
          { workspaceId: ws, role: 'read' },
          `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Contact { phaseHistory(${args}) { id } } } }`,
          { reps: [{ __typename: 'Contact', id: 'hal' }] },
        )
      ).errors?.[0]?.extensions;
    expect(await bad('after: "bea~3"')).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'after', message: 'not the id of a transition of contact hal' }],
    });
    expect(await bad('first: 0')).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: 'first' }] });
  }, 120_000);

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
    expect((await storedThrough(ws, 'bea', 'bea~2')).map((c) => [c.transitionId, c.to])).toEqual([
      ['bea~1', 'PURCHASE'],
      ['bea~2', 'NURTURE'],
    ]);
    expect((await lifecycleOf(first.url, ws, 'bea')).phaseHistory.map((t) => t.id)).toEqual(['bea~2', 'bea~1']);
  });

  it('applies a message of several score changes one by one at their positions, and a redelivery of it publishes each transition once more', async () => {
    const ws = testWorkspace();
    await setPolicy(ws, { purchaseScore: 20, exitScore: 10, hysteresis: 2, newCustomerGraceDays: 0 });
    // Given one message with three changes of cam: 5, then 21 (purchase threshold), then a purchase
    const changes = [scoreChanged(ws, 'cam', 5), scoreChanged(ws, 'cam', 21), scoreChanged(ws, 'cam', 51, 'PURCHASE')];
    const armed = fault.failOnceAfterWrites({
      matches: (d) => d.event.workspaceId === ws && d.event.interactionId === changes[2]!.interactionId,
      snapshot: () => lifecycleDoc(ws, 'cam'),
    });
    const { seq } = await publishEvent(
      nats.js,
      ns.subjects.scoreChanged(ws, 'cam'),
      { v: 1, workspaceId: ws, contactId: 'cam', changes },
      messageIds.scoreChanges(messageIds.scoreChanged(ws, changes[0]!.interactionId!)),
    );
    // When its batch fails after its writes and JetStream gives the message back
    const { failed, again, before } = await armed.redelivered();

    // Then its changes were applied in order at the message's position and 1/1024, 2/1024 after it
    const positions = [seq, seq + 1 / 1024, seq + 2 / 1024];
    expect(failed.filter((d) => d.event.workspaceId === ws).map((d) => d.seq)).toEqual(positions);
    expect(again.filter((d) => d.event.workspaceId === ws).map((d) => [d.seq, d.redelivered])).toEqual(
      positions.map((position) => [position, true]),
    );
    expect(before).toMatchObject({ phase: 'RETENTION', lastSeq: positions[2], transitionCount: 2 });
    expect(await lifecycleDoc(ws, 'cam')).toEqual(before);

    // Sentinel: a later change of cam moves it on
    await publish(scoreChanged(ws, 'cam', 9, 'SOCIAL_DISLIKE'));
    await waitFor('the sentinel transition', () => changesOf(ws).some((c) => c.transitionId === 'cam~3'));
    // Each transition came from its own change, was published again by the redelivery, and stored once
    expect(changesOf(ws).map((c) => [c.transitionId, c.to, c.interactionId])).toEqual([
      ['cam~1', 'PURCHASE', changes[1]!.interactionId],
      ['cam~2', 'RETENTION', changes[2]!.interactionId],
      ['cam~1', 'PURCHASE', changes[1]!.interactionId],
      ['cam~2', 'RETENTION', changes[2]!.interactionId],
      ['cam~3', 'EXIT', expect.any(String)],
    ]);
    expect((await storedThrough(ws, 'cam', 'cam~3')).map((c) => c.transitionId)).toEqual(['cam~1', 'cam~2', 'cam~3']);
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
    // The longest the design lets the new owner wait: a batch the stopping owner abandons at its drain
    // deadline (5 s) comes back after its ack wait (30 s), and the new owner applies nothing newer of
    // the partition before it (awaitStragglers); a pull the stopping owner sent last holds the pin
    // until it expires (2 s) and the server's priority timeout (5 s) has passed.
    const arrived = await waitFor(
      'the sentinel transition',
      () => changesOf(ws).some((c) => c.transitionId === `cat~${withSentinel.length}`),
      { timeoutMs: 60_000 },
    ).then(
      () => true,
      () => false,
    );
    if (!arrived) {
      // What the server says of the partition, for whoever reads this failure.
      const consumer = `lifecycle-p${partitionOf(ws, 'cat')}`;
      const info = await nats.jsm.consumers.info(ns.streams.scores.name, consumer);
      const pins = await Promise.all(
        instances.map(async (instance) => (instance === owner ? 'stopped' : await pinnedTo(instance))),
      );
      const server = {
        delivered: info.delivered,
        ackFloor: info.ack_floor,
        ackPending: info.num_ack_pending,
        pending: info.num_pending,
        redelivered: info.num_redelivered,
        groups: (info as { priority_groups?: unknown }).priority_groups,
      };
      const transitions = changesOf(ws).map((c) => c.transitionId);
      // What lifecycle published, as the stream stored it, against what the core probe heard.
      const stored = (await storedChanges(ws, 'cat')).map((c) => c.transitionId);
      const probe = phaseChanges.connectionEvents;
      process.stderr.write(`failover: ${consumer} ${JSON.stringify({ server, pins, transitions, stored, probe })}\n`);
    }
    expect(changesOf(ws).map((c) => c.to)).toEqual(withSentinel);
    expect(changesOf(ws).map((c) => c.transitionId)).toEqual(withSentinel.map((_, i) => `cat~${i + 1}`));
    // The two left running are stopped by afterAll.
    [first, second] = [rest[0]!, rest[1]!];
  }, 90_000);
});
