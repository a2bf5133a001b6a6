// NATS subjects and JetStream streams. Subjects read like sentences and are always
// scoped by workspace: <namespace>.<workspace>.interactions.recorded.<partition>.
// A consumer is sent what it filters on, and nothing else. Scoring takes every interaction; the
// others go out under the verb that says who else needs them (InteractionRoute): one that names its
// contact as `interactions.identified` (identifiesContact: notification's addresses and the contact
// projector take it), one the contact projector alone needs as `interactions.profiled` (a contact
// event, or the first of its contact as far as its publisher knows), the rest (most visits and
// clicks of a known contact) as `interactions.recorded`, for scoring alone. One partition's
// interactions stay in one order, whatever their verbs.
// The partition token (hash of workspace + contact) keeps one contact's events in
// one partition, so exactly one consumer applies them, in order.

/**
 * The verb of an interaction's subject: who it goes to beside scoring (see interactionRoute).
 * `identified`: it names its contact (also to the contact projector and notification's addresses);
 * `profiled`: the contact projector needs it; `recorded`: scoring alone.
 */
export type InteractionRoute = 'recorded' | 'identified' | 'profiled';

/** Fixed: changing it re-partitions every stream (a migration, not a config knob). */
export const PARTITIONS = 16;

/** FNV-1a (32 bit) of `<workspace>:<contact>`, modulo PARTITIONS. Stable across processes. */
export function partitionOf(workspaceId: string, contactId: string): number {
  const key = `${workspaceId}:${contactId}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % PARTITIONS;
}

export interface StreamSpec {
  name: string;
  /** The namespace the stream belongs to (its subjects start with it). */
  namespace: string;
  subjects: string[];
  /** The subjects one partition's consumer filters on (one contact's events are all in one partition). */
  partitionFilters(partition: number): string[];
  /** Whether the stream holds scheduled messages (published by the server when due). */
  schedules?: boolean;
}

/** An unpartitioned stream (nobody consumes it in order): dead letters, configuration versions. */
export interface RecordStreamSpec {
  name: string;
  subjects: string[];
  /** How long a message is kept (default: a week). */
  maxAgeMs?: number;
  /** Keep only the last messages of each subject (default: no limit). */
  maxMessagesPerSubject?: number;
}

/**
 * Set on an event re-published from a dead letter: only the consumer named here
 * applies it; every other consumer of the stream (and the gateways) skips it,
 * since they applied the original already.
 */
export const REPLAY_FOR_HEADER = 'Cei-Replay-For';

/**
 * How many interactions a message of the interactions stream carries, on a pack of several
 * (InteractionsRecorded); absent: one. For tools that count interactions from headers alone.
 */
export const INTERACTIONS_HEADER = 'Cei-Interactions';

/** The workspace a subject of this platform belongs to (`<namespace>.<workspace>.…`). */
export function workspaceOfSubject(subject: string): string | undefined {
  return subject.split('.')[1];
}

/** Whether an event of the interactions stream is a request to the contact's scorer (else an interaction). */
export function isScoringRequest(subject: string): boolean {
  const [, , noun, verb] = subject.split('.');
  return noun === 'scoring' && verb === 'requested';
}

/** Whether an event of the scores stream is a request to the contact's lifecycle owner (else a score change). */
export function isLifecycleRequest(subject: string): boolean {
  const [, , noun, verb] = subject.split('.');
  return noun === 'lifecycle' && verb === 'requested';
}

/**
 * Subjects and streams under one namespace (default `cei`). Tests run each suite in
 * its own namespace so that suites sharing a NATS server never see each other.
 */
export function topology(namespace = 'cei') {
  const ns = namespace;
  const upper = ns.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  /** `<ns>.<every workspace>.<noun>.<verb>.<partition>`: what a stream or a partition's consumer takes. */
  const everyWorkspace = (noun: string, verb: string, partition: number | '*') =>
    `${ns}.*.${noun}.${verb}.${partition}`;
  const stream = (noun: string, verb: string): StreamSpec => ({
    name: `${upper}_${noun.toUpperCase()}`,
    namespace: ns,
    subjects: [everyWorkspace(noun, verb, '*')],
    partitionFilters: (p) => [everyWorkspace(noun, verb, p)],
  });
  /** Every kind of interaction (recorded, identified, profiled) of a partition, in one order. */
  const interactions: StreamSpec = {
    ...stream('interactions', 'recorded'),
    subjects: [everyWorkspace('interactions', '*', '*')],
    partitionFilters: (p) => [everyWorkspace('interactions', '*', p)],
  };
  return {
    namespace: ns,
    /**
     * Every event of one kind across the workspaces of this namespace: for tests and
     * operators' tools. A tenant's path (a gateway's subscribers) uses the workspace's own.
     */
    everyWorkspace: {
      /** Interactions, whether they name their contact or not. */
      interactionsRecorded: everyWorkspace('interactions', '*', '*'),
      scoresChanged: everyWorkspace('scores', 'changed', '*'),
      phasesChanged: everyWorkspace('phases', 'changed', '*'),
      qualificationsChanged: everyWorkspace('qualifications', 'changed', '*'),
      ownersAssigned: everyWorkspace('owners', 'assigned', '*'),
      notificationsCreated: everyWorkspace('notifications', 'created', '*'),
    },
    /** What a consumer takes from its stream per partition, where that is not the stream's own filter. */
    consumerFilters: {
      /**
       * Scoring: a partition's interactions and the requests addressed to its owner, in one order
       * (not the decay schedules waiting in the same stream: they come due as requests).
       */
      scoring: (p: number) => [everyWorkspace('interactions', '*', p), everyWorkspace('scoring', 'requested', p)],
      /** Who a contact is (notification's addresses): a partition's interactions that name their contact. */
      identifyingInteractions: (p: number) => [everyWorkspace('interactions', 'identified', p)],
      /**
       * The contact projector (ingestion's contact documents): a partition's interactions that name
       * their contact or that it needs otherwise (`profiled`), in one order; not the `recorded` ones.
       */
      contactProfiles: (p: number) => [
        everyWorkspace('interactions', 'identified', p),
        everyWorkspace('interactions', 'profiled', p),
      ],
      /**
       * Lifecycle: a partition's score changes and the requests addressed to its owner (mutations of
       * qualification and owner, due phase checks, policy re-evaluations), in one order.
       */
      lifecycle: (p: number) => [everyWorkspace('scores', 'changed', p), everyWorkspace('lifecycle', 'requested', p)],
    },
    subjects: {
      /** An interaction, under the verb that says who takes it beside scoring (interactionRoute). */
      interactionRecorded: (ws: string, contactId: string, route: InteractionRoute) =>
        `${ns}.${ws}.interactions.${route}.${partitionOf(ws, contactId)}`,
      scoreChanged: (ws: string, contactId: string) => `${ns}.${ws}.scores.changed.${partitionOf(ws, contactId)}`,
      /** Work for the scoring consumer that owns the contact (in the interactions stream, same partition). */
      scoringRequested: (ws: string, contactId: string) =>
        `${ns}.${ws}.scoring.requested.${partitionOf(ws, contactId)}`,
      /** Where a contact's one pending decay check waits until it is due (then: scoringRequested). */
      decayCheckSchedule: (ws: string, contactId: string) =>
        `${ns}.${ws}.scoring.decaydue.${partitionOf(ws, contactId)}.${Buffer.from(contactId).toString('base64url')}`,
      /** Work for the lifecycle consumer that owns the contact (in the scores stream, same partition). */
      lifecycleRequested: (ws: string, contactId: string) =>
        `${ns}.${ws}.lifecycle.requested.${partitionOf(ws, contactId)}`,
      /** Where a contact's one pending phase check waits until it is due (then: lifecycleRequested). */
      phaseCheckSchedule: (ws: string, contactId: string) =>
        `${ns}.${ws}.lifecycle.checkdue.${partitionOf(ws, contactId)}.${Buffer.from(contactId).toString('base64url')}`,
      phaseChanged: (ws: string, contactId: string) => `${ns}.${ws}.phases.changed.${partitionOf(ws, contactId)}`,
      /** A lead's qualification step (in the phases stream, the contact's partition). */
      qualificationChanged: (ws: string, contactId: string) =>
        `${ns}.${ws}.qualifications.changed.${partitionOf(ws, contactId)}`,
      /** A contact's new owner (in the phases stream, the contact's partition). */
      ownerAssigned: (ws: string, contactId: string) => `${ns}.${ws}.owners.assigned.${partitionOf(ws, contactId)}`,
      /** A notification a rule created for the contact (stored first; the notifications stream). */
      notificationCreated: (ws: string, contactId: string) =>
        `${ns}.${ws}.notifications.created.${partitionOf(ws, contactId)}`,
      /** The last record of one owner (lifecycle's salespeople), kept per subject in ownerRecords. */
      ownerRecord: (ws: string, ownerId: string) =>
        `${ns}.${ws}.owners.record.${Buffer.from(ownerId).toString('base64url')}`,
      /** One delivery to a webhook endpoint: the endpoint's partition (one owner per endpoint). */
      webhookDelivery: (ws: string, endpointId: string) =>
        `${ns}.${ws}.webhooks.deliver.${partitionOf(ws, endpointId)}`,
      /** Every phase change of one workspace (what a gateway listens to for its subscribers). */
      workspacePhaseChanges: (ws: string) => `${ns}.${ws}.phases.changed.*`,
      workspaceScoreChanges: (ws: string) => `${ns}.${ws}.scores.changed.*`,
      workspaceQualificationChanges: (ws: string) => `${ns}.${ws}.qualifications.changed.*`,
      workspaceOwnerAssignments: (ws: string) => `${ns}.${ws}.owners.assigned.*`,
      workspaceNotificationsCreated: (ws: string) => `${ns}.${ws}.notifications.created.*`,
      /** Events a consumer gave up on (`consumer`: its durable name, e.g. `scoring`). */
      deadLetter: (ws: string, consumer: string) => `${ns}.${ws}.deadletters.${consumer}`,
      /** Every dead letter of a workspace, or of one consumer of it. */
      deadLetters: (ws: string, consumer = '*') => `${ns}.${ws}.deadletters.${consumer}`,
      /** Marks a dead letter (by its position in the dead-letter stream) as replayed; at most one per letter. */
      deadLetterReplayed: (ws: string, consumer: string, letter: number) =>
        `${ns}.${ws}.deadletters.${consumer}.replayed.${letter}`,
      deadLettersReplayed: (ws: string, consumer = '*') => `${ns}.${ws}.deadletters.${consumer}.replayed.*`,
      /**
       * A workspace's configuration of one kind (`scoring`, `lifecycle`) changed: its last message's
       * stream position is the configuration's version, which consumers compare with what they cached.
       */
      configChanged: (ws: string, kind: string) => `${ns}.${ws}.config.${kind}`,
    },
    /** Dead letters and their replay marks, kept a year: what an operator counts, reads and replays. */
    deadLetters: {
      name: `${upper}_DEAD_LETTERS`,
      subjects: [`${ns}.*.deadletters.*`, `${ns}.*.deadletters.*.replayed.*`],
      maxAgeMs: 365 * 24 * 3600_000,
    } satisfies RecordStreamSpec,
    /** The last change of each workspace's configuration of each kind (see subjects.configChanged). */
    configVersions: {
      name: `${upper}_CONFIG_VERSIONS`,
      subjects: [`${ns}.*.config.*`],
      maxAgeMs: 10 * 365 * 24 * 3600_000,
      maxMessagesPerSubject: 1,
    } satisfies RecordStreamSpec,
    /**
     * Owners as lifecycle last wrote them, one message per owner (its subject), kept for good:
     * what notification reads an owner's email from, without asking lifecycle.
     */
    ownerRecords: {
      name: `${upper}_OWNER_RECORDS`,
      subjects: [`${ns}.*.owners.record.*`],
      maxAgeMs: 10 * 365 * 24 * 3600_000,
      maxMessagesPerSubject: 1,
    } satisfies RecordStreamSpec,
    streams: {
      /**
       * Interactions, and the requests scoring sends to the owner of a contact: both in
       * one stream so that scoring's partition consumer applies them in one order.
       */
      interactions: {
        ...interactions,
        subjects: [
          ...interactions.subjects,
          everyWorkspace('scoring', 'requested', '*'),
          `${ns}.*.scoring.decaydue.*.*`,
        ],
        schedules: true,
      } satisfies StreamSpec,
      /**
       * Score changes, and the requests sent to the lifecycle owner of a contact: both in one
       * stream so that lifecycle's partition consumer applies them in one order.
       */
      scores: {
        ...stream('scores', 'changed'),
        subjects: [
          everyWorkspace('scores', 'changed', '*'),
          everyWorkspace('lifecycle', 'requested', '*'),
          `${ns}.*.lifecycle.checkdue.*.*`,
        ],
        schedules: true,
      } satisfies StreamSpec,
      /**
       * Lifecycle's output: phase changes, and qualification steps and owner assignments. A
       * partition's consumer (notification) still takes phase changes only (partitionFilters).
       */
      phases: {
        ...stream('phases', 'changed'),
        subjects: [
          everyWorkspace('phases', 'changed', '*'),
          everyWorkspace('qualifications', 'changed', '*'),
          everyWorkspace('owners', 'assigned', '*'),
        ],
      } satisfies StreamSpec,
      /**
       * Webhook deliveries (notification's fan-out of events to endpoints), partitioned by
       * endpoint so that one consumer owns an endpoint: its concurrency, order and health.
       */
      webhooks: stream('webhooks', 'deliver'),
      /** Notifications rules created (notification's messages that go out), per contact. */
      notifications: stream('notifications', 'created'),
    },
  };
}
export type Topology = ReturnType<typeof topology>;
