// Lifecycle's rules of time and policy rules against real NATS and a real MongoDB-compatible
// server, with two instances splitting the partitions and a clock the test moves: a phase
// check the owner schedules comes due (a new customer's grace, a minimum dwell, a
// cancellation's window, a stay in EXIT) and moves the contact with no interaction, once;
// the stage-score and likelihood rules; and a policy change re-evaluating the workspace's
// contacts as a job. The grace and the job tests use contacts of both instances' partitions.
//
// NATS schedules fire on the real clock while the test moves lifecycle's: the instances
// schedule a check at most PHASE_CHECK_HORIZON_MS ahead (the `phaseCheckHorizonMs` seam), and
// a check that finds nothing due yet schedules the next. So once the test moves the clock past
// a due time, the next check (within that horizon of real time) applies it.
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
  contactsOnEach,
  pinnedPartitions,
  probeSubject,
  redeliveryFault,
  serviceEnv,
  splitPartitions,
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
import type { LifecycleInput } from './handlers/score-changed';

const PHASE_CHECK_HORIZON_MS = 300;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('lifecycle rules of time and policy', () => {
  const namespace = testNamespace('lifecycle-rules');
  const ns = topology(namespace);
  const config = loadLifecycleConfig(serviceEnv(namespace, { LIFECYCLE_PORT: '0' }));
  let first: Lifecycle;
  let second: Lifecycle;
  let nats: Nats;
  let phaseChanges: NatsProbe<PhaseChanged>;
  let db: Database;
  let models: LifecycleModels;
  // The instances' clock: it stands still unless a test moves it.
  let clock = Date.parse('2026-03-01T12:00:00Z');
  const now = () => new Date(clock);
  const advance = (ms: number) => (clock += ms);
  // Both instances' evaluators are wrapped: whichever owns a contact's partition fails the armed batch.
  const fault = redeliveryFault<LifecycleInput>();

  beforeAll(async () => {
    // Tests here claim which instance holds which contacts; both live in this process, so their pins
    // outlast a pause of it (as in e2e/decay-exit). No failover is tested here.
    const options = { now, phaseCheckHorizonMs: PHASE_CHECK_HORIZON_MS, wrapHandler: fault.wrap, pinTimeoutMs: 60_000 };
    [first, second] = await Promise.all([
      startLifecycle(config, undefined, options),
      startLifecycle(config, undefined, options),
    ]);
    nats = await connectNats(config.NATS_URL, 'lifecycle-rules-test');
    phaseChanges = await probeSubject<PhaseChanged>(ns.everyWorkspace.phasesChanged);
    db = await connectDatabase(config.MONGO_URL, databaseName(namespace, 'lifecycle'), 2);
    models = lifecycleModels(db);
    await splitBetweenInstances();
  });
  afterAll(async () => {
    await phaseChanges?.close();
    await nats?.close();
    await db?.close();
    await Promise.all([first?.stop(), second?.stop()]);
  });

  let counter = 0;
  /** A score change: an interaction of `kind`, or (kind null) a change of `cause` with no interaction. */
  function scoreChanged(
    ws: string,
    contactId: string,
    general: number,
    kind: string | null = 'PAGE_VISIT',
    extra: Partial<ScoreChanged> = {},
  ): ScoreChanged {
    const at = new Date(clock).toISOString();
    return {
      v: 1,
      workspaceId: ws,
      contactId,
      cause: kind === null ? 'DECAY' : 'INTERACTION',
      interactionId: kind === null ? null : `r${++counter}`,
      kind: kind as never,
      occurredAt: at,
      delta: 0,
      general,
      stage: 0,
      engagementIndex: 0,
      at,
      ...extra,
    };
  }
  const publish = (event: ScoreChanged) =>
    publishEvent(
      nats.js,
      ns.subjects.scoreChanged(event.workspaceId, event.contactId),
      event,
      event.interactionId === null
        ? messageIds.scoreDecayed(event.workspaceId, event.contactId, ++counter)
        : messageIds.scoreChanged(event.workspaceId, event.interactionId),
    );
  const pinnedTo = (instance: Lifecycle) => pinnedPartitions(instance.url, 'lifecycle');
  const pins = () => Promise.all([pinnedTo(first), pinnedTo(second)]);
  /** Both instances at work: each holds some of the partitions (see splitPartitions). */
  const splitBetweenInstances = (workspaceId = testWorkspace()) =>
    splitPartitions({
      pinned: [() => pinnedTo(first), () => pinnedTo(second)],
      workspaceId,
      publish: (contactId) => publish(scoreChanged(workspaceId, contactId, 1)),
      unpin: (p) => nats.jsm.consumers.unpin(ns.streams.scores.name, `lifecycle-p${p}`, 'owner'),
    });
  /** Which of `contactIds` are in partitions pinned to the first and to the second instance now. */
  const heldBy = async (ws: string, contactIds: readonly string[]) =>
    (await pins()).map((pinned) => contactIds.filter((id) => pinned.includes(partitionOf(ws, id))));
  const lifecycleDoc = async (ws: string, contactId: string) => {
    const row = await models.ContactLifecycle.findById(`${ws}:${contactId}`).lean<ContactLifecycleRow>().exec();
    return row && decodeLifecycle(row);
  };
  /** Publishes the change and waits until the contact's document records it. */
  const applied = async (event: ScoreChanged) => {
    const { seq } = await publish(event);
    await lifecycleApplied(nats, ns, event.workspaceId, event.contactId, seq);
    return (await lifecycleDoc(event.workspaceId, event.contactId))!;
  };
  const changesOf = (ws: string, contactId?: string) =>
    phaseChanges.events
      .map((e) => e.payload)
      .filter((c) => c.workspaceId === ws && (contactId === undefined || c.contactId === contactId));
  const admin = (workspaceId: string) => ({ workspaceId, role: 'admin' as const });
  const POLICY_ANSWER = `updatedAt reevaluation { id status total done transitions }`;
  const setPolicy = async (ws: string, input: Record<string, number>) => {
    const set = await callSubgraph<{ updateLifecyclePolicy: { reevaluation: { id: string } } }>(
      first.url,
      admin(ws),
      `mutation($input: LifecyclePolicyInput!) { updateLifecyclePolicy(input: $input) { ${POLICY_ANSWER} } }`,
      { input },
    );
    expect(set.errors).toBeUndefined();
    return set.data!.updateLifecyclePolicy.reevaluation.id;
  };
  type Job = { id: string; status: string; total: number | null; done: number; transitions: number };
  const jobOf = async (ws: string, id: string, role: 'admin' | 'read' = 'read') =>
    (
      await callSubgraph<{ lifecyclePolicyJob: Job | null }>(
        second.url,
        { workspaceId: ws, role },
        `query($id: ID!) { lifecyclePolicyJob(id: $id) { id status total done transitions } }`,
        { id },
      )
    ).data!.lifecyclePolicyJob;
  const jobDone = (ws: string, id: string) =>
    waitFor(`policy job ${id} done`, async () => {
      const job = await jobOf(ws, id);
      return job?.status === 'DONE' && job;
    });
  /** A change that moves the contact (its transition numbered `n`): once it is there, any double before it would be too. */
  const sentinel = async (ws: string, contactId: string, general: number, kind: string, n: number) => {
    await publish(scoreChanged(ws, contactId, general, kind));
    await waitFor(`the sentinel transition ${contactId}~${n}`, () =>
      changesOf(ws, contactId).some((c) => c.transitionId === `${contactId}~${n}`),
    );
  };

  it('sends silent customers to EXIT when their grace ends, by each instance’s scheduled phase check alone, with the decayed score, once', async () => {
    // Given the default policy (EXIT below 20, a new customer's grace of 30 days) and two customers,
    // one in a partition of each instance, whose first purchase left the score at 30, decayed to 10
    // within the grace (no move: grace)
    const ws = testWorkspace();
    const customers = contactsOnEach(ws, 'sam', 2, await pins());
    const bought = clock;
    for (const id of customers) {
      expect(await applied(scoreChanged(ws, id, 30, 'PURCHASE'))).toMatchObject({ phase: 'RETENTION' });
    }
    advance(10 * DAY);
    for (const id of customers) {
      const decayed = await applied(scoreChanged(ws, id, 10, null));
      expect(decayed).toMatchObject({ phase: 'RETENTION', score: 10, transitionCount: 1 });
      // The owner knows when the grace ends with the score below the threshold: its check is due then
      expect(decayed.phaseCheckAt).toEqual(new Date(bought + 30 * DAY));
    }

    // When the clock reaches the end of the grace, and nothing else is published
    advance(20 * DAY);
    // Then each customer's check moves it to EXIT, at that moment, with the stored score
    for (const id of customers) {
      await waitFor(`${id} to EXIT`, () => changesOf(ws, id).some((c) => c.to === 'EXIT'));
      expect(changesOf(ws, id).find((c) => c.to === 'EXIT')).toMatchObject({
        transitionId: `${id}~2`,
        from: 'RETENTION',
        reason: 'score 10 fell below the exit threshold 20',
        at: new Date(bought + 30 * DAY).toISOString(),
      });
      const doc = await lifecycleDoc(ws, id);
      expect(doc).toMatchObject({ phase: 'EXIT', transitionCount: 2, phaseCheckAt: null });
      expect(doc!.transitions[0]).toMatchObject({ to: 'EXIT', score: 10, rule: 'SCORE' });
      expect(doc!.transitions[0]!.cause).toBeUndefined();
    }
    // and each instance still holds its customer's partition: both checks ran, one on each
    expect(await heldBy(ws, customers)).toEqual([[customers[0]], [customers[1]]]);

    // And after a sentinel (a purchase out of EXIT), the transitions are exactly these, once each
    for (const id of customers) {
      await sentinel(ws, id, 12, 'PURCHASE', 3);
      expect(changesOf(ws, id).map((c) => [c.transitionId, c.to])).toEqual([
        [`${id}~1`, 'RETENTION'],
        [`${id}~2`, 'EXIT'],
        [`${id}~3`, 'RETENTION'],
      ]);
    }
  });

  it('moves a contact back when the minimum dwell ends with the move back pending, with no interaction', async () => {
    const ws = testWorkspace();
    await setPolicy(ws, { minDwellMinutes: 60, newCustomerGraceDays: 0 });
    const start = clock;
    await publish(scoreChanged(ws, 'dot', 60));
    await waitFor('NURTURE → PURCHASE', () => changesOf(ws, 'dot').length === 1);
    // Within the dwell the score falls below the leave threshold: the contact stays, a check is due at its end
    advance(10 * MINUTE);
    const within = await applied(scoreChanged(ws, 'dot', 10));
    expect(within).toMatchObject({ phase: 'PURCHASE', phaseCheckAt: new Date(start + 60 * MINUTE) });
    // When the clock passes the end of the dwell, the check moves it back
    advance(55 * MINUTE);
    await waitFor('PURCHASE → NURTURE', () => changesOf(ws, 'dot').length === 2);
    expect(changesOf(ws, 'dot').map((c) => [c.to, c.reason])).toEqual([
      ['PURCHASE', 'score 60 reached the purchase threshold 50'],
      ['NURTURE', 'score 10 fell below 45'],
    ]);
    // (the way back to PURCHASE is a move back too: after the dwell)
    advance(60 * MINUTE);
    await sentinel(ws, 'dot', 70, 'PAGE_VISIT', 3);
    expect(changesOf(ws, 'dot').map((c) => c.to)).toEqual(['PURCHASE', 'NURTURE', 'PURCHASE']);
  });

  it('ends the customer half of a cancelled subscription left silent for the window, not of one followed by an interaction, and returns long-lost customers to the prospects', async () => {
    const ws = testWorkspace();
    await setPolicy(ws, { cancelledExitDays: 14, returnToProspectAfterDays: 90 });
    // Given two customers who cancel their subscription, one of whom comes back to the site a day later
    for (const contact of ['cal', 'kim']) {
      await publish(scoreChanged(ws, contact, 60, 'SUBSCRIPTION_STARTED'));
      await waitFor(`${contact} in RETENTION`, () => changesOf(ws, contact).length === 1);
    }
    const cancelled = clock;
    await applied(scoreChanged(ws, 'cal', 40, 'SUBSCRIPTION_CANCELLED'));
    await applied(scoreChanged(ws, 'kim', 40, 'SUBSCRIPTION_CANCELLED'));
    advance(DAY);
    const active = await applied(scoreChanged(ws, 'kim', 42, 'PAGE_VISIT'));
    expect(active).toMatchObject({ cancelledAt: null, phaseCheckAt: null });

    // When the window is over, the silent one is in EXIT (within its new customer's grace: a cancellation is explicit)
    advance(13 * DAY);
    await waitFor('cal to EXIT', () => changesOf(ws, 'cal').length === 2);
    expect(changesOf(ws, 'cal')[1]).toMatchObject({
      to: 'EXIT',
      reason: 'subscription cancelled with no interaction for 14 days',
      at: new Date(cancelled + 14 * DAY).toISOString(),
    });
    // and after 90 days in EXIT a prospect again, by the next check the owner scheduled
    advance(90 * DAY);
    await waitFor('cal back to NURTURE', () => changesOf(ws, 'cal').length === 3);
    expect(changesOf(ws, 'cal')[2]).toMatchObject({
      from: 'EXIT',
      to: 'NURTURE',
      half: 'PROSPECT',
      reason: '90 days in EXIT: a prospect again',
    });

    // And the one who came back stayed in RETENTION (a sentinel that moves it shows nothing came before)
    await sentinel(ws, 'kim', 5, 'SOCIAL_DISLIKE', 2);
    expect(changesOf(ws, 'kim').map((c) => [c.to, c.reason])).toEqual([
      ['RETENTION', 'first subscription'],
      ['EXIT', 'score 5 fell below the exit threshold 20'],
    ]);
  });

  it('moves a contact on by its stage score and sends a customer to EXIT by its churn likelihood, keeping the figures for later checks', async () => {
    const ws = testWorkspace();
    await setPolicy(ws, { stageEnterPurchaseScore: 25, churnExitLikelihood: 0.7, newCustomerGraceDays: 0 });
    // A prospect whose stage score reaches 25 while the general score is low moves on
    await publish(scoreChanged(ws, 'ned', 20, 'WEBINAR_ATTENDED', { stage: 25 }));
    await waitFor('ned to PURCHASE', () => changesOf(ws, 'ned').length === 1);
    expect(changesOf(ws, 'ned')[0]).toMatchObject({ to: 'PURCHASE', reason: 'stage score 25 reached 25' });
    // and stays there through the stage reset that follows (the stage score restarts at 0, general 20 < 45)
    expect(await applied(scoreChanged(ws, 'ned', 20, null, { cause: 'STAGE_RESET', stage: 0 }))).toMatchObject({
      phase: 'PURCHASE',
      stage: 0,
      transitionCount: 1,
    });

    // A customer with a high score whose churn likelihood reaches 0.7 leaves for EXIT
    await publish(scoreChanged(ws, 'ada', 80, 'PURCHASE', { likelihoods: { churn: 0.2, purchase: 0.6 } }));
    await waitFor('ada in RETENTION', () => changesOf(ws, 'ada').length === 1);
    await publish(scoreChanged(ws, 'ada', 78, null, { likelihoods: { churn: 0.75, purchase: 0.1 } }));
    await waitFor('ada to EXIT', () => changesOf(ws, 'ada').length === 2);
    expect(changesOf(ws, 'ada')[1]).toMatchObject({ to: 'EXIT', reason: 'churn likelihood 0.75 reached 0.7' });
    // While churn stays high a high score does not bring the customer back; once it falls, it does
    const stillLikely = { likelihoods: { churn: 0.72, purchase: 0.1 } };
    expect(await applied(scoreChanged(ws, 'ada', 90, 'PAGE_VISIT', stillLikely))).toMatchObject({
      phase: 'EXIT',
      likelihoods: stillLikely.likelihoods,
    });
    await publish(scoreChanged(ws, 'ada', 90, 'PAGE_VISIT', { likelihoods: { churn: 0.1, purchase: 0.3 } }));
    await waitFor('ada back to RETENTION', () => changesOf(ws, 'ada').some((c) => c.transitionId === 'ada~3'));
    expect(changesOf(ws, 'ada').map((c) => c.to)).toEqual(['RETENTION', 'EXIT', 'RETENTION']);
  });

  it('re-evaluates the workspace contacts as a job when the policy changes: each transition once, progress up to the total', async () => {
    const ws = testWorkspace();
    const other = testWorkspace();
    // Given 12 prospects in NURTURE, in partitions of both instances by turns, with scores 10, 15, … 65
    // (those ≥ 50 in PURCHASE already)
    const ids = contactsOnEach(ws, 'p', 12, await pins());
    const scores = Array.from({ length: 12 }, (_, i) => 10 + 5 * i);
    for (const [i, general] of scores.entries()) await applied(scoreChanged(ws, ids[i]!, general));
    const before = scores.filter((s) => s >= 50).length;
    await waitFor('the first transitions', () => changesOf(ws).length === before);

    // When an admin lowers the purchase threshold to 30 (leave at 25)
    const jobId = await setPolicy(ws, {
      purchaseEnterScore: 30,
      purchaseLeaveScore: 25,
      exitEnterScore: 20,
      exitLeaveScore: 25,
    });
    // Then the job asks every contact and the owners evaluate each again under the new policy
    const job = await jobDone(ws, jobId);
    const moved = scores.flatMap((s, i) => (s >= 30 && s < 50 ? [ids[i]!] : []));
    expect(job).toEqual({ id: jobId, status: 'DONE', total: 12, done: 12, transitions: moved.length });
    // A sentinel: a contact the job did not move (score 10), moved by a score change
    await sentinel(ws, ids[0]!, 35, 'PAGE_VISIT', 1);
    const byJob = changesOf(ws)
      .slice(before)
      .filter((c) => c.contactId !== ids[0]);
    expect(byJob.map((c) => c.contactId).sort()).toEqual([...moved].sort());
    // Both instances moved some: each still holds the partitions of two of the four
    expect(await heldBy(ws, moved)).toEqual([
      [ids[4], ids[6]],
      [ids[5], ids[7]],
    ]);
    expect(byJob.every((c) => c.to === 'PURCHASE' && c.reason.endsWith('(lifecycle policy changed)'))).toBe(true);
    // The policy answers with its job; another workspace sees no such job
    const policy = await callSubgraph<{ lifecyclePolicy: { reevaluation: Job } }>(
      first.url,
      { workspaceId: ws, role: 'read' },
      `{ lifecyclePolicy { ${POLICY_ANSWER} } }`,
    );
    expect(policy.data!.lifecyclePolicy.reevaluation).toMatchObject({ id: jobId, status: 'DONE', done: 12 });
    expect(await jobOf(other, jobId, 'admin')).toBeNull();
  });

  it('counts a REEVALUATE JetStream redelivers after its writes once, and publishes its transition once', async () => {
    const ws = testWorkspace();
    for (const [contact, general] of [
      ['q1', 35],
      ['q2', 36],
      ['q3', 10],
    ] as const) {
      await applied(scoreChanged(ws, contact, general));
    }
    // Given the owner of q1 fails the batch holding its re-evaluation right after its writes (before the ack)
    const armed = fault.failOnceAfterWrites({
      matches: (d) => d.event.workspaceId === ws && 'request' in d.event && d.event.contactId === 'q1',
    });
    // When the threshold falls to 30 and the job runs
    const jobId = await setPolicy(ws, {
      purchaseEnterScore: 30,
      purchaseLeaveScore: 25,
      exitEnterScore: 20,
      exitLeaveScore: 25,
    });
    const { again } = await armed.redelivered();
    expect(again.every((d) => d.redelivered)).toBe(true);
    // Then the job counts each contact once and each transition once
    expect(await jobDone(ws, jobId)).toEqual({ id: jobId, status: 'DONE', total: 3, done: 3, transitions: 2 });
    // and the stream stored q1's transition once (the redelivery re-published it under the same id)
    const subject = ns.subjects.phaseChanged(ws, 'q1');
    const info = await nats.jsm.streams.info(ns.streams.phases.name, { subjects_filter: subject });
    expect(info.state.subjects?.[subject]).toBe(1);
    // A sentinel after it: q3 moved by a score change; nothing else came for the others
    await sentinel(ws, 'q3', 40, 'PAGE_VISIT', 1);
    // (core NATS subscribers saw q1~1 twice: the re-publish; the set of transitions is exact)
    expect(new Set(changesOf(ws).map((c) => c.transitionId))).toEqual(new Set(['q1~1', 'q2~1', 'q3~1']));
  });

  it('applies and counts a REEVALUATE sent again after the duplicate window once (a later run of the job)', async () => {
    const ws = testWorkspace();
    for (const [contact, general] of [
      ['r1', 35],
      ['r2', 10],
    ] as const) {
      await applied(scoreChanged(ws, contact, general));
    }
    const jobId = await setPolicy(ws, {
      purchaseEnterScore: 30,
      purchaseLeaveScore: 25,
      exitEnterScore: 20,
      exitLeaveScore: 25,
    });
    expect(await jobDone(ws, jobId)).toEqual({ id: jobId, status: 'DONE', total: 2, done: 2, transitions: 1 });
    const before = await lifecycleDoc(ws, 'r1');
    // When both requests come again under message ids JetStream does not know (as a request sent by
    // the run that took the job over does once the duplicate window has passed)
    for (const contactId of ['r1', 'r2']) {
      const request: LifecycleRequested = { v: 1, request: 'REEVALUATE', workspaceId: ws, contactId, jobId };
      await publishEvent(
        nats.js,
        ns.subjects.lifecycleRequested(ws, contactId),
        request,
        `${messageIds.policyReevaluation(ws, jobId, contactId)}:after-the-window`,
      );
    }
    // Then after a sentinel in each contact's partition (the requests applied before them), the job
    // counts each contact once, and the copies moved nobody
    await sentinel(ws, 'r1', 10, 'PAGE_VISIT', 2);
    await sentinel(ws, 'r2', 40, 'PAGE_VISIT', 1);
    expect(await jobOf(ws, jobId)).toEqual({ id: jobId, status: 'DONE', total: 2, done: 2, transitions: 1 });
    expect(changesOf(ws).map((c) => [c.transitionId, c.reason.endsWith('(lifecycle policy changed)')])).toEqual([
      ['r1~1', true],
      ['r1~2', false],
      ['r2~1', false],
    ]);
    // and r1's document remembers the job as applied once, at the position of its first request
    const after = await lifecycleDoc(ws, 'r1');
    expect(after!.reevaluations).toEqual(before!.reevaluations);
    expect(after!.reevaluations).toEqual([{ jobId, seq: expect.any(Number), transitioned: true }]);
  });
});
