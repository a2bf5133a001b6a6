// The bulk load: interactions through the gateway's trackInteractions as fast as it accepts them
// (batches of 500, 2 clients), while the NATS server is asked every second how far each consumer
// has got. Measures the accept rate, and the rate at which the whole pipeline (ingestion's contact
// projector, scoring, lifecycle, notification) finishes them: overall, in the first fifth of the
// interactions and in the last fifth. Stops waiting at a deadline and says how far it got.
// Two ways: the load drained as it is accepted (the two share the machine's cores), or, with
// `backlog`, accepted with the pipeline's consumers paused on the NATS server (the accept path
// alone) and then drained from the stored backlog (the pipeline alone, its cost as the data grows).
import type { Nats } from '@cei/nats';
import { failureText, gql } from '../src/gateway-client';
import {
  createPipelineProbe,
  isDrained,
  pauseConsumers,
  patiently,
  type PipelineProgress,
  type StageName,
} from './pipeline-progress';
import { cpuMillisecondsPer } from './rss';

export const TRACK_BATCH = 500;
const CLIENTS = 2;
const SAMPLE_EVERY_MS = 1_000;
const REPORT_EVERY_MS = 10_000;

export interface PipelineBenchOptions {
  /** The gateway's GraphQL URL and a key allowed to write. */
  httpUrl: string;
  writeKey: string;
  nats: Nats;
  namespace: string;
  interactions: number;
  contacts: number;
  /** Date.now() after which no batch is sent and the drain is no longer waited for. */
  deadline: number;
  progress: (message: string) => void;
  /**
   * Whether the pipeline's consumers wait (paused on the NATS server) until the whole load is
   * accepted: the accept then runs alone, and the drain starts from a stored backlog.
   */
  backlog?: boolean;
  /**
   * Each interaction also carries a `note` property of this many bytes (0: none, the default): a
   * load of large events, such as support tickets whose text is scored. Requests then carry fewer
   * interactions each, to stay under the gateway's body limit (1 MiB).
   */
  noteBytes?: number;
  /**
   * Each process's CPU seconds so far (rss.ts `cpuSeconds` over the platform's and servers' pids):
   * read with every sample, it says what each fifth cost, per interaction and per process.
   */
  cpuSeconds?: () => Record<string, number>;
}

interface LoadCounters {
  accepted: number;
  duplicates: number;
  rejected: number;
  failedBatches: number;
  firstError?: string;
  /** When the last batch was answered, in ms from the start. */
  lastAnsweredMs: number;
  stoppedAtDeadline: boolean;
}

interface Sample {
  atMs: number;
  processed: number;
  /** Interactions in the stream that some stage has not finished yet. */
  backlog: number;
  /** Each process's CPU seconds so far (with `cpuSeconds`). */
  cpu?: Record<string, number>;
}

const perSecond = (count: number, ms: number) => (ms > 0 ? Math.round((count / ms) * 1000) : null);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Interaction i goes to contact c(i mod contacts); a contact's 1st, 5th, 9th… interaction is a
 * PAGE_VISIT (5 points), the others LINK_CLICKs (1 point), so every stage has work: each contact
 * crosses the purchase threshold once, and its score keeps changing after that.
 */
function interactionOf(i: number, contacts: number, note: string) {
  const round = Math.floor(i / contacts);
  const visit = round % 4 === 0;
  return {
    id: `b${i}`,
    kind: visit ? 'PAGE_VISIT' : 'LINK_CLICK',
    contactId: `c${i % contacts}`,
    properties: { url: visit ? `/pricing/${round}` : `/blog/${round}`, ...(note ? { note } : {}) },
  };
}

/** The words notes are made of: text that compresses about as much as people's does. */
const NOTE_WORDS = (
  'the a to of and in is it for on you that with this my was our your not be have are can please ' +
  'order account invoice refund shipping delivery password login error page price plan upgrade trial ' +
  'support ticket issue problem question answer thanks today yesterday tomorrow week month customer ' +
  'team manager report export import dashboard feature setting email phone call meeting demo contract'
).split(' ');

/**
 * Interaction i's note of `bytes` characters (see PipelineBenchOptions.noteBytes): words drawn by
 * a small generator seeded with i, so no two notes are alike and none is a run of one phrase that
 * compresses to nothing (as a repeated phrase did, hiding what large texts cost in memory).
 */
function noteOf(bytes: number, i: number): string {
  let seed = (i * 2654435761 + 1) >>> 0;
  const words: string[] = [];
  for (let length = 0; length < bytes;) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    const word = NOTE_WORDS[(seed >>> 16) % NOTE_WORDS.length]!;
    words.push(word);
    length += word.length + 1;
  }
  return words.join(' ').slice(0, bytes);
}

/** Interactions per request: TRACK_BATCH, or as many as fit in 3/4 of the gateway's 1 MiB body limit. */
function trackBatchOf(noteBytes = 0): number {
  return Math.max(1, Math.min(TRACK_BATCH, Math.floor((768 * 1024) / (noteBytes + 200))));
}

async function loadThroughGateway(opts: PipelineBenchOptions, started: number, counters: LoadCounters) {
  const size = trackBatchOf(opts.noteBytes);
  const noteBytes = opts.noteBytes ?? 0;
  const batches = Math.ceil(opts.interactions / size);
  let next = 0;
  const client = async () => {
    for (let b = next++; b < batches; b = next++) {
      if (Date.now() >= opts.deadline) {
        counters.stoppedAtDeadline = true;
        return;
      }
      const first = b * size;
      const batch = Array.from({ length: Math.min(size, opts.interactions - first) }, (_, j) =>
        interactionOf(first + j, opts.contacts, noteBytes > 0 ? noteOf(noteBytes, first + j) : ''),
      );
      try {
        const response = await gql<{ trackInteractions: { accepted: number; duplicates: number; rejected: number } }>(
          opts.httpUrl,
          opts.writeKey,
          `mutation($i: [InteractionInput!]!) { trackInteractions(interactions: $i) { accepted duplicates rejected } }`,
          { i: batch },
        );
        const result = response.data?.trackInteractions;
        if (!result) throw new Error(`HTTP ${response.status}: ${JSON.stringify(response.errors)}`);
        counters.accepted += result.accepted;
        counters.duplicates += result.duplicates;
        counters.rejected += result.rejected;
      } catch (err) {
        counters.failedBatches++;
        counters.firstError ??= failureText(err);
      }
      counters.lastAnsweredMs = performance.now() - started;
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
}

/** When `processed` first reached `target`, interpolated between the two samples around it. */
function reachedAtMs(samples: Sample[], target: number): number | undefined {
  const after = samples.findIndex((s) => s.processed >= target);
  if (after <= 0) return after === 0 ? samples[0]!.atMs : undefined;
  const a = samples[after - 1]!;
  const b = samples[after]!;
  return a.atMs + ((target - a.processed) / (b.processed - a.processed)) * (b.atMs - a.atMs);
}

export async function measurePipeline(opts: PipelineBenchOptions) {
  const probe = createPipelineProbe(opts.nats, opts.namespace);
  const counters: LoadCounters = {
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    failedBatches: 0,
    lastAnsweredMs: 0,
    stoppedAtDeadline: false,
  };
  opts.progress(
    `pipeline: ${opts.interactions} interactions over ${opts.contacts} contacts through trackInteractions ` +
      `(batches of ${trackBatchOf(opts.noteBytes)}, ${CLIENTS} clients), sampling every consumer's progress each second…`,
  );
  const resume = opts.backlog ? await pauseConsumers(opts.nats, opts.namespace) : undefined;
  const started = performance.now();
  let loadDone = false;
  const load = loadThroughGateway(opts, started, counters).finally(() => (loadDone = true));
  if (opts.backlog) {
    await load;
    await resume!();
  }
  const drainStarted = performance.now();

  const samples: Sample[] = [{ atMs: 0, processed: 0, backlog: 0, cpu: opts.cpuSeconds?.() }];
  const slowestSamples = new Map<StageName, number>();
  let last: PipelineProgress;
  let drained = false;
  let reportedAt = 0;
  for (;;) {
    const before = performance.now();
    last = await patiently("reading the pipeline's progress", () => probe.sample());
    // The sample took a while on a busy machine: date it at its middle.
    const atMs = (before + performance.now()) / 2 - drainStarted;
    // The estimate of a later stage wobbles with the events in flight; what is finished stays finished.
    const processed = Math.max(samples.at(-1)!.processed, last.processed);
    samples.push({ atMs, processed, backlog: last.published - processed, cpu: opts.cpuSeconds?.() });
    slowestSamples.set(last.slowest, (slowestSamples.get(last.slowest) ?? 0) + 1);
    if (loadDone && isDrained(last, counters.accepted)) {
      drained = true;
      break;
    }
    if (Date.now() >= opts.deadline) break;
    if (atMs - reportedAt >= REPORT_EVERY_MS) {
      reportProgress(opts, counters, samples, last, loadDone);
      reportedAt = atMs;
    }
    await sleep(Math.max(0, SAMPLE_EVERY_MS - (performance.now() - before)));
  }
  await load;
  await probe.close();

  const total = counters.accepted;
  const end = samples.at(-1)!;
  const processed = drained ? total : end.processed;
  const fifth = total / 5;
  const firstFifthMs = reachedAtMs(samples, fifth);
  const lastFifthFromMs = reachedAtMs(samples, total - fifth);
  const firstFifth = firstFifthMs === undefined ? null : perSecond(fifth, firstFifthMs);
  const lastFifth = drained && lastFifthFromMs !== undefined ? perSecond(fifth, end.atMs - lastFifthFromMs) : null;
  // A fifth run with hardly any backlog was waiting on the accepts, not working at its own speed.
  const meanBacklog = (fromMs: number, toMs: number) => {
    const within = samples.filter((s) => s.atMs >= fromMs && s.atMs <= toMs);
    return within.length === 0 ? null : Math.round(within.reduce((sum, s) => sum + s.backlog, 0) / within.length);
  };
  const slowestStage = [...slowestSamples].sort((a, b) => b[1] - a[1])[0]![0];
  if (!drained) {
    opts.progress(
      `pipeline: stopped waiting at the deadline with ${processed} of ${total} interactions fully processed ` +
        `(outstanding: ${JSON.stringify(last.outstanding)})`,
    );
  }
  return {
    gateway: {
      acceptedWhile: opts.backlog ? 'the pipeline was paused' : 'the pipeline drained on the same machine',
      acceptedInteractionsPerSecond: perSecond(total, counters.lastAnsweredMs),
      accepted: total,
      duplicates: counters.duplicates,
      rejected: counters.rejected,
      batchSize: trackBatchOf(opts.noteBytes),
      concurrentClients: CLIENTS,
      ...(counters.failedBatches > 0
        ? { failedBatches: counters.failedBatches, firstFailure: counters.firstError }
        : {}),
      ...(counters.stoppedAtDeadline ? { stoppedSendingAtDeadline: true } : {}),
    },
    pipeline: {
      drainedFrom: opts.backlog
        ? 'a stored backlog: the whole load accepted first, the consumers paused on the NATS server, then resumed'
        : 'the load as it was accepted (accepting and draining share the machine)',
      interactions: total,
      contacts: opts.contacts,
      drained,
      ...(drained
        ? {}
        : {
            stoppedAtDeadline: `${processed} of ${total} interactions fully processed`,
            outstanding: last.outstanding,
          }),
      // From the first batch sent (with a backlog: from the consumers' resumption) until every stage had
      // finished the last interaction (or the deadline).
      seconds: Math.round(end.atMs / 100) / 10,
      fullyProcessedPerSecond: perSecond(processed, end.atMs),
      firstFifth: {
        perSecond: firstFifth,
        meanBacklog: firstFifthMs === undefined ? null : meanBacklog(0, firstFifthMs),
      },
      lastFifth: {
        perSecond: lastFifth,
        meanBacklog: lastFifth === null ? null : meanBacklog(lastFifthFromMs!, end.atMs),
      },
      lastFifthToFirstFifth: firstFifth && lastFifth ? Math.round((lastFifth / firstFifth) * 100) / 100 : null,
      // Every fifth, and how much of it the accepting shared the machine with: the first fifths
      // also pay for the accepts, so flat cost shows between fifths with the same share.
      fifths: fifthsOf(
        samples,
        total,
        drained ? end.atMs : undefined,
        counters.lastAnsweredMs - (drainStarted - started),
      ),
      slowestStage,
      eventsPublished: {
        interactions: last.published,
        scoringRequests: last.scoringRequests,
        scoreChanges: last.scoreChanges,
        phaseChanges: last.phaseChanges,
      },
    },
  };
}

/**
 * Each fifth of the interactions: its rate, the share of its time the load was still being accepted,
 * and (with `cpuSeconds`) what it cost: CPU milliseconds per interaction, in all and per process, and
 * the cores in use. Cost, unlike rate, shows whether later interactions cost more as the data grows:
 * the first fifths also pay for the accepts and for every contact's first interaction.
 */
function fifthsOf(samples: Sample[], total: number, drainedAtMs: number | undefined, loadEndMs: number) {
  const bounds = [0, 1, 2, 3, 4, 5].map((k) =>
    k === 0 ? 0 : k === 5 ? drainedAtMs : reachedAtMs(samples, (total * k) / 5),
  );
  return bounds.slice(1).map((toMs, k) => {
    const fromMs = bounds[k];
    if (fromMs === undefined || toMs === undefined || toMs <= fromMs) return null;
    const accepting = Math.min(Math.max(loadEndMs - fromMs, 0), toMs - fromMs) / (toMs - fromMs);
    const [cpuFrom, cpuTo] = [cpuAt(samples, fromMs), cpuAt(samples, toMs)];
    return {
      perSecond: perSecond(total / 5, toMs - fromMs),
      whileAccepting: Math.round(accepting * 100) / 100,
      ...(cpuFrom && cpuTo ? fifthCost(cpuFrom, cpuTo, total / 5, toMs - fromMs) : {}),
    };
  });
}

/** Each process's CPU seconds at `atMs`, interpolated between the samples around it. */
function cpuAt(samples: Sample[], atMs: number): Record<string, number> | undefined {
  const after = samples.findIndex((s) => s.atMs >= atMs);
  const b = samples[after === -1 ? samples.length - 1 : after]!;
  const a = samples[Math.max(0, after - 1)]!;
  if (!a.cpu || !b.cpu) return undefined;
  const share = b.atMs > a.atMs ? Math.min(1, Math.max(0, (atMs - a.atMs) / (b.atMs - a.atMs))) : 1;
  return Object.fromEntries(
    Object.entries(b.cpu).map(([name, seconds]) => {
      const before = a.cpu![name] ?? seconds;
      return [name, before + (seconds - before) * share];
    }),
  );
}

function fifthCost(from: Record<string, number>, to: Record<string, number>, interactions: number, ms: number) {
  const perInteraction = cpuMillisecondsPer(from, to, interactions);
  return {
    cpuCores: Math.round(((perInteraction.total! * interactions) / ms) * 100) / 100,
    cpuMillisecondsPerInteraction: perInteraction,
  };
}

function reportProgress(
  opts: PipelineBenchOptions,
  counters: LoadCounters,
  samples: Sample[],
  now: PipelineProgress,
  loadDone: boolean,
) {
  const latest = samples.at(-1)!;
  const earlier = [...samples].reverse().find((s) => s.atMs <= latest.atMs - REPORT_EVERY_MS) ?? samples[0]!;
  const rate = ((latest.processed - earlier.processed) / (latest.atMs - earlier.atMs)) * 1000;
  const target = loadDone ? counters.accepted : opts.interactions;
  const etaSeconds = rate > 0 ? Math.round((target - latest.processed) / rate) : undefined;
  const deadlineSeconds = Math.round((opts.deadline - Date.now()) / 1000);
  const eta =
    etaSeconds === undefined
      ? 'ETA unknown'
      : etaSeconds > deadlineSeconds
        ? `ETA ${etaSeconds} s, after the deadline in ${deadlineSeconds} s`
        : `ETA ${etaSeconds} s`;
  opts.progress(
    `pipeline: ${counters.accepted}/${opts.interactions} accepted (${perSecond(counters.accepted, counters.lastAnsweredMs)}/s), ` +
      `${latest.processed} fully processed, ${Math.round(rate)}/s over the last ${REPORT_EVERY_MS / 1000} s ` +
      `(slowest: ${now.slowest}; each stage's outstanding events: ${outstandingOf(now)})${coresOf(earlier, latest)}; ${eta}`,
  );
}

/** `, 1.91 cores in use (ferretdb 0.52, scoring 0.41, …)` between two samples read with `cpuSeconds`. */
function coresOf(from: Sample, to: Sample): string {
  if (!from.cpu || !to.cpu || to.atMs <= from.atMs) return '';
  const seconds = (to.atMs - from.atMs) / 1000;
  const cores = Object.entries(to.cpu)
    .map(([name, cpu]) => [name, (cpu - (from.cpu![name] ?? cpu)) / seconds] as const)
    .sort((a, b) => b[1] - a[1]);
  const total = cores.reduce((sum, [, used]) => sum + used, 0);
  const top = cores.slice(0, 3).map(([name, used]) => `${name} ${used.toFixed(2)}`);
  return `, ${total.toFixed(2)} cores in use (${top.join(', ')}, …)`;
}

/** `scoring 1200, lifecycle 40, …`: where the backlog sits. */
function outstandingOf(now: PipelineProgress): string {
  return Object.entries(now.outstanding)
    .map(([stage, events]) => `${stage} ${events}`)
    .join(', ');
}
