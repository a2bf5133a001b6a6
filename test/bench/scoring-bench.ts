// Scoring alone, in process: how fast one scoring instance applies interactions
// taken straight from the stream (rules with a predicate and a tag included), and
// how fast a recompute rebuilds every contact from its stored records.
import { topology, type InteractionRecorded } from '@cei/contracts';
import { createLogger } from '@cei/config';
import { connectNats, publishInteraction, type Nats } from '@cei/nats';
import { testNamespace, TEST_SECRET } from '@cei/testing';
import { loadScoringConfig } from '@cei/scoring/src/config';
import { startScoring } from '@cei/scoring/src/server';

export interface ScoringBenchSizes {
  interactions: number;
  contacts: number;
}

export interface ScoringBenchLimits {
  /** Date.now() after which scoring and the recompute are no longer waited for: what was done is reported. */
  deadline?: number;
}

const RECOMPUTE_STALL_MS = 120_000;

/**
 * `BENCH_TEXTS=given|detected`: every interaction also carries a short text to score for
 * sentiment (four languages in turn), with its `language` or without (detected): the
 * sentiment analyser's share of scoring's cost.
 */
const TEXTS: [string, string][] = [
  ['en', 'Great service, the support team was very helpful.'],
  ['de', 'Die Lieferung kam zu spät und der Karton war beschädigt.'],
  ['fr', 'Je voudrais modifier mon adresse de livraison.'],
  ['id', 'Pelayanan buruk, tidak ada yang membalas email saya.'],
];
function textOf(i: number): Record<string, string> {
  const mode = process.env.BENCH_TEXTS;
  if (mode !== 'given' && mode !== 'detected') return {};
  const [language, text] = TEXTS[i % TEXTS.length]!;
  return mode === 'given' ? { text, language } : { text };
}

export async function measureScoring(
  natsUrl: string,
  mongoUrl: string,
  sizes: ScoringBenchSizes,
  progress: (message: string) => void,
  limits: ScoringBenchLimits = {},
) {
  const deadline = limits.deadline ?? Infinity;
  const namespace = testNamespace('benchscore');
  const ns = topology(namespace);
  const config = loadScoringConfig({
    NATS_URL: natsUrl,
    MONGO_URL: mongoUrl,
    CEI_NAMESPACE: namespace,
    CEI_INTERNAL_SECRET: TEST_SECRET,
    SCORING_PORT: '0',
  });
  const scoring = await startScoring(config, createLogger('scoring', 'error'));
  const nats = await connectNats(natsUrl, 'bench-scoring');
  const ws = 'bench';
  try {
    await scoring.rules.create(ws, { kind: 'PAGE_VISIT', points: 1 }, 'bench');
    await scoring.rules.create(ws, { kind: 'PAGE_VISIT', variant: 'AD', points: 3 }, 'bench');
    await scoring.rules.create(
      ws,
      {
        type: 'ADVANCED',
        kind: 'PAGE_VISIT',
        when: { predicates: [{ field: 'URL', operator: 'CONTAINS', value: '/pricing' }] },
        effect: { general: 5, tags: [{ tag: 'pricing', points: 2 }] },
        cap: { points: 20, period: 'DAY' },
      },
      'bench',
    );

    progress(`scoring: publishing ${sizes.interactions} interactions over ${sizes.contacts} contacts…`);
    const started = performance.now();
    const t0 = Date.parse('2026-11-01T00:00:00Z');
    const inFlight = new Set<Promise<unknown>>();
    for (let i = 0; i < sizes.interactions; i++) {
      const contactId = `c${i % sizes.contacts}`;
      const at = new Date(t0 + i * 1000).toISOString();
      const event: InteractionRecorded = {
        v: 1,
        workspaceId: ws,
        interactionId: `b${i}`,
        contactId,
        email: null,
        kind: 'PAGE_VISIT',
        variant: i % 5 === 0 ? 'AD' : 'DIRECT',
        occurredAt: at,
        recordedAt: at,
        properties: { url: i % 7 === 0 ? '/pricing' : `/blog/${i % 50}`, ...textOf(i) },
      };
      const sent = publishInteraction(nats.js, ns, event);
      inFlight.add(sent);
      void sent.finally(() => inFlight.delete(sent));
      if (inFlight.size >= 256) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    const publishedAfterMs = performance.now() - started;
    progress('scoring: waiting until every interaction is scored…');
    const unscored = await drained(nats, ns.streams.interactions.name, 'scoring-', progress, deadline);
    const scoredMs = performance.now() - started;
    const scored = {
      interactions: sizes.interactions,
      contacts: sizes.contacts,
      instances: 1,
      publishedPerSecond: Math.round((sizes.interactions / publishedAfterMs) * 1000),
      // From the first publish until the last score was written (or the deadline): the stream was never the bottleneck.
      scoredInteractionsPerSecond: Math.round(((sizes.interactions - unscored) / scoredMs) * 1000),
    };
    if (unscored > 0) {
      const stoppedAtDeadline = `${sizes.interactions - unscored} of ${sizes.interactions} interactions scored`;
      progress(`scoring: stopped waiting at the deadline, ${stoppedAtDeadline}`);
      return {
        ...scored,
        stoppedAtDeadline,
        recompute: { skipped: 'not every interaction was stored by the deadline' },
      };
    }

    progress(`recompute: rebuilding ${sizes.contacts} contacts from ${sizes.interactions} stored interactions…`);
    const recomputeStarted = performance.now();
    const job = await scoring.jobs.start(ws, { dryRun: false, rules: null }, 'bench');
    // A job whose count stops moving is reported as stalled, with the other figures, not waited on forever;
    // one still moving at the deadline is reported with the share of contacts it had done.
    let done = -1;
    let total = sizes.contacts;
    let movedAt = performance.now();
    let stalled: string | undefined;
    let stoppedAtDeadline: string | undefined;
    for (;;) {
      const state = await scoring.jobs.get(ws, job.jobId);
      if (state?.state === 'DONE') break;
      if (state?.state === 'FAILED') throw new Error(`recompute failed: ${state.error}`);
      if (state?.total) total = state.total;
      if (state && state.done !== done) {
        done = state.done;
        movedAt = performance.now();
      } else if (performance.now() - movedAt > RECOMPUTE_STALL_MS) {
        stalled = `${state?.done} of ${state?.total} contacts counted done, and no more for ${RECOMPUTE_STALL_MS / 1000} s`;
        progress(`recompute: stalled, ${stalled}`);
        break;
      }
      if (Date.now() >= deadline) {
        stoppedAtDeadline = `${Math.max(0, done)} of ${total} contacts done`;
        progress(`recompute: stopped waiting at the deadline, ${stoppedAtDeadline}`);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const recomputeMs = performance.now() - recomputeStarted;
    // At the deadline: the contacts done so far, and their interactions (each contact holds an equal share).
    const contactsDone = stoppedAtDeadline ? Math.max(0, done) : total;
    const recomputed = (sizes.interactions * contactsDone) / total;
    return {
      ...scored,
      recompute: {
        storedInteractions: sizes.interactions,
        contacts: sizes.contacts,
        ...(stalled ? { stalled } : {}),
        ...(stoppedAtDeadline ? { stoppedAtDeadline } : {}),
        seconds: stalled ? null : Math.round(recomputeMs / 100) / 10,
        interactionsPerSecond: stalled ? null : Math.round((recomputed / recomputeMs) * 1000),
        contactsPerSecond: stalled ? null : Math.round((contactsDone / recomputeMs) * 1000),
      },
    };
  } finally {
    await nats.close();
    await scoring.stop();
  }
}

/** Waits until the consumers named `<prefix>…` have acknowledged everything, or the deadline; returns what is left. */
async function drained(
  nats: Nats,
  stream: string,
  prefix: string,
  progress: (message: string) => void,
  deadline: number,
): Promise<number> {
  let lastReport = 0;
  for (;;) {
    let outstanding = 0;
    for await (const consumer of nats.jsm.consumers.list(stream)) {
      if (consumer.name.startsWith(prefix)) outstanding += consumer.num_pending + consumer.num_ack_pending;
    }
    if (outstanding === 0 || Date.now() >= deadline) return outstanding;
    if (Date.now() - lastReport > 10_000) {
      progress(`scoring: ${outstanding} still to score…`);
      lastReport = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
