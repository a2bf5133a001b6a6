// Accepted → phaseChanged at a graphql-ws client, under a sustained load: single-interaction
// trackInteractions requests sent on a fixed schedule (as many in flight as the schedule needs),
// each a PAGE_VISIT that takes a fresh contact over the purchase threshold. The clock starts when
// the request is answered (accepted) and stops when the client receives that contact's push.
// After `warmUpContacts`, each contact has had a LINK_CLICK below the threshold (sent in bulk, and
// the pipeline left to drain), so the timed interaction is a known contact's, as most are.
import type { Nats } from '@cei/nats';
import { failureText, gql as callGql, leanGql, subscribe } from '../src/gateway-client';
import { latencyHops } from './latency-hops';
import { createPipelineProbe, isDrained } from './pipeline-progress';

const MAX_IN_FLIGHT = 400;
/** A schedule the platform cannot keep is cut off this long after its planned end: the rate achieved says so. */
const OVERRUN_MS = 5_000;
const PUSH_WAIT_MS = 30_000;

export interface LatencyBenchOptions {
  httpUrl: string;
  wsUrl: string;
  readKey: string;
  writeKey: string;
  ratePerSecond: number;
  seconds: number;
  /** Contact ids start with it: fresh contacts, and pushes of anyone else are ignored. */
  contactPrefix: string;
  progress: (message: string) => void;
  /** Where the platform's streams are: the result then says how long each hop took (latency-hops). */
  streams?: { nats: Nats; namespace: string };
  /** The contacts were given an interaction before (`warmUpContacts`): said in the result. */
  known?: boolean;
}

/** The mutation both the warm-up and the timed load send (answered with how many were accepted). */
const TRACK = `mutation($i: [InteractionInput!]!) { trackInteractions(interactions: $i) { accepted } }`;
const WARM_UP_BATCH = 500;
const DRAIN_WAIT_MS = 120_000;

/**
 * Makes the contacts `measureLatency` will time known ones: gives each a LINK_CLICK (the platform
 * needs a LINK_CLICK rule worth less than the purchase threshold) and waits until the pipeline is
 * idle. Run before the CPU and server counters are read, so that they count the timed load alone.
 */
export async function warmUpContacts(
  opts: Pick<
    LatencyBenchOptions,
    'httpUrl' | 'writeKey' | 'ratePerSecond' | 'seconds' | 'contactPrefix' | 'progress'
  > & {
    streams: { nats: Nats; namespace: string };
  },
): Promise<void> {
  const contacts = Math.round(opts.ratePerSecond * opts.seconds);
  opts.progress(`latency: ${contacts} contacts get a first interaction below the threshold…`);
  for (let from = 0; from < contacts; from += WARM_UP_BATCH) {
    const batch = Array.from({ length: Math.min(WARM_UP_BATCH, contacts - from) }, (_, k) => {
      const contactId = `${opts.contactPrefix}${from + k}`;
      return { id: `${contactId}-click`, kind: 'LINK_CLICK', contactId, properties: { url: '/blog' } };
    });
    const response = await callGql<{ trackInteractions: { accepted: number } }>(opts.httpUrl, opts.writeKey, TRACK, {
      i: batch,
    });
    if (response.data?.trackInteractions.accepted !== batch.length) {
      throw new Error(`the warm-up was not accepted: ${JSON.stringify(response.errors ?? response.data)}`);
    }
  }
  const probe = createPipelineProbe(opts.streams.nats, opts.streams.namespace);
  const deadline = performance.now() + DRAIN_WAIT_MS;
  try {
    for (;;) {
      const progress = await probe.sample();
      // Past the second the hops look back before the timed load (latencyHops), so none is the warm-up's.
      if (isDrained(progress, progress.published)) {
        await sleep(1_500);
        return;
      }
      if (performance.now() > deadline) throw new Error('the warm-up did not drain in 2 minutes');
      await sleep(500);
    }
  } finally {
    await probe.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round1 = (n: number) => Math.round(n * 10) / 10;

/** Nearest-rank percentiles of what was measured, in ms. */
function percentiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length === 0 ? null : round1(sorted[Math.ceil((p / 100) * sorted.length) - 1]!));
  return { p50Ms: at(50), p95Ms: at(95), p99Ms: at(99), maxMs: at(100) };
}

export async function measureLatency(opts: LatencyBenchOptions) {
  const requests = Math.round(opts.ratePerSecond * opts.seconds);
  opts.progress(
    `latency: ${requests} single-interaction requests at ${opts.ratePerSecond}/s, accepted → phaseChanged received…`,
  );
  const sentAt = new Map<string, number>();
  const acceptedAt = new Map<string, number>();
  const pushedAt = new Map<string, number>();
  const subscription = subscribe<{ phaseChanged: { to: string; contact: { id: string } } }>(
    opts.wsUrl,
    opts.readKey,
    `subscription { phaseChanged { to contact { id score { general } } } }`,
    {},
    (result) => {
      const change = result.data?.phaseChanged;
      const id = change?.contact.id;
      if (change?.to === 'PURCHASE' && id?.startsWith(opts.contactPrefix) && !pushedAt.has(id)) {
        pushedAt.set(id, performance.now());
      }
    },
  );
  await subscription.connected;
  // The requests go out on keep-alive node:http connections, one per request in flight (fetch cost this
  // process ~1 ms more CPU per request, on the two cores the platform it measures runs on).
  const gql = leanGql(MAX_IN_FLIGHT);
  const cpuBefore = process.cpuUsage();
  try {
    const roundTrips: number[] = [];
    let failed = 0;
    let firstFailure: string | undefined;
    let lastAcceptedAt = 0;
    const inFlight = new Set<Promise<void>>();
    const intervalMs = 1000 / opts.ratePerSecond;
    const started = performance.now();
    const cutOffAt = started + opts.seconds * 1000 + OVERRUN_MS;
    let sent = 0;
    for (let i = 0; i < requests; i++) {
      const wait = started + i * intervalMs - performance.now();
      if (wait >= 1) await sleep(wait);
      if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
      if (performance.now() > cutOffAt) break;
      sent++;
      const contactId = `${opts.contactPrefix}${i}`;
      const sentTime = performance.now();
      sentAt.set(contactId, sentTime);
      const request = gql<{ trackInteractions: { accepted: number } }>(opts.httpUrl, opts.writeKey, TRACK, {
        i: [{ id: `${contactId}-visit`, kind: 'PAGE_VISIT', contactId, properties: { url: '/pricing' } }],
      })
        .then((response) => {
          if (response.data?.trackInteractions.accepted !== 1) {
            throw new Error(`HTTP ${response.status}: ${JSON.stringify(response.errors ?? response.data)}`);
          }
          const now = performance.now();
          acceptedAt.set(contactId, now);
          lastAcceptedAt = Math.max(lastAcceptedAt, now);
          roundTrips.push(now - sentTime);
        })
        .catch((err: unknown) => {
          failed++;
          firstFailure ??= failureText(err);
        })
        .finally(() => inFlight.delete(request));
      inFlight.add(request);
    }
    const sendingMs = performance.now() - started;
    await Promise.all(inFlight);
    const clientCpu = process.cpuUsage(cpuBefore);

    // Waiting for the last pushes (their times were taken as they came).
    const pushDeadline = performance.now() + PUSH_WAIT_MS;
    const allPushed = () => [...acceptedAt.keys()].every((id) => pushedAt.has(id));
    while (!allPushed() && performance.now() < pushDeadline) await sleep(50);

    const latencies = [...acceptedAt].flatMap(([id, at]) => {
      const pushed = pushedAt.get(id);
      // A push may beat the HTTP answer to the client: that is no wait at all.
      return pushed === undefined ? [] : [Math.max(0, pushed - at)];
    });
    // What the sender waits in all, the accept's round trip included: when the platform cannot keep
    // up, the queue forms in front of the accept or behind it, and only this counts both alike.
    const sentToPushed = [...acceptedAt.keys()].flatMap((id) => {
      const pushed = pushedAt.get(id);
      return pushed === undefined ? [] : [pushed - sentAt.get(id)!];
    });
    // performance.now() → epoch ms, for comparing with the times JetStream stored.
    const epoch = Date.now() - performance.now();
    const inEpoch = (times: Map<string, number>) => new Map([...times].map(([id, t]) => [id, t + epoch]));
    const hops = opts.streams
      ? await latencyHops(
          opts.streams.nats,
          opts.streams.namespace,
          opts.contactPrefix,
          inEpoch(acceptedAt),
          inEpoch(pushedAt),
          // A second early: the server's clock and ours are the same machine's.
          started + epoch - 1_000,
        )
      : undefined;
    return {
      load:
        `${opts.ratePerSecond} requests/s of 1 interaction for ${opts.seconds} s, each taking a ` +
        `${opts.known ? 'known contact (one interaction before, below it)' : 'fresh contact'} over the purchase threshold`,
      requests: sent,
      ...(sent < requests
        ? { cutOff: `${sent} of ${requests} requests sent by ${opts.seconds} s + ${OVERRUN_MS / 1000} s` }
        : {}),
      sentPerSecond: Math.round((sent / sendingMs) * 1000),
      accepted: acceptedAt.size,
      // Accepted requests per second, from the first request sent until the last one answered.
      achievedPerSecond: Math.round((acceptedAt.size / (lastAcceptedAt - started)) * 1000),
      ...(failed > 0 ? { failedRequests: failed, firstFailure } : {}),
      samples: latencies.length,
      ...(latencies.length < acceptedAt.size ? { pushesMissingAfter30s: acceptedAt.size - latencies.length } : {}),
      ...percentiles(latencies),
      requestRoundTrip: percentiles(roundTrips),
      sentToPushed: percentiles(sentToPushed),
      // This process's own CPU per request sent (requests, answers and the subscription's pushes).
      clientCpuMillisecondsPerRequest: sent > 0 ? round1((clientCpu.user + clientCpu.system) / 1000 / sent) : null,
      ...(hops ? { hops } : {}),
    };
  } finally {
    await subscription.dispose();
  }
}
