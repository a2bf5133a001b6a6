// Scoring over time, against the real servers with two instances and a clock the
// test moves: the stage score restarting on a phase change, decay read as of now and
// its scheduled check, recompute equal to live scoring (dry run first), KPIs and
// likelihoods from the interactions, a history of large interactions kept in small buckets.
import { databaseName } from '@cei/config';
import { messageIds, type PhaseChanged } from '@cei/contracts';
import { connectDatabase, type Database } from '@cei/mongo';
import { publishEvent } from '@cei/nats';
import { testWorkspace, waitFor } from '@cei/testing';
import { BUCKET_CHARS, BUCKET_SIZE, scoreDoc, scoreRow, scoringModels, type ScoringModels } from './models';
import { applyRecord, emptyState, type ScoreRecord } from './domain/score-state';
import { emptyScoreDoc } from './scores/load-batch';
import { historyOf, scoreOf, startScoringKit, sumOf, type ScoringKit } from './scoring-test-kit';

const DAY = 86_400_000;

describe('scoring over time', () => {
  let kit: ScoringKit;
  let db: Database;
  let models: ScoringModels;
  beforeAll(async () => {
    kit = await startScoringKit('scoretime');
    db = await connectDatabase(process.env.MONGO_URL!, databaseName(kit.namespace, 'scoring'), 2);
    models = scoringModels(db.connection);
  });
  afterAll(async () => {
    await db?.close();
    await kit?.stop();
  });

  async function given(ws: string, mutation: string, variables: Record<string, unknown> = {}) {
    const response = await kit.gql(ws, mutation, variables);
    expect(response.errors).toBeUndefined();
    return response.data!;
  }
  const rule = (ws: string, input: Record<string, unknown>) =>
    given(ws, `mutation($input: ScoringRuleInput!) { createScoringRule(input: $input) { id } }`, { input });

  it('restarts the stage score when lifecycle moves the contact to a new phase', async () => {
    const ws = testWorkspace();
    await rule(ws, { kind: 'PAGE_VISIT', points: 10 });
    await kit.record(kit.interaction(ws, 'ann', 'PAGE_VISIT'));
    await kit.record(kit.interaction(ws, 'ann', 'PAGE_VISIT'));
    await waitFor('two visits', async () => (await scoreOf(kit, ws, 'ann')).scoredInteractions === 2);

    const phaseChange: PhaseChanged = {
      v: 1,
      workspaceId: ws,
      contactId: 'ann',
      transitionId: 'ann~1',
      from: 'NURTURE',
      to: 'PURCHASE',
      half: 'PROSPECT',
      reason: 'test',
      at: kit.now().toISOString(),
    };
    const subject = kit.ns.subjects.phaseChanged(ws, 'ann');
    await publishEvent(kit.nats.js, subject, phaseChange, messageIds.phaseChanged(ws, 'ann~1'));
    await waitFor('stage reset', async () => (await scoreOf(kit, ws, 'ann')).phase === 'PURCHASE');
    expect(await scoreOf(kit, ws, 'ann')).toMatchObject({ general: 20, stage: 0, phase: 'PURCHASE' });

    // The third visit is the sentinel: once its change is out, so is every change before it.
    const third = kit.interaction(ws, 'ann', 'PAGE_VISIT');
    await kit.record(third);
    await waitFor('the third visit published', () =>
      kit.changesOf(ws).some((c) => c.interactionId === third.interactionId),
    );
    expect(await scoreOf(kit, ws, 'ann')).toMatchObject({ general: 30, stage: 10, scoredInteractions: 3 });
    expect(kit.changesOf(ws).map((c) => [c.cause, c.general, c.stage])).toEqual([
      ['INTERACTION', 10, 10],
      ['INTERACTION', 20, 20],
      ['STAGE_RESET', 20, 0],
      ['INTERACTION', 30, 10],
    ]);
    const history = await historyOf(kit, ws, 'ann');
    expect(history.map((e) => e.cause)).toEqual(['INTERACTION', 'STAGE_RESET', 'INTERACTION', 'INTERACTION']);
    expect(sumOf(history)).toEqual({ general: 30, stage: 10, tags: {} });
  });

  it('decays scores as of now, schedules the next check, and publishes a significant drop', async () => {
    const ws = testWorkspace();
    await rule(ws, { kind: 'PURCHASE', points: 80 });
    await given(ws, `mutation { updateScoringSettings(input: { halfLifeDays: 10 }) { halfLifeDays } }`);
    const bought = kit.interaction(ws, 'cid', 'PURCHASE', { properties: { amount: 50 } });
    await kit.record(bought);
    await waitFor('purchase scored', async () => (await scoreOf(kit, ws, 'cid')).scoredInteractions === 1);

    // The server holds one pending check, due when 80 will have lost 10%: 10 days × log2(1/0.9).
    // Scheduled last, after the write and the publish of the change (commit-contact.ts): waited for.
    const schedule = await waitFor('the decay check scheduled', () =>
      kit.nats.jsm.streams.getMessage(kit.ns.streams.interactions.name, {
        last_by_subj: kit.ns.subjects.decayCheckSchedule(ws, 'cid'),
      }),
    );
    const due = Date.parse(schedule.header.get('Nats-Schedule').replace('@at ', ''));
    expect(Math.abs(due - (Date.parse(bought.occurredAt) + 10 * DAY * Math.log2(1 / 0.9)))).toBeLessThan(1000);

    // No interaction for 10 days: half of it is gone. (The clock is the system's plus
    // the skew, so a few real milliseconds pass too: hence closeTo.)
    kit.advance(10 * DAY);
    const cooled = await scoreOf(kit, ws, 'cid');
    expect(cooled.general).toBeCloseTo(40, 3);
    expect(cooled.engagementIndex).toBe(33);
    const pending = await historyOf(kit, ws, 'cid');
    expect(pending[0]).toMatchObject({ cause: 'DECAY', pending: true, general: expect.closeTo(-40, 3) });
    expect(sumOf(pending).general).toBeCloseTo(cooled.general, 3);

    // What the schedule delivers when due: the owner decays and tells lifecycle.
    await kit.request({ v: 1, request: 'DECAY_CHECK', workspaceId: ws, contactId: 'cid' }, 'decay-check-test-1');
    const drop = await waitFor('a DECAY score change', () => kit.changesOf(ws, 'cid').find((c) => c.cause === 'DECAY'));
    expect(drop).toMatchObject({ general: expect.closeTo(40, 3), delta: expect.closeTo(-40, 3), interactionId: null });
    await waitFor('decay written', async () =>
      (await historyOf(kit, ws, 'cid')).some((e) => e.cause === 'DECAY' && !e.pending),
    );
    // (A new pending entry of a few real milliseconds' decay may lead the page.)
    const history = await historyOf(kit, ws, 'cid');
    expect(history.filter((e) => !e.pending).map((e) => [e.cause, Math.round(e.general)])).toEqual([
      ['DECAY', -40],
      ['INTERACTION', 80],
    ]);
    expect(sumOf(history).general).toBeCloseTo(drop.general, 3);
    kit.advance(-10 * DAY);
  });

  it('recomputes every score under new rules equal to live scoring, after a dry run that changes nothing', async () => {
    const old = testWorkspace('old');
    const fresh = testWorkspace('new');
    await rule(old, { kind: 'PAGE_VISIT', points: 1 });
    const newRules = [
      { kind: 'PAGE_VISIT', points: 2 },
      {
        type: 'ADVANCED',
        when: { predicates: [{ field: 'EMAIL_ID', operator: 'EQUALS', value: 'welcome' }] },
        effect: { general: 5, tags: [{ tag: 'onboarding', points: 3 }] },
        cap: { points: 5, period: 'EVER' },
      },
    ];
    for (const input of newRules) await rule(fresh, input);
    const t0 = Date.parse('2026-11-01T09:00:00Z');
    const script = Array.from({ length: 30 }, (_, i) => ({
      contactId: `c${i % 3}`,
      kind: i % 4 === 0 ? ('EMAIL_OPEN' as const) : ('PAGE_VISIT' as const),
      properties: i % 4 === 0 ? { emailId: 'welcome' } : { url: `/p/${i}` },
      occurredAt: new Date(t0 + i * 3_600_000).toISOString(),
    }));
    const send = (ws: string, from: number, to: number) =>
      Promise.all(script.slice(from, to).map((s) => kit.record(kit.interaction(ws, s.contactId, s.kind, s))));
    await send(old, 0, 20);
    await send(fresh, 0, 20);
    await waitFor('20 scored in each', () => kit.changesOf(old).length === 20 && kit.changesOf(fresh).length === 20);

    // A dry run under the new rules: answers, changes nothing.
    type Job = {
      id: string;
      state: string;
      done: number;
      total: number | null;
      changed: number;
      previews: { contactId: string; before: { general: number }; after: { general: number } }[];
    };
    const JOB = `query($id: ID!) { recomputeJob(id: $id) { id state done total changed previews(contactIds: ["c0", "c1", "c2"]) { contactId before { general } after { general } } } }`;
    const dry = await given(
      old,
      `mutation($rules: [ScoringRuleInput!]) { recomputeScores(input: { dryRun: true, rules: $rules }) { id state } }`,
      { rules: newRules },
    );
    const dryId = (dry as { recomputeScores: { id: string } }).recomputeScores.id;
    const dryDone = await waitFor('the dry run done', async () => {
      const job = ((await kit.gql(old, JOB, { id: dryId })).data as { recomputeJob: Job }).recomputeJob;
      return job.state === 'DONE' && job;
    });
    const live = async (ws: string) =>
      Object.fromEntries(
        await Promise.all(['c0', 'c1', 'c2'].map(async (c) => [c, await scoreOf(kit, ws, c)] as const)),
      );
    const freshScores = await live(fresh);
    expect(dryDone).toMatchObject({ done: 3, total: 3, changed: 3 });
    expect(dryDone.previews.map((p) => [p.contactId, p.after.general])).toEqual(
      ['c0', 'c1', 'c2'].map((c) => [c, freshScores[c]!.general]),
    );
    expect((await scoreOf(kit, old, 'c0')).general).toBe(dryDone.previews[0]!.before.general);

    // Now for real, with interactions arriving while it runs: each counted once, under the new rules.
    for (const input of newRules.slice(1)) await rule(old, input);
    await given(old, `mutation { updateScoringRule(id: "PAGE_VISIT:*", input: { points: 2 }) { id } }`);
    const real = await given(old, `mutation { recomputeScores { id } }`);
    await Promise.all([send(old, 20, 30), send(fresh, 20, 30)]);
    const realId = (real as { recomputeScores: { id: string } }).recomputeScores.id;
    await waitFor('the recompute done', async () => {
      const job = ((await kit.gql(old, JOB, { id: realId })).data as { recomputeJob: Job }).recomputeJob;
      return job.state === 'DONE';
    });
    await waitFor('all 30 scored in each', async () =>
      (await Promise.all(['c0', 'c1', 'c2'].flatMap((c) => [scoreOf(kit, old, c), scoreOf(kit, fresh, c)]))).every(
        (s) => s.scoredInteractions === 10,
      ),
    );
    const rebuilt = await live(old);
    const expected = await live(fresh);
    expect(rebuilt).toEqual(expected);
    expect(sumOf(await historyOf(kit, old, 'c1'))).toEqual(sumOf(await historyOf(kit, fresh, 'c1')));
  });

  it('rebuilds and counts a RECOMPUTE sent again after the duplicate window once (a later run of the job)', async () => {
    // Given a job that rebuilt two contacts under a visit worth 3 points, and finished
    const ws = testWorkspace();
    await rule(ws, { kind: 'PAGE_VISIT', points: 1 });
    await kit.record(kit.interaction(ws, 'r1', 'PAGE_VISIT'));
    await kit.record(kit.interaction(ws, 'r1', 'PAGE_VISIT'));
    await kit.record(kit.interaction(ws, 'r2', 'PAGE_VISIT'));
    await waitFor('three visits scored', () => kit.changesOf(ws).length === 3);
    await given(ws, `mutation { updateScoringRule(id: "PAGE_VISIT:*", input: { points: 3 }) { id } }`);
    const started = await given(ws, `mutation { recomputeScores { id } }`);
    const jobId = (started as { recomputeScores: { id: string } }).recomputeScores.id;
    type Job = { id: string; state: string; done: number; total: number | null; changed: number };
    const jobOf = async () =>
      (
        (await kit.gql(ws, `query($id: ID!) { recomputeJob(id: $id) { id state done total changed } }`, { id: jobId }))
          .data as { recomputeJob: Job }
      ).recomputeJob;
    const finished = { id: jobId, state: 'DONE', done: 2, total: 2, changed: 2 };
    const done = await waitFor('the recompute done', async () => {
      const job = await jobOf();
      return job.state === 'DONE' && job;
    });
    expect(done).toEqual(finished);
    const recomputed = () => kit.changesOf(ws).filter((c) => c.cause === 'RECOMPUTE');
    await waitFor('both rebuilds published', () => recomputed().length === 2);
    expect([await scoreOf(kit, ws, 'r1'), await scoreOf(kit, ws, 'r2')].map((s) => s.general)).toEqual([6, 3]);

    // When a visit is worth 5 points, and both requests come again under message ids JetStream does
    // not know (as a request sent by the run that took the job over does once the window has passed)
    await given(ws, `mutation { updateScoringRule(id: "PAGE_VISIT:*", input: { points: 5 }) { id } }`);
    for (const contactId of ['r1', 'r2']) {
      await kit.request(
        { v: 1, request: 'RECOMPUTE', workspaceId: ws, contactId, jobId },
        `${messageIds.recompute(ws, jobId, contactId)}:after-the-window`,
      );
    }

    // Then after a visit of each contact (applied after the copies, in its partition's order),
    // nobody was rebuilt again (a rebuild would now score the earlier visits at 5) and the job
    // still counts each contact once
    const sentinels = ['r1', 'r2'].map((c) => kit.interaction(ws, c, 'PAGE_VISIT'));
    for (const sentinel of sentinels) await kit.record(sentinel);
    await waitFor('both sentinels published', () =>
      sentinels.every((s) => kit.changesOf(ws).some((c) => c.interactionId === s.interactionId)),
    );
    expect([await scoreOf(kit, ws, 'r1'), await scoreOf(kit, ws, 'r2')].map((s) => s.general)).toEqual([11, 8]);
    expect(recomputed()).toHaveLength(2);
    expect(await jobOf()).toEqual(finished);
  });

  it('seals history buckets by size: a contact of large interactions keeps a small open bucket, pages and recomputes', async () => {
    const ws = testWorkspace();
    await rule(ws, { kind: 'PAGE_VISIT', points: 1 });
    // 40 visits in a known order, most carrying 5,000 characters of properties, every fifth a small one.
    const sent = [];
    for (let i = 0; i < 40; i++) {
      const note = i % 5 === 4 ? 'short' : `${i} `.padEnd(5_000, 'words of a long note ');
      const event = kit.interaction(ws, 'big', 'PAGE_VISIT', { properties: { url: `/p/${i}`, note } });
      await kit.record(event);
      sent.push(event.interactionId);
    }
    await waitFor('40 scored', () => kit.changesOf(ws, 'big').length === 40);
    const stored = async () => {
      const row = await models.ContactScore.findById(`${ws}:big`).lean().exec();
      const buckets = await models.HistoryBucket.find({ workspaceId: ws }).lean().exec();
      return { doc: scoreDoc(row!), buckets };
    };
    const inBuckets = async () => {
      const { doc, buckets } = await stored();
      return {
        doc,
        chars: buckets.map((b) => b.records.length),
        tailChars: doc.tail.reduce((n, r) => n + JSON.stringify(r).length, 0),
      };
    };

    // The open bucket stays under the size a bucket is sealed at; buckets by count would be 2 (32 of 40).
    const live = await inBuckets();
    expect(live.tailChars).toBeLessThan(BUCKET_CHARS);
    // Kept as records come and go, not measured again on every write.
    expect(live.doc.tailChars).toBe(live.tailChars);
    expect(live.doc.sealed).toBeGreaterThan(40 / BUCKET_SIZE);
    expect(live.chars).toHaveLength(live.doc.sealed);
    expect(live.doc.sealedRecords! + live.doc.tail.length).toBe(40);
    // Every interaction shown once, newest first, paging 3 at a time across the buckets.
    const pages = async () => (await historyOf(kit, ws, 'big', 3)).map((e) => e.interactionId);
    expect(await pages()).toEqual([...sent].reverse());
    // A cursor of the form given before buckets were sealed by size (no bucket in it) is refused by name.
    const earlier = await kit.gql(
      ws,
      `query($reps: [_Any!]!, $after: String) { _entities(representations: $reps) { ... on Contact { scoreHistory(first: 3, after: $after) { entries { interactionId } } } } }`,
      { reps: [{ __typename: 'Contact', id: 'big' }], after: Buffer.from('0:20:0').toString('base64url') },
      'read',
    );
    expect(earlier.errors?.[0]).toMatchObject({
      message: expect.stringContaining('after: a cursor of an earlier version of CEI; start again without after'),
      extensions: { code: 'BAD_USER_INPUT' },
    });

    // A recompute rebuilds the history as buckets of the same bound, and it still adds up.
    await given(ws, `mutation { updateScoringRule(id: "PAGE_VISIT:*", input: { points: 2 }) { id } }`);
    await given(ws, `mutation { recomputeScores { id } }`);
    await waitFor('the rebuild published', () => kit.changesOf(ws, 'big').some((c) => c.cause === 'RECOMPUTE'));
    const rebuilt = await inBuckets();
    expect(rebuilt.doc.generation).toBe(1);
    expect(rebuilt.tailChars).toBeLessThan(BUCKET_CHARS);
    expect(rebuilt.doc.tailChars).toBe(rebuilt.tailChars);
    expect(rebuilt.doc.sealedRecords! + rebuilt.doc.tail.length).toBe(40);
    expect(await pages()).toEqual([...sent].reverse());
    expect(sumOf(await historyOf(kit, ws, 'big', 3)).general).toBe(80);
  });

  it('pages on from a cursor whose open bucket, written before buckets were sealed by size, was regrouped since', async () => {
    const ws = testWorkspace();
    await rule(ws, { kind: 'PAGE_VISIT', points: 1 });
    // A score document as written before: 15 visits of ~800 characters open (past BUCKET_CHARS),
    // neither the sealed records nor the open bucket's characters recorded.
    const at = (i: number) => new Date(Date.parse('2026-11-01T09:00:00Z') + i * 60_000).toISOString();
    const earlier: ScoreRecord[] = Array.from({ length: 15 }, (_, i) => ({
      type: 'INTERACTION',
      at: at(i),
      seq: i + 1,
      interaction: {
        interactionId: `earlier-${i}`,
        kind: 'PAGE_VISIT',
        variant: null,
        occurredAt: at(i),
        properties: { note: 'n'.repeat(600) },
      },
      entries: [{ ruleId: 'PAGE_VISIT:*', general: 1, stage: 1, tags: [] }],
    }));
    expect(earlier.reduce((n, r) => n + JSON.stringify(r).length, 0)).toBeGreaterThan(BUCKET_CHARS);
    // Written at the stream's last position: a visit of someone else first, so that there is one.
    await kit.record(kit.interaction(ws, 'someone', 'PAGE_VISIT'));
    await waitFor('the other visit scored', () => kit.changesOf(ws, 'someone').length === 1);
    const stream = await kit.nats.jsm.streams.info(kit.ns.streams.interactions.name);
    const empty = emptyScoreDoc(`${ws}:old`, ws, 'old');
    const { sealedRecords, tailChars, ...row } = scoreRow({
      ...empty,
      state: earlier.reduce(applyRecord, emptyState()),
      lastSeq: stream.state.last_seq,
      tail: earlier,
      updatedAt: new Date(),
    });
    expect([sealedRecords, tailChars]).toEqual([undefined, undefined]);
    await models.ContactScore.create(row);
    type Page = { entries: { interactionId: string }[]; endCursor: string; hasNextPage: boolean };
    const page = (after: string | null) =>
      kit.gql<{ _entities: { scoreHistory: Page }[] }>(
        ws,
        `query($reps: [_Any!]!, $after: String) { _entities(representations: $reps) { ... on Contact { scoreHistory(first: 3, after: $after) { entries { interactionId } endCursor hasNextPage } } } }`,
        { reps: [{ __typename: 'Contact', id: 'old' }], after },
        'read',
      );
    const first = (await page(null)).data!._entities[0]!.scoreHistory;
    expect(first.entries.map((e) => e.interactionId)).toEqual(['earlier-14', 'earlier-13', 'earlier-12']);

    // When a visit regroups the open bucket (its first records sealed, earlier-12 now in a later bucket)
    const visit = kit.interaction(ws, 'old', 'PAGE_VISIT');
    await kit.record(visit);
    await waitFor('the visit scored', () => kit.changesOf(ws, 'old').length === 1);
    const doc = scoreDoc((await models.ContactScore.findById(`${ws}:old`).lean().exec())!);
    expect(doc.sealed).toBeGreaterThan(0);
    expect(doc.sealedRecords).toBeLessThan(12);

    // Then paging on from the cursor lists every earlier visit once, none skipped
    const rest: string[] = [];
    for (let after: string | null = first.endCursor; after;) {
      const next: Page = (await page(after)).data!._entities[0]!.scoreHistory;
      rest.push(...next.entries.map((e) => e.interactionId));
      after = next.hasNextPage ? next.endCursor : null;
    }
    expect(rest).toEqual(Array.from({ length: 12 }, (_, i) => `earlier-${11 - i}`));
  });

  it('computes KPIs and likelihoods from the interactions', async () => {
    const ws = testWorkspace();
    const at = kit.now().toISOString();
    for (const [contactId, kind, properties] of [
      ['ann', 'SURVEY_RESPONSE', { nps: 10, csat: 5 }],
      ['ann', 'PURCHASE', { amount: 120 }],
      ['ann', 'SOCIAL_SHARE', {}],
      ['bob', 'SURVEY_RESPONSE', { nps: 3, csat: 2 }],
      ['bob', 'SUPPORT_TICKET', { resolvedOnFirstContact: true, handleTimeSeconds: 300 }],
      ['bob', 'SUPPORT_TICKET', { resolvedOnFirstContact: false, handleTimeSeconds: 500 }],
      ['bob', 'CALL_CENTER_CONTACT', { talkSeconds: 200, holdSeconds: 40, afterCallWorkSeconds: 60 }],
    ] as const)
      await kit.record(kit.interaction(ws, contactId, kind, { properties, occurredAt: at }));
    await waitFor('seven scored', () => kit.changesOf(ws).length === 7);
    await waitFor('written', async () => (await scoreOf(kit, ws, 'bob')).scoredInteractions === 4);

    const KPIS = `nps csat csatMean csatSatisfiedShare csatAnswers csatScale { min max } npsScale { min max }
      firstContactResolution averageHandleTimeSeconds customerLifetimeValue historicalCustomerLifetimeValue customers
      socialEngagement contacts`;
    const response = await kit.gql<{
      workspaceKpis: Record<string, unknown>;
      _entities: {
        kpis: Record<string, unknown>;
        likelihoods: { kind: string; probability: number; signals: { signal: string }[] }[];
      }[];
    }>(
      ws,
      `query($reps: [_Any!]!) { workspaceKpis { ${KPIS} } _entities(representations: $reps) { ... on Contact { kpis { ${KPIS} } likelihoods { kind probability signals { signal } } } } }`,
      { reps: [{ __typename: 'Contact', id: 'ann' }] },
    );
    expect(response.errors).toBeUndefined();
    // One promoter, one detractor: NPS 0; CSAT mean (5 + 2) / 2, satisfied 1 of 2; one of two tickets
    // resolved first time; AHT (300 + 500 + (200 talk + 40 hold + 60 after-call work)) / 3 = 366.67 s.
    expect(response.data!.workspaceKpis).toEqual({
      nps: 0,
      csat: 3.5,
      csatMean: 3.5,
      csatSatisfiedShare: 0.5,
      csatAnswers: 2,
      csatScale: { min: 1, max: 5 },
      npsScale: { min: 0, max: 10 },
      firstContactResolution: 0.5,
      averageHandleTimeSeconds: 366.67,
      customerLifetimeValue: 60, // 120 of revenue over two contacts
      historicalCustomerLifetimeValue: 120, // 120 over Ann, the one customer
      customers: 1,
      socialEngagement: 1.5, // one share (×3) over two contacts
      contacts: 2,
    });
    const ann = response.data!._entities[0]!;
    expect(ann.kpis).toMatchObject({
      nps: 100,
      csat: 5,
      csatSatisfiedShare: 1,
      customerLifetimeValue: 120,
      socialEngagement: 3,
    });
    expect(ann.likelihoods.map((l) => l.kind)).toEqual([
      'PURCHASE',
      'FREE_TO_PAID',
      'UPGRADE',
      'CHURN',
      'RECOMMENDATION',
      'TRIAL_SUCCESS',
      'PRODUCT_SUCCESS',
    ]);
    const recommendation = ann.likelihoods.find((l) => l.kind === 'RECOMMENDATION')!;
    expect(recommendation.probability).toBeGreaterThan(0.5);
    expect(recommendation.signals[0]!.signal).toBe('NPS');

    // The mean still answers under `csat`, marked deprecated with the fields that replace it.
    const schema = await kit.gql<{
      __type: { fields: { name: string; isDeprecated: boolean; deprecationReason: string | null }[] };
    }>(ws, `{ __type(name: "Kpis") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } }`);
    const deprecated = schema.data!.__type.fields.filter((field) => field.isDeprecated);
    expect(deprecated.map((field) => field.name)).toEqual(['csat']);
    expect(deprecated[0]!.deprecationReason).toMatch(/csatMean or csatSatisfiedShare/);
  });
});
