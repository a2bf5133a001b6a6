// Where the accepted → phaseChanged time of the latency phase goes, hop by hop, from the times
// JetStream stored each contact's first event in each stream: accepted (the HTTP answer) →
// interaction stored (ingestion's publish) → score change stored (scoring) → phase change stored
// (lifecycle) → pushed to the graphql-ws client (the gateway, with the payload's fields resolved).
// All on one machine's clock (the NATS server's and this process's).
import { topology } from '@cei/contracts';
import type { Nats } from '@cei/nats';

const round1 = (n: number) => Math.round(n * 10) / 10;

function percentiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length === 0 ? null : round1(sorted[Math.ceil((p / 100) * sorted.length) - 1]!));
  return { p50Ms: at(50), p99Ms: at(99) };
}

/**
 * When each contact (id starting with `prefix`) first appears in the stream, in epoch ms: read from
 * `since` (epoch ms) to the stream's end, so a stream that holds an earlier bulk load (`pnpm bench`
 * runs this after 200,000 interactions) is not read from its start.
 */
async function firstStored(nats: Nats, stream: string, prefix: string, since: number): Promise<Map<string, number>> {
  const first = new Map<string, number>();
  const { state } = await nats.jsm.streams.info(stream);
  if (state.messages === 0) return first;
  const reader = await nats.js.consumers.get(stream, {
    deliver_policy: 'by_start_time',
    opt_start_time: new Date(since).toISOString(),
  });
  try {
    for (let done = false; !done;) {
      let read = 0;
      for await (const msg of await reader.fetch({ max_messages: 10_000, expires: 5_000 })) {
        read++;
        const contactId = (msg.json<{ contactId?: unknown }>() ?? {}).contactId;
        if (typeof contactId === 'string' && contactId.startsWith(prefix) && !first.has(contactId)) {
          first.set(contactId, Number(msg.info.timestampNanos) / 1e6);
        }
        if (msg.seq >= state.last_seq) done = true;
      }
      if (read === 0) done = true;
    }
  } finally {
    await reader.delete();
  }
  return first;
}

/**
 * Per hop, p50 and p99 over the contacts that went all the way. `acceptedAt` and `pushedAt` are
 * epoch ms per contact; `since`, the epoch ms the load started.
 */
export async function latencyHops(
  nats: Nats,
  namespace: string,
  prefix: string,
  acceptedAt: ReadonlyMap<string, number>,
  pushedAt: ReadonlyMap<string, number>,
  since: number,
) {
  const { streams } = topology(namespace);
  const recorded = await firstStored(nats, streams.interactions.name, prefix, since);
  const scored = await firstStored(nats, streams.scores.name, prefix, since);
  const phased = await firstStored(nats, streams.phases.name, prefix, since);
  const hops = {
    acceptedToInteractionStored: [] as number[],
    interactionToScoreChangeStored: [] as number[],
    scoreChangeToPhaseChangeStored: [] as number[],
    phaseChangeToPushed: [] as number[],
  };
  for (const [contactId, accepted] of acceptedAt) {
    const [r, s, p, pushed] = [recorded, scored, phased, pushedAt].map((m) => m.get(contactId));
    if (r === undefined || s === undefined || p === undefined || pushed === undefined) continue;
    // The background publisher may store the interaction before the HTTP answer arrives: no wait.
    hops.acceptedToInteractionStored.push(Math.max(0, r - accepted));
    hops.interactionToScoreChangeStored.push(s - r);
    hops.scoreChangeToPhaseChangeStored.push(p - s);
    hops.phaseChangeToPushed.push(pushed - p);
  }
  return {
    contacts: hops.acceptedToInteractionStored.length,
    ...Object.fromEntries(Object.entries(hops).map(([hop, values]) => [hop, percentiles(values)])),
  };
}
