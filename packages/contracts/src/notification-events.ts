// What notification and lifecycle tell each other and the gateways about messages and owners:
// a notification created by a rule (notifications stream, the contact's partition, published
// after the message is stored) and an owner's record (lifecycle's directory of salespeople, the
// last record per owner kept in a record stream that notification reads by subject).
import { z } from 'zod';
import { eventDecoder } from './event-json';

const isoDate = z.string().datetime({ offset: true });

/** What a notification rule's action does (see notification's NotificationActionKind). */
export const NOTIFICATION_ACTIONS = ['IN_APP', 'EMAIL_CONTACT', 'EMAIL_OWNER', 'TASK_OWNER', 'WEBHOOK'] as const;
export type NotificationAction = (typeof NOTIFICATION_ACTIONS)[number];

/**
 * A notification: a message a rule's action made for a contact that goes out (an in-app message
 * in the contact's feed, a task in the owner's feed, an email queued for SMTP, a webhook queued
 * for its endpoint). Skipped messages (cap, quiet hours, no recipient, …) are audited only.
 */
export const NotificationCreatedV1 = z.object({
  v: z.literal(1),
  workspaceId: z.string(),
  contactId: z.string(),
  /** The message's id (`Query.ruleMessage(id)`, the audit's entry id). */
  notificationId: z.string(),
  ruleId: z.string(),
  action: z.enum(NOTIFICATION_ACTIONS),
  /** Email address, owner id or endpoint id; null for in-app messages. */
  to: z.string().nullable(),
  subject: z.string(),
  /** The event that triggered the rule (`phase:<transition>`, `qualification:<step>`, `scores:<position>`). */
  eventId: z.string(),
  at: isoDate,
});
export type NotificationCreated = z.infer<typeof NotificationCreatedV1>;
export const decodeNotificationCreated = eventDecoder(NotificationCreatedV1);

/** An owner (salesperson) as lifecycle stores it: published after each create or change. */
export const OwnerRecordV1 = z.object({
  v: z.literal(1),
  workspaceId: z.string(),
  ownerId: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  active: z.boolean(),
  updatedAt: isoDate,
});
export type OwnerRecord = z.infer<typeof OwnerRecordV1>;
