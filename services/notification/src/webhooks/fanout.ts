// Events → webhook deliveries. Partitioned consumers (one owner per contact) of the PHASES
// stream (phase changes, qualification steps, owner assignments: durable `webhooks-fanout`),
// the SCORES stream (score changes: `webhooks-fanout-scores`) and the NOTIFICATIONS stream
// (notifications rules created: `webhooks-fanout-notifications`) turn each event into one
// delivery message per matching enabled endpoint of its workspace, published to the WEBHOOKS
// stream with the delivery id as JetStream message id, all in stream order, before the event
// is acknowledged. A crash between publish and ack re-publishes on redelivery, and the
// duplicate window drops the copies; the delivery id is derived from (endpoint, kind, event),
// so a copy outside the window still carries the same `webhook-id` for the receiver to dedupe.
//
// Volume: a score change comes with every scored interaction. The endpoints of a batch's
// workspaces are read from the versioned cache (from memory; the database only after an admin's
// change was announced, and on a NATS cluster one version read per workspace per batch), and a
// workspace without a matching endpoint
// publishes and writes nothing: no per-event work beyond that in-memory check.
import { createHash } from 'node:crypto';
import type { NotificationCreated, ScoreChanged, Topology } from '@cei/contracts';
import { publishInOrder, NOT_ABANDONED, type BatchContext, type Delivery, type VersionedConfig } from '@cei/nats';
import type { LifecycleEvent } from '../messages/events';
import type { WebhookEndpointDoc, WebhookEventKind, WebhookFilterDoc } from './models';

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

/** What a delivery is made of: an endpoint kind, or a rule's WEBHOOK action (to the endpoint it names). */
export type DeliveryKind = WebhookEventKind | 'RULE_MESSAGE';

/** The delivery id: a digest of endpoint and event (stable across retries, restarts and replays). */
export function deliveryIdOf(workspaceId: string, endpointId: string, kind: DeliveryKind, eventId: string): string {
  return `msg_${createHash('sha256').update(`${workspaceId}\0${endpointId}\0${kind}\0${eventId}`).digest('base64url').slice(0, 32)}`;
}

export const EVENT_TYPES: Record<DeliveryKind, string> = {
  PHASE_CHANGED: 'contact.phase_changed',
  QUALIFICATION_CHANGED: 'contact.qualification_changed',
  OWNER_ASSIGNED: 'contact.owner_assigned',
  SCORE_CHANGED: 'contact.score_changed',
  NOTIFICATION_CREATED: 'notification.created',
  WEBHOOK_ENDPOINT_DISABLED: 'webhook.endpoint_disabled',
  RULE_MESSAGE: 'rule.message',
};

/** One event as webhooks see it: its kind, ids, the `data` sent, and its test against an endpoint's filter. */
export interface WebhookEvent {
  kind: WebhookEventKind;
  workspaceId: string;
  contactId: string;
  eventId: string;
  at: string;
  data: Record<string, unknown>;
  /** The kind's own parts of the filter (contact ids are checked for every kind). */
  passes(filter: WebhookFilterDoc): boolean;
}

const within = (wanted: readonly string[] | undefined, value: string) => !wanted?.length || wanted.includes(value);

export function lifecycleWebhookEvent(e: LifecycleEvent): WebhookEvent {
  if (e.kind === 'PHASE') {
    const p = e.phase;
    return {
      kind: 'PHASE_CHANGED',
      workspaceId: p.workspaceId,
      contactId: p.contactId,
      eventId: p.transitionId,
      at: p.at,
      data: {
        workspaceId: p.workspaceId,
        contactId: p.contactId,
        transitionId: p.transitionId,
        from: p.from,
        to: p.to,
        half: p.half,
        reason: p.reason,
        at: p.at,
      },
      passes: (f) => within(f.phases, p.to),
    };
  }
  if (e.kind === 'QUALIFICATION') {
    const q = e.qualification;
    return {
      kind: 'QUALIFICATION_CHANGED',
      workspaceId: q.workspaceId,
      contactId: q.contactId,
      eventId: q.stepId,
      at: q.at,
      data: {
        workspaceId: q.workspaceId,
        contactId: q.contactId,
        stepId: q.stepId,
        action: q.action,
        from: q.from,
        to: q.to,
        reason: q.reason,
        at: q.at,
      },
      passes: (f) => within(f.qualifications, q.to),
    };
  }
  const o = e.owner;
  return {
    kind: 'OWNER_ASSIGNED',
    workspaceId: o.workspaceId,
    contactId: o.contactId,
    eventId: o.assignmentId,
    at: o.at,
    data: {
      workspaceId: o.workspaceId,
      contactId: o.contactId,
      assignmentId: o.assignmentId,
      ownerId: o.ownerId,
      previousOwnerId: o.previousOwnerId,
      teamId: o.teamId,
      method: o.method,
      at: o.at,
    },
    passes: (f) => within(f.ownerIds, o.ownerId),
  };
}

export function scoreWebhookEvent(s: ScoreChanged, seq: number): WebhookEvent {
  return {
    kind: 'SCORE_CHANGED',
    workspaceId: s.workspaceId,
    contactId: s.contactId,
    // The stored change's id: the same when scoring publishes it again on a redelivery.
    eventId: s.changeId ?? `${s.contactId}@${seq}`,
    at: s.at,
    data: {
      workspaceId: s.workspaceId,
      contactId: s.contactId,
      changeId: s.changeId ?? null,
      cause: s.cause,
      interactionId: s.interactionId,
      delta: s.delta,
      general: s.general,
      stage: s.stage,
      engagementIndex: s.engagementIndex,
      tags: s.tags ?? {},
      at: s.at,
    },
    passes: (f) =>
      (f.minDelta == null || Math.abs(s.delta) >= f.minDelta) &&
      (!f.tags?.length || f.tags.some((tag) => (s.tags?.[tag] ?? 0) !== 0)),
  };
}

export function notificationWebhookEvent(n: NotificationCreated): WebhookEvent {
  return {
    kind: 'NOTIFICATION_CREATED',
    workspaceId: n.workspaceId,
    contactId: n.contactId,
    eventId: n.notificationId,
    at: n.at,
    data: {
      workspaceId: n.workspaceId,
      contactId: n.contactId,
      notificationId: n.notificationId,
      ruleId: n.ruleId,
      action: n.action,
      to: n.to,
      subject: n.subject,
      eventId: n.eventId,
      at: n.at,
    },
    passes: () => true,
  };
}

/** Whether an endpoint takes the event: enabled, subscribed to its kind, and its filter passes. */
export function endpointWants(endpoint: WebhookEndpointDoc, event: WebhookEvent): boolean {
  if (!endpoint.enabled || !endpoint.kinds.includes(event.kind)) return false;
  return within(endpoint.filter?.contactIds, event.contactId) && event.passes(endpoint.filter ?? {});
}

/** The delivery of one event (or rule message) to one endpoint, as the WEBHOOKS stream carries it. */
export function deliveryTo(
  topology: Topology,
  endpointId: string,
  kind: DeliveryKind,
  event: Pick<WebhookEvent, 'workspaceId' | 'contactId' | 'eventId' | 'at' | 'data'>,
): { subject: string; payload: DeliveryMessage; msgId: string } {
  const deliveryId = deliveryIdOf(event.workspaceId, endpointId, kind, event.eventId);
  const body = JSON.stringify({ type: EVENT_TYPES[kind], timestamp: event.at, data: event.data });
  return {
    subject: topology.subjects.webhookDelivery(event.workspaceId, endpointId),
    msgId: `${deliveryId}:first`,
    payload: {
      v: 1,
      workspaceId: event.workspaceId,
      endpointId,
      deliveryId,
      run: 'first',
      contactId: event.contactId,
      eventId: event.eventId,
      type: EVENT_TYPES[kind],
      body,
    },
  };
}

export function createWebhookFanout<T extends { workspaceId: string }>(
  topology: Topology,
  js: Parameters<typeof publishInOrder>[0],
  endpoints: VersionedConfig<WebhookEndpointDoc[]>,
  toWebhookEvent: (event: T, seq: number) => WebhookEvent,
) {
  return async function fanOut(batch: Delivery<T>[], _partition: number, _context: BatchContext = NOT_ABANDONED) {
    const of = await endpoints.forWorkspaces(batch.map(({ event }) => event.workspaceId));
    const messages: ReturnType<typeof deliveryTo>[] = [];
    for (const { event, seq } of batch) {
      const targets = of(event.workspaceId);
      if (targets.length === 0) continue;
      const webhookEvent = toWebhookEvent(event, seq);
      for (const endpoint of targets) {
        if (endpointWants(endpoint, webhookEvent))
          messages.push(deliveryTo(topology, endpoint.id, webhookEvent.kind, webhookEvent));
      }
    }
    if (messages.length > 0) await publishInOrder(js, messages);
  };
}
