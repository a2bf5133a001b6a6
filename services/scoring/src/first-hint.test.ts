// InteractionRecorded.first lets scoring skip reading the score (and usage) document of a contact
// ingestion has never seen. The hint is only a hint: here an interaction wrongly calls a contact
// new, and the owner that takes it (a fresh instance, which remembers nothing) does not read the
// document. Its first write is then refused by the database, the batch comes back as a real
// redelivery (which carries no hint), and is applied to the document as stored: nothing lost,
// nothing reset.
import { createLogger } from '@cei/config';
import { scoreChangesIn, topology, type InteractionRecorded, type ScoreChanged } from '@cei/contracts';
import { connectNats, publishInteraction, type Nats } from '@cei/nats';
import {
  callSubgraph,
  probeSubject,
  serviceEnv,
  testNamespace,
  testWorkspace,
  waitFor,
  type NatsProbe,
  logSink,
} from '@cei/testing';
import { loadScoringConfig } from './config';
import { startScoring, type Scoring } from './server';

describe('scoring under a wrong first-interaction hint', () => {
  const namespace = testNamespace('scorefirsthint');
  const ns = topology(namespace);
  const config = loadScoringConfig(serviceEnv(namespace, { SCORING_PORT: '0' }));
  let nats: Nats;
  let scoreChanges: NatsProbe<ScoreChanged>;
  let instance: Scoring | undefined;
  const { stream, lines: logLines } = logSink();
  const log = createLogger('scoring', 'warn', stream);

  beforeAll(async () => {
    nats = await connectNats(config.NATS_URL, 'scoring-first-hint-test');
    scoreChanges = await probeSubject<ScoreChanged>(ns.everyWorkspace.scoresChanged, undefined, scoreChangesIn);
  });
  afterAll(async () => {
    await instance?.stop();
    await scoreChanges?.close();
    await nats?.close();
  });

  let counter = 0;
  const visit = (ws: string, first?: boolean): InteractionRecorded => {
    const at = new Date().toISOString();
    return {
      v: 1,
      workspaceId: ws,
      interactionId: `v${++counter}`,
      contactId: 'dan',
      email: null,
      kind: 'PAGE_VISIT',
      variant: null,
      occurredAt: at,
      recordedAt: at,
      properties: {},
      ...(first === undefined ? {} : { first }),
    };
  };
  const record = (event: InteractionRecorded) => publishInteraction(nats.js, ns, event);
  const generalOf = (ws: string) =>
    scoreChanges.events.filter((e) => e.payload.workspaceId === ws).map((e) => e.payload.general);

  it('refuses the first write of a contact that has a score, and applies the interaction to the stored one', async () => {
    const ws = testWorkspace();
    instance = await startScoring(config, log);
    const created = await callSubgraph(
      instance.url,
      { workspaceId: ws, role: 'admin', actor: 'admin-key:test' },
      `mutation { createScoringRule(input: { kind: PAGE_VISIT, points: 5 }) { id } }`,
    );
    expect(created.errors).toBeUndefined();
    // Given a contact scored once on its (rightly marked) first interaction
    await record(visit(ws, true));
    await waitFor('the first score change', () => generalOf(ws).includes(5));
    // and a new owner that remembers nothing of it
    await instance.stop();
    instance = await startScoring(config, log);

    // When an interaction wrongly says it is the contact's first
    await record(visit(ws, true));
    // and a sentinel follows it through the same partition
    await record(visit(ws));
    await waitFor('the sentinel change', () => generalOf(ws).includes(15));

    // Then the wrong hint was taken, and the database refused the write it led to
    expect(logLines.some((l) => l.err?.type === 'StaleStateError')).toBe(true);
    // and the interaction was added to the stored score, not to a fresh one
    expect(generalOf(ws)).toEqual([5, 10, 15]);
  });
});
