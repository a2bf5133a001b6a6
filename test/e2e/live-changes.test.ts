// Score changes live through the federated graph, end to end: graphql-ws and SSE
// subscribers on two gateway processes, a reconnect that resumes where it left off,
// a resume beyond the replay window, a subscriber too slow to keep up, and workspaces
// that never see each other's events.
import WebSocket from 'ws';
import { databaseName } from '@cei/config';
import { connectDatabase, type Database } from '@cei/mongo';
import { testNamespace, waitFor } from '@cei/testing';
import { createWorkspace, type WorkspaceKeys } from '@cei/gateway/src/auth/api-keys';
import { startPlatform, type Platform } from '../src/platform';
import { gql, subscribe } from '../src/gateway-client';
import { subscribeOverSse, type SseSubscription } from '../src/sse-client';

/**
 * Small on purpose: an SSE reader is cut after 50 unread results, while a reader that keeps reading on a
 * busy CI machine (results resolved in clumps) is not; a graphql-ws socket is closed once it holds more
 * than SUBSCRIPTION_BUFFER_BYTES (1 MiB) unsent (the stalled reader's burst is 200 results of ~100 KB,
 * its sockets' kernel buffers take ~40); a resume reaches 20 events back.
 */
const BUFFER = 50;
const REPLAY_EVENTS = 20;
const CLOSE_SLOW_SUBSCRIBER = 4008;

type Change = {
  scoreChanged: {
    id: string;
    interactionId: string | null;
    delta: number;
    general: number;
    cause: string;
    contact: { id: string; email: string | null; phase: string };
  };
};

const CHANGES = /* GraphQL */ `
  subscription ($filter: ScoreChangedFilter, $after: ID) {
    scoreChanged(filter: $filter, after: $after) {
      id
      interactionId
      delta
      general
      cause
      contact {
        id
        email
        phase
      }
    }
  }
`;
const TRACK = /* GraphQL */ `
  mutation Track($interactions: [InteractionInput!]!) {
    trackInteractions(interactions: $interactions) {
      accepted
    }
  }
`;

describe('score changes, live through the federated graph', () => {
  let platform: Platform;
  let gatewayDb: Database;
  const live: { dispose(): unknown }[] = [];

  beforeAll(async () => {
    const namespace = testNamespace('e2e-live');
    platform = await startPlatform({
      natsUrl: process.env.NATS_URL!,
      mongoUrl: process.env.MONGO_URL!,
      namespace,
      gateways: 2,
      env: {
        SUBSCRIPTION_BUFFER: String(BUFFER),
        SUBSCRIPTION_REPLAY_EVENTS: String(REPLAY_EVENTS),
        // The slow subscriber selects a contact's history three times over (large payloads),
        // and stalls longer than graphql-ws's keep-alive would let a socket answer no ping.
        MAX_QUERY_COST: '1000000',
        WS_KEEPALIVE_MS: '600000',
      },
    });
    gatewayDb = await connectDatabase(process.env.MONGO_URL!, databaseName(namespace, 'gateway'));
  }, 90_000);
  afterAll(async () => {
    await Promise.all(live.map((s) => s.dispose()));
    await gatewayDb?.close();
    await platform?.stop();
  });

  const http = (i = 0) => platform.gateways[i]!.httpUrl;
  const ws = (i = 0) => platform.gateways[i]!.wsUrl;
  const watch = <T = Change>(i: number, key: string, query = CHANGES, variables: Record<string, unknown> = {}) => {
    const subscription = subscribe<T>(ws(i), key, query, variables);
    live.push(subscription);
    return subscription;
  };
  const watchOverSse = (i: number, key: string, variables: Record<string, unknown> = {}) => {
    const subscription = subscribeOverSse<Change>(http(i), key, CHANGES, variables);
    live.push(subscription);
    return subscription;
  };

  /** A workspace whose EMAIL_CLICK is worth one point, so every click is a score change. */
  async function workspaceWithClicks(): Promise<WorkspaceKeys> {
    const workspace = await createWorkspace(gatewayDb.connection);
    const created = await gql(
      http(),
      workspace.keys.admin,
      `mutation { createScoringRule(input: { kind: EMAIL_CLICK, points: 1 }) { id } }`,
    );
    expect(created.errors).toBeUndefined();
    return workspace;
  }

  async function click(workspace: WorkspaceKeys, contactId: string, ids: string[], email?: string): Promise<void> {
    const interactions = ids.map((id) => ({ id, kind: 'EMAIL_CLICK', contactId, ...(email ? { email } : {}) }));
    const tracked = await gql<{ trackInteractions: { accepted: number } }>(http(), workspace.keys.write, TRACK, {
      interactions,
    });
    expect(tracked.data?.trackInteractions.accepted).toBe(ids.length);
  }

  async function scored(workspace: WorkspaceKeys, contactId: string, count: number): Promise<void> {
    await waitFor(`${contactId} scored ${count} interactions`, async () => {
      const answer = await gql<{ contact: { score: { scoredInteractions: number } } | null }>(
        http(),
        workspace.keys.read,
        `query ($id: ID!) { contact(id: $id) { score { scoredInteractions } } }`,
        { id: contactId },
      );
      return answer.data?.contact?.score.scoredInteractions === count;
    });
  }

  const interactionIds = (results: { data?: Change }[]) => results.map((r) => r.data?.scoreChanged.interactionId);
  const received = (subscription: { results: { data?: Change }[] }, interactionId: string) =>
    subscription.results.some((r) => r.data?.scoreChanged.interactionId === interactionId);

  it('delivers every score change over graphql-ws and SSE on two gateways, with fields of other subgraphs, filtered, and never another workspace’s', async () => {
    // Given two workspaces, a subscriber to everything over graphql-ws on the first gateway,
    // one to ann's changes over SSE on the second, and one of the other workspace
    const acme = await workspaceWithClicks();
    const globex = await workspaceWithClicks();
    const everything = watch(0, acme.keys.read);
    const annOverSse: SseSubscription<Change> = watchOverSse(1, acme.keys.read, {
      filter: { contactIds: ['ann'], minDelta: 1 },
    });
    const theirs = watch(1, globex.keys.read);
    await Promise.all([everything.connected, annOverSse.connected, theirs.connected]);

    // When ann and bob click in acme, then ann again (the sentinel)
    await click(acme, 'ann', ['a1', 'a2'], 'ann@acme.test');
    await click(acme, 'bob', ['b1']);
    await click(acme, 'ann', ['a3']);
    await waitFor('acme’s changes over graphql-ws', () => received(everything, 'a3') && received(annOverSse, 'a3'));
    // and then globex's own (its sentinel), after acme's were delivered everywhere
    await click(globex, 'zed', ['z1']);
    await waitFor('globex’s change', () => received(theirs, 'z1'));

    // Then each subscriber got its changes once, with the contact's fields from ingestion and lifecycle
    expect(everything.results.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(interactionIds(everything.results).sort()).toEqual(['a1', 'a2', 'a3', 'b1']);
    const annChanges = everything.results.map((r) => r.data!.scoreChanged).filter((c) => c.contact.id === 'ann');
    expect(annChanges.map((c) => [c.interactionId, c.delta, c.general, c.cause])).toEqual([
      ['a1', 1, 1, 'INTERACTION'],
      ['a2', 1, 2, 'INTERACTION'],
      ['a3', 1, 3, 'INTERACTION'],
    ]);
    expect(annChanges.every((c) => c.contact.email === 'ann@acme.test' && c.contact.phase === 'NURTURE')).toBe(true);
    // (a change's id: the position of its message's first change, and its place in the message after the first)
    expect(annChanges.every((c) => /^ann~\d+(\.\d+)?$/.test(c.id))).toBe(true);
    expect(new Set(annChanges.map((c) => c.id)).size).toBe(3);
    // SSE on the other gateway: ann's only, the same payloads and the same event ids
    expect(annOverSse.failures).toEqual([]);
    expect(annOverSse.results.map((r) => r.data!.scoreChanged)).toEqual(annChanges);
    const eventIdOf = (results: { data?: Change; extensions?: { eventId?: string } }[], id: string) =>
      results.find((r) => r.data?.scoreChanged.interactionId === id)?.extensions?.eventId;
    expect(eventIdOf(annOverSse.results, 'a2')).toBe(eventIdOf(everything.results, 'a2'));
    // globex saw its own change only
    expect(interactionIds(theirs.results)).toEqual(['z1']);
    expect(everything.results.some((r) => r.data?.scoreChanged.contact.id === 'zed')).toBe(false);
  }, 120_000);

  it('refuses an SSE subscription without a valid key, as over HTTP', async () => {
    const response = await fetch(http(1), {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json', authorization: 'Bearer nope' },
      body: JSON.stringify({ query: CHANGES }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('resumes a reconnecting subscriber on another gateway after the last event id it saw: what it missed, then live events, none twice', async () => {
    // Given a subscriber that saw cat's first change and then dropped
    const acme = await workspaceWithClicks();
    const first = watch(0, acme.keys.read, CHANGES, { filter: { contactIds: ['cat'] } });
    await first.connected;
    await click(acme, 'cat', ['c1']);
    await waitFor('c1', () => received(first, 'c1'));
    const lastSeen = first.results[0]!.extensions!.eventId!;
    await first.dispose();

    // When cat changes twice while it is away
    await click(acme, 'cat', ['c2', 'c3']);
    await scored(acme, 'cat', 3);
    // and it reconnects to the other gateway with the last event id, before cat's next change (the sentinel)
    const resumed = watch(1, acme.keys.read, CHANGES, { filter: { contactIds: ['cat'] }, after: lastSeen });
    await resumed.connected;
    await click(acme, 'cat', ['c4']);
    await waitFor('the sentinel c4', () => received(resumed, 'c4'));

    // Then it got exactly what it missed and what followed, in order
    expect(resumed.failures).toEqual([]);
    expect(interactionIds(resumed.results)).toEqual(['c2', 'c3', 'c4']);
    const eventIds = resumed.results.map((r) => Number(r.extensions!.eventId));
    expect(eventIds).toEqual([...eventIds].sort((a, b) => a - b));
    expect(eventIds[0]).toBeGreaterThan(Number(lastSeen));
  }, 120_000);

  it('refuses a resume beyond the replay window with REPLAY_WINDOW_EXCEEDED, and another workspace’s event id as bad input', async () => {
    // Given a subscriber that saw dan's first change, then more messages than the window holds:
    // the changes of as many other contacts (one contact's changes scored together share one)
    const acme = await workspaceWithClicks();
    const first = watch(0, acme.keys.read);
    await first.connected;
    await click(acme, 'dan', ['d0']);
    await waitFor('d0', () => received(first, 'd0'));
    const lastSeen = first.results[0]!.extensions!.eventId!;
    await first.dispose();
    const others = Array.from({ length: REPLAY_EVENTS + 5 }, (_, n) => `dan${n + 1}`);
    for (const contactId of others) await click(acme, contactId, [`${contactId}-click`]);
    for (const contactId of others) await scored(acme, contactId, 1);

    // When it resumes after that event
    const late = watch(1, acme.keys.read, CHANGES, { after: lastSeen });
    // and someone of another workspace passes the same event id
    const globex = await workspaceWithClicks();
    const stranger = watch(1, globex.keys.read, CHANGES, { after: lastSeen });

    // Then the first is told the window is exceeded, the stranger that it is no event id of theirs
    const [lateError] = await waitFor('late refused', () => late.failures.length > 0 && late.failures);
    expect(lateError).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'REPLAY_WINDOW_EXCEEDED' }) }),
    ]);
    const [strangerError] = await waitFor('stranger refused', () => stranger.failures.length > 0 && stranger.failures);
    expect(strangerError).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    ]);
    expect(late.results).toEqual([]);
    expect(stranger.results).toEqual([]);
  }, 120_000);

  it('closes a subscriber that stops reading with 4008 while a fast one on the same gateway receives every change', async () => {
    // Given a contact with a long history, so that each slow payload is large
    const hooli = await workspaceWithClicks();
    const history = Array.from({ length: 200 }, (_, n) => `h${n}`);
    await click(hooli, 'eve', history);
    await scored(hooli, 'eve', history.length);
    const fast = watch<Change>(0, hooli.keys.read);
    // ~100 KB per change: a stalled reader's sockets take ~4 MB before the gateway's sends wait.
    const historyPage =
      'scoreHistory(first: 200) { entries { cause at interactionId kind ruleId general stage cursor } }';
    const aliases = Array.from({ length: 3 }, (_, n) => `h${n}: ${historyPage}`).join(' ');
    const slow = rawSubscriber(ws(0), hooli.keys.read, `subscription { scoreChanged { id contact { ${aliases} } } }`);
    live.push(slow);
    await fast.connected;
    await click(hooli, 'eve', ['warm']);
    await waitFor('both subscribed', () => received(fast, 'warm') && slow.nexts() >= 1, { timeoutMs: 60_000 });

    // When the slow one stops reading while 200 changes come (~20 MB for it: more than the
    // sockets' buffers hold), and reads
    // again once the fast one got them all or the gateway logged that it gave up on the slow one
    const gaveUp = () => platform.output('gateway-1').some((line) => line.includes('slow subscriber closed'));
    slow.pause();
    const readBefore = slow.nexts();
    const burst = Array.from({ length: 200 }, (_, n) => `burst-${n}`);
    await click(hooli, 'eve', burst);
    await waitFor(
      'the fast subscriber got the burst, or the gateway closed the slow one',
      () => gaveUp() || received(fast, burst.at(-1)!),
      {
        timeoutMs: 120_000,
      },
    );
    slow.resume();
    // (Every click is a change; the fast one also counts the changes of eve's history.)
    await waitFor(
      'the slow subscriber closed, or drained',
      () => slow.closed() || slow.nexts() >= fast.results.length,
      {
        timeoutMs: 60_000,
      },
    );

    // Then the slow one was closed with the documented code, having lost none before it
    expect(slow.closed()).toEqual({ code: CLOSE_SLOW_SUBSCRIBER, reason: expect.stringMatching(/slow subscriber/) });
    expect(slow.nexts() - readBefore).toBeLessThan(burst.length);
    // and the fast one got every change, once, up to a sentinel sent after the close
    await click(hooli, 'eve', ['sentinel']);
    await waitFor('the sentinel', () => received(fast, 'sentinel'), { timeoutMs: 60_000 });
    expect(fast.results.flatMap((r) => r.errors ?? [])).toEqual([]);
    const ids = interactionIds(fast.results).filter(
      (id) => id === 'warm' || id === 'sentinel' || id?.startsWith('burst-'),
    );
    expect(ids).toEqual(['warm', ...burst, 'sentinel']);
  }, 300_000);
});

/** A graphql-ws client that can stop reading its socket (ws's pause), as a stalled consumer does. */
function rawSubscriber(url: string, apiKey: string, query: string) {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  let nexts = 0;
  let closed: { code: number; reason: string } | undefined;
  socket.on('open', () =>
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${apiKey}` } })),
  );
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string };
    if (message.type === 'connection_ack') {
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
    }
    if (message.type === 'next') nexts++;
  });
  socket.on('close', (code, reason) => (closed = { code, reason: String(reason) }));
  return {
    nexts: () => nexts,
    closed: () => closed,
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    dispose: () => socket.terminate(),
  };
}
