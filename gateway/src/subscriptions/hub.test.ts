// The hub against a real nats-server (NATS_URL from the jest global setup, or one
// started here). The event query executor is the hub's injected dependency: these
// tests watch what it is asked and answer like the gateway would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'graphql';
import { startNats, testNamespace, testWorkspace, type RunningServer } from '@cei/testing';
import { INTERNAL_MESSAGE, topology, type CallerContext, type Phase } from '@cei/contracts';
import { createLogger } from '@cei/config';
import { connectNats, ensureStreams, type Nats } from '@cei/nats';
import {
  createSubscriptionHub,
  type ReplayWindow,
  type EventQueryRequest,
  type SubscriptionHub,
  type SubscriptionResult,
} from './hub';
import { natsEventBus } from './nats-bus';
import { planSubscription } from './plan';
import { testApiSchema } from './test-schema';

const log = createLogger('hub-test', 'silent');
let server: RunningServer | undefined;
let dataDir: string | undefined;
let nats: Nats;
const ns = testNamespace('hub');
const subjects = topology(ns).subjects;

beforeAll(async () => {
  let url = process.env.NATS_URL;
  if (!url) {
    dataDir = mkdtempSync(join(tmpdir(), 'cei-hub-test-'));
    server = await startNats({ dataDir });
    url = server.url;
  }
  nats = await connectNats(url, 'hub-test');
  await ensureStreams(nats.jsm, topology(ns));
});

afterAll(async () => {
  await nats?.close();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

interface Harness {
  hub: SubscriptionHub;
  calls: { caller: CallerContext; request: EventQueryRequest }[];
  workspaceId: string;
  caller: CallerContext;
  /** Publishes as lifecycle does (JetStream, message id from the transition); resolves with the stream position. */
  publish(transitionId: string, to: Phase, contactId?: string): Promise<number>;
}

type Answer = (request: EventQueryRequest) => Promise<SubscriptionResult>;

/** By default the payload is just the event's id, where the event query puts it. */
const echo: Answer = async (request) => ({ data: { phaseTransition: { id: request.variables.__eventId } } });

function setUp(answer: Answer = echo, queueCapacity?: number, replayWindow?: ReplayWindow): Harness {
  const workspaceId = testWorkspace('hub');
  const calls: Harness['calls'] = [];
  const hub = createSubscriptionHub({
    bus: natsEventBus(nats, log),
    topology: topology(ns),
    log,
    queueCapacity,
    replayWindow,
    execute: async (caller, request) => {
      calls.push({ caller, request });
      return answer(request);
    },
  });
  const publish = async (transitionId: string, to: Phase, contactId = 'c-1') => {
    const ack = await nats.js.publish(
      subjects.phaseChanged(workspaceId, contactId),
      JSON.stringify({
        v: 1,
        workspaceId,
        contactId,
        transitionId,
        from: 'NURTURE',
        to,
        half: 'PROSPECT',
        reason: 'score rose',
        at: new Date().toISOString(),
      }),
      { msgID: `pc:${workspaceId}:${transitionId}` },
    );
    return ack.seq;
  };
  return { hub, calls, workspaceId, caller: { workspaceId, role: 'read', traceId: 'conn-1' }, publish };
}

function plan(query: string, variables?: Record<string, unknown>) {
  return planSubscription({ schema: testApiSchema, document: parse(query), variables });
}

describe('subscription hub', () => {
  it('turns a matching event into the subscriber-shaped result of its event query', async () => {
    const { hub, calls, caller, publish } = setUp();
    const stream = await hub.subscribe(
      caller,
      plan('subscription { hot: phaseChanged(filter: { phases: [PURCHASE] }) { id } }'),
    );

    await publish('t-1', 'NURTURE');
    await publish('t-2', 'PURCHASE');
    const first = await stream.next();

    expect(first.value).toMatchObject({ data: { hot: { id: 't-2' } } });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.request.variables).toEqual({ __eventId: 't-2' });
    expect(calls[0]!.request.operationName).toBe('CEI_SubscriptionEvent');
    expect(calls[0]!.caller).toMatchObject({ workspaceId: caller.workspaceId, role: 'read' });
    await stream.return(undefined);
  });

  it('delivers an event its producer re-published (a redelivered batch) once', async () => {
    const { hub, calls, caller, publish } = setUp();
    const stream = await hub.subscribe(caller, plan('subscription { phaseChanged { id } }'));

    await publish('t-1', 'PURCHASE');
    await publish('t-1', 'PURCHASE'); // a redelivered batch publishes it again: the stream drops the copy
    await publish('t-2', 'RETENTION'); // sentinel
    expect((await stream.next()).value).toMatchObject({ data: { phaseChanged: { id: 't-1' } } });
    expect((await stream.next()).value).toMatchObject({ data: { phaseChanged: { id: 't-2' } } });

    expect(calls.map((c) => c.request.variables.__eventId)).toEqual(['t-1', 't-2']);
    await stream.return(undefined);
  });

  it('never delivers another workspace’s events', async () => {
    const mine = setUp();
    const other = setUp();
    const stream = await mine.hub.subscribe(mine.caller, plan('subscription { phaseChanged { id } }'));

    await other.publish('theirs', 'EXIT');
    await mine.publish('mine', 'EXIT');

    expect((await stream.next()).value).toMatchObject({ data: { phaseChanged: { id: 'mine' } } });
    expect(mine.calls.map((call) => call.request.variables.__eventId)).toEqual(['mine']);
    await stream.return(undefined);
  });

  it('runs the event query once for subscribers that share a plan, and shares one NATS subscription', async () => {
    const { hub, calls, caller, publish } = setUp();
    const query = 'subscription ($c: [ID!]) { phaseChanged(filter: { contactIds: $c }) { id } }';
    const a = await hub.subscribe(caller, plan(query, { c: ['c-1'] }));
    const b = await hub.subscribe({ ...caller, traceId: 'conn-2' }, plan(query, { c: ['c-1', 'c-2'] }));

    await publish('t-1', 'PURCHASE', 'c-1');
    const [fromA, fromB] = await Promise.all([a.next(), b.next()]);

    expect(fromA.value).toEqual(fromB.value);
    expect(calls).toHaveLength(1);
    expect(hub.stats()).toEqual({ channels: 1, subscribers: 2 });
    await a.return(undefined);
    expect(hub.stats()).toEqual({ channels: 1, subscribers: 1 });
    await b.return(undefined);
    expect(hub.stats()).toEqual({ channels: 0, subscribers: 0 });
  });

  it('applies each subscriber’s own filter when subscribers share a selection', async () => {
    const { hub, calls, caller, publish } = setUp();
    const query = 'subscription ($c: [ID!]) { phaseChanged(filter: { contactIds: $c }) { id } }';
    const onlyC1 = await hub.subscribe(caller, plan(query, { c: ['c-1'] }));
    const onlyC2 = await hub.subscribe({ ...caller, traceId: 'conn-2' }, plan(query, { c: ['c-2'] }));
    const sameAsFirst = await hub.subscribe({ ...caller, traceId: 'conn-3' }, plan(query, { c: ['c-1'] }));

    await publish('t-2', 'PURCHASE', 'c-2');
    await publish('t-1', 'PURCHASE', 'c-1');

    expect((await onlyC1.next()).value).toMatchObject({ data: { phaseChanged: { id: 't-1' } } });
    expect((await sameAsFirst.next()).value).toMatchObject({ data: { phaseChanged: { id: 't-1' } } });
    expect((await onlyC2.next()).value).toMatchObject({ data: { phaseChanged: { id: 't-2' } } });
    expect(calls.map((call) => call.request.variables.__eventId)).toEqual(['t-2', 't-1']);
    await Promise.all([onlyC1, onlyC2, sameAsFirst].map((stream) => stream.return(undefined)));
  });

  it('delivers results in event order even when an earlier query is slower', async () => {
    const { hub, caller, publish } = setUp(async (request) => {
      if (request.variables.__eventId === 'slow') await new Promise((resolve) => setTimeout(resolve, 100));
      return { data: { phaseTransition: { id: request.variables.__eventId } } };
    });
    const stream = await hub.subscribe(caller, plan('subscription { phaseChanged { id } }'));

    await publish('slow', 'PURCHASE');
    await publish('fast', 'PURCHASE');

    expect((await stream.next()).value).toMatchObject({ data: { phaseChanged: { id: 'slow' } } });
    expect((await stream.next()).value).toMatchObject({ data: { phaseChanged: { id: 'fast' } } });
    await stream.return(undefined);
  });

  it('pushes results to sinks in event order, with their JSON: one execution and one shared result per event for subscribers of one plan', async () => {
    const { hub, calls, caller, publish } = setUp(async (request) => {
      if (request.variables.__eventId === 'slow') await new Promise((resolve) => setTimeout(resolve, 100));
      return { data: { phaseTransition: { id: request.variables.__eventId } } };
    });
    const sent: { subscriber: number; result: SubscriptionResult; json: string }[][] = [[], [], []];
    let ended = 0;
    const sinkFor = (subscriber: number) => ({
      send: (result: SubscriptionResult, json: string) => void sent[subscriber]!.push({ subscriber, result, json }),
      whenWritable: async () => undefined,
      end: () => void ended++,
    });
    const query = 'subscription { phaseChanged { id } }';
    const streams = await Promise.all(
      [0, 1, 2].map((n) => hub.subscribe({ ...caller, traceId: `conn-${n}` }, plan(query), { sink: sinkFor(n) })),
    );

    await publish('slow', 'PURCHASE');
    await publish('fast', 'PURCHASE');
    for (let waited = 0; sent.some((results) => results.length < 2) && waited < 100; waited++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    expect(calls.map((call) => call.request.variables.__eventId)).toEqual(['slow', 'fast']);
    for (const results of sent) {
      expect(results.map(({ result }) => result.data)).toEqual([
        { phaseChanged: { id: 'slow' } },
        { phaseChanged: { id: 'fast' } },
      ]);
      expect(results.map(({ json }) => JSON.parse(json))).toEqual(results.map(({ result }) => result));
    }
    // The same result object for every subscriber (its JSON is computed once, on it).
    expect(sent[1]![0]!.result).toBe(sent[0]![0]!.result);
    expect(sent[2]![1]!.result).toBe(sent[0]![1]!.result);
    // A pushed stream only ends.
    const next = streams[0]!.next();
    await streams[0]!.return(undefined);
    await expect(next).resolves.toEqual({ value: undefined, done: true });
    expect(ended).toBe(1);
    await Promise.all(streams.map((stream) => stream.return(undefined)));
    expect(hub.stats()).toEqual({ channels: 0, subscribers: 0 });
  });

  it('reports failures as GraphQL errors on the stream and keeps it open', async () => {
    const { hub, calls, caller, publish } = setUp(async (request) => {
      if (request.variables.__eventId === 'boom') throw new Error('subgraph exploded');
      if (request.variables.__eventId === 'gone') return { data: { phaseTransition: null } };
      return { data: { phaseTransition: { id: request.variables.__eventId } } };
    });
    const stream = await hub.subscribe(caller, plan('subscription { phaseChanged { id } }'));

    await publish('boom', 'EXIT');
    await publish('gone', 'EXIT');
    await publish('fine', 'EXIT');

    expect((await stream.next()).value).toMatchObject({
      data: null,
      errors: [
        {
          message: INTERNAL_MESSAGE,
          extensions: {
            code: 'INTERNAL_SERVER_ERROR',
            traceId: calls.find((call) => call.request.variables.__eventId === 'boom')!.caller.traceId,
          },
        },
      ],
    });
    expect((await stream.next()).value).toMatchObject({ data: null, errors: [{ extensions: { code: 'NOT_FOUND' } }] });
    expect((await stream.next()).value).toMatchObject({ data: { phaseChanged: { id: 'fine' } } });
    await stream.return(undefined);
  });

  it('ends a waiting stream at once when the subscriber leaves', async () => {
    const { hub, caller } = setUp();
    const stream = await hub.subscribe(caller, plan('subscription { phaseChanged { id } }'));

    const waiting = stream.next();
    await stream.return(undefined);

    await expect(waiting).resolves.toEqual({ value: undefined, done: true });
    expect(hub.stats().channels).toBe(0);
  });

  it('closes a subscriber that does not keep up, and only that one', async () => {
    const { hub, caller, publish } = setUp(undefined, 2);
    let overflowed = 0;
    const slow = await hub.subscribe(caller, plan('subscription { phaseChanged { id } }'), {
      onOverflow: () => overflowed++,
    });
    const fast = await hub.subscribe({ ...caller, traceId: 'conn-2' }, plan('subscription { phaseChanged { id } }'));

    // The slow one never reads; the fast one reads each result as it comes.
    for (const id of ['t-1', 't-2', 't-3']) {
      await publish(id, 'EXIT');
      expect((await fast.next()).value).toMatchObject({ data: { phaseChanged: { id } } });
    }

    expect(overflowed).toBe(1);
    await expect(slow.next()).resolves.toEqual({ value: undefined, done: true });
    await publish('t-4', 'EXIT');
    expect((await fast.next()).value).toMatchObject({ data: { phaseChanged: { id: 't-4' } } });
    expect(hub.stats().subscribers).toBe(1);
    await fast.return(undefined);
  });

  it('gives a subscriber resuming after an event id what it missed, then live events, none twice', async () => {
    const { hub, caller, publish } = setUp();
    const first = await hub.subscribe(caller, plan('subscription { phaseChanged { id } }'));
    await publish('t-1', 'PURCHASE');
    const seen = (await first.next()).value!;
    expect(seen).toMatchObject({ data: { phaseChanged: { id: 't-1' } } });
    const eventId = seen.extensions!.eventId as string;
    await first.return(undefined);

    // Missed while away (another workspace's event in between must not come back)
    await setUp().publish('theirs', 'EXIT');
    await publish('t-2', 'EXIT');
    await publish('t-3', 'EXIT');
    const resumed = await hub.subscribe(
      caller,
      plan('subscription ($after: ID) { phaseChanged(after: $after) { id } }', { after: eventId }),
    );
    await publish('t-4', 'EXIT');
    await publish('t-5', 'EXIT'); // sentinel

    const ids: unknown[] = [];
    while (ids.at(-1) !== 't-5') ids.push(((await resumed.next()).value!.data!.phaseChanged as { id: string }).id);
    expect(ids).toEqual(['t-2', 't-3', 't-4', 't-5']);
    await resumed.return(undefined);
  });

  it('delivers each change of a message of several at its own position, and resumes after any of them', async () => {
    const { hub, caller, workspaceId } = setUp(async (request) => ({
      data: { scoreChange: { id: request.variables.__eventId } },
    }));
    const change = (n: number) => ({
      v: 1,
      workspaceId,
      contactId: 'ann',
      cause: 'INTERACTION',
      interactionId: `i${n}`,
      kind: 'PAGE_VISIT',
      occurredAt: new Date().toISOString(),
      delta: 1,
      general: n,
      stage: n,
      engagementIndex: n,
      at: new Date().toISOString(),
      changeId: `ann~${n}`,
    });
    const publishChanges = async (...ns: number[]) => {
      const payload =
        ns.length === 1 ? change(ns[0]!) : { v: 1, workspaceId, contactId: 'ann', changes: ns.map(change) };
      const ack = await nats.js.publish(subjects.scoreChanged(workspaceId, 'ann'), JSON.stringify(payload), {
        msgID: `sm:${workspaceId}:${ns.join(',')}`,
      });
      return ack.seq;
    };
    const read = async (stream: AsyncIterator<SubscriptionResult>) => {
      const result = (await stream.next()).value as SubscriptionResult;
      return [(result.data!.scoreChanged as { id: string }).id, result.extensions!.eventId];
    };
    const live = await hub.subscribe(caller, plan('subscription { scoreChanged { id } }'));

    // Given three changes of one contact in one message
    const seq = await publishChanges(1, 2, 3);
    // Then each is a result of its own, at the message's position and 1/1024 apart after it
    const three = [await read(live), await read(live), await read(live)];
    expect(three).toEqual([
      ['ann~1', String(seq)],
      ['ann~2', String(seq + 1 / 1024)],
      ['ann~3', String(seq + 2 / 1024)],
    ]);
    await live.return(undefined);

    // When a subscriber resumes after the second, and a change follows
    const resumed = await hub.subscribe(
      caller,
      plan('subscription ($after: ID) { scoreChanged(after: $after) { id } }', { after: three[1]![1] }),
    );
    const sentinel = await publishChanges(4);
    // Then it gets the third, then the one that followed: none twice
    expect(await read(resumed)).toEqual(['ann~3', String(seq + 2 / 1024)]);
    expect(await read(resumed)).toEqual(['ann~4', String(sentinel)]);
    await resumed.return(undefined);
  });

  it('refuses a resume beyond the replay window with REPLAY_WINDOW_EXCEEDED, and an unknown id as bad input', async () => {
    const { hub, caller, publish } = setUp(undefined, undefined, { maxAgeMs: 24 * 3600_000, maxEvents: 2 });
    const after = await publish('t-1', 'EXIT');
    for (const id of ['t-2', 't-3', 't-4']) await publish(id, 'EXIT');
    const resume = (eventId: string) =>
      hub.subscribe(caller, plan('subscription ($a: ID) { phaseChanged(after: $a) { id } }', { a: eventId }));

    await expect(resume(String(after))).rejects.toMatchObject({ code: 'REPLAY_WINDOW_EXCEEDED' });
    const theirs = await setUp().publish('theirs', 'EXIT');
    await expect(resume(String(theirs))).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(hub.stats()).toEqual({ channels: 0, subscribers: 0 });
  });

  it('stop() completes every stream', async () => {
    const { hub, caller } = setUp();
    const stream = await hub.subscribe(caller, plan('subscription { phaseChanged { id } }'));

    hub.stop();

    await expect(stream.next()).resolves.toEqual({ value: undefined, done: true });
  });
});
