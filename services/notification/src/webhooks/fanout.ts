// Events → webhook deliveries. A partitioned consumer of the PHASES stream (durable
// `webhooks-fanout`, one owner per contact) turns each phase change into one delivery
// message per matching enabled endpoint of its workspace, published to the WEBHOOKS stream
// with the delivery id as JetStream message id, all in stream order, before the phase change
// is acknowledged. A crash between publish and ack re-publishes on redelivery, and the
// duplicate window drops the copies; the delivery id is derived from (endpoint, event), so
// a copy outside the window still carries the same `webhook-id` for the receiver to dedupe.
import { createHash } from 'node:crypto';
import type { PhaseChanged, Topology } from '@cei/contracts';
import { publishInOrder, NOT_ABANDONED, type BatchContext, type Delivery, type VersionedConfig } from '@cei/nats';
import type { WebhookEndpointDoc, WebhookEventKind } from './models';

/** What travels on the WEBHOOKS stream: one delivery (or a replay run of it) to one endpoint. */
export interface DeliveryMessage {
  v: 1;
  workspaceId: string;
  endpointId: string;
  /** The stable id receivers dedupe on (`webhook-id`). */
  deliveryId: string;
  /** `first` for the original, `replay-<n>` for a replay (its attempts and outcome are its own). */
  run: string;
  contactId: string;
  eventId: string;
  type: string;
  /** The JSON body sent, exactly (Standard Webhooks: `{ type, timestamp, data }`). */
  body: string;
}

/** The delivery id: a digest of endpoint and event (stable across retries, restarts and replays). */
export function deliveryIdOf(workspaceId: string, endpointId: string, kind: WebhookEventKind, eventId: string): string {
  return `msg_${createHash('sha256').update(`${workspaceId}\0${endpointId}\0${kind}\0${eventId}`).digest('base64url').slice(0, 32)}`;
}

export const EVENT_TYPES: Record<WebhookEventKind, string> = {
  PHASE_CHANGED: 'contact.phase_changed',
  WEBHOOK_ENDPOINT_DISABLED: 'webhook.endpoint_disabled',
};

function matches(endpoint: WebhookEndpointDoc, kind: WebhookEventKind, contactId: string, phase: string): boolean {
  if (!endpoint.enabled || !endpoint.kinds.includes(kind)) return false;
  const { phases, contactIds } = endpoint.filter;
  if (contactIds.length > 0 && !contactIds.includes(contactId)) return false;
  if (phases.length > 0 && !phases.includes(phase)) return false;
  return true;
}

export function createWebhookFanout(
  topology: Topology,
  js: Parameters<typeof publishInOrder>[0],
  endpoints: VersionedConfig<WebhookEndpointDoc[]>,
) {
  return async function fanOut(
    batch: Delivery<PhaseChanged>[],
    _partition: number,
    _context: BatchContext = NOT_ABANDONED,
  ): Promise<void> {
    const of = await endpoints.forWorkspaces(batch.map(({ event }) => event.workspaceId));
    const messages: { subject: string; payload: DeliveryMessage; msgId: string }[] = [];
    for (const { event } of batch) {
      for (const endpoint of of(event.workspaceId)) {
        if (!matches(endpoint, 'PHASE_CHANGED', event.contactId, event.to)) continue;
        const deliveryId = deliveryIdOf(event.workspaceId, endpoint.id, 'PHASE_CHANGED', event.transitionId);
        const body = JSON.stringify({
          type: EVENT_TYPES.PHASE_CHANGED,
          timestamp: event.at,
          data: {
            workspaceId: event.workspaceId,
            contactId: event.contactId,
            transitionId: event.transitionId,
            from: event.from,
            to: event.to,
            half: event.half,
            reason: event.reason,
            at: event.at,
          },
        });
        messages.push({
          subject: topology.subjects.webhookDelivery(event.workspaceId, endpoint.id),
          msgId: `${deliveryId}:first`,
          payload: {
            v: 1,
            workspaceId: event.workspaceId,
            endpointId: endpoint.id,
            deliveryId,
            run: 'first',
            contactId: event.contactId,
            eventId: event.transitionId,
            type: EVENT_TYPES.PHASE_CHANGED,
            body,
          },
        });
      }
    }
    if (messages.length > 0) await publishInOrder(js, messages);
  };
}
