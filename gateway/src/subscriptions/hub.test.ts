// The hub against a real nats-server (NATS_URL from the jest global setup, or one
// started here). The event query executor is the hub's injected dependency: these
// tests watch what it is asked and answer like the gateway would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'graphql';
import { startNats, testNamespace, testWorkspace, waitFor, type RunningServer } from '@cei/testing';
import { INTERNAL_MESSAGE, topology, type CallerContext, type Phase } from '@cei/contracts';
import { createLogger } from '@cei/config';
import { connectNats, type Nats } from '@cei/nats';
import { createSubscriptionHub, type EventQueryRequest, type SubscriptionHub, type SubscriptionResult } from './hub';
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
  publish(transitionId: string, to: Phase, contactId?: string): void;
}

type Answer = (request: EventQueryRequest) => Promise<SubscriptionResult>;

/** By default the payload is just the event's id, where the event query puts it. */
const echo: Answer = async (request) => ({ data: { phaseTransition: { id: request.variables.__eventId } } });

function setUp(answer: Answer = echo, queueCapacity?: number): Harness {
  const workspaceId = testWorkspace('hub');
  const calls: Harness['calls'] = [];
  const hub = createSubscriptionHub({
    bus: natsEventBus(nats.nc, log),
    topology: topology(ns),
    log,
    queueCapacity,
    execute: async (caller, request) => {
      calls.push({ caller, request });
      return answer(request);
    },
  });
  const publish = (transitionId: string, to: Phase, contactId = 'c-1') =>
    nats.nc.publish(
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
    );
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

    publish('t-1', 'NURTURE');
    publish('t-2', 'PURCHASE');
    const first = await stream.next();

    expect(first.value).toEqual({ data: { hot: { id: 't-2' } } });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.request.variables).toEqual({ __eventId: 't-2' });
    expect(calls[0]!.request.operationName).toBe('CEI_SubscriptionEvent');
    expect(calls[0]!.caller).toMatchObject({ workspaceId: caller.workspaceId, role: 'read' });
    await stream.return(undefined);
  });

  it('delivers an event its producer re-published (a redelivered batch) once', async () => {
    const { hub, calls, caller, publish } = setUp();
    const stream = await hub.subscribe(caller, plan('subscription { phaseChanged { id } }'));

    publish('t-1', 'PURCHASE');
    publish('t-1', 'PURCHASE'); // the copy core NATS delivers although JetStream dropped it
    publish('t-2', 'RETENTION'); // sentinel
    expect((await stream.next()).value).toEqual({ data: { phaseChanged: { id: 't-1' } } });
    expect((await stream.next()).value).toEqual({ data: { phaseChanged: { id: 't-2' } } });

    expect(calls.map((c) => c.request.variables.__eventId)).toEqual(['t-1', 't-2']);
    await stream.return(undefined);
  });

  it('never delivers another workspace’s events', async () => {
    const mine = setUp();
    const other = setUp();
    const stream = await mine.hub.subscribe(mine.caller, plan('subscription { phaseChanged { id } }'));

    other.publish('theirs', 'EXIT');
    mine.publish('mine', 'EXIT');

    expect((await stream.next()).value).toEqual({ data: { phaseChanged: { id: 'mine' } } });
    expect(mine.calls.map((call) => call.request.variables.__eventId)).toEqual(['mine']);
    await stream.return(undefined);
  });

  it('runs the event query once for subscribers that share a plan, and shares one NATS subscription', async () => {
    const { hub, calls, caller, publish } = setUp();
    const query = 'subscription ($c: [ID!]) { phaseChanged(filter: { contactIds: $c }) { id } }';
    const a = await hub.subscribe(caller, plan(query, { c: ['c-1'] }));
    const b = await hub.subscribe({ ...caller, traceId: 'conn-2' }, plan(query, { c: ['c-1', 'c-2'] }));

    publish('t-1', 'PURCHASE', 'c-1');
    const [fromA, fromB] = await Promise.all([a.next(), b.next()]);

    expect(fromA.value).toEqual(fromB.value);
    expect(calls).toHaveLength(1);
    expect(hub.stats()).toEqual({ channels: 1, subscribers: 2 });
    await a.return(undefined);
    expect(hub.stats()).toEqual({ channels: 1, subscribers: 1 });
    await b.return(undefined);
    expect(hub.stats()).toEqual({ channels: 0, subscribers: 0 });
  });

  it('delivers results in event order even when an earlier query is slower', async () => {
    const { hub, caller, publish } = setUp(async (request) => {
      if (request.variables.__eventId === 'slow') await new Promise((resolve) => setTimeout(resolve, 100));
      return { data: { phaseTransition: { id: request.variables.__eventId } } };
    });
    const stream = await hub.subscribe(caller, plan('subscription { phaseChanged { id } }'));

    publish('slow', 'PURCHASE');
    publish('fast', 'PURCHASE');

    expect((await stream.next()).value).toEqual({ data: { phaseChanged: { id: 'slow' } } });
    expect((await stream.next()).value).toEqual({ data: { phaseChanged: { id: 'fast' } } });
    await stream.return(undefined);
  });

  it('reports failures as GraphQL errors on the stream and keeps it open', async () => {
    const { hub, calls, caller, publish } = setUp(async (request) => {
      if (request.variables.__eventId === 'boom') throw new Error('subgraph exploded');
      if (request.variables.__eventId === 'gone') return { data: { phaseTransition: null } };
      return { data: { phaseTransition: { id: request.variables.__eventId } } };
    });
    const stream = await hub.subscribe(caller, plan('subscription { phaseChanged { id } }'));

    publish('boom', 'EXIT');
    publish('gone', 'EXIT');
    publish('fine', 'EXIT');

    expect((await stream.next()).value).toEqual({
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
    expect((await stream.next()).value).toEqual({ data: { phaseChanged: { id: 'fine' } } });
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

  it('drops the oldest results of a subscriber that does not keep up', async () => {
    const { hub, calls, caller, publish } = setUp(undefined, 2);
    const stream = await hub.subscribe(caller, plan('subscription { phaseChanged { id } }'));

    for (const id of ['t-1', 't-2', 't-3', 't-4']) publish(id, 'EXIT');
    // An event is queued in the same tick its query starts, so this means all four are queued.
    await waitFor('the last event routed', () => calls.some((call) => call.request.variables.__eventId === 't-4'));

    expect((await stream.next()).value).toEqual({ data: { phaseChanged: { id: 't-3' } } });
    expect((await stream.next()).value).toEqual({ data: { phaseChanged: { id: 't-4' } } });
    await stream.return(undefined);
  });

  it('stop() completes every stream', async () => {
    const { hub, caller } = setUp();
    const stream = await hub.subscribe(caller, plan('subscription { phaseChanged { id } }'));

    hub.stop();

    await expect(stream.next()).resolves.toEqual({ value: undefined, done: true });
  });
});
