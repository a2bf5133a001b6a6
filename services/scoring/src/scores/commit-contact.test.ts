// A write's score changes as messages, against the real database and NATS server of the jest
// global setup: the changes one write makes go out as one ScoreChanges message, and when only
// some of its inputs are redelivered, the message goes out again whole, under the same message
// id, with the changes whose inputs did not come back read from the message's stored document
// (or, for a message stored before messages were stored whole, from their own).
import { databaseName } from '@cei/config';
import {
  contactKey,
  messageIds,
  scoreChangesIn,
  topology,
  type InteractionRecorded,
  type ScoreChanged,
} from '@cei/contracts';
import { appendNew, connectDatabase, loadByIds, writeAtPosition, type Database } from '@cei/mongo';
import { connectNats, ensureStreams, type Nats } from '@cei/nats';
import { testNamespace, testWorkspace, waitFor } from '@cei/testing';
import { scoreDoc, scoringModels, storedChanges, type ScoreChangeDoc, type ScoringModels } from '../models';
import { applyInput, startProgress, type ContactProgress } from '../domain/contact-step';
import { rule } from '../domain/rule-fixtures';
import { isPending } from '../domain/score-change';
import type { ScoringPolicy } from '../domain/score-state';
import { commitContacts, planContact, type CommitDeps } from './commit-contact';
import { emptyScoreDoc } from './load-batch';

describe('a write’s score changes as messages', () => {
  const namespace = testNamespace('changesets');
  const ns = topology(namespace);
  const ws = testWorkspace('changesets');
  let db: Database;
  let models: ScoringModels;
  let nats: Nats;
  let deps: CommitDeps;
  /** Every publish on the contact's subject as it goes over the wire (copies the stream drops included). */
  const wire: { msgId: string; changes: ScoreChanged[] }[] = [];

  const policy: ScoringPolicy = {
    rules: [rule({ ruleId: 'visit', type: 'GENERAL', kind: 'PAGE_VISIT', effect: { general: 5, stage: 0, tags: [] } })],
    halfLifeDays: null,
  };
  const visit = (n: number, workspaceId = ws): InteractionRecorded => ({
    v: 1,
    workspaceId,
    interactionId: `v${n}`,
    contactId: 'ann',
    email: null,
    kind: 'PAGE_VISIT',
    variant: null,
    occurredAt: `2026-12-01T10:00:0${n}.000Z`,
    recordedAt: `2026-12-01T10:00:0${n}.000Z`,
    properties: { country: 'FR' },
  });
  const apply = (progress: ContactProgress, seqs: number[], workspaceId = ws) =>
    seqs.reduce(
      (p, seq) =>
        applyInput(
          p,
          { event: visit(seq, workspaceId), seq },
          { at: new Date('2026-12-01T10:01:00Z'), policy, job: () => null, storedRecords: [], features: new Map() },
        ),
      progress,
    );

  beforeAll(async () => {
    db = await connectDatabase(process.env.MONGO_URL!, databaseName(namespace, 'scoring'), 2);
    models = scoringModels(db.connection);
    nats = await connectNats(process.env.NATS_URL!, 'changesets-test');
    await ensureStreams(nats.jsm, ns);
    nats.nc.subscribe(ns.subjects.scoreChanged(ws, 'ann'), {
      callback: (_err, msg) => {
        wire.push({ msgId: msg.headers?.get('Nats-Msg-Id') ?? '', changes: scoreChangesIn(msg.json()) });
      },
    });
    await nats.nc.flush();
    deps = { db, models, nats, topology: ns, now: () => new Date('2026-12-01T10:01:00Z') };
  });
  afterAll(async () => {
    await nats?.close();
    await db?.connection.db?.dropDatabase();
    await db?.close();
  });

  /** The messages the stream holds for the contact, each as its changes. */
  async function stored(): Promise<ScoreChanged[][]> {
    const subject = ns.subjects.scoreChanged(ws, 'ann');
    const reader = await nats.js.consumers.get(ns.streams.scores.name, { filter_subjects: [subject] });
    const { num_pending: count } = await reader.info(true);
    const messages: ScoreChanged[][] = [];
    if (count > 0) {
      for await (const msg of await reader.fetch({ max_messages: count, expires: 5_000 })) {
        messages.push(scoreChangesIn(msg.json()));
        if (messages.length === count) break;
      }
    }
    await reader.delete();
    return messages;
  }

  it('publishes one write’s changes together, and again whole under the same id when only some inputs come back', async () => {
    // Given three visits of ann scored in one batch (positions 1–3) and committed
    const fresh = emptyScoreDoc(contactKey(ws, 'ann'), ws, 'ann');
    const first = planContact(deps, fresh, apply(startProgress(fresh), [1, 2, 3]), policy);
    await commitContacts(deps, [{ commit: first, usage: null }]);

    // Then one message carries the three, in order, under the first one's id
    await waitFor('the first publish seen', () => wire.length === 1);
    const firstId = messageIds.scoreChanges(messageIds.scoreChanged(ws, 'v1'));
    expect(wire[0]!.msgId).toBe(firstId);
    // (a later change named by the first one's position and its place in the message)
    expect(wire[0]!.changes.map((c) => [c.interactionId, c.general, c.changeId])).toEqual([
      ['v1', 5, 'ann~1'],
      ['v2', 10, 'ann~1.1'],
      ['v3', 15, 'ann~1.2'],
    ]);
    // …stored as one document under the first one's id, holding the three as published
    const docs = await loadByIds(db, models.ScoreChange, [contactKey(ws, 'ann~1'), contactKey(ws, 'ann~2')]);
    expect([...docs.keys()]).toEqual([contactKey(ws, 'ann~1')]);
    expect(storedChanges(docs.get(contactKey(ws, 'ann~1'))!).map((c) => [c.seq, c.changeId, c.general])).toEqual([
      [1, 'ann~1', 5],
      [2, 'ann~1.1', 10],
      [3, 'ann~1.2', 15],
    ]);

    // When the batch is redelivered with only the second visit (the others' acks had arrived)
    const written = scoreDoc(first.row!);
    const again = planContact(deps, written, apply(startProgress(written), [2]), policy);
    await commitContacts(deps, [{ commit: again, usage: null }]);

    // Then the message goes out again whole, the same to the byte of every change, under the same id
    await waitFor('the second publish seen', () => wire.length === 2);
    expect(wire[1]).toEqual(wire[0]);
    // …and the stream keeps it once
    expect(await stored()).toEqual([wire[0]!.changes]);
  });
  it('publishes again whole a message stored before messages were stored whole, its changes read from their own documents', async () => {
    // Given a write of three visits (positions 1–3) as the version before stored it: each change in a
    // document of its own under its own position's id, the score document promising them, nothing published
    const legacy = testWorkspace('changesets-legacy');
    const seen: ScoreChanged[][] = [];
    const subscription = nats.nc.subscribe(ns.subjects.scoreChanged(legacy, 'ann'), {
      callback: (_err, msg) => {
        seen.push(scoreChangesIn(msg.json()));
      },
    });
    await nats.nc.flush();
    const fresh = emptyScoreDoc(contactKey(legacy, 'ann'), legacy, 'ann');
    const first = planContact(deps, fresh, apply(startProgress(fresh), [1, 2, 3], legacy), policy);
    const own: ScoreChangeDoc[] = first.sets
      .flat()
      .filter(isPending)
      .map(({ change, msgId }) => ({
        _id: contactKey(legacy, change.changeId!),
        workspaceId: legacy,
        contactId: 'ann',
        changeId: change.changeId!,
        cause: change.cause,
        interactionId: change.interactionId,
        kind: change.kind,
        delta: change.delta,
        general: change.general,
        stage: change.stage,
        engagementIndex: change.engagementIndex,
        at: new Date(change.at),
        msgId,
        occurredAt: change.occurredAt,
        ...(change.contactProperties ? { contactProperties: change.contactProperties } : {}),
      }));
    expect(own.map((doc) => doc.changeId)).toEqual(['ann~1', 'ann~2', 'ann~3']);
    await appendNew(models.ScoreChange, own);
    await writeAtPosition(db, models.ContactScore, first.row!, 0);

    // When only the second visit is redelivered to this version
    const written = scoreDoc(first.row!);
    const again = planContact(deps, written, apply(startProgress(written), [2], legacy), policy);
    await commitContacts(deps, [{ commit: again, usage: null }]);

    // Then the message goes out whole, the first and third changes read back from their own documents
    await waitFor('the message published', () => seen.length === 1);
    expect(seen[0]!.map((c) => [c.interactionId, c.general, c.changeId, c.contactProperties])).toEqual([
      ['v1', 5, 'ann~1', { country: 'FR' }],
      ['v2', 10, 'ann~1.1', { country: 'FR' }],
      ['v3', 15, 'ann~1.2', { country: 'FR' }],
    ]);
    subscription.unsubscribe();
  });
});
