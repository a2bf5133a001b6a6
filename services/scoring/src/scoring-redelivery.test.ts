// Exactly-once in scoring, forced rather than assumed: a contact's commit fails once
// right after its write (before it publishes) or right after it publishes (before the
// ack), so JetStream really redelivers the batch. The redelivered inputs are at or
// before the stored position: they are not applied again, and what the write promised
// is done again from the document. A sentinel interaction afterwards proves that
// nothing else was published in between.
import { messageIds, partitionOf, scoreChangeId, type ScoreChanged } from '@cei/contracts';
import { publishEvent } from '@cei/nats';
import { testWorkspace, waitFor } from '@cei/testing';
import type { CommitProbe } from './scores/commit-contact';
import { historyOf, scoreOf, startScoringKit, type ScoringKit } from './scoring-test-kit';

const DAY = 86_400_000;

type Seam = 'written' | 'published';
interface Redone {
  key: string;
  seqs: number[];
  changes: number;
  decayCheck: boolean;
}

/** Fails the next commit of one contact once, at one seam; records what redelivered batches did again. */
function commitFaults() {
  let armed: { key: string; seam: Seam } | null = null;
  const failed: { key: string; seam: Seam }[] = [];
  const redone: Redone[] = [];
  const failIfArmed = (key: string, seam: Seam) => {
    if (armed?.key !== key || armed.seam !== seam) return;
    armed = null;
    failed.push({ key, seam });
    throw new Error(`injected by the test: the commit of ${key} fails once it was ${seam}`);
  };
  const probe: CommitProbe = {
    written: (key) => failIfArmed(key, 'written'),
    published: (key) => failIfArmed(key, 'published'),
    redone: (key, what) => void redone.push({ key, ...what }),
  };
  return {
    probe,
    failed,
    redone: (key: string) => redone.filter((r) => r.key === key),
    failOnce(key: string, seam: Seam) {
      armed = { key, seam };
    },
  };
}

/** The named contacts, each but the first replaced by the first name after it in the first's partition. */
function samePartition(ws: string, names: string[]): string[] {
  const partition = partitionOf(ws, names[0]!);
  return names.map((name, i) => {
    if (i === 0) return name;
    for (let k = 0; ; k++) if (partitionOf(ws, `${name}-${k}`) === partition) return `${name}-${k}`;
  });
}

describe('scoring under a real redelivery', () => {
  const faults = commitFaults();
  let kit: ScoringKit;
  beforeAll(async () => {
    kit = await startScoringKit('scoreredeliver', { probe: faults.probe });
  });
  afterAll(() => kit?.stop());

  const rule = async (ws: string, input: Record<string, unknown>) => {
    const response = await kit.gql(
      ws,
      `mutation($input: ScoringRuleInput!) { createScoringRule(input: $input) { id } }`,
      {
        input,
      },
    );
    expect(response.errors).toBeUndefined();
  };

  /** The score changes the SCORES stream stored for the workspace, in stream order, with their message ids. */
  const storedChanges = async (ws: string): Promise<{ msgId: string; change: ScoreChanged }[]> => {
    const subject = kit.ns.subjects.workspaceScoreChanges(ws);
    const info = await kit.nats.jsm.streams.info(kit.ns.streams.scores.name, { subjects_filter: subject });
    const count = Object.values(info.state.subjects ?? {}).reduce((sum, n) => sum + n, 0);
    if (count === 0) return [];
    const reader = await kit.nats.js.consumers.get(kit.ns.streams.scores.name, { filter_subjects: [subject] });
    const stored: { msgId: string; change: ScoreChanged }[] = [];
    for await (const msg of await reader.fetch({ max_messages: count, expires: 5_000 })) {
      stored.push({ msgId: msg.headers?.get('Nats-Msg-Id') ?? '', change: msg.json<ScoreChanged>() });
      if (stored.length === count) break;
    }
    await reader.delete();
    return stored;
  };

  /**
   * Records a sentinel interaction and waits for its change, seen and stored: whatever came before it
   * has arrived. (A subscriber sees a publish as the server fans it out, which may be before the
   * stream has stored it: the stream's count read then would miss it.)
   */
  const sentinel = async (ws: string, contactId: string) => {
    const event = kit.interaction(ws, contactId, 'LIVE_CHAT');
    await kit.record(event);
    await waitFor('the sentinel change', () => kit.changesOf(ws).some((c) => c.interactionId === event.interactionId));
    const msgId = messageIds.scoreChanged(ws, event.interactionId);
    await waitFor('the sentinel change stored', async () => {
      const last = await kit.nats.jsm.streams.getMessage(kit.ns.streams.scores.name, {
        last_by_subj: kit.ns.subjects.scoreChanged(ws, contactId),
      });
      return last?.header.get('Nats-Msg-Id') === msgId;
    });
    return event;
  };

  it('publishes a change once when its commit failed after the write, before the publish', async () => {
    const ws = testWorkspace();
    await rule(ws, { kind: 'PAGE_VISIT', points: 10 });
    faults.failOnce(`${ws}:ann`, 'written');

    const visit = kit.interaction(ws, 'ann', 'PAGE_VISIT');
    await kit.record(visit);
    // The first try failed before publishing: only the redelivered batch can publish it, from the document.
    await waitFor('the change of the visit', () => kit.changesOf(ws).length > 0);
    const last = await sentinel(ws, 'ann');

    expect(faults.failed).toContainEqual({ key: `${ws}:ann`, seam: 'written' });
    expect(faults.redone(`${ws}:ann`)).toEqual([
      { key: `${ws}:ann`, seqs: [expect.any(Number)], changes: 1, decayCheck: false },
    ]);
    expect((await storedChanges(ws)).map(({ msgId, change }) => [msgId, change.general])).toEqual([
      [messageIds.scoreChanged(ws, visit.interactionId), 10],
      [messageIds.scoreChanged(ws, last.interactionId), 10],
    ]);
    expect(kit.changesOf(ws).map((c) => c.interactionId)).toEqual([visit.interactionId, last.interactionId]);
    expect(await scoreOf(kit, ws, 'ann')).toMatchObject({ general: 10, scoredInteractions: 2 });
  });

  it('keeps one copy of a change re-published after its commit failed between the publish and the ack', async () => {
    const ws = testWorkspace();
    await rule(ws, { kind: 'PAGE_VISIT', points: 10 });
    faults.failOnce(`${ws}:bea`, 'published');

    const visit = kit.interaction(ws, 'bea', 'PAGE_VISIT');
    await kit.record(visit);
    // Published by the first try, and again by the redelivered batch: both copies go over the wire.
    await waitFor('the change re-published', () => kit.changesOf(ws).length === 2);
    const last = await sentinel(ws, 'bea');

    expect(faults.failed).toContainEqual({ key: `${ws}:bea`, seam: 'published' });
    expect(faults.redone(`${ws}:bea`)).toEqual([
      { key: `${ws}:bea`, seqs: [expect.any(Number)], changes: 1, decayCheck: false },
    ]);
    expect(kit.changesOf(ws).map((c) => c.interactionId)).toEqual([
      visit.interactionId,
      visit.interactionId,
      last.interactionId,
    ]);
    // The stream dropped the copy by its message id: a consumer (lifecycle) gets the change once.
    expect((await storedChanges(ws)).map(({ msgId }) => msgId)).toEqual([
      messageIds.scoreChanged(ws, visit.interactionId),
      messageIds.scoreChanged(ws, last.interactionId),
    ]);
    expect(await scoreOf(kit, ws, 'bea')).toMatchObject({ general: 10, scoredInteractions: 2 });
  });

  it("scores a pack of several contacts' interactions once each, at the pack's position, when one contact's commit failed and the pack came back", async () => {
    const ws = testWorkspace();
    await rule(ws, { kind: 'PAGE_VISIT', points: 10 });
    const [ann, bob, cy] = samePartition(ws, ['pack-ann', 'pack-bob', 'pack-cy']) as [string, string, string];
    faults.failOnce(`${ws}:${bob}`, 'written');

    // One message with a visit of each, as ingestion packs an accept call's visits of known contacts
    const visits = [ann, bob, cy].map((contactId) => kit.interaction(ws, contactId, 'PAGE_VISIT'));
    const pack = await publishEvent(
      kit.nats.js,
      kit.ns.subjects.interactionRecorded(ws, ann, 'recorded'),
      { v: 1, workspaceId: ws, interactions: visits },
      `test-pack:${ws}`,
    );
    await waitFor("every member's change", () => kit.changesOf(ws).length >= 3);
    const last = await sentinel(ws, ann);

    // bob's first try failed after its write: JetStream redelivered the pack, and each member, at
    // the position its contact's write recorded, was not applied again: what the write promised
    // was done again from the document (its publish dropped by its message id)
    expect(faults.failed).toContainEqual({ key: `${ws}:${bob}`, seam: 'written' });
    for (const contactId of [ann, bob, cy]) {
      expect(faults.redone(`${ws}:${contactId}`)).toEqual([
        { key: `${ws}:${contactId}`, seqs: [pack.seq], changes: 1, decayCheck: false },
      ]);
    }
    const stored = await storedChanges(ws);
    for (const [i, contactId] of [ann, bob, cy].entries()) {
      // One change each, named by the pack's position
      expect(stored.filter(({ change }) => change.interactionId === visits[i]!.interactionId)).toEqual([
        {
          msgId: messageIds.scoreChanged(ws, visits[i]!.interactionId),
          change: expect.objectContaining({ contactId, general: 10, changeId: scoreChangeId(contactId, pack.seq) }),
        },
      ]);
    }
    expect(stored.at(-1)?.change.interactionId).toBe(last.interactionId);
    expect(await scoreOf(kit, ws, ann)).toMatchObject({ general: 10, scoredInteractions: 2 });
    expect(await scoreOf(kit, ws, bob)).toMatchObject({ general: 10, scoredInteractions: 1 });
    expect(await scoreOf(kit, ws, cy)).toMatchObject({ general: 10, scoredInteractions: 1 });
  });

  it('counts a redelivered decay check once, under the id of its stream position, and schedules the next', async () => {
    const ws = testWorkspace();
    await rule(ws, { kind: 'PURCHASE', points: 80 });
    await kit.gql(ws, `mutation { updateScoringSettings(input: { halfLifeDays: 10 }) { halfLifeDays } }`);
    await kit.record(kit.interaction(ws, 'cid', 'PURCHASE', { properties: { amount: 50 } }));
    await waitFor('purchase scored', async () => (await scoreOf(kit, ws, 'cid')).scoredInteractions === 1);

    kit.advance(10 * DAY);
    try {
      faults.failOnce(`${ws}:cid`, 'written');
      await kit.request({ v: 1, request: 'DECAY_CHECK', workspaceId: ws, contactId: 'cid' }, `decay-check-${ws}`);
      await waitFor('the decay change', () => kit.changesOf(ws, 'cid').some((c) => c.cause === 'DECAY'));
      await sentinel(ws, 'cid');

      const [redone] = faults.redone(`${ws}:cid`);
      // The check's write recorded the next check: the redelivered batch scheduled it again.
      expect(redone).toEqual({ key: `${ws}:cid`, seqs: [expect.any(Number)], changes: 1, decayCheck: true });
      const stored = await storedChanges(ws);
      expect(stored.map(({ change }) => change.cause)).toEqual(['INTERACTION', 'DECAY', 'INTERACTION']);
      expect(stored[1]!.msgId).toBe(messageIds.scoreDecayed(ws, 'cid', redone!.seqs[0]!));
      expect(stored[1]!.change.general).toBeCloseTo(40, 3);
      // Once in the history: the half that ten days took (the sentinel adds the decay of a few milliseconds).
      const decays = (await historyOf(kit, ws, 'cid')).filter((e) => e.cause === 'DECAY' && !e.pending);
      expect(decays.filter((e) => e.general < -1).map((e) => Math.round(e.general))).toEqual([-40]);
      expect((await scoreOf(kit, ws, 'cid')).general).toBeCloseTo(40, 2);
      const schedule = await kit.nats.jsm.streams.getMessage(kit.ns.streams.interactions.name, {
        last_by_subj: kit.ns.subjects.decayCheckSchedule(ws, 'cid'),
      });
      // The server's schedule runs on the real clock: the next check is as far ahead of it as its due
      // time is ahead of scoring's clock (40 losing 10% takes 10 days × log2(1/0.9) ≈ 1.5 days), not 10 days off.
      const due = Date.parse(schedule!.header.get('Nats-Schedule').replace('@at ', ''));
      expect(due).toBeGreaterThan(Date.now());
      expect(due).toBeLessThan(Date.now() + 10 * DAY * Math.log2(1 / 0.9));
    } finally {
      kit.advance(-10 * DAY);
    }
  });
});
