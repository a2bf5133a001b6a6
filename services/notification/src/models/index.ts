// Notification's collection: per contact, the log of what automation was told
// (one document by _id, written only by the consumer owning the contact's partition).
import { Schema, type Connection, type Model } from 'mongoose';
import { messageModels, type MessageModels } from '../messages/models';

export interface NotificationEntry {
  id: string;
  event: 'PHASE_CHANGED';
  phase: string | null;
  at: Date;
  channel: 'SUBSCRIPTION';
}

export interface ContactNotificationsDoc {
  _id: string; // <workspace>:<contact>
  workspaceId: string;
  contactId: string;
  /** Most recent first, at most LOG_KEPT. */
  notifications: NotificationEntry[];
  /** PHASES stream position of the last phase change applied. */
  lastSeq: number;
}

export const LOG_KEPT = 50;

export interface NotificationModels extends MessageModels {
  ContactNotifications: Model<ContactNotificationsDoc>;
}

export function notificationModels(connection: Connection): NotificationModels {
  const entry = new Schema<NotificationEntry>(
    { id: String, event: String, phase: String, at: Date, channel: String },
    { _id: false },
  );
  const contact = new Schema<ContactNotificationsDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      contactId: { type: String, required: true },
      notifications: { type: [entry], default: [] },
      lastSeq: { type: Number, required: true },
    },
    { versionKey: false, _id: false },
  );
  return {
    ...messageModels(connection),
    ContactNotifications: connection.model<ContactNotificationsDoc>(
      'ContactNotifications',
      contact,
      'contact_notifications',
    ),
  };
}
