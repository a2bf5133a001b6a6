// Lifecycle alone, in process: how fast a policy change re-evaluates a workspace's contacts
// (the job lists them, asks each owner, and each owner evaluates its contacts again in
// order with their score changes and records the job's progress), at N contacts.
import { messageIds, topology, type ScoreChanged } from '@cei/contracts';
import { createLogger } from '@cei/config';
import { connectNats, publishEvent, type Nats } from '@cei/nats';
import { callSubgraph, testNamespace, TEST_SECRET } from '@cei/testing';
import { loadLifecycleConfig } from '@cei/lifecycle/src/config';
import { startLifecycle } from '@cei/lifecycle/src/server';

export interface PolicyReevaluationLimits {
  /** Date.now() after which the job is no longer waited for: what was done is reported. */
  deadline?: number;
}

interface JobState {
  status: string;
  total: number | null;
  done: number;
  transitions: number;
}

const STALL_MS = 120_000;

/**
 * Seeds `contacts` contacts (general scores 0–99, so a purchase threshold lowered from 50 to 30
 * moves a fifth of them), then changes the policy and times its re-evaluation job to DONE.
 */
export async function measurePolicyReevaluation(
  natsUrl: string,
  mongoUrl: string,
  contacts: number,
  progress: (message: string) => void,
  limits: PolicyReevaluationLimits = {},
) {
  const deadline = limits.deadline ?? Infinity;
  const namespace = testNamespace('benchpolicy');
  const ns = topology(namespace);
  const config = loadLifecycleConfig({
    NATS_URL: natsUrl,
    MONGO_URL: mongoUrl,
    CEI_NAMESPACE: namespace,
    CEI_INTERNAL_SECRET: TEST_SECRET,
    LIFECYCLE_PORT: '0',
  });
  const lifecycle = await startLifecycle(config, createLogger('lifecycle', 'error'));
  const nats = await connectNats(natsUrl, 'bench-policy');
  const ws = 'bench';
  const admin = { workspaceId: ws, role: 'admin' as const };
  try {
    progress(`policy: seeding ${contacts} contacts through score changes…`);
    const at = new Date().toISOString();
    const inFlight = new Set<Promise<unknown>>();
    for (let i = 0; i < contacts; i++) {
      const change: ScoreChanged = {
        v: 1,
        workspaceId: ws,
        contactId: `c${i}`,
        cause: 'INTERACTION',
        interactionId: `seed${i}`,
        kind: 'PAGE_VISIT',
        occurredAt: at,
        delta: i % 100,
        general: i % 100,
        stage: i % 100,
        engagementIndex: 0,
        at,
      };
      const sent = publishEvent(
        nats.js,
        ns.subjects.scoreChanged(ws, change.contactId),
        change,
        messageIds.scoreChanged(ws, change.interactionId!),
      );
      inFlight.add(sent);
      void sent.finally(() => inFlight.delete(sent));
      if (inFlight.size >= 256) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    const left = await drained(nats, ns.streams.scores.name, deadline);
    if (left > 0) return { contacts, skipped: `${left} seed score changes not applied by the deadline` };

    progress(`policy: re-evaluating ${contacts} contacts under a lower purchase threshold…`);
    const started = performance.now();
    const set = await callSubgraph<{ updateLifecyclePolicy: { reevaluation: { id: string } } }>(
      lifecycle.url,
      admin,
      `mutation($input: LifecyclePolicyInput!) { updateLifecyclePolicy(input: $input) { reevaluation { id } } }`,
      { input: { purchaseEnterScore: 30, purchaseLeaveScore: 25, exitEnterScore: 20, exitLeaveScore: 25 } },
    );
    if (set.errors) throw new Error(`updateLifecyclePolicy failed: ${JSON.stringify(set.errors)}`);
    const jobId = set.data!.updateLifecyclePolicy.reevaluation.id;
    // A job whose count stops moving is reported as stalled; one still moving at the deadline with its share done.
    let state: JobState | null = null;
    let done = -1;
    let movedAt = performance.now();
    let stalled: string | undefined;
    let stoppedAtDeadline: string | undefined;
    for (;;) {
      const answer = await callSubgraph<{ lifecyclePolicyJob: JobState | null }>(
        lifecycle.url,
        admin,
        `query($id: ID!) { lifecyclePolicyJob(id: $id) { status total done transitions } }`,
        { id: jobId },
      );
      state = answer.data?.lifecyclePolicyJob ?? null;
      if (state?.status === 'DONE') break;
      if (state?.status === 'FAILED') throw new Error('the policy re-evaluation job failed');
      if (state && state.done !== done) {
        done = state.done;
        movedAt = performance.now();
      } else if (performance.now() - movedAt > STALL_MS) {
        stalled = `${state?.done} of ${state?.total ?? contacts} contacts done, and no more for ${STALL_MS / 1000} s`;
        break;
      }
      if (Date.now() >= deadline) {
        stoppedAtDeadline = `${Math.max(0, done)} of ${contacts} contacts done`;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const ms = performance.now() - started;
    const contactsDone = state?.done ?? 0;
    return {
      contacts,
      ...(stalled ? { stalled } : {}),
      ...(stoppedAtDeadline ? { stoppedAtDeadline } : {}),
      transitions: state?.transitions ?? null,
      expectedTransitions: Array.from({ length: contacts }, (_, i) => i % 100).filter((s) => s >= 30 && s < 50).length,
      seconds: Math.round(ms / 100) / 10,
      contactsPerSecond: stalled ? null : Math.round((contactsDone / ms) * 1000),
    };
  } finally {
    await nats.close();
    await lifecycle.stop();
  }
}

/** Waits until lifecycle's consumers have acknowledged everything in the stream, or the deadline; returns what is left. */
async function drained(nats: Nats, stream: string, deadline: number): Promise<number> {
  for (;;) {
    let outstanding = 0;
    for await (const consumer of nats.jsm.consumers.list(stream)) {
      if (consumer.name.startsWith('lifecycle-')) outstanding += consumer.num_pending + consumer.num_ack_pending;
    }
    if (outstanding === 0 || Date.now() >= deadline) return outstanding;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
