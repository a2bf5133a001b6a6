// Product usage collections. Per workspace: the declared features (small). Per contact, by
// _id: the usage document, written only by the contact's owner, its state one JSON string
// (see ContactScoreRow). Insert-only: one usage fact per usage interaction (the workspace
// statistics count them), and the statistics of closed periods, computed once.
import { Schema, type Connection, type Model } from 'mongoose';
import type { ContactUsage, UsageFact } from '../domain/product-usage';

export interface ProductFeatureDoc {
  _id: string; // <workspace>:<feature key>
  workspaceId: string;
  key: string;
  name: string;
  highValue: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface ContactUsageDoc {
  _id: string; // <workspace>:<contact>
  workspaceId: string;
  contactId: string;
  usage: ContactUsage;
  /** INTERACTIONS stream position of the last usage interaction applied (its own position: see commit-contact). */
  lastSeq: number;
  updatedAt: Date;
}

export interface ContactUsageRow extends Omit<ContactUsageDoc, 'usage'> {
  body: string;
}

export function usageRow(doc: ContactUsageDoc): ContactUsageRow {
  const { usage, ...fields } = doc;
  return { ...fields, body: JSON.stringify(usage) };
}

export function usageDoc(row: ContactUsageRow): ContactUsageDoc {
  const { body, ...fields } = row;
  return { ...fields, usage: JSON.parse(body) as ContactUsage };
}

export interface UsageFactDoc extends UsageFact {
  _id: string; // <workspace>:<interaction id>: a redelivery's copy is refused
  workspaceId: string;
}

/** One feature's figures in one period. */
export interface PeriodFeatureStat {
  feature: string;
  uses: number;
  errors: number;
  /** Usage interactions (uses, and FEATURE_ERRORs without a use): the error rate's denominator. */
  events: number;
  /** Distinct contacts that used the feature in the period. */
  contacts: number;
}

export interface UsageRollupDoc {
  _id: string; // <workspace>:<DAY|WEEK>:<first day>
  workspaceId: string;
  features: PeriodFeatureStat[];
  computedAt: Date;
}

export interface UsageModels {
  ProductFeature: Model<ProductFeatureDoc>;
  ContactUsage: Model<ContactUsageRow>;
  UsageFact: Model<UsageFactDoc>;
  UsageRollup: Model<UsageRollupDoc>;
}

const options = { versionKey: false, _id: false, minimize: false } as const;

export function usageModels(connection: Connection): UsageModels {
  const feature = new Schema<ProductFeatureDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      key: { type: String, required: true },
      name: { type: String, required: true },
      highValue: { type: Boolean, required: true },
      createdAt: Date,
      updatedAt: Date,
    },
    options,
  );
  const usage = new Schema<ContactUsageRow>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      contactId: { type: String, required: true },
      body: { type: String, required: true },
      lastSeq: { type: Number, required: true },
      updatedAt: Date,
    },
    options,
  );
  const fact = new Schema<UsageFactDoc>(
    {
      _id: String,
      workspaceId: { type: String, required: true },
      interactionId: String,
      contactId: String,
      day: String,
      feature: String,
      use: Number,
      error: Number,
    },
    options,
  );
  const rollup = new Schema<UsageRollupDoc>(
    { _id: String, workspaceId: { type: String, required: true }, features: Schema.Types.Mixed, computedAt: Date },
    options,
  );
  return {
    ProductFeature: connection.model<ProductFeatureDoc>('ProductFeature', feature, 'product_features'),
    ContactUsage: connection.model<ContactUsageRow>('ContactUsage', usage, 'contact_usage'),
    UsageFact: connection.model<UsageFactDoc>('UsageFact', fact, 'usage_facts'),
    UsageRollup: connection.model<UsageRollupDoc>('UsageRollup', rollup, 'usage_rollups'),
  };
}
