// A silent customer reaching EXIT by decay alone: scoring and two lifecycle instances (they
// split the partitions) on the real servers, in this process so that they share a clock the
// test moves. Nothing is published by hand after the purchase: scoring's own decay checks,
// scheduled on NATS, lower the score and publish it when it lost 10% since the last published
// value, and lifecycle moves each customer to EXIT on the first published value below the exit
// threshold (after the new customer's grace), once. No gateway: what is checked is what the
// services publish and store.
//
// NATS schedules fire on the real clock while the test moves the services' clock: scoring
// schedules a decay check at most DECAY_CHECK_HORIZON_MS of real time ahead (its
// `decayCheckHorizonMs` seam), and a check that finds no significant drop yet schedules the
// next, so once the test moves the clock, the next check (within that horizon) decays to it.
import { databaseName } from '@cei/config';
import {
  messageIds,
  partitionOf,
  scoreChangesIn,
  topology,
  type InteractionRecorded,
  type PhaseChanged,
  type ScoreChanged,
} from '@cei/contracts';
import { connectDatabase, type Database } from '@cei/mongo';
import { connectNats, publishEvent, type Nats } from '@cei/nats';
import {
  callSubgraph,
  contactsOnEach,
  pinnedPartitions,
  probeSubject,
  serviceEnv,
  splitPartitions,
  testNamespace,
  testWorkspace,
  waitFor,
  type NatsProbe,
} from '@cei/testing';
import { loadLifecycleConfig } from '@cei/lifecycle/src/config';
import { lifecycleDoc, lifecycleModels, type LifecycleModels } from '@cei/lifecycle/src/models';
import { startLifecycle, type Lifecycle } from '@cei/lifecycle/src/server';
import { loadScoringConfig } from '@cei/scoring/src/config';
import { scoreDoc, scoringModels, type ContactScoreRow, type ScoringModels } from '@cei/scoring/src/models';
import { startScoring, type Scoring } from '@cei/scoring/src/server';

const DAY = 86_400_000;
const DECAY_CHECK_HORIZON_MS = 200;
const HALF_LIFE_DAYS = 30;
const PURCHASE_POINTS = 100;
/** The score `days` after the purchase, as scoring computes it (rounded to 6 decimals). */
const decayedAfter = (days: number) => Math.round(PURCHASE_POINTS * Math.pow(0.5, days / HALF_LIFE_DAYS) * 1e6) / 1e6;

describe('a silent customer reaching EXIT by decay alone', () => {
  const namespace = testNamespace('e2e-decay-exit');
  const ns = topology(namespace);
  // The services' clock: it stands still unless the test moves it.
  const start = Date.parse('2026-02-01T09:00:00Z');
  let clock = start;
  const now = () => new Date(clock);
  const setDay = (day: number) => (clock = start + day * DAY);
  let scoring: Scoring;
  let first: Lifecycle;
  let second: Lifecycle;
  let nats: Nats;
  let scoreChanges: NatsProbe<ScoreChanged>;
  let phaseChanges: NatsProbe<PhaseChanged>;
  let scoringDb: Database;
  let lifecycleDb: Database;
  let scores: ScoringModels;
  let lifecycles: LifecycleModels;

  beforeAll(async () => {
    const env = serviceEnv(namespace, { SCORING_PORT: '0', LIFECYCLE_PORT: '0' });
    const lifecycleConfig = loadLifecycleConfig(env);
    // The test claims each instance keeps the customer it was given. Both live in this process: a
    // pause of it past the default pin timeout (5 s; a busy CI machine) would let the server move a
    // partition when their pulls resume, so the pins here outlast any such pause. No failover is tested.
    const lifecycleOptions = { now, pinTimeoutMs: 60_000 };
    [scoring, first, second] = await Promise.all([
      startScoring(loadScoringConfig(env), undefined, { now, decayCheckHorizonMs: DECAY_CHECK_HORIZON_MS }),
      startLifecycle(lifecycleConfig, undefined, lifecycleOptions),
      startLifecycle(lifecycleConfig, undefined, lifecycleOptions),
    ]);
    nats = await connectNats(lifecycleConfig.NATS_URL, 'e2e-decay-exit');
    scoreChanges = await probeSubject<ScoreChanged>(ns.everyWorkspace.scoresChanged, undefined, scoreChangesIn);
    phaseChanges = await probeSubject<PhaseChanged>(ns.everyWorkspace.phasesChanged);
    scoringDb = await connectDatabase(lifecycleConfig.MONGO_URL, databaseName(namespace, 'scoring'), 2);
    lifecycleDb = await connectDatabase(lifecycleConfig.MONGO_URL, databaseName(namespace, 'lifecycle'), 2);
    scores = scoringModels(scoringDb.connection);
    lifecycles = lifecycleModels(lifecycleDb);
    // Both lifecycle instances at work: each holds some of the partitions.
    const warmWs = testWorkspace();
    let warmed = 0;
    await splitPartitions({
      pinned: [() => pinnedTo(first), () => pinnedTo(second)],
      workspaceId: warmWs,
      publish: (contactId) => {
        const at = now().toISOString();
        const change: ScoreChanged = {
          v: 1,
          workspaceId: warmWs,
          contactId,
          cause: 'INTERACTION',
          interactionId: `warm-${++warmed}`,
          kind: 'PAGE_VISIT',
          occurredAt: at,
          delta: 1,
          general: 1,
          stage: 0,
          engagementIndex: 0,
          at,
        };
        const msgId = messageIds.scoreChanged(warmWs, change.interactionId!);
        return publishEvent(nats.js, ns.subjects.scoreChanged(warmWs, contactId), change, msgId);
      },
      unpin: (p) => nats.jsm.consumers.unpin(ns.streams.scores.name, `lifecycle-p${p}`, 'owner'),
    });
  });
  afterAll(async () => {
    await scoreChanges?.close();
    await phaseChanges?.close();
    await nats?.close();
    await scoringDb?.close();
    await lifecycleDb?.close();
    await Promise.all([scoring?.stop(), first?.stop(), second?.stop()]);
  });

  const pinnedTo = (instance: Lifecycle) => pinnedPartitions(instance.url, 'lifecycle');
  const admin = (ws: string, query: string, variables: Record<string, unknown> = {}) =>
    callSubgraph(scoring.url, { workspaceId: ws, role: 'admin' }, query, variables);
  let counter = 0;
  const purchase = async (ws: string, contactId: string) => {
    const at = now().toISOString();
    const event: InteractionRecorded = {
      v: 1,
      workspaceId: ws,
      interactionId: `buy-${++counter}`,
      contactId,
      email: null,
      kind: 'PURCHASE',
      variant: null,
      occurredAt: at,
      recordedAt: at,
      properties: { amount: 120, currency: 'EUR' },
    };
    const msgId = messageIds.interactionRecorded(ws, event.interactionId);
    await publishEvent(nats.js, ns.subjects.interactionRecorded(ws, contactId, 'profiled'), event, msgId);
    return event.interactionId;
  };
  const scoreChangesOf = (ws: string, contactId: string) =>
    scoreChanges.events.map((e) => e.payload).filter((c) => c.workspaceId === ws && c.contactId === contactId);
  const phaseChangesOf = (ws: string, contactId: string) =>
    phaseChanges.events.map((e) => e.payload).filter((c) => c.workspaceId === ws && c.contactId === contactId);
  const lifecycleOf = async (ws: string, contactId: string) => {
    const row = await lifecycles.ContactLifecycle.findById(`${ws}:${contactId}`).lean().exec();
    return row && lifecycleDoc(row);
  };
  const scoringRowOf = (ws: string, contactId: string) =>
    scores.ContactScore.findById(`${ws}:${contactId}`).lean<ContactScoreRow>().exec();
  /** Waits until lifecycle has applied a score change of `general` for each contact (decayed in steps: to 4 decimals). */
  const lifecycleScored = (ws: string, contactIds: readonly string[], general: number) =>
    Promise.all(
      contactIds.map((id) =>
        waitFor(`${id} scored ${general} in lifecycle`, async () => {
          const doc = await lifecycleOf(ws, id);
          return doc !== null && Math.abs(doc.score - general) < 1e-4 && doc;
        }),
      ),
    );

  it('moves each customer to EXIT on the first decayed score published below the threshold, once, past its grace', async () => {
    // Given a purchase worth 100 points, a half-life of 30 days, the default lifecycle policy
    // (EXIT below 20, a new customer's grace of 30 days), and two customers, one in a partition
    // of each lifecycle instance, who buy once and then fall silent
    const ws = testWorkspace();
    expect(
      (await admin(ws, `mutation { createScoringRule(input: { kind: PURCHASE, points: 100 }) { id } }`)).errors,
    ).toBeUndefined();
    expect(
      (
        await admin(
          ws,
          `mutation { updateScoringSettings(input: { halfLifeDays: ${HALF_LIFE_DAYS} }) { halfLifeDays } }`,
        )
      ).errors,
    ).toBeUndefined();
    const customers = contactsOnEach(ws, 'silent', 2, await Promise.all([pinnedTo(first), pinnedTo(second)]));
    for (const id of customers) await purchase(ws, id);
    for (const id of customers) {
      await waitFor(`${id} in RETENTION`, () => phaseChangesOf(ws, id).some((c) => c.to === 'RETENTION'));
    }

    // When the clock moves to day 60 (past the grace): the decayed 25 is published, still above 20
    setDay(60);
    await lifecycleScored(ws, customers, decayedAfter(60));
    // and to day 69: 20.31 (a drop of 19% since 25) is published, still above 20
    setDay(69);
    const above = decayedAfter(69);
    await lifecycleScored(ws, customers, above);

    // When the clock moves to day 70: the score is 19.84, below 20, but only 2.3% below the last
    // published 20.31 (less than the 10% scoring publishes at): lifecycle is not told yet
    setDay(70);
    for (const id of customers) {
      const checked = await waitFor(`${id}'s decay check at day 70`, async () => {
        const row = await scoringRowOf(ws, id);
        return row !== null && row.updatedAt.getTime() === clock && row;
      });
      expect(scoreDoc(checked).state.general).toBeCloseTo(decayedAfter(70), 4);
      expect(checked.published).toBeCloseTo(above, 4);
      expect(await lifecycleOf(ws, id)).toMatchObject({ phase: 'RETENTION', score: checked.published });
    }
    // When the clock moves to day 74: 18.1 is 10.9% below 20.31, so it is published, and each
    // customer goes to EXIT with it, at that moment
    setDay(74);
    const below = decayedAfter(74);
    for (const id of customers) {
      await waitFor(`${id} to EXIT`, () => phaseChangesOf(ws, id).some((c) => c.to === 'EXIT'));
      expect(phaseChangesOf(ws, id).find((c) => c.to === 'EXIT')).toMatchObject({
        transitionId: `${id}~2`,
        from: 'RETENTION',
        half: 'CUSTOMER',
        reason: `score ${Math.round(below * 100) / 100} fell below the exit threshold 20`,
        at: new Date(start + 74 * DAY).toISOString(),
      });
      const doc = await lifecycleOf(ws, id);
      expect(doc!.transitions[0]).toMatchObject({ to: 'EXIT', cause: 'DECAY', interactionId: null });
      expect(doc!.transitions[0]!.score).toBeCloseTo(below, 4);
    }
    // and each lifecycle instance still holds its customer's partition: one moved each
    const held = await Promise.all([pinnedTo(first), pinnedTo(second)]);
    expect(held.map((pins) => customers.filter((id) => pins.includes(partitionOf(ws, id))))).toEqual([
      [customers[0]],
      [customers[1]],
    ]);

    // Then, after a sentinel (a purchase at day 75 bringing each customer back), scoring published
    // exactly these changes up to it (each phase entered restarts the stage score: STAGE_RESET),
    // and lifecycle made exactly these transitions, once each
    setDay(75);
    for (const id of customers) {
      const sentinel = await purchase(ws, id);
      await waitFor(`${id} back in RETENTION`, () => phaseChangesOf(ws, id).some((c) => c.transitionId === `${id}~3`));
      const end = await waitFor(`${id}'s sentinel change`, () => {
        const at = scoreChangesOf(ws, id).findIndex((c) => c.interactionId === sentinel);
        return at >= 0 && at + 1;
      });
      expect(
        scoreChangesOf(ws, id)
          .slice(0, end)
          .map((c) => [c.cause, c.general]),
      ).toEqual([
        ['INTERACTION', 100],
        ['STAGE_RESET', 100],
        ['DECAY', 25],
        ['DECAY', expect.closeTo(above, 4)],
        ['DECAY', expect.closeTo(below, 4)],
        ['STAGE_RESET', expect.closeTo(below, 4)],
        ['INTERACTION', expect.closeTo(100 + decayedAfter(75), 4)],
      ]);
      expect(phaseChangesOf(ws, id).map((c) => [c.transitionId, c.from, c.to])).toEqual([
        [`${id}~1`, 'NURTURE', 'RETENTION'],
        [`${id}~2`, 'RETENTION', 'EXIT'],
        [`${id}~3`, 'EXIT', 'RETENTION'],
      ]);
    }
  }, 90_000);
});
