// An owner killed mid-stream, on real processes: while two contacts' interactions flow,
// kill -9 the lifecycle instance that owns their partition, later the scoring instance that
// owns it — each found from the consumer's pin, as the instance reports it
// (GET /health?partitions), and each killed while it holds events it has not acknowledged —
// and the surviving instances take over. Each contact ends with exactly the score and the
// phase transitions its interactions make: nothing lost, nothing counted or pushed twice,
// per-contact order kept. The two share a partition and every call, so once both are known
// their visits travel to scoring packed, one of each per message (what scoring's owner holds
// when it is killed).
import { databaseName } from '@cei/config';
import { INTERACTIONS_HEADER, partitionOf, topology } from '@cei/contracts';
import { connectDatabase, type Database } from '@cei/mongo';
import { connectNats, type Nats } from '@cei/nats';
import { testNamespace, waitFor } from '@cei/testing';
import { createWorkspace, type WorkspaceKeys } from '@cei/gateway/src/auth/api-keys';
import { startPlatform, type Platform, type SubgraphInstance, type SubgraphName } from '../src/platform';
import { gql, subscribe, type LiveSubscription } from '../src/gateway-client';

const CONTACT = 'kim';
const POLICY = { purchaseScore: 50, exitScore: 20, hysteresis: 5 };
const POINTS = { PAGE_VISIT: 10, SOCIAL_DISLIKE: -10, PURCHASE: 25 } as const;
type Kind = keyof typeof POINTS;

/**
 * Up across the purchase threshold and back down, four times (any interaction lost, doubled
 * or reordered changes the transitions), then a first purchase: the last interaction, and the
 * sentinel, since only it moves the contact into RETENTION.
 */
const SCRIPT: Kind[] = [
  ...Array.from({ length: 4 }, () => [
    ...Array<Kind>(6).fill('PAGE_VISIT'),
    ...Array<Kind>(6).fill('SOCIAL_DISLIKE'),
  ]).flat(),
  'PURCHASE',
];
/** Interactions of each contact per trackInteractions call: published in order, so an owner gets several at once. */
const PER_CALL = 4;
/** From this call on, the owner in lifecycle is killed once caught holding events; then the one in scoring. */
const KILL_FROM_CALL = 3;
/** One interaction of each of the two contacts per pack. */
const CONTACTS_PER_PACK = 2;

/** What lifecycle must record: the phase rules of the README, applied to the running score. */
function expectedTransitions(): { from: string; to: string; score: number }[] {
  const transitions: { from: string; to: string; score: number }[] = [];
  let phase = 'NURTURE';
  let score = 0;
  for (const kind of SCRIPT) {
    score += POINTS[kind];
    let next = phase;
    if (kind === 'PURCHASE') next = 'RETENTION';
    else if (phase === 'NURTURE' && score >= POLICY.purchaseScore) next = 'PURCHASE';
    else if (phase === 'PURCHASE' && score < POLICY.purchaseScore - POLICY.hysteresis) next = 'NURTURE';
    if (next !== phase) transitions.push({ from: phase, to: next, score });
    phase = next;
  }
  return transitions;
}

const PHASE_CHANGED = /* GraphQL */ `
  subscription {
    phaseChanged {
      id
      from
      to
      score
    }
  }
`;
const CARD = /* GraphQL */ `
  query Card($id: ID!, $after: String) {
    contact(id: $id) {
      interactionCount
      score {
        general
        scoredInteractions
      }
      phase
      phaseHistory {
        id
        from
        to
        score
      }
      notifications {
        phase
      }
      scoreHistory(first: 100, after: $after) {
        entries {
          cause
          interactionId
          general
        }
        endCursor
        hasNextPage
      }
    }
  }
`;

type Transition = { id: string; from: string; to: string; score: number };
type Card = {
  interactionCount: number;
  score: { general: number; scoredInteractions: number };
  phase: string;
  phaseHistory: Transition[];
  notifications: { phase: string }[];
  scoreHistory: {
    entries: { cause: string; interactionId: string | null; general: number }[];
    endCursor: string | null;
    hasNextPage: boolean;
  };
};

describe('a partition owner killed mid-stream', () => {
  let platform: Platform;
  let gatewayDb: Database;
  let workspace: WorkspaceKeys;
  let nats: Nats;
  let live: LiveSubscription<{ phaseChanged: Transition }> | undefined;

  beforeAll(async () => {
    const namespace = testNamespace('ownercrash');
    platform = await startPlatform({
      natsUrl: process.env.NATS_URL!,
      mongoUrl: process.env.MONGO_URL!,
      namespace,
      replicas: { scoring: 2, lifecycle: 2 },
    });
    gatewayDb = await connectDatabase(process.env.MONGO_URL!, databaseName(namespace, 'gateway'));
    workspace = await createWorkspace(gatewayDb.connection);
    nats = await connectNats(process.env.NATS_URL!, 'owner-crash-test');
  }, 120_000);
  afterAll(async () => {
    await live?.dispose();
    await nats?.close();
    await gatewayDb?.close();
    await platform?.stop();
  });

  const http = () => platform.gateways[0]!.httpUrl;
  const partition = () => partitionOf(workspace.workspaceId, CONTACT);
  /** The second contact: the first `lee-<n>` in the same partition. */
  const neighbour = () => {
    for (let n = 0; ; n++) if (partitionOf(workspace.workspaceId, `lee-${n}`) === partition()) return `lee-${n}`;
  };
  const card = async (after: string | null = null, id = CONTACT) => {
    const r = await gql<{ contact: Card | null }>(http(), workspace.keys.read, CARD, { id, after });
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!.contact;
  };

  /** The instance of `subgraph` whose `durable` consumer the server pins the contact's partition to now. */
  async function ownerOf(subgraph: SubgraphName, durable: string): Promise<SubgraphInstance> {
    return waitFor(`the ${subgraph} instance pinned to partition ${partition()}`, async () => {
      const owners: SubgraphInstance[] = [];
      for (const instance of platform.instances.filter((i) => i.subgraph === subgraph)) {
        // A killed instance answers nothing: it owns nothing.
        const health = (await fetch(`${instance.baseUrl}/health?partitions`)
          .then((r) => r.json())
          .catch(() => ({}))) as { partitions?: Record<string, number[]> };
        if (health.partitions?.[durable]?.includes(partition())) owners.push(instance);
      }
      // Exactly one: the pin is the server's, one client per priority group.
      return owners.length === 1 && owners[0];
    });
  }

  /** A partition consumer's unacknowledged and undelivered events for the contact's partition. */
  async function backlog(stream: string, durable: string) {
    const info = await nats.jsm.consumers.info(stream, `${durable}-p${partition()}`);
    return { held: info.num_ack_pending, waiting: info.num_pending };
  }

  /**
   * Kills -9 the owner of the contact's partition in `subgraph` the moment the server counts
   * events delivered to it and not acknowledged; undefined if the pipeline up to it went idle first.
   */
  async function killOwnerHoldingEvents(
    subgraph: SubgraphName,
    durable: string,
  ): Promise<SubgraphInstance | undefined> {
    const ns = topology(platform.namespace);
    const owner = await ownerOf(subgraph, durable);
    const stream = subgraph === 'scoring' ? ns.streams.interactions.name : ns.streams.scores.name;
    const state = await waitFor(
      `the ${subgraph} owner holding events, or the pipeline idle`,
      async () => {
        if ((await backlog(stream, durable)).held > 0) return 'holding';
        // Scoring publishes a change before it acknowledges its cause: once scoring holds and
        // awaits nothing, what lifecycle will get is in its stream already.
        const upstream = await backlog(ns.streams.interactions.name, 'scoring');
        const own = await backlog(stream, durable);
        return upstream.held + upstream.waiting + own.held + own.waiting === 0 && 'idle';
      },
      { intervalMs: 2 },
    );
    if (state !== 'holding') return undefined;
    await platform.kill(owner.name);
    return owner;
  }

  it('keeps every score and phase transition exactly once when the owners in scoring and lifecycle are killed -9', async () => {
    // Given the rules and thresholds, and an automation service subscribed
    for (const [kind, points] of Object.entries(POINTS)) {
      const created = await gql(
        http(),
        workspace.keys.admin,
        `mutation($input: ScoringRuleInput!) { createScoringRule(input: $input) { id } }`,
        { input: { kind, points } },
      );
      expect(created.errors).toBeUndefined();
    }
    const policy = await gql(
      http(),
      workspace.keys.admin,
      `mutation($input: LifecyclePolicyInput!) { updateLifecyclePolicy(input: $input) { purchaseScore } }`,
      { input: POLICY },
    );
    expect(policy.errors).toBeUndefined();
    live = subscribe(platform.gateways[0]!.wsUrl, workspace.keys.read, PHASE_CHANGED);
    await live.connected;

    // When the two contacts' interactions flow, a few of each per call (interleaved), and each
    // owner dies holding some of them
    let scoringKilled: SubgraphInstance | undefined;
    let lifecycleKilled: SubgraphInstance | undefined;
    const contacts = [
      { contactId: CONTACT, prefix: 'k' },
      { contactId: neighbour(), prefix: 'l' },
    ];
    const interactions = SCRIPT.flatMap((kind, i) =>
      contacts.map(({ contactId, prefix }) => ({
        id: `${prefix}${i + 1}`,
        kind,
        contactId,
        ...(kind === 'PURCHASE' && { properties: { amount: 40 } }),
      })),
    );
    const perCall = PER_CALL * contacts.length;
    for (let call = 1; (call - 1) * perCall < interactions.length; call++) {
      const batch = interactions.slice((call - 1) * perCall, call * perCall);
      const tracked = await gql(
        http(),
        workspace.keys.write,
        `mutation($i: [InteractionInput!]!) { trackInteractions(interactions: $i) { accepted } }`,
        { i: batch },
      );
      expect(tracked.data).toEqual({ trackInteractions: { accepted: batch.length } });
      if (call < KILL_FROM_CALL) continue;
      if (!lifecycleKilled) lifecycleKilled = await killOwnerHoldingEvents('lifecycle', 'lifecycle');
      else if (!scoringKilled) scoringKilled = await killOwnerHoldingEvents('scoring', 'scoring');
    }
    // Were an owner never caught holding events, the test would prove nothing: it says so.
    expect([lifecycleKilled?.subgraph, scoringKilled?.subgraph]).toEqual(['lifecycle', 'scoring']);

    // Then, once the sentinels (each contact's first purchase) have reached the subscriber and every subgraph
    const expected = expectedTransitions();
    await waitFor(
      'both first purchases pushed to the subscriber',
      () => live!.results.filter((r) => r.data?.phaseChanged.to === 'RETENTION').length === contacts.length,
      { timeoutMs: 90_000 },
    );
    // the surviving instances own the partition now
    expect((await ownerOf('scoring', 'scoring')).name).not.toBe(scoringKilled!.name);
    expect((await ownerOf('lifecycle', 'lifecycle')).name).not.toBe(lifecycleKilled!.name);

    for (const { contactId, prefix } of contacts) {
      const final = await waitFor(
        `the first purchase on the card of ${contactId}`,
        async () => {
          const c = await card(null, contactId);
          // (The contact card's count is ingestion's, a consumer of its own: it may trail.)
          const done =
            c?.phaseHistory[0]?.to === 'RETENTION' &&
            c.notifications[0]?.phase === 'RETENTION' &&
            c.interactionCount >= SCRIPT.length;
          return done && c;
        },
        { timeoutMs: 30_000 },
      );

      // every transition happened once, in order: in lifecycle, in the notification log and on the subscription
      const byLifecycle = [...final.phaseHistory].reverse();
      expect(byLifecycle.map(({ from, to, score }) => ({ from, to, score }))).toEqual(expected);
      expect(byLifecycle.map((t) => t.id)).toEqual(expected.map((_, n) => `${contactId}~${n + 1}`));
      expect([...final.notifications].reverse().map((n) => n.phase)).toEqual(expected.map((t) => t.to));
      const pushed = live!.results.map((r) => r.data?.phaseChanged).filter((t) => t?.id.startsWith(`${contactId}~`));
      expect(pushed).toEqual(byLifecycle);

      // and every interaction was scored once: the score is their sum, the explanation names each once
      const total = SCRIPT.reduce((sum, kind) => sum + POINTS[kind], 0);
      expect(final.score).toEqual({ general: total, scoredInteractions: SCRIPT.length });
      expect(final.interactionCount).toBe(SCRIPT.length);
      const scored = [];
      for (let page: Card['scoreHistory'] | undefined, after: string | null = null; !page || page.hasNextPage;) {
        page = (await card(after, contactId))!.scoreHistory;
        scored.push(...page.entries.filter((e) => e.cause === 'INTERACTION'));
        after = page.endCursor;
      }
      expect(scored.map((e) => e.interactionId).reverse()).toEqual(SCRIPT.map((_, i) => `${prefix}${i + 1}`));
      expect(scored.reduce((sum, e) => sum + e.general, 0)).toBe(total);
    }

    // and their visits did travel packed: the partition's stream holds messages of both contacts
    expect(
      await packsIn(`${platform.namespace}.${workspace.workspaceId}.interactions.recorded.${partition()}`),
    ).toBeGreaterThan(0);
  }, 180_000);

  /** How many messages of `subject` in the interactions stream are packs (INTERACTIONS_HEADER), read as stored. */
  async function packsIn(subject: string): Promise<number> {
    const stream = topology(platform.namespace).streams.interactions.name;
    const info = await nats.jsm.streams.info(stream, { subjects_filter: subject });
    const count = info.state.subjects?.[subject] ?? 0;
    if (count === 0) return 0;
    const reader = await nats.js.consumers.get(stream, { filter_subjects: [subject], headers_only: true });
    let packs = 0;
    let read = 0;
    for await (const msg of await reader.fetch({ max_messages: count, expires: 5_000 })) {
      if (msg.headers?.get(INTERACTIONS_HEADER) === String(CONTACTS_PER_PACK)) packs++;
      if (++read === count) break;
    }
    await reader.delete();
    return packs;
  }
});
