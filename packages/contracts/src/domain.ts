// Domain vocabulary shared by every service: interaction kinds and their variants,
// lifecycle phases and index halves, roles. Names match the GraphQL enums.

export const INTERACTION_KINDS = [
  'PAGE_VISIT',
  'LINK_CLICK',
  'EMAIL_OPEN',
  'EMAIL_CLICK',
  'SOCIAL_LIKE',
  'SOCIAL_DISLIKE',
  'SOCIAL_SHARE',
  'COMMENT_ADDED',
  'COMMENT_REMOVED',
  'STORE_VISIT',
  'PURCHASE',
  'CALL_CENTER_CONTACT',
  'ABANDONED_CART',
  'LIVE_CHAT',
  'MOBILE_APP_INSTALL',
  'MOBILE_APP_USAGE',
  'WEBINAR_ATTENDED',
  'WEBINAR_QUESTION',
  'SURVEY_RESPONSE',
  'SUPPORT_TICKET',
  'SUBSCRIPTION_STARTED',
  'SUBSCRIPTION_RENEWED',
  'SUBSCRIPTION_CANCELLED',
  'FEATURE_USAGE',
  'FEATURE_ERROR',
  'CUSTOM',
  'IDENTIFY',
  'CONTACT_MERGED',
] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

/**
 * Kinds that say something about the contact rather than record engagement: `IDENTIFY` carries
 * traits (properties are the traits), `CONTACT_MERGED` is recorded by mergeContacts on the
 * surviving contact (properties.from: the merged-away id). They ride the interactions stream so
 * that each contact's one owner applies them in order with its interactions, but no rule scores
 * them and they do not count as activity.
 */
export const CONTACT_EVENT_KINDS: ReadonlySet<InteractionKind> = new Set(['IDENTIFY', 'CONTACT_MERGED']);

/** How senior a contact is in their company (trait `seniority`). */
export const SENIORITIES = ['ENTRY', 'MID', 'SENIOR', 'MANAGER', 'DIRECTOR', 'VP', 'EXECUTIVE'] as const;
export type Seniority = (typeof SENIORITIES)[number];

/** The part a contact plays in their company's buying decision (trait `buyingRole`). */
export const BUYING_ROLES = ['DECISION_MAKER', 'CHAMPION', 'INFLUENCER', 'USER'] as const;
export type BuyingRole = (typeof BUYING_ROLES)[number];

/** Where a page visit came from. */
export const PAGE_VISIT_SOURCES = ['DIRECT', 'AD', 'SEARCH_ENGINE', 'SOCIAL', 'REFERRAL', 'EMAIL'] as const;
/** How an email was sent: from a person's email client, or as a mailing/campaign. */
export const EMAIL_CHANNELS = ['EMAIL_CLIENT', 'MAILING'] as const;

/**
 * The variants a kind can be scored by (a general rule may give PAGE_VISIT from AD
 * other points than PAGE_VISIT from DIRECT). Kinds absent here have no variant.
 */
export const KIND_VARIANTS: Partial<Record<InteractionKind, readonly string[]>> = {
  PAGE_VISIT: PAGE_VISIT_SOURCES,
  EMAIL_OPEN: EMAIL_CHANNELS,
  EMAIL_CLICK: EMAIL_CHANNELS,
};

/** Product usage kinds: each names the feature used (or failing) in its `feature` property. */
export const FEATURE_KINDS: ReadonlySet<InteractionKind> = new Set(['FEATURE_USAGE', 'FEATURE_ERROR']);
/** The longest feature key an interaction may name. */
export const FEATURE_KEY_MAX_LENGTH = 100;

/** Kinds that move a contact into the customer half of the index. */
export const CUSTOMER_KINDS: ReadonlySet<InteractionKind> = new Set(['PURCHASE', 'SUBSCRIPTION_STARTED']);

export const PHASES = ['NURTURE', 'PURCHASE', 'RETENTION', 'EXIT'] as const;
export type Phase = (typeof PHASES)[number];

export const INDEX_HALVES = ['PROSPECT', 'CUSTOMER'] as const;
export type IndexHalf = (typeof INDEX_HALVES)[number];

export const ROLES = ['admin', 'write', 'read'] as const;
export type Role = (typeof ROLES)[number];

/** Workspace ids become NATS subject tokens and database keys, so they are restricted. */
export const WORKSPACE_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** The `_id` of a contact's document in every service: computable on the hot path. */
export function contactKey(workspaceId: string, contactId: string): string {
  return `${workspaceId}:${contactId}`;
}

/** A reference to the Contact entity (`@key(fields: "id")`): what a subgraph resolves Contact fields from. */
export interface ContactRef {
  id: string;
}
