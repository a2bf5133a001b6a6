import { messageIds, type InteractionRecorded, type ScoringRequested } from '@cei/contracts';
import {
  applyInput,
  interleaveInteractions,
  nextDecayCheck,
  RECOMPUTE_JOBS_KEPT,
  RESCHEDULE_SLACK_MS,
  startProgress,
  type ContactProgress,
  type RecomputeJobSpec,
  type ScoringInput,
  type StepContext,
  type StoredScoring,
} from './contact-step';
import { emptyState, type ScoreRecord, type ScoringPolicy } from './score-state';
import { rule } from './rule-fixtures';
import type { ScoringRule } from './rules';

const DAY = 86_400_000;
const WS = 'ws1';
const T0 = '2024-03-01T00:00:00.000Z';
const T0_MS = Date.parse(T0);

const general = (kind: NonNullable<ScoringRule['kind']>, points: number) =>
  rule({ ruleId: `${kind}:*`, type: 'GENERAL', kind, effect: { general: points, stage: 0, tags: [] } });
const policy: ScoringPolicy = { rules: [general('PAGE_VISIT', 10), general('PURCHASE', 30)], halfLifeDays: null };

const stored = (overrides: Partial<StoredScoring> = {}): StoredScoring => ({
  workspaceId: WS,
  contactId: 'ann',
  state: emptyState(),
  lastSeq: 0,
  recentInteractionIds: [],
  published: 0,
  decayCheckAt: null,
  ...overrides,
});

const ctx = (overrides: Partial<StepContext> = {}): StepContext => ({
  at: new Date(T0),
  policy,
  job: () => null,
  storedRecords: null,
  features: new Map(),
  ...overrides,
});

const visit = (interactionId: string, kind: InteractionRecorded['kind'] = 'PAGE_VISIT'): InteractionRecorded => ({
  v: 1,
  workspaceId: WS,
  interactionId,
  contactId: 'ann',
  email: null,
  kind,
  variant: null,
  occurredAt: T0,
  recordedAt: T0,
  properties: {},
});
const decayCheck: ScoringRequested = { v: 1, request: 'DECAY_CHECK', workspaceId: WS, contactId: 'ann' };
const recompute = (jobId: string): ScoringRequested => ({
  v: 1,
  request: 'RECOMPUTE',
  workspaceId: WS,
  contactId: 'ann',
  jobId,
});

/** Applies inputs at positions 1, 2, 3, … (or those given) in one context. */
function applyAll(
  from: ContactProgress,
  inputs: (ScoringInput | [ScoringInput, number])[],
  context = ctx(),
): ContactProgress {
  return inputs.reduce<ContactProgress>((p, input, i) => {
    const [event, seq] = Array.isArray(input) ? input : [input, i + 1];
    return applyInput(p, { event, seq }, context);
  }, from);
}

describe('applyInput', () => {
  it('scores an interaction and queues its change under the interaction’s message id', () => {
    const p = applyAll(startProgress(stored()), [visit('i1'), visit('i2', 'PURCHASE')]);
    expect(p.state.general).toBe(40);
    expect(p.lastSeq).toBe(2);
    expect(p.published).toBe(40);
    expect(p.records.map((r) => r.type)).toEqual(['INTERACTION', 'INTERACTION']);
    expect(p.changes.map((c) => [c.seq, c.msgId, c.change.cause, c.change.delta, c.change.general])).toEqual([
      [1, messageIds.scoreChanged(WS, 'i1'), 'INTERACTION', 10, 10],
      [2, messageIds.scoreChanged(WS, 'i2'), 'INTERACTION', 30, 40],
    ]);
    expect(p.recentInteractionIds).toEqual(['i1', 'i2']);
  });

  it('tells lists of contacts the tag scores and the latest interaction with each change', () => {
    const tagged = rule({
      ruleId: 'shoes',
      type: 'ADVANCED',
      kind: 'PAGE_VISIT',
      effect: { general: 0, stage: 0, tags: [{ tag: 'shoes', points: 5 }] },
    });
    const later = { ...visit('i2'), occurredAt: '2024-03-02T00:00:00.000Z' };
    const p = applyAll(
      startProgress(stored()),
      [visit('i1'), later],
      ctx({ policy: { ...policy, rules: [...policy.rules, tagged] } }),
    );
    expect(p.changes.map((c) => [c.change.tags, c.change.lastInteractionAt])).toEqual([
      [{ shoes: 5 }, T0],
      [{ shoes: 10 }, '2024-03-02T00:00:00.000Z'],
    ]);
  });

  it('leaves what it was given as it was', () => {
    const before = startProgress(stored());
    const copy = structuredClone(before);
    applyAll(before, [visit('i1'), decayCheck, recompute('job-1')], ctx({ storedRecords: [] }));
    expect(before).toEqual(copy);
  });

  it('does not apply an input at or before the stored position again, and says which were replayed', () => {
    const applied = stored({ state: { ...emptyState(), general: 10 }, lastSeq: 7 });
    const p = applyAll(startProgress(applied), [
      [visit('i1'), 6],
      [recompute('job-1'), 7],
      [visit('i2'), 8],
    ]);
    expect(p.replayed.map((r) => r.seq)).toEqual([6, 7]);
    expect(p.state.general).toBe(20);
    expect(p.changes.map((c) => c.seq)).toEqual([8]);
    // A replayed recompute still counts toward its job; the document does not say what job-1
    // changed (it has no recomputedBy entry for it), so it is compared no more.
    const figures = { general: applied.state.general, stage: applied.state.stage, tags: applied.state.tags };
    expect(p.recomputes).toEqual([
      { jobId: 'job-1', seq: 7, before: figures, after: figures, dryRun: false, replayed: true },
    ]);
  });

  it('counts an interaction re-published at a new position once, and moves the position on', () => {
    const p = applyAll(startProgress(stored()), [visit('i1'), visit('i1')]);
    expect(p.state.general).toBe(10);
    expect(p.changes).toHaveLength(1);
    expect(p.lastSeq).toBe(2);
  });

  it('restarts the stage score once per phase transition', () => {
    const entered: ScoringRequested = {
      v: 1,
      request: 'PHASE_ENTERED',
      workspaceId: WS,
      contactId: 'ann',
      transitionId: 'ann~1',
      phase: 'PURCHASE',
      at: T0,
    };
    const p = applyAll(startProgress(stored()), [visit('i1'), entered, entered]);
    expect([p.state.general, p.state.stage, p.state.phase]).toEqual([10, 0, 'PURCHASE']);
    expect(p.changes.map((c) => [c.msgId, c.change.cause, c.change.stage])).toEqual([
      [messageIds.scoreChanged(WS, 'i1'), 'INTERACTION', 10],
      [messageIds.stageReset(WS, 'ann~1'), 'STAGE_RESET', 0],
    ]);
  });

  describe('a decay check', () => {
    const decaying = { ...policy, halfLifeDays: 10 };
    const scored = stored({
      state: { ...emptyState(), general: 80, stage: 80, asOf: T0 },
      published: 80,
      decayCheckAt: new Date(T0_MS + DAY),
    });
    const checkAt = (ms: number, seq: number) =>
      applyInput(startProgress(scored), { event: decayCheck, seq }, ctx({ at: new Date(ms), policy: decaying }));

    it('writes the decay, publishes a significant drop, and clears the check it ran', () => {
      const p = checkAt(T0_MS + 10 * DAY, 5);
      expect(p.state.general).toBe(40);
      expect(p.records.map((r) => r.type)).toEqual(['DECAY']);
      expect(p.decayCheckAt).toBeNull();
      expect(p.changes.map((c) => [c.change.cause, c.change.delta, c.change.at])).toEqual([
        ['DECAY', -40, new Date(T0_MS + 10 * DAY).toISOString()],
      ]);
    });

    it('takes its message id from its stream position, not from the clock', () => {
      // Redelivered (same position) and applied at another instant: the same id, so the stream drops the copy.
      expect(checkAt(T0_MS + 10 * DAY, 5).changes[0]!.msgId).toBe(checkAt(T0_MS + 11 * DAY, 5).changes[0]!.msgId);
      expect(checkAt(T0_MS + 10 * DAY, 5).changes[0]!.msgId).toBe(messageIds.scoreDecayed(WS, 'ann', 5));
      // Two checks at the same instant are two changes.
      expect(checkAt(T0_MS + 10 * DAY, 6).changes[0]!.msgId).not.toBe(checkAt(T0_MS + 10 * DAY, 5).changes[0]!.msgId);
    });

    it('publishes nothing for a small drop', () => {
      const p = checkAt(T0_MS + DAY, 5);
      expect(p.state.general).toBeLessThan(80);
      expect(p.changes).toEqual([]);
    });

    it('compares with the score published earlier in the same batch', () => {
      // A visit after 10 days publishes 50 (80 decayed to 40, +10); a day on, 46.7 is no significant drop from 50.
      const p = applyAll(
        startProgress(scored),
        [{ ...visit('i1'), occurredAt: new Date(T0_MS + 10 * DAY).toISOString() }, decayCheck],
        ctx({ at: new Date(T0_MS + 11 * DAY), policy: decaying }),
      );
      expect(p.changes.map((c) => c.change.cause)).toEqual(['INTERACTION']);
      expect(p.published).toBe(50);
    });
  });

  describe('a recompute', () => {
    const job = (spec: RecomputeJobSpec) => () => spec;
    /** Two visits scored at 1 point each, stored. */
    const history: ScoreRecord[] = applyAll(
      startProgress(stored()),
      [visit('i1'), visit('i2')],
      ctx({ policy: { rules: [general('PAGE_VISIT', 1)], halfLifeDays: null } }),
    ).records;
    const before = stored({
      state: { ...emptyState(), general: 2, stage: 2, asOf: T0, scoredInteractions: 2 },
      lastSeq: 2,
      published: 2,
    });

    it('rebuilds the contact from its stored records under the current rules', () => {
      const p = applyInput(
        startProgress(before),
        { event: recompute('job-1'), seq: 3 },
        ctx({ storedRecords: history, job: job({ dryRun: false, rules: null }) }),
      );
      expect(p.state.general).toBe(20);
      expect(p.rebuilt).toHaveLength(2);
      expect(p.changes.map((c) => [c.msgId, c.change.cause, c.change.delta])).toEqual([
        [messageIds.scoreRecomputed(WS, 'job-1', 'ann'), 'RECOMPUTE', 18],
      ]);
      expect(p.recomputes[0]).toMatchObject({ jobId: 'job-1', seq: 3, dryRun: false, replayed: false });
    });

    it('in a dry run, only compares', () => {
      const p = applyInput(
        startProgress(before),
        { event: recompute('job-1'), seq: 3 },
        ctx({ storedRecords: history, job: job({ dryRun: true, rules: [general('PAGE_VISIT', 5)] }) }),
      );
      expect(p.state).toEqual(before.state);
      expect([p.rebuilt, p.changes]).toEqual([null, []]);
      expect([p.recomputes[0]!.before.general, p.recomputes[0]!.after.general]).toEqual([2, 10]);
    });

    it('twice in one batch, with an interaction between, counts every stored record once', () => {
      const p = applyAll(
        startProgress(before),
        [
          [recompute('job-1'), 3],
          [visit('i3'), 4],
          [recompute('job-2'), 5],
        ],
        ctx({ storedRecords: history, job: job({ dryRun: false, rules: null }) }),
      );
      expect(p.state.general).toBe(30);
      expect(p.rebuilt).toHaveLength(3);
    });

    it('sent again at a new position (past the duplicate window) rebuilds nothing and counts at the first position', () => {
      // Given job-1 rebuilt the contact at position 3
      const rebuilt = applyInput(
        startProgress(before),
        { event: recompute('job-1'), seq: 3 },
        ctx({ storedRecords: history, job: job({ dryRun: false, rules: null }) }),
      );
      const appliedBy = (r: { jobId: string; seq: number }) => ({ jobId: r.jobId, seq: r.seq });
      expect(rebuilt.recomputedBy.map(appliedBy)).toEqual([{ jobId: 'job-1', seq: 3 }]);
      const applied = { ...before, state: rebuilt.state, lastSeq: 3, recomputedBy: rebuilt.recomputedBy };
      // When its request comes again at position 9 (a later run of the job), and that copy is redelivered
      const p = applyAll(
        startProgress(applied),
        [
          [recompute('job-1'), 9],
          [recompute('job-1'), 9],
        ],
        // (under rules that would change the score, had it been rebuilt again)
        ctx({ storedRecords: history, job: job({ dryRun: false, rules: [general('PAGE_VISIT', 5)] }) }),
      );
      // Then the score stays, nothing is queued, and both count at position 3 (the job counts the
      // contact once), with what the rebuild at position 3 changed (a copy that comes back before the
      // job's progress was recorded is counted as the change it was, not as unchanged)
      expect([p.state, p.rebuilt, p.changes, p.lastSeq]).toEqual([rebuilt.state, null, [], 9]);
      const first = rebuilt.recomputes[0]!;
      expect(first.before.general).not.toBe(first.after.general);
      const counted = {
        jobId: 'job-1',
        seq: 3,
        before: first.before,
        after: first.after,
        dryRun: false,
        replayed: false,
      };
      expect(p.recomputes).toEqual([counted, counted]);
      expect(p.recomputedBy).toEqual(rebuilt.recomputedBy);
    });

    it('remembers the last RECOMPUTE_JOBS_KEPT jobs, most recent first', () => {
      const jobIds = Array.from({ length: RECOMPUTE_JOBS_KEPT + 2 }, (_, i) => `job-${i}`);
      const p = applyAll(
        startProgress(before),
        jobIds.map((jobId, i): [ScoringInput, number] => [recompute(jobId), 3 + i]),
        ctx({ storedRecords: history, job: job({ dryRun: true, rules: null }) }),
      );
      const kept = jobIds.map((jobId, i) => ({ jobId, seq: 3 + i })).slice(2);
      expect(p.recomputedBy.map(({ jobId, seq }) => ({ jobId, seq }))).toEqual(kept.reverse());
    });

    it('of an unknown job changes nothing', () => {
      const p = applyInput(
        startProgress(before),
        { event: recompute('gone'), seq: 3 },
        ctx({ storedRecords: history }),
      );
      expect([p.state, p.recomputes, p.lastSeq]).toEqual([before.state, [], 3]);
    });
  });
});

describe('nextDecayCheck', () => {
  const state = { ...emptyState(), general: 80, asOf: T0 };
  const due = T0_MS + 10 * DAY * Math.log2(1 / 0.9);

  it('is due when the score will have lost a significant share of what was published', () => {
    const next = nextDecayCheck({ state, published: 80 }, 10, null);
    expect(next.schedule).toBe(true);
    expect(Math.abs(next.at!.getTime() - due)).toBeLessThan(1);
  });

  it('keeps a check the server holds that comes no later than due, and moves one that comes too late', () => {
    const close = new Date(due + RESCHEDULE_SLACK_MS / 2);
    expect(nextDecayCheck({ state, published: 80 }, 10, close)).toEqual({ at: close, schedule: false });
    // Earlier (the contact was active since): that check finds no drop yet and schedules the next one then.
    const early = new Date(due - DAY);
    expect(nextDecayCheck({ state, published: 80 }, 10, early)).toEqual({ at: early, schedule: false });
    const far = new Date(due + 2 * RESCHEDULE_SLACK_MS);
    expect(nextDecayCheck({ state, published: 80 }, 10, far)).toEqual({ at: new Date(due), schedule: true });
  });

  it('is never due without a half-life or a score to lose', () => {
    expect(nextDecayCheck({ state, published: 80 }, null, null)).toEqual({ at: null, schedule: false });
    expect(nextDecayCheck({ state: { ...state, general: 0.5 }, published: 0 }, 10, null)).toEqual({
      at: null,
      schedule: false,
    });
  });
});

describe('a merge (CONTACT_MERGED)', () => {
  const merged = (from: string): InteractionRecorded => ({
    ...visit(`merged:${from}`, 'CONTACT_MERGED'),
    properties: { from },
  });
  /** The records of `contactId` scoring `kinds` at the given stream positions. */
  const history = (contactId: string, entries: [string, InteractionRecorded['kind'], number][]) =>
    applyAll(
      startProgress(stored({ contactId })),
      entries.map(([id, kind, seq]) => [{ ...visit(id, kind), contactId }, seq]),
    ).records;

  it('rebuilds the survivor from both histories in stream order, and says when the merge brings the first purchase', () => {
    // The visitor: visits at 1 and 4, a purchase at 5; ann: visits at 2 and 3 (20 points).
    const theirs = history('visitor', [
      ['v1', 'PAGE_VISIT', 1],
      ['v2', 'PAGE_VISIT', 4],
      ['p1', 'PURCHASE', 5],
    ]);
    const own = history('ann', [
      ['a1', 'PAGE_VISIT', 2],
      ['a2', 'PAGE_VISIT', 3],
    ]);
    const ann = applyAll(startProgress(stored()), [
      [visit('a1'), 2],
      [visit('a2'), 3],
    ]);
    const p = applyInput(
      { ...ann, records: [], changes: [] },
      { event: merged('visitor'), seq: 9 },
      ctx({ storedRecords: own, mergedRecords: () => ({ records: theirs, profile: null }) }),
    );
    // 4 visits × 10 + a purchase 30 = 70.
    expect(p.state.general).toBe(70);
    expect(
      p.rebuilt!.flatMap((r) => (r.type === 'INTERACTION' ? [`${r.interaction.interactionId}@${r.seq}`] : [])),
    ).toEqual(['v1@1', 'a1@2', 'a2@3', 'v2@4', 'p1@5']);
    expect(p.changes).toHaveLength(1);
    expect(p.changes[0]!.change).toMatchObject({
      kind: 'CONTACT_MERGED',
      delta: 50,
      general: 70,
      customerKind: 'PURCHASE',
    });
  });

  it('does not claim a first purchase for a survivor that had one, and keeps an interaction present in both once', () => {
    const own = history('ann', [
      ['a1', 'PURCHASE', 2],
      ['shared', 'PAGE_VISIT', 3],
    ]);
    const theirs = history('visitor', [
      ['shared', 'PAGE_VISIT', 3],
      ['p2', 'PURCHASE', 4],
    ]);
    const p = applyInput(
      startProgress(stored({ lastSeq: 3 })),
      { event: merged('visitor'), seq: 9 },
      ctx({ storedRecords: own, mergedRecords: () => ({ records: theirs, profile: null }) }),
    );
    expect(p.state.general).toBe(70); // 30 + 10 + 30
    expect(p.changes[0]!.change.customerKind).toBeUndefined();
  });

  it('folds the merged-away contact’s product usage into the survivor’s, each interaction once, and not again on a redelivery', () => {
    const use = (id: string, contactId: string, feature: string, occurredAt: string): InteractionRecorded => ({
      ...visit(id, 'FEATURE_USAGE'),
      contactId,
      occurredAt,
      properties: { feature },
    });
    const day2 = new Date(T0_MS + DAY).toISOString();
    // The visitor used reports on day 1 and day 2 (and the shared use), ann used reports on day 1.
    const theirs = applyAll(startProgress(stored({ contactId: 'visitor' })), [
      [use('u1', 'visitor', 'reports', T0), 1],
      [use('shared', 'visitor', 'export', day2), 3],
      [use('u2', 'visitor', 'reports', day2), 4],
    ]).records;
    const ann = applyAll(startProgress(stored()), [
      [use('a1', 'ann', 'reports', T0), 2],
      [use('shared', 'ann', 'export', day2), 3],
    ]);
    const own = ann.records;
    const context = ctx({ storedRecords: own, mergedRecords: () => ({ records: theirs, profile: null }) });
    const p = applyInput({ ...ann, records: [], changes: [] }, { event: merged('visitor'), seq: 9 }, context);
    expect(p.usage.features['reports']).toMatchObject({ uses: 3, firstUsedAt: T0, lastUsedAt: day2 });
    expect(p.usage.features['export']).toMatchObject({ uses: 1 });
    expect(p.usage.days).toEqual([
      { day: T0.slice(0, 10), uses: 2, errors: 0 },
      { day: day2.slice(0, 10), uses: 2, errors: 0 },
    ]);
    expect(p.usageSeq).toBe(9);
    // Redelivered after the usage document was written at the merge: its usage is not added again.
    const again = applyInput(
      { ...ann, usage: p.usage, usageSeq: 9, records: [], changes: [] },
      { event: merged('visitor'), seq: 9 },
      context,
    );
    expect(again.usage).toEqual(p.usage);
  });

  it('scores no IDENTIFY (traits are no engagement) but keeps the traits influence reads', () => {
    const p = applyAll(startProgress(stored()), [{ ...visit('i1', 'IDENTIFY'), properties: { seniority: 'VP' } }]);
    const { profile, ...scores } = p.state;
    expect(scores).toEqual(emptyState());
    expect(profile).toMatchObject({ seniority: 'VP', setAt: { seniority: T0 } });
    expect(p.changes).toEqual([]);
  });
});

// Kept apart from the fixtures above: a record list to interleave by hand.
describe('interleaveInteractions', () => {
  it('places the other contact’s interactions by stream position and drops their decay', () => {
    const rec = (id: string, seq: number): ScoreRecord => ({
      type: 'INTERACTION',
      at: T0,
      seq,
      interaction: { interactionId: id, kind: 'PAGE_VISIT', variant: null, occurredAt: T0, properties: {} },
      entries: [],
    });
    const decay: ScoreRecord = { type: 'DECAY', at: T0, entries: [] };
    expect(
      interleaveInteractions([rec('a', 2), decay, rec('b', 6)], [rec('x', 1), decay, rec('y', 4), rec('z', 9)]).map(
        (r) => (r.type === 'INTERACTION' ? r.interaction.interactionId : r.type),
      ),
    ).toEqual(['x', 'a', 'DECAY', 'y', 'b', 'z']);
  });
});
