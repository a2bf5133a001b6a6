// What scoring's integration tests share: two scoring instances on the real servers
// (they split the partitions), a clock both read (tests move it to drive decay), a
// probe on score changes, and small helpers to record interactions and read scores.
import { connectNats, publishEvent, publishInteraction, type Nats } from '@cei/nats';
import {
  scoreChangesIn,
  topology,
  type InteractionKind,
  type InteractionRecorded,
  type Role,
  type ScoreChanged,
  type ScoringRequested,
} from '@cei/contracts';
import { callSubgraph, probeSubject, serviceEnv, testNamespace, type NatsProbe } from '@cei/testing';
import { loadScoringConfig } from './config';
import { startScoring, type Scoring, type ScoringOptions } from './server';

export interface ScoringKit {
  namespace: string;
  ns: ReturnType<typeof topology>;
  first: Scoring;
  second: Scoring;
  nats: Nats;
  scoreChanges: NatsProbe<ScoreChanged>;
  /** Moves the clock both instances read. */
  advance(ms: number): void;
  now(): Date;
  gql<T = Record<string, unknown>>(
    ws: string,
    query: string,
    variables?: Record<string, unknown>,
    role?: Role,
  ): Promise<{ data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }>;
  interaction(
    ws: string,
    contactId: string,
    kind: InteractionKind,
    extra?: { variant?: string | null; properties?: Record<string, unknown>; occurredAt?: string },
  ): InteractionRecorded;
  record(event: InteractionRecorded, msgId?: string): Promise<unknown>;
  request(event: ScoringRequested, msgId: string): Promise<unknown>;
  changesOf(ws: string, contactId?: string): ScoreChanged[];
  stop(): Promise<void>;
}

/**
 * `options` go to both instances (the clock is the kit's); `env`: settings beside the namespace's;
 * `startAt`: the kit's clock from the instances' start (default: the real time). A test whose
 * outcome depends on the time of day sets it: the instances' timers (e.g. the nightly trend
 * snapshot, taken within hours of midnight) run from the start.
 */
export async function startScoringKit(
  label: string,
  options: Omit<ScoringOptions, 'now'> = {},
  env: Record<string, string> = {},
  startAt?: string,
): Promise<ScoringKit> {
  const namespace = testNamespace(label);
  const ns = topology(namespace);
  const config = loadScoringConfig(serviceEnv(namespace, { SCORING_PORT: '0', ...env }));
  let skew = startAt === undefined ? 0 : Date.parse(startAt) - Date.now();
  const now = () => new Date(Date.now() + skew);
  // Two instances from the start: they split the partitions between them.
  const [first, second] = await Promise.all([
    startScoring(config, undefined, { ...options, now }),
    startScoring(config, undefined, { ...options, now }),
  ]);
  const nats = await connectNats(config.NATS_URL, 'scoring-test');
  const scoreChanges = await probeSubject<ScoreChanged>(ns.everyWorkspace.scoresChanged, undefined, scoreChangesIn);
  let counter = 0;

  return {
    namespace,
    ns,
    first,
    second,
    nats,
    scoreChanges,
    advance: (ms) => {
      skew += ms;
    },
    now,
    gql: (ws, query, variables = {}, role = 'admin') =>
      callSubgraph(first.url, { workspaceId: ws, role, actor: `${role}-key:test` }, query, variables),
    interaction(ws, contactId, kind, extra = {}) {
      const at = extra.occurredAt ?? now().toISOString();
      return {
        v: 1,
        workspaceId: ws,
        interactionId: `i${++counter}`,
        contactId,
        email: null,
        kind,
        variant: extra.variant ?? null,
        occurredAt: at,
        recordedAt: at,
        properties: extra.properties ?? {},
      };
    },
    record: (event, msgId) => publishInteraction(nats.js, ns, event, msgId),
    request: (event, msgId) =>
      publishEvent(nats.js, ns.subjects.scoringRequested(event.workspaceId, event.contactId), event, msgId),
    changesOf: (ws, contactId) =>
      scoreChanges.events
        .map((e) => e.payload)
        .filter((p) => p.workspaceId === ws && (contactId === undefined || p.contactId === contactId)),
    async stop() {
      await scoreChanges.close();
      await nats.close();
      await Promise.all([first.stop(), second.stop()]);
    },
  };
}

export const SCORE = /* GraphQL */ `
  query Score($reps: [_Any!]!) {
    _entities(representations: $reps) {
      ... on Contact {
        score {
          general
          stage
          tags {
            tag
            points
          }
          engagementIndex
          scoredInteractions
          phase
        }
      }
    }
  }
`;

export interface ScoreView {
  general: number;
  stage: number;
  tags: { tag: string; points: number }[];
  engagementIndex: number;
  scoredInteractions: number;
  phase: string | null;
}

export async function scoreOf(kit: ScoringKit, ws: string, contactId: string): Promise<ScoreView> {
  const response = await kit.gql<{ _entities: { score: ScoreView }[] }>(
    ws,
    SCORE,
    { reps: [{ __typename: 'Contact', id: contactId }] },
    'read',
  );
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data!._entities[0]!.score;
}

export interface HistoryEntryView {
  cause: string;
  interactionId: string | null;
  ruleId: string | null;
  general: number;
  stage: number;
  tags: { tag: string; points: number }[];
  pending: boolean;
}

/** Every entry of a contact's history, paging `pageSize` at a time. */
export async function historyOf(
  kit: ScoringKit,
  ws: string,
  contactId: string,
  pageSize = 7,
): Promise<HistoryEntryView[]> {
  const entries: HistoryEntryView[] = [];
  let after: string | null = null;
  for (;;) {
    const response: {
      data?: {
        _entities: { scoreHistory: { entries: HistoryEntryView[]; endCursor: string | null; hasNextPage: boolean } }[];
      };
      errors?: unknown;
    } = await kit.gql(
      ws,
      /* GraphQL */ `
        query History($reps: [_Any!]!, $first: Int!, $after: String) {
          _entities(representations: $reps) {
            ... on Contact {
              scoreHistory(first: $first, after: $after) {
                entries {
                  cause
                  interactionId
                  ruleId
                  general
                  stage
                  tags {
                    tag
                    points
                  }
                  pending
                }
                endCursor
                hasNextPage
              }
            }
          }
        }
      `,
      { reps: [{ __typename: 'Contact', id: contactId }], first: pageSize, after },
      'read',
    );
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    const page = response.data!._entities[0]!.scoreHistory;
    entries.push(...page.entries);
    if (!page.hasNextPage) return entries;
    after = page.endCursor;
  }
}

/** Sums entries per score, the way a client would check an explanation. */
export function sumOf(entries: HistoryEntryView[]) {
  const tags: Record<string, number> = {};
  let general = 0;
  let stage = 0;
  for (const e of entries) {
    general += e.general;
    stage += e.stage;
    for (const t of e.tags) tags[t.tag] = (tags[t.tag] ?? 0) + t.points;
  }
  const r = (n: number) => Math.round(n * 1e4) / 1e4;
  return {
    general: r(general),
    stage: r(stage),
    tags: Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, r(v)])),
  };
}
