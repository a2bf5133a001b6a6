// Ingestion's collections: contacts (identity and traits, one writer), their trait history
// (append-only, by _id), accounts, merge aliases, interactions (append-only, deterministic ids)
// and the outbox of interactions not yet published.
import { Schema, type Connection, type Model } from 'mongoose';
import type { InteractionRoute } from '@cei/contracts';
import type { CustomValue } from '../domain/traits';

/** One trait's current value as stored (an array, not an object: custom trait names hold dots). */
export interface StoredTrait {
  trait: string;
  value: CustomValue | null;
  at: Date;
}

export interface ContactDoc {
  _id: string; // <workspace>:<contact>
  workspaceId: string;
  contactId: string;
  email: string | null;
  firstSeenAt: Date;
  /** INTERACTIONS stream position of the last interaction applied to this document. */
  lastSeq: number;
  /** Current traits, last-write-wins by the time each was set. */
  traits: StoredTrait[];
  /** The `accountId` trait, kept top level so an account's contacts are one equality filter. */
  accountId: string | null;
  /** How many trait changes the history holds: the next is `<_id>:t:<traitChanges>`. */
  traitChanges: number;
  /** Contact ids merged into this one (mergeContacts), oldest first. */
  mergedFrom: string[];
}

/** One trait change that won, `<workspace>:<contact>:t:<n>` (n from 0): a contact's history by _id. */
export interface TraitChangeDoc {
  _id: string;
  workspaceId: string;
  contactId: string;
  n: number;
  trait: string;
  value: CustomValue | null;
  previous: CustomValue | null;
  at: Date;
  /** The IDENTIFY (or CONTACT_MERGED) that made it. */
  interactionId: string;
}

/** A company contacts belong to, `<workspace>:<accountId>`. */
export interface AccountDoc {
  _id: string;
  workspaceId: string;
  accountId: string;
  name: string | null;
  domain: string | null;
  industry: string | null;
  employees: number | null;
  plan: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A merged-away contact id, `<workspace>:<from>`: inserted once by mergeContacts (the unique _id
 * makes one merge of an id win), read when interactions are accepted so that later ones land on
 * the survivor.
 */
export interface ContactAliasDoc {
  _id: string;
  workspaceId: string;
  from: string;
  into: string;
  mergedAt: Date;
}

/** `<workspace>`: present once the workspace merged any contact (accepts skip alias reads until then). */
export interface MergeMarkerDoc {
  _id: string;
  createdAt: Date;
}

export interface InteractionDoc {
  _id: string; // <workspace>:<interaction id>
  workspaceId: string;
  interactionId: string;
  contactId: string;
  email: string | null;
  kind: string;
  variant: string | null;
  occurredAt: Date;
  recordedAt: Date;
  properties: Record<string, unknown>;
}

/**
 * One accepted batch whose events are not all confirmed published yet: written before the
 * batch's interactions are appended, removed once they are published (the sweeper publishes
 * what a crash or an outage left). One small document per batch, not one per interaction,
 * so the outbox stays a handful of rows that the sweeper may scan.
 */
export interface OutboxDoc {
  _id: string; // <workspace>:<random batch id>
  workspaceId: string;
  /**
   * Ids (as sent) of the batch's interactions not yet published, in the order their messages go out;
   * those never stored are skipped.
   */
  interactionIds: string[];
  /**
   * The batch's packs, by index (recording/publication-plan.ts): each pack's members not yet
   * published. Absent on entries written before packs, whose interactions go out one by one.
   */
  packs?: { interactionIds: string[]; route?: InteractionRoute }[];
  createdAt: Date;
}

/**
 * A contact the accept path has stored an interaction for: written once, by the first accept that
 * names the contact (insert-only, by `_id`), never read. Whether its insert was new is how the
 * accept knows an interaction is its contact's first (InteractionRecorded.first).
 */
export interface ContactSeenDoc {
  _id: string; // <workspace>:<contact>
  workspaceId: string;
}

const options = { versionKey: false, _id: false } as const;

export interface IngestionModels {
  Contact: Model<ContactDoc>;
  Interaction: Model<InteractionDoc>;
  Outbox: Model<OutboxDoc>;
  TraitChange: Model<TraitChangeDoc>;
  Account: Model<AccountDoc>;
  ContactAlias: Model<ContactAliasDoc>;
  MergeMarker: Model<MergeMarkerDoc>;
  ContactSeen: Model<ContactSeenDoc>;
}

export function ingestionModels(connection: Connection): IngestionModels {
  const contact = new Schema<ContactDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      contactId: { type: String, required: true },
      email: { type: String, default: null },
      firstSeenAt: { type: Date, required: true },
      lastSeq: { type: Number, default: 0 },
      traits: { type: Schema.Types.Mixed, default: [] },
      accountId: { type: String, default: null },
      traitChanges: { type: Number, default: 0 },
      mergedFrom: { type: [String], default: [] },
    },
    options,
  );
  const interaction = new Schema<InteractionDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      interactionId: { type: String, required: true },
      contactId: { type: String, required: true },
      email: { type: String, default: null },
      kind: { type: String, required: true },
      variant: { type: String, default: null },
      occurredAt: { type: Date, required: true },
      recordedAt: { type: Date, required: true },
      properties: { type: Schema.Types.Mixed, default: {} },
    },
    { ...options, minimize: false },
  );
  const outbox = new Schema<OutboxDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      interactionIds: { type: [String], required: true },
      // Subdocuments, not an array of arrays: FerretDB v1 refuses nested arrays.
      packs: { type: [new Schema({ interactionIds: [String], route: String }, options)], default: undefined },
      createdAt: { type: Date, required: true },
    },
    options,
  );
  const traitChange = new Schema<TraitChangeDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      contactId: { type: String, required: true },
      n: { type: Number, required: true },
      trait: { type: String, required: true },
      value: { type: Schema.Types.Mixed, default: null },
      previous: { type: Schema.Types.Mixed, default: null },
      at: { type: Date, required: true },
      interactionId: { type: String, required: true },
    },
    options,
  );
  const account = new Schema<AccountDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      accountId: { type: String, required: true },
      name: { type: String, default: null },
      domain: { type: String, default: null },
      industry: { type: String, default: null },
      employees: { type: Number, default: null },
      plan: { type: String, default: null },
      createdAt: { type: Date, required: true },
      updatedAt: { type: Date, required: true },
    },
    options,
  );
  const alias = new Schema<ContactAliasDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      from: { type: String, required: true },
      into: { type: String, required: true },
      mergedAt: { type: Date, required: true },
    },
    options,
  );
  const marker = new Schema<MergeMarkerDoc>({ _id: String, createdAt: { type: Date, required: true } }, options);
  const seen = new Schema<ContactSeenDoc>({ _id: String, workspaceId: { type: String, required: true } }, options);
  return {
    ContactSeen: connection.model<ContactSeenDoc>('ContactSeen', seen, 'contacts_seen'),
    TraitChange: connection.model<TraitChangeDoc>('TraitChange', traitChange, 'trait_changes'),
    Account: connection.model<AccountDoc>('Account', account, 'accounts'),
    ContactAlias: connection.model<ContactAliasDoc>('ContactAlias', alias, 'contact_aliases'),
    MergeMarker: connection.model<MergeMarkerDoc>('MergeMarker', marker, 'merge_markers'),
    Contact: connection.model<ContactDoc>('Contact', contact, 'contacts'),
    Interaction: connection.model<InteractionDoc>('Interaction', interaction, 'interactions'),
    Outbox: connection.model<OutboxDoc>('Outbox', outbox, 'outbox'),
  };
}
