// The delivery consumer: a partitioned consumer of the WEBHOOKS stream (durable `webhooks`).
// Subjects are partitioned by endpoint, so exactly one instance owns an endpoint at a time:
// it alone writes the endpoint's health document, and its concurrency limit is the
// endpoint's. The consumer's ordering key is (endpoint, contact): one contact's deliveries
// to one endpoint go out in stream order, and a failing one holds only the later ones of
// that contact for that endpoint.
//
// Retries are JetStream redeliveries: a batch with a failed attempt throws, so the
// consumer redelivers it after an exponential backoff with jitter (partitioned-consumer.ts),
// then one event at a time, holding later events of the same key in hand. What already
// succeeded is not sent again: each finished run has an insert-only outcome document
// (`<delivery>:<run>`) checked by _id before sending. On its last allowed attempt a
// delivery that still fails is dead-lettered (outcome DEAD_LETTERED) and acknowledged;
// `replayWebhookDelivery` publishes it again as a new run with the same webhook-id.
//
// Crash (kill -9) mid-delivery: the message was not acknowledged, so JetStream redelivers
// it after its ack wait to whichever instance then owns the partition, which sends it again
// with the same webhook-id: at-least-once, deduplicated by the receiver.
import type { Logger } from '@cei/config';
import { appendNew, loadByIds, type Database } from '@cei/mongo';
import { groupByContact, NOT_ABANDONED, type BatchContext, type Delivery, type VersionedConfig } from '@cei/nats';
import { eventJson, type Topology } from '@cei/contracts';
import { publishInOrder, type Nats } from '@cei/nats';
import { deliveryIdOf, EVENT_TYPES, type DeliveryMessage } from './fanout';
import type {
  WebhookAttemptDoc,
  WebhookEndpointDoc,
  WebhookHealthDoc,
  WebhookModels,
  WebhookOutcomeDoc,
} from './models';
import { sendWebhook } from './send';
import { signedHeaders, signingSecrets } from './signing';
import type { PrivateAllowance } from './ssrf';

/** What the partitioned consumer orders by: `contactId` is the key `<endpoint>/<contact>`. */
export interface DeliveryEvent {
  workspaceId: string;
  contactId: string;
  message: DeliveryMessage;
}

export function decodeDelivery(data: Uint8Array): DeliveryEvent {
  const message = eventJson(data) as DeliveryMessage;
  if (message.v !== 1 || typeof message.deliveryId !== 'string' || typeof message.body !== 'string')
    throw new Error('not a webhook delivery (v1)');
  return { workspaceId: message.workspaceId, contactId: `${message.endpointId}/${message.contactId}`, message };
}

export interface DeliverySettings {
  maxAttempts: number;
  timeoutMs: number;
  concurrency: number;
  disableAfterMs: number;
  allow: PrivateAllowance;
}

/** A tiny semaphore per endpoint: at most `limit` requests in flight to it from this owner. */
function limiter(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    while (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await work();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

export class DeliveryFailedError extends Error {}

export function createWebhookDeliverer(
  db: Database,
  nats: Nats,
  topology: Topology,
  models: WebhookModels,
  endpoints: VersionedConfig<WebhookEndpointDoc[]>,
  settings: DeliverySettings,
  log: Logger,
) {
  const limiters = new Map<string, ReturnType<typeof limiter>>();
  const limitFor = (key: string) => {
    let l = limiters.get(key);
    if (!l) limiters.set(key, (l = limiter(settings.concurrency)));
    return l;
  };

  const disabledNotices = (
    disabled: WebhookEndpointDoc,
    h: WebhookHealthDoc,
    workspaceEndpoints: WebhookEndpointDoc[],
  ) => {
    const eventId = `${disabled.id}@${h.failingSince!.toISOString()}`;
    const body = JSON.stringify({
      type: EVENT_TYPES.WEBHOOK_ENDPOINT_DISABLED,
      timestamp: h.disabledAt!.toISOString(),
      data: {
        workspaceId: disabled.workspaceId,
        endpointId: disabled.id,
        url: disabled.url,
        failingSince: h.failingSince!.toISOString(),
        disabledAt: h.disabledAt!.toISOString(),
        reason: h.disabledReason,
      },
    });
    return workspaceEndpoints
      .filter((e) => e.id !== disabled.id && e.enabled && e.kinds.includes('WEBHOOK_ENDPOINT_DISABLED'))
      .map((target) => {
        const deliveryId = deliveryIdOf(disabled.workspaceId, target.id, 'WEBHOOK_ENDPOINT_DISABLED', eventId);
        const payload: DeliveryMessage = {
          v: 1,
          workspaceId: disabled.workspaceId,
          endpointId: target.id,
          deliveryId,
          run: 'first',
          contactId: '',
          eventId,
          type: EVENT_TYPES.WEBHOOK_ENDPOINT_DISABLED,
          body,
        };
        return {
          subject: topology.subjects.webhookDelivery(disabled.workspaceId, target.id),
          payload,
          msgId: `${deliveryId}:first`,
        };
      });
  };
  return async function deliverBatch(
    batch: Delivery<DeliveryEvent>[],
    _partition: number,
    context: BatchContext = NOT_ABANDONED,
  ): Promise<void> {
    const { signal } = context;
    const of = await endpoints.forWorkspaces(batch.map(({ event }) => event.workspaceId));
    const runKey = (m: DeliveryMessage) => `${m.deliveryId}:${m.run}`;
    const endpointKey = (m: DeliveryMessage) => `${m.workspaceId}:${m.endpointId}`;
    // Only a redelivered message can have finished before (its first delivery may have sent it):
    // a first delivery costs no read. (A run re-published by the fan-out after the duplicate window
    // would be sent again: at-least-once, same webhook-id.)
    const finished = await loadByIds(
      db,
      models.WebhookOutcomes,
      batch.filter((d) => d.redelivered).map(({ event }) => runKey(event.message)),
    );
    const healthKeys = [...new Set(batch.map(({ event }) => endpointKey(event.message)))];
    const loaded = await loadByIds(db, models.WebhookHealth, healthKeys);
    const health = new Map<string, WebhookHealthDoc>();
    const touched = new Set<string>();
    const attempts: WebhookAttemptDoc[] = [];
    const outcomes: WebhookOutcomeDoc[] = [];
    const disabledNow: { endpoint: WebhookEndpointDoc; health: WebhookHealthDoc }[] = [];
    let failed = 0;

    const healthOf = (m: DeliveryMessage, endpoint: WebhookEndpointDoc): WebhookHealthDoc => {
      const key = endpointKey(m);
      let h = health.get(key);
      if (!h) {
        h = loaded.get(key) ?? {
          _id: key,
          workspaceId: m.workspaceId,
          endpointId: m.endpointId,
          failingSince: null,
          consecutiveFailures: 0,
          lastSuccessAt: null,
          disabledAt: null,
          disabledReason: null,
        };
        // Enabled again by an admin after it was disabled: its failure streak starts over.
        if (h.disabledAt && endpoint.enabledAt > h.disabledAt) {
          h = { ...h, failingSince: null, consecutiveFailures: 0, disabledAt: null, disabledReason: null };
          touched.add(key);
        }
        health.set(key, h);
      }
      return h;
    };

    const deliverOne = async ({ event, deliveryCount }: Delivery<DeliveryEvent>): Promise<boolean> => {
      const m = event.message;
      const endpoint = of(m.workspaceId).find((e) => e.id === m.endpointId);
      const now = new Date();
      const base = {
        _id: `${runKey(m)}:${deliveryCount}`,
        workspaceId: m.workspaceId,
        endpointId: m.endpointId,
        deliveryId: m.deliveryId,
        run: m.run,
        attempt: deliveryCount,
        type: m.type,
        contactId: m.contactId,
        eventId: m.eventId,
        body: m.body,
      };
      const h = endpoint ? healthOf(m, endpoint) : undefined;
      if (!endpoint || !h || !endpoint.enabled || h.disabledAt) {
        const error = !endpoint
          ? 'endpoint removed'
          : h?.disabledAt
            ? `endpoint disabled: ${h.disabledReason}`
            : 'endpoint disabled by an admin';
        attempts.push({
          ...base,
          at: now,
          outcome: 'SKIPPED_DISABLED',
          statusCode: null,
          latencyMs: 0,
          responseExcerpt: '',
          error,
        });
        outcomes.push({
          _id: runKey(m),
          workspaceId: m.workspaceId,
          endpointId: m.endpointId,
          deliveryId: m.deliveryId,
          outcome: 'SKIPPED_DISABLED',
          at: now,
        });
        return true;
      }
      const at = new Date();
      const headers = signedHeaders(signingSecrets(endpoint.secrets, at), m.deliveryId, at, m.body);
      const result = await limitFor(endpointKey(m))(() =>
        sendWebhook(endpoint.url, m.body, headers, {
          workspaceId: m.workspaceId,
          allow: settings.allow,
          timeoutMs: settings.timeoutMs,
        }),
      );
      const record = {
        ...base,
        at,
        statusCode: result.statusCode,
        latencyMs: result.latencyMs,
        responseExcerpt: result.responseExcerpt,
        error: result.error,
      };
      const key = endpointKey(m);
      touched.add(key);
      // As other attempts to this endpoint in this batch left it meanwhile (they run concurrently).
      const latest = health.get(key)!;
      if (result.ok) {
        health.set(key, { ...latest, failingSince: null, consecutiveFailures: 0, lastSuccessAt: at });
        attempts.push({ ...record, outcome: 'DELIVERED' });
        outcomes.push({
          _id: runKey(m),
          workspaceId: m.workspaceId,
          endpointId: m.endpointId,
          deliveryId: m.deliveryId,
          outcome: 'DELIVERED',
          at,
        });
        return true;
      }
      const failingSince = latest.failingSince ?? at;
      const next: WebhookHealthDoc = { ...latest, failingSince, consecutiveFailures: latest.consecutiveFailures + 1 };
      if (!latest.disabledAt && at.getTime() - failingSince.getTime() >= settings.disableAfterMs) {
        next.disabledAt = at;
        next.disabledReason = `no successful delivery since ${failingSince.toISOString()} (${next.consecutiveFailures} failed attempts; last: ${result.error})`;
        log.warn(
          { workspaceId: m.workspaceId, endpointId: m.endpointId, reason: next.disabledReason },
          'webhook endpoint disabled after failing too long',
        );
        disabledNow.push({ endpoint, health: next });
      }
      health.set(key, next);
      if (deliveryCount >= settings.maxAttempts) {
        attempts.push({ ...record, outcome: 'DEAD_LETTERED' });
        outcomes.push({
          _id: runKey(m),
          workspaceId: m.workspaceId,
          endpointId: m.endpointId,
          deliveryId: m.deliveryId,
          outcome: 'DEAD_LETTERED',
          at,
        });
        log.warn(
          { workspaceId: m.workspaceId, endpointId: m.endpointId, deliveryId: m.deliveryId, attempts: deliveryCount },
          'webhook delivery dead-lettered',
        );
        return true;
      }
      attempts.push({ ...record, outcome: 'FAILED' });
      return false;
    };

    await Promise.all(
      [...groupByContact(batch).values()].map(async (group) => {
        for (const delivery of group) {
          if (finished.has(runKey(delivery.event.message))) continue;
          if (signal.aborted) return;
          if (!(await deliverOne(delivery))) {
            // Later deliveries of this contact to this endpoint wait for this one (order).
            failed++;
            return;
          }
        }
      }),
    );
    // Abandoned (stop deadline): no write; the batch is redelivered after its ack wait.
    if (signal.aborted) throw signal.reason;
    // The admins' notice, to the workspace's other endpoints that subscribe to it, published before
    // the health write: a retry of this batch publishes it again with the same ids (stable per failure
    // streak), where publishing after the write would lose it if the write landed and the publish failed.
    await publishInOrder(
      nats.js,
      disabledNow.flatMap(({ endpoint, health: h }) => disabledNotices(endpoint, h, of(endpoint.workspaceId))),
    );
    // Insert-only records, then each touched health document once (its one writer).
    await appendNew(models.WebhookAttempts, attempts);
    await appendNew(models.WebhookOutcomes, outcomes);
    for (const key of touched) {
      const doc = health.get(key)!;
      await models.WebhookHealth.replaceOne({ _id: key }, doc, { upsert: true });
    }
    if (failed > 0) throw new DeliveryFailedError(`${failed} webhook deliveries failed; retried after a backoff`);
  };
}
