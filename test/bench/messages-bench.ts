// Notification's message hop under load: phase changes published to NATS at a stated rate, each
// firing a rule whose email (Liquid-rendered) goes to a real local SMTP server (smtp-server);
// measured from the publish to the SMTP server having the email. The notification service runs
// in process (its consumers, the database writes of every decision and the SMTP client are real).
import { createLogger } from '@cei/config';
import { topology, type InteractionRecorded, type PhaseChanged } from '@cei/contracts';
import { connectNats, publishEvent, publishInteraction } from '@cei/nats';
import { callSubgraph, startSmtpSink, TEST_SECRET, testNamespace, testWorkspace, waitFor } from '@cei/testing';
import { loadNotificationConfig } from '@cei/notification/src/config';
import { startNotification } from '@cei/notification/src/server';

export interface MessagesBenchOptions {
  /** Phase changes (one contact each) published. */
  events: number;
  /** Published per second. */
  rate: number;
}

export const MESSAGES_SIZES: MessagesBenchOptions = { events: 500, rate: 50 };

export interface MessagesBenchResult {
  events: number;
  ratePerSecond: number;
  emailsReceived: number;
  /** Emails that never reached the SMTP server within the deadline (must be 0). */
  lost: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

export async function measureRuleToEmail(
  natsUrl: string,
  mongoUrl: string,
  progress: (message: string) => void,
  { events, rate }: MessagesBenchOptions = MESSAGES_SIZES,
): Promise<MessagesBenchResult> {
  const namespace = testNamespace('benchmessages');
  const ns = topology(namespace);
  const ws = testWorkspace('bench');
  const sent = new Map<string, number>();
  const latencies: number[] = [];
  const sink = await startSmtpSink({
    onEmail: (email) => {
      const at = sent.get(email.to[0]!);
      if (at !== undefined) latencies.push(performance.now() - at);
    },
  });
  const config = loadNotificationConfig({
    NATS_URL: natsUrl,
    MONGO_URL: mongoUrl,
    CEI_NAMESPACE: namespace,
    CEI_INTERNAL_SECRET: TEST_SECRET,
    NOTIFICATION_PORT: '0',
    SMTP_URL: sink.url,
    LOG_LEVEL: 'error',
  });
  const notification = await startNotification(config, createLogger('notification', 'error'));
  const nats = await connectNats(natsUrl, 'bench-messages');
  try {
    const contacts = Array.from({ length: events }, (_, i) => `c${i}`);
    progress(`messages: giving ${events} contacts an email address…`);
    const now = new Date().toISOString();
    for (const contactId of contacts) {
      const interaction: InteractionRecorded = {
        v: 1,
        workspaceId: ws,
        interactionId: `${contactId}-i`,
        contactId,
        email: `${contactId}@example.com`,
        kind: 'PAGE_VISIT',
        variant: null,
        occurredAt: now,
        recordedAt: now,
        properties: { name: contactId.toUpperCase() },
      };
      await publishInteraction(nats.js, ns, interaction, interaction.interactionId);
    }
    const known = async (contactId: string) => {
      const res = await callSubgraph<{ previewNotificationRule: { actions: { to: string | null }[] } }>(
        notification.url,
        { workspaceId: ws, role: 'read' },
        `query($c: ID!, $i: NotificationRuleInput) { previewNotificationRule(input: $i, contactId: $c) { actions { to } } }`,
        {
          c: contactId,
          i: {
            name: 'p',
            trigger: { kind: 'PHASE_ENTERED', phase: 'PURCHASE' },
            actions: [{ kind: 'EMAIL_CONTACT', subject: 's', body: 'b' }],
          },
        },
      );
      return res.data?.previewNotificationRule.actions[0]?.to === `${contactId}@example.com`;
    };
    await waitFor('every address known', async () => (await Promise.all(contacts.map(known))).every(Boolean), {
      timeoutMs: 120_000,
      intervalMs: 500,
    });
    const rule = await callSubgraph(
      notification.url,
      { workspaceId: ws, role: 'admin' },
      `mutation($i: NotificationRuleInput!) { createNotificationRule(input: $i) { id } }`,
      {
        i: {
          name: 'bench',
          enabled: true,
          trigger: { kind: 'PHASE_ENTERED', phase: 'PURCHASE' },
          actions: [
            {
              kind: 'EMAIL_CONTACT',
              subject: 'Tips for {{ contact.name }}',
              body: '{{ contact.name }} entered {{ contact.phase | downcase }}.',
            },
          ],
        },
      },
    );
    if (rule.errors) throw new Error(JSON.stringify(rule.errors));

    progress(`messages: ${events} phase changes at ${rate}/s…`);
    const start = performance.now();
    for (const [i, contactId] of contacts.entries()) {
      const due = start + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const change: PhaseChanged = {
        v: 1,
        workspaceId: ws,
        contactId,
        transitionId: `${contactId}~1`,
        from: 'NURTURE',
        to: 'PURCHASE',
        half: 'PROSPECT',
        reason: 'bench',
        at: new Date().toISOString(),
      };
      sent.set(`${contactId}@example.com`, performance.now());
      await publishEvent(nats.js, ns.subjects.phaseChanged(ws, contactId), change, `bench-${ws}-${contactId}`);
    }
    await waitFor('every email', () => latencies.length >= events, { timeoutMs: 120_000, intervalMs: 100 }).catch(
      () => undefined,
    );
    const sorted = [...latencies].sort((a, b) => a - b);
    const round = (ms: number) => Math.round(ms * 10) / 10;
    return {
      events,
      ratePerSecond: rate,
      emailsReceived: sink.received.length,
      lost: events - latencies.length,
      p50Ms: round(percentile(sorted, 0.5)),
      p99Ms: round(percentile(sorted, 0.99)),
      maxMs: round(sorted[sorted.length - 1] ?? NaN),
    };
  } finally {
    await nats.close();
    await notification.stop();
    await sink.stop();
  }
}
