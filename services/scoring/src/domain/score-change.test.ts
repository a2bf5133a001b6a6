import { messageIds } from '@cei/contracts';
import { applyInput, startProgress, type ScoringInput } from './contact-step';
import { scoreChangeSetDoc, storedChanges } from '../models/score-changes';
import {
  CHANGES_PER_MESSAGE,
  figuresOf,
  identified,
  promisedSets,
  scoreChangeOf,
  setMessage,
  setsOf,
  storedChangeOf,
} from './score-change';
import { emptyState } from './score-state';
import { rule } from './rule-fixtures';

const WS = 'ws1';
const AT = '2024-03-01T10:00:00.000Z';
const DAY = 86_400_000;

const inputs: ScoringInput[] = [
  {
    v: 1,
    workspaceId: WS,
    interactionId: 'i1',
    contactId: 'ann',
    email: null,
    kind: 'PAGE_VISIT',
    variant: null,
    occurredAt: '2024-03-01T11:00:00+01:00',
    recordedAt: AT,
    properties: {},
  },
  {
    v: 1,
    request: 'PHASE_ENTERED',
    workspaceId: WS,
    contactId: 'ann',
    transitionId: 'ann~1',
    phase: 'PURCHASE',
    at: AT,
  },
  { v: 1, request: 'DECAY_CHECK', workspaceId: WS, contactId: 'ann' },
  { v: 1, request: 'RECOMPUTE', workspaceId: WS, contactId: 'ann', jobId: 'job-1' },
];

/** The changes a batch of every kind of input queues (positions 11–14). */
function queuedByOneBatch() {
  const visit = rule({ ruleId: 'PAGE_VISIT:*', type: 'GENERAL', kind: 'PAGE_VISIT' });
  let progress = startProgress({
    workspaceId: WS,
    contactId: 'ann',
    state: { ...emptyState(), general: 30, stage: 30, asOf: '2024-01-01T00:00:00.000Z' },
    lastSeq: 10,
    recentInteractionIds: [],
    published: 30,
    decayCheckAt: null,
  });
  inputs.forEach((event, i) => {
    // The decay check comes 20 days on: half of the score gone.
    const at = Date.parse(AT) + ('request' in event && event.request === 'DECAY_CHECK' ? 20 * DAY : i);
    progress = applyInput(
      progress,
      { event, seq: 11 + i },
      {
        at: new Date(at),
        policy: { rules: [{ ...visit, effect: { general: 12.5, stage: 0, tags: [] } }], halfLifeDays: 10 },
        job: () => ({ dryRun: false, rules: [{ ...visit, effect: { general: 3, stage: 0, tags: [] } }] }),
        storedRecords: [],
        features: new Map(),
      },
    );
  });
  return progress.changes;
}

describe('scoreChangeOf', () => {
  const figures = { seq: 12, delta: -3, general: 40, stage: 0, at: AT };

  it('takes the cause and the message id from the input, never from the clock', () => {
    expect(inputs.map((input) => scoreChangeOf(input, figures)).map((c) => [c.change.cause, c.msgId])).toEqual([
      ['INTERACTION', messageIds.scoreChanged(WS, 'i1')],
      ['STAGE_RESET', messageIds.stageReset(WS, 'ann~1')],
      ['DECAY', messageIds.scoreDecayed(WS, 'ann', 12)],
      ['RECOMPUTE', messageIds.scoreRecomputed(WS, 'job-1', 'ann')],
    ]);
    expect(scoreChangeOf(inputs[2]!, { ...figures, at: '2030-01-01T00:00:00.000Z' }).msgId).toBe(
      messageIds.scoreDecayed(WS, 'ann', 12),
    );
  });

  it('names the interaction of an interaction’s change only', () => {
    expect(scoreChangeOf(inputs[0]!, figures).change).toEqual({
      v: 1,
      workspaceId: WS,
      contactId: 'ann',
      cause: 'INTERACTION',
      interactionId: 'i1',
      kind: 'PAGE_VISIT',
      occurredAt: '2024-03-01T11:00:00+01:00',
      delta: -3,
      general: 40,
      stage: 0,
      engagementIndex: 33,
      at: AT,
      // The input's position names the change: the same on a redelivery.
      changeId: `ann~${figures.seq}`,
    });
    expect(scoreChangeOf(inputs[1]!, figures).change).toMatchObject({
      interactionId: null,
      kind: null,
      occurredAt: null,
    });
  });
});

describe('promisedSets', () => {
  it('makes again, from the redelivered inputs and the stored figures, the changes the batch queued (each alone, as written before sets)', () => {
    const queued = queuedByOneBatch();
    expect(queued.map((c) => c.change.cause)).toEqual(['INTERACTION', 'STAGE_RESET', 'DECAY', 'RECOMPUTE']);
    const redelivered = inputs.map((event, i) => ({ seq: 11 + i, event }));
    expect(promisedSets(queued.map(figuresOf), undefined, redelivered)).toEqual(queued.map((c) => [c]));
  });

  it('makes only those of the inputs redelivered now, and none for an input that changed nothing', () => {
    const queued = queuedByOneBatch();
    const stored = queued.filter((c) => c.seq !== 13).map(figuresOf);
    const redelivered = [
      { seq: 12, event: inputs[1]! },
      { seq: 13, event: inputs[2]! },
    ];
    expect(promisedSets(stored, undefined, redelivered)).toEqual([[queued[1]]]);
  });

  it('makes a set whole when one of its inputs comes back: the others to be read back, an untouched set not at all', () => {
    const queued = queuedByOneBatch();
    const figures = queued.map(figuresOf);
    // Two messages of two changes each; only the second input (position 12) is redelivered.
    const sets = promisedSets(figures, [2, 2], [{ seq: 12, event: inputs[1]! }]);
    expect(sets).toEqual([[{ seq: 11, figures: figures[0] }, queued[1]]]);
  });

  it("reads each change of a message back from the message's stored document as it was published", () => {
    const queued = queuedByOneBatch();
    const doc = scoreChangeSetDoc(identified(queued));
    // One document, under the id of the message's first change.
    expect(doc._id).toBe(`${WS}:ann~${queued[0]!.seq}`);
    const stored = storedChanges(doc);
    expect(stored.map((c) => c.seq)).toEqual(queued.map((c) => c.seq));
    for (const change of queued) {
      const facts = stored.find((c) => c.seq === change.seq)!;
      const again = storedChangeOf(
        { workspaceId: WS, contactId: 'ann' },
        { seq: change.seq, figures: figuresOf(change) },
        facts,
      );
      expect(again).toEqual(change);
    }
    // Published again from what was read back, the message is the one that went out first.
    const readBack = queued.map((c) =>
      storedChangeOf(
        { workspaceId: WS, contactId: 'ann' },
        { seq: c.seq, figures: figuresOf(c) },
        stored.find((s) => s.seq === c.seq)!,
      ),
    );
    expect(setMessage(readBack)).toEqual(setMessage(queued));
  });

  it("publishes one change alone under its own id, several of a contact together under the first one's", () => {
    const queued = queuedByOneBatch();
    expect(queued.length).toBeGreaterThan(2);
    expect(setMessage([queued[0]!])).toEqual({ msgId: queued[0]!.msgId, payload: queued[0]!.change });
    const first = queued[0]!.seq;
    // A later change of the message is named by the first one's position and its place in it.
    const ids = queued.map((_, k) => (k === 0 ? `ann~${first}` : `ann~${first}.${k}`));
    expect(setMessage(queued)).toEqual({
      msgId: messageIds.scoreChanges(queued[0]!.msgId),
      payload: {
        v: 1,
        workspaceId: WS,
        contactId: 'ann',
        changes: queued.map((c, k) => ({ ...c.change, changeId: ids[k] })),
      },
    });
  });
});

describe('setsOf', () => {
  it("puts a write's changes in messages of at most CHANGES_PER_MESSAGE, in order", () => {
    const [visit] = queuedByOneBatch();
    const many = Array.from({ length: 2 * CHANGES_PER_MESSAGE + 3 }, (_, i) => ({ ...visit!, seq: i + 1 }));
    const sets = setsOf(many);
    expect(sets.map((set) => set.length)).toEqual([CHANGES_PER_MESSAGE, CHANGES_PER_MESSAGE, 3]);
    expect(sets.flat().map((c) => c.seq)).toEqual(many.map((c) => c.seq));
    expect(setsOf([])).toEqual([]);
  });
});

describe('what lifecycle routes leads on', () => {
  const visit = inputs[0]! as Extract<ScoringInput, { interactionId: string }>;
  const figures = { seq: 20, delta: 5, general: 65, stage: 5, at: AT };

  it('carries the tag scores of the figures and the contact properties of the interaction', () => {
    const withTags = scoreChangeOf(
      { ...visit, properties: { country: 'FR', territory: 'EMEA', url: '/x', plan: 3 } },
      { ...figures, tags: { enterprise: 40 } },
    );
    expect(withTags.change).toMatchObject({
      tags: { enterprise: 40 },
      contactProperties: { country: 'FR', territory: 'EMEA' },
    });
    // A redelivery rebuilds the same change from the stored figures and the same input
    expect(
      promisedSets([figuresOf(withTags)], undefined, [
        { seq: 20, event: { ...visit, properties: { country: 'FR', territory: 'EMEA' } } },
      ]),
    ).toEqual([[withTags]]);
  });

  it('carries nothing for a contact without tags and an interaction without them', () => {
    const plain = scoreChangeOf(visit, figures).change;
    expect(plain).not.toHaveProperty('tags');
    expect(plain).not.toHaveProperty('contactProperties');
  });
});
