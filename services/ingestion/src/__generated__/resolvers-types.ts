import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ContactDoc, AccountDoc, TraitChangeDoc, ContactAliasDoc } from '../models';
import type { IngestionContext } from '../server';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO-8601 date-time in UTC. */
  DateTime: { input: Date; output: Date | string; }
  /** Any JSON value. */
  JSON: { input: unknown; output: unknown; }
  _FieldSet: { input: unknown; output: unknown; }
};

/** A company contacts belong to (other subgraphs add fields: scoring its health and product usage). */
export type Account = {
  __typename?: 'Account';
  /** Contacts whose accountId trait is this account, by id. */
  contacts: ContactPage;
  createdAt: Scalars['DateTime']['output'];
  domain?: Maybe<Scalars['String']['output']>;
  employees?: Maybe<Scalars['Int']['output']>;
  id: Scalars['ID']['output'];
  industry?: Maybe<Scalars['String']['output']>;
  name?: Maybe<Scalars['String']['output']>;
  plan?: Maybe<Scalars['String']['output']>;
  updatedAt: Scalars['DateTime']['output'];
};


/** A company contacts belong to (other subgraphs add fields: scoring its health and product usage). */
export type AccountContactsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type AccountInput = {
  domain?: InputMaybe<Scalars['String']['input']>;
  employees?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
  industry?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  plan?: InputMaybe<Scalars['String']['input']>;
};

export type AccountPage = {
  __typename?: 'AccountPage';
  endCursor?: Maybe<Scalars['String']['output']>;
  entries: Array<Account>;
  hasNextPage: Scalars['Boolean']['output'];
};

/** The part a contact plays in their company's buying decision. */
export type BuyingRole =
  | 'CHAMPION'
  | 'DECISION_MAKER'
  | 'INFLUENCER'
  | 'USER';

/** A person the workspace interacts with. Every subgraph adds its own fields. */
export type Contact = {
  __typename?: 'Contact';
  /** The account (company) the contact belongs to (the accountId trait). */
  account?: Maybe<Account>;
  /** The last email address an interaction gave for this contact. */
  email?: Maybe<Scalars['String']['output']>;
  firstSeenAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** Contact ids merged into this one, oldest first. */
  mergedFrom: Array<Scalars['ID']['output']>;
  /** Changes of the traits that won, newest first. */
  traitHistory: TraitChangePage;
  /** Who the contact is (identifyContact), each trait last-write-wins by its time. */
  traits: ContactTraits;
};


/** A person the workspace interacts with. Every subgraph adds its own fields. */
export type ContactTraitHistoryArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type ContactMerge = {
  __typename?: 'ContactMerge';
  /** The merged-away id. */
  from: Scalars['ID']['output'];
  /** The surviving contact. */
  into: Contact;
  mergedAt: Scalars['DateTime']['output'];
};

export type ContactPage = {
  __typename?: 'ContactPage';
  endCursor?: Maybe<Scalars['String']['output']>;
  entries: Array<Contact>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type ContactTraits = {
  __typename?: 'ContactTraits';
  buyingRole?: Maybe<BuyingRole>;
  /** ISO 3166-1 alpha-2 code. */
  country?: Maybe<Scalars['String']['output']>;
  /** The workspace's own traits (name → value). */
  custom: Scalars['JSON']['output'];
  department?: Maybe<Scalars['String']['output']>;
  jobTitle?: Maybe<Scalars['String']['output']>;
  name?: Maybe<Scalars['String']['output']>;
  seniority?: Maybe<Seniority>;
  socialFollowers?: Maybe<Scalars['Int']['output']>;
};

/** Traits to set; a field left out is kept, null clears it. */
export type ContactTraitsInput = {
  /** The account's domain; names the account when accountId is left out. */
  accountDomain?: InputMaybe<Scalars['String']['input']>;
  /** The account the contact belongs to (created if new). */
  accountId?: InputMaybe<Scalars['ID']['input']>;
  /** The account's name, when this identify creates it. */
  accountName?: InputMaybe<Scalars['String']['input']>;
  buyingRole?: InputMaybe<BuyingRole>;
  /** ISO 3166-1 alpha-2 code (DE, ID, US, …). */
  country?: InputMaybe<Scalars['String']['input']>;
  /** Your own traits: name → string, number or boolean (null clears one). */
  custom?: InputMaybe<Scalars['JSON']['input']>;
  department?: InputMaybe<Scalars['String']['input']>;
  jobTitle?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  seniority?: InputMaybe<Seniority>;
  socialFollowers?: InputMaybe<Scalars['Int']['input']>;
};

/** An event a consumer gave up on, kept so it can be read and replayed. */
export type DeadLetter = {
  __typename?: 'DeadLetter';
  /** The consumer that gave up on it. */
  consumer: Scalars['String']['output'];
  /** Deliveries it had (the last one failed). */
  deliveries: Scalars['Int']['output'];
  /** Why: the last error, or why it could not be decoded. */
  error: Scalars['String']['output'];
  failedAt: Scalars['DateTime']['output'];
  /** The event's NATS headers, as lists of values by name. */
  headers: Scalars['JSON']['output'];
  id: Scalars['ID']['output'];
  /**
   * Set when the message was a pack of several contacts' interactions and only this member kept
   * failing: its place in the pack. The payload is then that member alone, and a replay applies it
   * alone (the pack's other members were applied).
   */
  member?: Maybe<Scalars['Int']['output']>;
  /** The event as published (UTF-8 text). */
  payload: Scalars['String']['output'];
  /** When it was replayed (null: not yet), and by which API key. */
  replayedAt?: Maybe<Scalars['DateTime']['output']>;
  replayedBy?: Maybe<Scalars['String']['output']>;
  sequence: Scalars['Float']['output'];
  /** Where the event is: its stream, subject and position in the stream. */
  stream: Scalars['String']['output'];
  subject: Scalars['String']['output'];
};

export type DeadLetterCount = {
  __typename?: 'DeadLetterCount';
  consumer: Scalars['String']['output'];
  pending: Scalars['Int']['output'];
  total: Scalars['Int']['output'];
};

export type DeadLetterPage = {
  __typename?: 'DeadLetterPage';
  endCursor?: Maybe<Scalars['String']['output']>;
  entries: Array<DeadLetter>;
  hasNextPage: Scalars['Boolean']['output'];
  /** Those not replayed yet. */
  pendingCount: Scalars['Int']['output'];
  /** Dead letters of the filter, replayed or not. */
  totalCount: Scalars['Int']['output'];
};

export type IdentifyContactInput = {
  contactId: Scalars['ID']['input'];
  email?: InputMaybe<Scalars['String']['input']>;
  /** Your id for this identify (sending it again is a no-op); a new one when left out. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** When the traits were true (ISO-8601); defaults to now. Last-write-wins compares it. */
  occurredAt?: InputMaybe<Scalars['String']['input']>;
  traits: ContactTraitsInput;
};

export type IdentifyContactResult = {
  __typename?: 'IdentifyContactResult';
  id: Scalars['ID']['output'];
  /** ACCEPTED, or DUPLICATE when this id was sent before. */
  status: ReceiptStatus;
};

export type InteractionInput = {
  /** EMAIL_OPEN / EMAIL_CLICK only: EMAIL_CLIENT or MAILING. */
  channel?: InputMaybe<Scalars['String']['input']>;
  /** Your id for the contact (required; checked per item). */
  contactId?: InputMaybe<Scalars['ID']['input']>;
  email?: InputMaybe<Scalars['String']['input']>;
  /** Your id for this interaction: sending it again is a no-op. */
  id: Scalars['ID']['input'];
  /** One of: PAGE_VISIT LINK_CLICK EMAIL_OPEN EMAIL_CLICK SOCIAL_LIKE SOCIAL_DISLIKE SOCIAL_SHARE COMMENT_ADDED COMMENT_REMOVED STORE_VISIT PURCHASE CALL_CENTER_CONTACT ABANDONED_CART LIVE_CHAT MOBILE_APP_INSTALL MOBILE_APP_USAGE WEBINAR_ATTENDED WEBINAR_QUESTION SURVEY_RESPONSE SUPPORT_TICKET SUBSCRIPTION_STARTED SUBSCRIPTION_RENEWED SUBSCRIPTION_CANCELLED FEATURE_USAGE FEATURE_ERROR CUSTOM, or IDENTIFY (properties are the contact's traits, as in identifyContact's input.traits). Checked per item. FEATURE_USAGE and FEATURE_ERROR need `properties.feature` (the feature key); `properties.error` (true or a message) marks a failed use. */
  kind: Scalars['String']['input'];
  /** When it happened (ISO-8601); defaults to now; at most 5 minutes in the future. */
  occurredAt?: InputMaybe<Scalars['String']['input']>;
  /** What rules match on (url, emailId, campaignId, amount, …); at most 8 KiB as JSON; no name in it, at any depth, contains a dot or starts with $, and no name or string holds U+0000. */
  properties?: InputMaybe<Scalars['JSON']['input']>;
  /** PAGE_VISIT only: DIRECT, AD, SEARCH_ENGINE, SOCIAL, REFERRAL or EMAIL. */
  source?: InputMaybe<Scalars['String']['input']>;
};

export type InteractionReceipt = {
  __typename?: 'InteractionReceipt';
  id: Scalars['ID']['output'];
  /** Position of the item in the input list. */
  index: Scalars['Int']['output'];
  /** Why the item was rejected (null unless REJECTED). */
  reason?: Maybe<Scalars['String']['output']>;
  status: ReceiptStatus;
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Says who a contact is: its traits, recorded as an IDENTIFY interaction on the contact (POST /collect
   * takes the same as {"kind": "IDENTIFY", "contactId": …, "properties": {<traits>}}). Each trait is
   * last-write-wins by `occurredAt`: an older identify never overwrites a newer value. Naming an
   * account (accountId or accountDomain) creates it if it is new. Needs a write or admin key.
   */
  identifyContact: IdentifyContactResult;
  /**
   * Merges contact `from` (e.g. an anonymous visitor) into `into` (the known contact): `into` gets the
   * scores, phase, traits and history it would have had if every interaction of both had been sent
   * with its id, and interactions sent later with `from` count on `into`. `contact(from)` answers null
   * afterwards; `contactMerge(from)` points to the survivor. Merging again is a no-op. Needs a write
   * or admin key.
   */
  mergeContacts: ContactMerge;
  /**
   * Publishes a dead letter's event again, once its cause is fixed, for its own consumer only (the
   * others applied it already). It is applied after what its contact received meanwhile. Replaying
   * a letter again changes nothing. Needs an admin key.
   */
  replayDeadLetter: DeadLetter;
  /** Replays the dead letters of one consumer not replayed yet, oldest first, at most 500 per call. Needs an admin key. */
  replayDeadLetters: ReplayDeadLettersResult;
  /** Creates an account, or changes the fields given (null clears one). Needs a write or admin key. */
  saveAccount: Account;
  /**
   * Records a batch of interactions (at most 500). Idempotent by each interaction's id:
   * an id seen before answers DUPLICATE and changes nothing. Each item is checked on its
   * own: a malformed one is REJECTED with a reason and never stored; the others go on.
   * Needs a write or admin key.
   */
  trackInteractions: TrackInteractionsResult;
};


export type MutationIdentifyContactArgs = {
  input: IdentifyContactInput;
};


export type MutationMergeContactsArgs = {
  from: Scalars['ID']['input'];
  into: Scalars['ID']['input'];
};


export type MutationReplayDeadLetterArgs = {
  id: Scalars['ID']['input'];
};


export type MutationReplayDeadLettersArgs = {
  consumer: Scalars['String']['input'];
};


export type MutationSaveAccountArgs = {
  input: AccountInput;
};


export type MutationTrackInteractionsArgs = {
  interactions: Array<InteractionInput>;
};

export type Query = {
  __typename?: 'Query';
  /** An account (company) of the caller's workspace. */
  account?: Maybe<Account>;
  /** The workspace's accounts, by id. */
  accounts: AccountPage;
  /** A contact of the caller's workspace, or null when no interaction of it was ever accepted. */
  contact?: Maybe<Contact>;
  /** Where a contact id merged away by mergeContacts went (null: the id was never merged). */
  contactMerge?: Maybe<ContactMerge>;
  /** Per consumer: dead letters kept, and those not replayed yet. Needs an admin key. */
  deadLetterCounts: Array<DeadLetterCount>;
  /**
   * Events a consumer gave up on (it failed on every try, or could not decode it), oldest first,
   * with why: of one consumer (`ingestion-contacts`, `scoring`, `scoring-phases`, `lifecycle`,
   * `notification`) or of all. Needs an admin key.
   */
  deadLetters: DeadLetterPage;
};


export type QueryAccountArgs = {
  id: Scalars['ID']['input'];
};


export type QueryAccountsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryContactArgs = {
  id: Scalars['ID']['input'];
};


export type QueryContactMergeArgs = {
  id: Scalars['ID']['input'];
};


export type QueryDeadLettersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  consumer?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type ReceiptStatus =
  | 'ACCEPTED'
  | 'DUPLICATE'
  | 'REJECTED';

export type ReplayDeadLettersResult = {
  __typename?: 'ReplayDeadLettersResult';
  /** Still not replayed: call again while this is above 0. */
  pending: Scalars['Int']['output'];
  replayed: Scalars['Int']['output'];
};

/** How senior a contact is in their company. */
export type Seniority =
  | 'DIRECTOR'
  | 'ENTRY'
  | 'EXECUTIVE'
  | 'MANAGER'
  | 'MID'
  | 'SENIOR'
  | 'VP';

export type TrackInteractionsResult = {
  __typename?: 'TrackInteractionsResult';
  accepted: Scalars['Int']['output'];
  duplicates: Scalars['Int']['output'];
  /** One receipt per input item, in input order. */
  items: Array<InteractionReceipt>;
  rejected: Scalars['Int']['output'];
};

/** A trait change that won (custom traits are named custom.<name>). */
export type TraitChange = {
  __typename?: 'TraitChange';
  /** The time the trait was set at (the identify's occurredAt). */
  at: Scalars['DateTime']['output'];
  /** The IDENTIFY interaction (or the merge) that set it. */
  interactionId: Scalars['ID']['output'];
  previous?: Maybe<Scalars['JSON']['output']>;
  trait: Scalars['String']['output'];
  value?: Maybe<Scalars['JSON']['output']>;
};

export type TraitChangePage = {
  __typename?: 'TraitChangePage';
  endCursor?: Maybe<Scalars['String']['output']>;
  entries: Array<TraitChange>;
  hasNextPage: Scalars['Boolean']['output'];
  totalCount: Scalars['Int']['output'];
};



export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = {
  Account: Account;
  Contact: Contact;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Account:
    ( { __typename: 'Account' }
    & GraphQLRecursivePick<FederationTypes['Account'], {"id":true}> );
  Contact:
    ( { __typename: 'Contact' }
    & GraphQLRecursivePick<FederationTypes['Contact'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Account: ResolverTypeWrapper<AccountDoc>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  AccountInput: AccountInput;
  AccountPage: ResolverTypeWrapper<Omit<AccountPage, 'entries'> & { entries: Array<ResolversTypes['Account']> }>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  BuyingRole: BuyingRole;
  Contact: ResolverTypeWrapper<ContactDoc>;
  ContactMerge: ResolverTypeWrapper<ContactAliasDoc>;
  ContactPage: ResolverTypeWrapper<Omit<ContactPage, 'entries'> & { entries: Array<ResolversTypes['Contact']> }>;
  ContactTraits: ResolverTypeWrapper<ContactTraits>;
  ContactTraitsInput: ContactTraitsInput;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DeadLetter: ResolverTypeWrapper<DeadLetter>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  DeadLetterCount: ResolverTypeWrapper<DeadLetterCount>;
  DeadLetterPage: ResolverTypeWrapper<DeadLetterPage>;
  IdentifyContactInput: IdentifyContactInput;
  IdentifyContactResult: ResolverTypeWrapper<IdentifyContactResult>;
  InteractionInput: InteractionInput;
  InteractionReceipt: ResolverTypeWrapper<InteractionReceipt>;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ReceiptStatus: ReceiptStatus;
  ReplayDeadLettersResult: ResolverTypeWrapper<ReplayDeadLettersResult>;
  Seniority: Seniority;
  TrackInteractionsResult: ResolverTypeWrapper<TrackInteractionsResult>;
  TraitChange: ResolverTypeWrapper<TraitChangeDoc>;
  TraitChangePage: ResolverTypeWrapper<Omit<TraitChangePage, 'entries'> & { entries: Array<ResolversTypes['TraitChange']> }>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Account: AccountDoc;
  String: Scalars['String']['output'];
  Int: Scalars['Int']['output'];
  ID: Scalars['ID']['output'];
  AccountInput: AccountInput;
  AccountPage: Omit<AccountPage, 'entries'> & { entries: Array<ResolversParentTypes['Account']> };
  Boolean: Scalars['Boolean']['output'];
  Contact: ContactDoc;
  ContactMerge: ContactAliasDoc;
  ContactPage: Omit<ContactPage, 'entries'> & { entries: Array<ResolversParentTypes['Contact']> };
  ContactTraits: ContactTraits;
  ContactTraitsInput: ContactTraitsInput;
  DateTime: Scalars['DateTime']['output'];
  DeadLetter: DeadLetter;
  Float: Scalars['Float']['output'];
  DeadLetterCount: DeadLetterCount;
  DeadLetterPage: DeadLetterPage;
  IdentifyContactInput: IdentifyContactInput;
  IdentifyContactResult: IdentifyContactResult;
  InteractionInput: InteractionInput;
  InteractionReceipt: InteractionReceipt;
  JSON: Scalars['JSON']['output'];
  Mutation: Record<PropertyKey, never>;
  Query: Record<PropertyKey, never>;
  ReplayDeadLettersResult: ReplayDeadLettersResult;
  TrackInteractionsResult: TrackInteractionsResult;
  TraitChange: TraitChangeDoc;
  TraitChangePage: Omit<TraitChangePage, 'entries'> & { entries: Array<ResolversParentTypes['TraitChange']> };
};

export type AccountResolvers<ContextType = IngestionContext, ParentType extends ResolversParentTypes['Account'] = ResolversParentTypes['Account'], FederationReferenceType extends FederationReferenceTypes['Account'] = FederationReferenceTypes['Account']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Account']> | FederationReferenceType, FederationReferenceType, ContextType>;
  contacts?: Resolver<ResolversTypes['ContactPage'], ParentType, ContextType, RequireFields<AccountContactsArgs, 'first'>>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  domain?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  employees?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  industry?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  plan?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type AccountPageResolvers<ContextType = IngestionContext, ParentType extends ResolversParentTypes['AccountPage'] = ResolversParentTypes['AccountPage']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  entries?: Resolver<Array<ResolversTypes['Account']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type ContactResolvers<ContextType = IngestionContext, ParentType extends ResolversParentTypes['Contact'] = ResolversParentTypes['Contact'], FederationReferenceType extends FederationReferenceTypes['Contact'] = FederationReferenceTypes['Contact']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Contact']> | FederationReferenceType, FederationReferenceType, ContextType>;
  account?: Resolver<Maybe<ResolversTypes['Account']>, ParentType, ContextType>;
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  firstSeenAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  mergedFrom?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  traitHistory?: Resolver<ResolversTypes['TraitChangePage'], ParentType, ContextType, RequireFields<ContactTraitHistoryArgs, 'first'>>;
  traits?: Resolver<ResolversTypes['ContactTraits'], ParentType, ContextType>;
};

export type ContactMergeResolvers<ContextType = IngestionContext, ParentType extends ResolversParentTypes['ContactMerge'] = ResolversParentTypes['ContactMerge']> = {
  from?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  into?: Resolver<ResolversTypes['Contact'], ParentType, ContextType>;
  mergedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type ContactPageResolvers<ContextType = IngestionContext, ParentType extends ResolversParentTypes['ContactPage'] = ResolversParentTypes['ContactPage']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  entries?: Resolver<Array<ResolversTypes['Contact']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type ContactTraitsResolvers<ContextType = IngestionContext, ParentType extends ResolversParentTypes['ContactTraits'] = ResolversParentTypes['ContactTraits']> = {
  buyingRole?: Resolver<Maybe<ResolversTypes['BuyingRole']>, ParentType, ContextType>;
  country?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  custom?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  department?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  jobTitle?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  seniority?: Resolver<Maybe<ResolversTypes['Seniority']>, ParentType, ContextType>;
  socialFollowers?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DeadLetterResolvers<ContextType = IngestionContext, ParentType extends ResolversParentTypes['DeadLetter'] = ResolversParentTypes['DeadLetter']> = {
  consumer?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  deliveries?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  error?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  failedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  headers?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  member?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  payload?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  replayedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  replayedBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  sequence?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  stream?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  subject?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type DeadLetterCountResolvers<ContextType = IngestionContext, ParentType extends ResolversParentTypes['DeadLetterCount'] = ResolversParentTypes['DeadLetterCount']> = {
  consumer?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  pending?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type DeadLetterPageResolvers<ContextType = IngestionContext, ParentType extends ResolversParentTypes['DeadLetterPage'] = ResolversParentTypes['DeadLetterPage']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  entries?: Resolver<Array<ResolversTypes['DeadLetter']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  pendingCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type IdentifyContactResultResolvers<ContextType = IngestionContext, ParentType extends ResolversParentTypes['IdentifyContactResult'] = ResolversParentTypes['IdentifyContactResult']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ReceiptStatus'], ParentType, ContextType>;
};

export type InteractionReceiptResolvers<ContextType = IngestionContext, ParentType extends ResolversParentTypes['InteractionReceipt'] = ResolversParentTypes['InteractionReceipt']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  index?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ReceiptStatus'], ParentType, ContextType>;
};

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type MutationResolvers<ContextType = IngestionContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  identifyContact?: Resolver<ResolversTypes['IdentifyContactResult'], ParentType, ContextType, RequireFields<MutationIdentifyContactArgs, 'input'>>;
  mergeContacts?: Resolver<ResolversTypes['ContactMerge'], ParentType, ContextType, RequireFields<MutationMergeContactsArgs, 'from' | 'into'>>;
  replayDeadLetter?: Resolver<ResolversTypes['DeadLetter'], ParentType, ContextType, RequireFields<MutationReplayDeadLetterArgs, 'id'>>;
  replayDeadLetters?: Resolver<ResolversTypes['ReplayDeadLettersResult'], ParentType, ContextType, RequireFields<MutationReplayDeadLettersArgs, 'consumer'>>;
  saveAccount?: Resolver<ResolversTypes['Account'], ParentType, ContextType, RequireFields<MutationSaveAccountArgs, 'input'>>;
  trackInteractions?: Resolver<ResolversTypes['TrackInteractionsResult'], ParentType, ContextType, RequireFields<MutationTrackInteractionsArgs, 'interactions'>>;
};

export type QueryResolvers<ContextType = IngestionContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  account?: Resolver<Maybe<ResolversTypes['Account']>, ParentType, ContextType, RequireFields<QueryAccountArgs, 'id'>>;
  accounts?: Resolver<ResolversTypes['AccountPage'], ParentType, ContextType, RequireFields<QueryAccountsArgs, 'first'>>;
  contact?: Resolver<Maybe<ResolversTypes['Contact']>, ParentType, ContextType, RequireFields<QueryContactArgs, 'id'>>;
  contactMerge?: Resolver<Maybe<ResolversTypes['ContactMerge']>, ParentType, ContextType, RequireFields<QueryContactMergeArgs, 'id'>>;
  deadLetterCounts?: Resolver<Array<ResolversTypes['DeadLetterCount']>, ParentType, ContextType>;
  deadLetters?: Resolver<ResolversTypes['DeadLetterPage'], ParentType, ContextType, RequireFields<QueryDeadLettersArgs, 'first'>>;
};

export type ReplayDeadLettersResultResolvers<ContextType = IngestionContext, ParentType extends ResolversParentTypes['ReplayDeadLettersResult'] = ResolversParentTypes['ReplayDeadLettersResult']> = {
  pending?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  replayed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type TrackInteractionsResultResolvers<ContextType = IngestionContext, ParentType extends ResolversParentTypes['TrackInteractionsResult'] = ResolversParentTypes['TrackInteractionsResult']> = {
  accepted?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  duplicates?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  items?: Resolver<Array<ResolversTypes['InteractionReceipt']>, ParentType, ContextType>;
  rejected?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type TraitChangeResolvers<ContextType = IngestionContext, ParentType extends ResolversParentTypes['TraitChange'] = ResolversParentTypes['TraitChange']> = {
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  interactionId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  previous?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  trait?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
};

export type TraitChangePageResolvers<ContextType = IngestionContext, ParentType extends ResolversParentTypes['TraitChangePage'] = ResolversParentTypes['TraitChangePage']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  entries?: Resolver<Array<ResolversTypes['TraitChange']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type Resolvers<ContextType = IngestionContext> = {
  Account?: AccountResolvers<ContextType>;
  AccountPage?: AccountPageResolvers<ContextType>;
  Contact?: ContactResolvers<ContextType>;
  ContactMerge?: ContactMergeResolvers<ContextType>;
  ContactPage?: ContactPageResolvers<ContextType>;
  ContactTraits?: ContactTraitsResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DeadLetter?: DeadLetterResolvers<ContextType>;
  DeadLetterCount?: DeadLetterCountResolvers<ContextType>;
  DeadLetterPage?: DeadLetterPageResolvers<ContextType>;
  IdentifyContactResult?: IdentifyContactResultResolvers<ContextType>;
  InteractionReceipt?: InteractionReceiptResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  ReplayDeadLettersResult?: ReplayDeadLettersResultResolvers<ContextType>;
  TrackInteractionsResult?: TrackInteractionsResultResolvers<ContextType>;
  TraitChange?: TraitChangeResolvers<ContextType>;
  TraitChangePage?: TraitChangePageResolvers<ContextType>;
};

