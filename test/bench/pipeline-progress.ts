// How far the platform's pipeline has got, read from the NATS server alone: for each durable consumer
// (its 16 partition consumers summed), the events of its stream it has not acknowledged yet
// (num_pending + num_ack_pending), and from there how many interactions every stage has finished.
// Ingestion packs an accept call's interactions into messages of several, so messages are not
// interactions: what scoring takes is also read as it is stored (headers alone, `INTERACTIONS_HEADER`),
// which tells how much of it each partition holds up to a stream position (an interaction, or a
// request of scoring's own, one each), and so how much scoring has finished below each partition's
// acknowledged floor.
import { INTERACTIONS_HEADER, topology, type Topology } from '@cei/contracts';
import { isNatsUnavailable, isStreamNotFound, type Nats } from '@cei/nats';

/** Every consumer an interaction passes through, in pipeline order, with the stream it reads. */
export const PIPELINE_STAGES = [
  { durable: 'ingestion-contacts', stream: 'interactions' },
  { durable: 'scoring', stream: 'interactions' },
  { durable: 'lifecycle', stream: 'scores' },
  { durable: 'scoring-phases', stream: 'phases' },
  { durable: 'notification', stream: 'phases' },
] as const;
export type StageName = (typeof PIPELINE_STAGES)[number]['durable'];
type StreamKey = (typeof PIPELINE_STAGES)[number]['stream'];

export interface PipelineProgress {
  /** Interactions in the stream (published by ingestion), as far as the tally has read. */
  published: number;
  /** Requests to the scorer in the same stream (one per phase change, from scoring's phase forwarder). */
  scoringRequests: number;
  /** Events in the streams that follow: score changes and phase changes. */
  scoreChanges: number;
  phaseChanges: number;
  /** Events of its own stream each stage has not acknowledged yet. */
  outstanding: Record<StageName, number>;
  /** Interactions each stage has finished, counting what the stages before it still owe as unfinished. */
  finished: Record<StageName, number>;
  /** Interactions every stage has finished: the slowest stage's count. */
  processed: number;
  slowest: StageName;
}

/**
 * Reads the pipeline's progress. The contact projector counts interactions directly. Every other
 * stage also applies events that are not interactions (scoring: the requests of its own stream;
 * lifecycle: score changes), so its share of the interactions is taken as the share of its events
 * it has applied, times what the stage before it finished: lifecycle has finished half of the
 * scored interactions when it has applied half of the score changes published so far.
 */
export function createPipelineProbe(nats: Nats, namespace: string) {
  const ns = topology(namespace);
  const requestsSubject = `${namespace}.*.scoring.requested.*`;
  const tally = scoringInputTally(nats, ns, requestsSubject);
  const streams: Record<StreamKey, string> = {
    interactions: ns.streams.interactions.name,
    scores: ns.streams.scores.name,
    phases: ns.streams.phases.name,
  };
  const durableOf = (consumer: string) => consumer.replace(/-p\d+$/, '');

  /** Scoring's partition consumers' acknowledged floors (stream positions), read with the rest. */
  const scoringFloors = new Map<number, number>();
  const outstandingIn = async (stream: string): Promise<Map<string, number>> => {
    const byDurable = new Map<string, number>();
    try {
      for await (const consumer of nats.jsm.consumers.list(stream)) {
        const durable = durableOf(consumer.name);
        byDurable.set(durable, (byDurable.get(durable) ?? 0) + consumer.num_pending + consumer.num_ack_pending);
        const partition = /^scoring-p(\d+)$/.exec(consumer.name)?.[1];
        if (partition !== undefined) scoringFloors.set(Number(partition), consumer.ack_floor.stream_seq);
      }
    } catch (err) {
      if (!isStreamNotFound(err)) throw err;
    }
    return byDurable;
  };
  const messagesIn = async (stream: string, subjects?: string): Promise<number> => {
    try {
      const info = await nats.jsm.streams.info(stream, subjects ? { subjects_filter: subjects } : undefined);
      if (!subjects) return info.state.messages;
      return Object.values(info.state.subjects ?? {}).reduce((sum, count) => sum + count, 0);
    } catch (err) {
      if (isStreamNotFound(err)) return 0;
      throw err;
    }
  };

  return {
    async sample(): Promise<PipelineProgress> {
      // Upstream first: a later stage read a moment later can only look further along, never behind.
      // What scoring takes beside interactions (topology's consumerFilters.scoring, every partition).
      const scoringRequests = await messagesIn(streams.interactions, requestsSubject);
      await tally.caughtUp(
        (await messagesIn(streams.interactions, ns.everyWorkspace.interactionsRecorded)) + scoringRequests,
      );
      const published = tally.interactions;
      const interactionConsumers = await outstandingIn(streams.interactions);
      const scoreChanges = await messagesIn(streams.scores);
      const scoreConsumers = await outstandingIn(streams.scores);
      const phaseChanges = await messagesIn(streams.phases);
      const phaseConsumers = await outstandingIn(streams.phases);
      const byStream = { interactions: interactionConsumers, scores: scoreConsumers, phases: phaseConsumers };
      const outstanding = Object.fromEntries(
        PIPELINE_STAGES.map(({ durable, stream }) => [durable, byStream[stream].get(durable) ?? 0]),
      ) as Record<StageName, number>;

      const share = (applied: number, total: number) => (total === 0 ? 1 : Math.max(0, applied) / total);
      // The contact projector never takes a pack: its outstanding events are interactions.
      const ingested = published - outstanding['ingestion-contacts'];
      // Scoring's input (interactions and its own requests, one each) up to each partition's
      // acknowledged floor (it acknowledges a batch at once), as a share of all of it, as before packs.
      let applied = 0;
      for (const [partition, floor] of scoringFloors) applied += tally.through(partition, floor);
      const scored = outstanding.scoring === 0 ? published : Math.floor(published * share(applied, tally.units));
      const evaluated = scored * share(scoreChanges - outstanding.lifecycle, scoreChanges);
      const finished: Record<StageName, number> = {
        'ingestion-contacts': ingested,
        scoring: scored,
        lifecycle: Math.floor(evaluated),
        'scoring-phases': Math.floor(evaluated * share(phaseChanges - outstanding['scoring-phases'], phaseChanges)),
        notification: Math.floor(evaluated * share(phaseChanges - outstanding.notification, phaseChanges)),
      };
      let slowest: StageName = PIPELINE_STAGES[0].durable;
      for (const { durable } of PIPELINE_STAGES) if (finished[durable] < finished[slowest]) slowest = durable;
      const processed = finished[slowest];
      return { published, scoringRequests, scoreChanges, phaseChanges, outstanding, finished, processed, slowest };
    },
    close: () => tally.close(),
  };
}

/**
 * Scoring's input in each partition of the interactions stream, by stream position, read as it is
 * stored by an ordered consumer of headers alone: interactions (a pack's count in
 * INTERACTIONS_HEADER) and scoring's requests, one unit each.
 */
function scoringInputTally(nats: Nats, ns: Topology, requestsSubject: string) {
  const partitions = new Map<number, { seqs: number[]; upTo: number[] }>();
  let interactions = 0;
  let units = 0;
  let messagesRead = 0;
  let messages: Promise<{ close(): Promise<unknown> }> | undefined;
  const start = () =>
    (messages ??= nats.js.consumers
      .get(ns.streams.interactions.name, {
        filter_subjects: [ns.everyWorkspace.interactionsRecorded, requestsSubject],
        headers_only: true,
      })
      .then((consumer) =>
        consumer.consume({
          callback: (msg) => {
            const count = Number(msg.headers?.get(INTERACTIONS_HEADER) || 1);
            if (!msg.subject.includes('.scoring.requested.')) interactions += count;
            const partition = Number(msg.subject.slice(msg.subject.lastIndexOf('.') + 1));
            let held = partitions.get(partition);
            if (!held) partitions.set(partition, (held = { seqs: [], upTo: [] }));
            held.seqs.push(msg.seq);
            held.upTo.push((held.upTo.at(-1) ?? 0) + count);
            units += count;
            messagesRead++;
          },
        }),
      ));
  return {
    /** Interactions read so far. */
    get interactions() {
      return interactions;
    },
    /** Interactions and requests read so far. */
    get units() {
      return units;
    },
    /** Waits (a few seconds at most) until the tally has read `stored` messages. */
    async caughtUp(stored: number): Promise<void> {
      if (stored === 0) return;
      await start();
      for (let waited = 0; messagesRead < stored && waited < 5_000; waited += 20) await sleep(20);
    },
    /** The partition's interactions and requests at stream positions up to `seq`. */
    through(partition: number, seq: number): number {
      const held = partitions.get(partition);
      if (!held) return 0;
      let lo = 0;
      let hi = held.seqs.length; // the first position past `seq`
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (held.seqs[mid]! <= seq) lo = mid + 1;
        else hi = mid;
      }
      return lo === 0 ? 0 : held.upTo[lo - 1]!;
    },
    async close(): Promise<void> {
      const consumer = await messages?.catch(() => undefined);
      await consumer?.close();
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The names of the namespace's streams on the NATS server (`<NAMESPACE>_<NOUN>`). */
export async function* namespaceStreams(nats: Nats, namespace: string): AsyncGenerator<string> {
  const interactions = topology(namespace).streams.interactions.name;
  const prefix = interactions.slice(0, interactions.lastIndexOf('_') + 1);
  for await (const stream of nats.jsm.streams.list()) {
    if (stream.config.name.startsWith(prefix)) yield stream.config.name;
  }
}

/**
 * Pauses every durable consumer of the namespace's streams on the NATS server (JetStream's consumer pause):
 * what is published meanwhile waits in the streams. Returns what resumes them all.
 */
export async function pauseConsumers(nats: Nats, namespace: string): Promise<() => Promise<void>> {
  const paused: { stream: string; name: string }[] = [];
  const until = new Date(Date.now() + 24 * 3600_000);
  for await (const stream of namespaceStreams(nats, namespace)) {
    for await (const consumer of nats.jsm.consumers.list(stream)) {
      // The services' durable consumers; not a watcher's ephemeral one.
      if (!consumer.config.durable_name) continue;
      await nats.jsm.consumers.pause(stream, consumer.name, until);
      paused.push({ stream, name: consumer.name });
    }
  }
  return async () => {
    for (const { stream, name } of paused) {
      await patiently(`resuming ${name}`, () => nats.jsm.consumers.resume(stream, name));
    }
  };
}

/**
 * A JetStream API request tried again while the server, busy with the load the bench makes,
 * answers later than the client waits (a backlog of large events resuming did once).
 */
export async function patiently<T>(what: string, request: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (err) {
      if (!isNatsUnavailable(err) || attempt === attempts) {
        throw new Error(`${what}: ${String(err)} (after ${attempt} tries)`, { cause: err });
      }
    }
  }
}

/** Nothing outstanding anywhere, and every accepted interaction is in the stream. */
export function isDrained(progress: PipelineProgress, accepted: number): boolean {
  return progress.published >= accepted && Object.values(progress.outstanding).every((n) => n === 0);
}
