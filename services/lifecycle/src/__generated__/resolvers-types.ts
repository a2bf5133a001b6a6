import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ContactRef } from '@cei/contracts';
import type { StoredPolicy } from '../policies/policy-store';
import type { LifecycleContext } from '../server';
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
  _FieldSet: { input: unknown; output: unknown; }
};

export type Contact = {
  __typename?: 'Contact';
  half: IndexHalf;
  id: Scalars['ID']['output'];
  phase: Phase;
  /**
   * Most recent first: up to `first` transitions (1–500) older than the one whose id is `after`, from
   * the latest when `after` is null. The id of a page's last transition is the cursor of the next.
   */
  phaseHistory: Array<PhaseTransition>;
  /** How long the contact spent in each phase, all four in order; the current phase counts up to now. */
  timeInPhases: Array<PhaseTime>;
};


export type ContactPhaseHistoryArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type ContactConnection = {
  __typename?: 'ContactConnection';
  edges: Array<ContactEdge>;
  pageInfo: ContactPageInfo;
};

export type ContactEdge = {
  __typename?: 'ContactEdge';
  /** Pass as `after` to start the next page after this contact. */
  cursor: Scalars['String']['output'];
  node: Contact;
};

/** Every field given must hold (AND); a field left out filters nothing. */
export type ContactFilter = {
  /** Engagement index (0–100) at or below. */
  engagementIndexMax?: InputMaybe<Scalars['Float']['input']>;
  /** Engagement index (0–100) at or above. */
  engagementIndexMin?: InputMaybe<Scalars['Float']['input']>;
  /** In this half (with phases: in those of them in this half). */
  half?: InputMaybe<IndexHalf>;
  /** Latest interaction strictly after this instant. */
  lastInteractionAfter?: InputMaybe<Scalars['DateTime']['input']>;
  /** Latest interaction strictly before this instant. */
  lastInteractionBefore?: InputMaybe<Scalars['DateTime']['input']>;
  /** In one of these phases. */
  phases?: InputMaybe<Array<Phase>>;
  /** General score at or below. */
  scoreMax?: InputMaybe<Scalars['Float']['input']>;
  /** General score at or above. */
  scoreMin?: InputMaybe<Scalars['Float']['input']>;
  /** With a score in this tag. */
  tag?: InputMaybe<Scalars['String']['input']>;
  /** Score in `tag` at or below (needs tag). */
  tagScoreMax?: InputMaybe<Scalars['Float']['input']>;
  /** Score in `tag` at or above (needs tag). */
  tagScoreMin?: InputMaybe<Scalars['Float']['input']>;
};

export type ContactPageInfo = {
  __typename?: 'ContactPageInfo';
  /** The cursor of the page's last contact (null: an empty page). */
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type ContactSort = {
  direction?: InputMaybe<SortDirection>;
  field: ContactSortField;
};

export type ContactSortField =
  | 'ENGAGEMENT_INDEX'
  /** Contacts with no interaction recorded come last descending, first ascending. */
  | 'LAST_INTERACTION'
  | 'SCORE';

export type Funnel = {
  __typename?: 'Funnel';
  /** Contacts lifecycle first saw in the range (every contact starts in NURTURE). */
  entered: Scalars['Int']['output'];
  from: Scalars['DateTime']['output'];
  /** NURTURE, PURCHASE, RETENTION, EXIT. */
  steps: Array<FunnelStep>;
  to: Scalars['DateTime']['output'];
};

export type FunnelStep = {
  __typename?: 'FunnelStep';
  /**
   * Of the contacts that reached the previous step, the share that entered this phase after it
   * (NURTURE: 1; 0 when nobody reached the previous step).
   */
  conversion: Scalars['Float']['output'];
  /** Median seconds from first entering the previous step to first entering this one after it (null: nobody did). */
  medianSecondsFromPrevious?: Maybe<Scalars['Float']['output']>;
  phase: Phase;
  /** Contacts of the cohort that have been in this phase (NURTURE: all of them). */
  reached: Scalars['Int']['output'];
};

export type IndexHalf =
  | 'CUSTOMER'
  | 'PROSPECT';

/**
 * Prospects: NURTURE → PURCHASE when the general score reaches purchaseEnterScore, back when it falls
 * below purchaseLeaveScore. A PURCHASE or SUBSCRIPTION_STARTED moves a prospect, or a customer in EXIT,
 * into RETENTION. Customers: RETENTION → EXIT when the score falls below exitEnterScore, back when it
 * reaches exitLeaveScore. A score change moves a contact back to the phase it came from only after
 * minDwellMinutes in its phase; EXIT does not apply within newCustomerGraceDays of the purchase or
 * subscription that brought the customer into RETENTION.
 */
export type LifecyclePolicy = {
  __typename?: 'LifecyclePolicy';
  exitEnterScore: Scalars['Float']['output'];
  exitLeaveScore: Scalars['Float']['output'];
  /** @deprecated Use exitEnterScore. */
  exitScore: Scalars['Float']['output'];
  /** @deprecated purchaseEnterScore − purchaseLeaveScore; read the four thresholds. */
  hysteresis: Scalars['Float']['output'];
  minDwellMinutes: Scalars['Float']['output'];
  newCustomerGraceDays: Scalars['Float']['output'];
  purchaseEnterScore: Scalars['Float']['output'];
  purchaseLeaveScore: Scalars['Float']['output'];
  /** @deprecated Use purchaseEnterScore. */
  purchaseScore: Scalars['Float']['output'];
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
};

/**
 * The whole policy; a field left out (or null) takes its default (50, 45, 20, 25, 0 minutes, 30 days).
 * Give the thresholds as all four scores, or as the shorthand purchaseScore, exitScore and hysteresis
 * (all three): purchaseScore − hysteresis leaves PURCHASE, exitScore + hysteresis leaves EXIT.
 */
export type LifecyclePolicyInput = {
  /** RETENTION → EXIT below this. */
  exitEnterScore?: InputMaybe<Scalars['Float']['input']>;
  /** EXIT → RETENTION at or above this (not below exitEnterScore). */
  exitLeaveScore?: InputMaybe<Scalars['Float']['input']>;
  /** Shorthand: RETENTION → EXIT below this; EXIT → RETENTION at or above exitScore + hysteresis. */
  exitScore?: InputMaybe<Scalars['Float']['input']>;
  /** Shorthand: the band between the enter and leave thresholds (0 or more). */
  hysteresis?: InputMaybe<Scalars['Float']['input']>;
  /** Minutes in a phase before a score change may move the contact back to the phase it came from (0–527040). */
  minDwellMinutes?: InputMaybe<Scalars['Float']['input']>;
  /** Days after a purchase or subscription brought a customer into RETENTION before EXIT can apply (0–3660). */
  newCustomerGraceDays?: InputMaybe<Scalars['Float']['input']>;
  /** NURTURE → PURCHASE at or above this general score. */
  purchaseEnterScore?: InputMaybe<Scalars['Float']['input']>;
  /** PURCHASE → NURTURE below this (not above purchaseEnterScore). */
  purchaseLeaveScore?: InputMaybe<Scalars['Float']['input']>;
  /** Shorthand: NURTURE → PURCHASE at or above this; PURCHASE → NURTURE below purchaseScore − hysteresis. */
  purchaseScore?: InputMaybe<Scalars['Float']['input']>;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Replaces the workspace's lifecycle policy (fields left out take their defaults). Needs an admin key. */
  updateLifecyclePolicy: LifecyclePolicy;
};


export type MutationUpdateLifecyclePolicyArgs = {
  input: LifecyclePolicyInput;
};

export type Phase =
  | 'EXIT'
  | 'NURTURE'
  | 'PURCHASE'
  | 'RETENTION';

export type PhaseChangedFilter = {
  /** Only these contacts. */
  contactIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Only transitions into one of these phases. */
  phases?: InputMaybe<Array<Phase>>;
};

export type PhaseCount = {
  __typename?: 'PhaseCount';
  contacts: Scalars['Int']['output'];
  phase: Phase;
};

export type PhaseDay = {
  __typename?: 'PhaseDay';
  /** The UTC day, YYYY-MM-DD; counted at its end (or now, for today). */
  day: Scalars['String']['output'];
  /** All four phases, in order. */
  phases: Array<PhaseCount>;
};

export type PhaseDistribution = {
  __typename?: 'PhaseDistribution';
  /** Now: all four phases, in order. */
  current: Array<PhaseCount>;
  /** Per UTC day over the range asked for (empty without one). */
  days: Array<PhaseDay>;
};

export type PhaseTime = {
  __typename?: 'PhaseTime';
  phase: Phase;
  seconds: Scalars['Float']['output'];
};

export type PhaseTransition = {
  __typename?: 'PhaseTransition';
  at: Scalars['DateTime']['output'];
  /** What changed the score: an interaction (interactionId), decay, a stage reset or a recompute (null: not recorded). */
  cause?: Maybe<ScoreChangeCause>;
  contact: Contact;
  from: Phase;
  id: Scalars['ID']['output'];
  interactionId?: Maybe<Scalars['ID']['output']>;
  reason: Scalars['String']['output'];
  /** The general score that triggered the transition. */
  score: Scalars['Float']['output'];
  to: Phase;
};

export type Query = {
  __typename?: 'Query';
  /**
   * The workspace's contacts that match `filter`, in `sort` order (default: general score, highest
   * first), `first` (1–200) at a time after the cursor `after` (a page's `pageInfo.endCursor`). Pages
   * are keyset pages: contacts added or changed elsewhere in the order do not shift them; a contact
   * whose sort key changes while a client pages may move past the cursor (README: Lists of contacts).
   */
  contacts: ContactConnection;
  /**
   * The contacts lifecycle first saw from `from` (inclusive) to `to` (exclusive; at most 366 days
   * later), and how far they have gone since: NURTURE → PURCHASE → RETENTION → EXIT.
   */
  funnel: Funnel;
  lifecyclePolicy: LifecyclePolicy;
  /**
   * How many of the workspace's contacts are in each phase now and, with `from` and `to` (at most 366
   * days apart), at the end of each UTC day from `from`'s day to `to`'s.
   */
  phaseDistribution: PhaseDistribution;
  /** One phase transition of the caller's workspace (the payload of phaseChanged). */
  phaseTransition?: Maybe<PhaseTransition>;
};


export type QueryContactsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ContactFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  sort?: InputMaybe<ContactSort>;
};


export type QueryFunnelArgs = {
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
};


export type QueryPhaseDistributionArgs = {
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


export type QueryPhaseTransitionArgs = {
  id: Scalars['ID']['input'];
};

export type ScoreChangeCause =
  | 'DECAY'
  | 'INTERACTION'
  | 'RECOMPUTE'
  | 'STAGE_RESET';

export type SortDirection =
  | 'ASC'
  | 'DESC';

export type Subscription = {
  __typename?: 'Subscription';
  /** Every phase change of the caller's workspace, optionally filtered; fields of any subgraph can be selected on contact. */
  phaseChanged: PhaseTransition;
};


export type SubscriptionPhaseChangedArgs = {
  filter?: InputMaybe<PhaseChangedFilter>;
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
  Contact: Contact;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Contact:
    ( { __typename: 'Contact' }
    & GraphQLRecursivePick<FederationTypes['Contact'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Contact: ResolverTypeWrapper<ContactRef>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  ContactConnection: ResolverTypeWrapper<Omit<ContactConnection, 'edges'> & { edges: Array<ResolversTypes['ContactEdge']> }>;
  ContactEdge: ResolverTypeWrapper<Omit<ContactEdge, 'node'> & { node: ResolversTypes['Contact'] }>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ContactFilter: ContactFilter;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  ContactPageInfo: ResolverTypeWrapper<ContactPageInfo>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  ContactSort: ContactSort;
  ContactSortField: ContactSortField;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Funnel: ResolverTypeWrapper<Funnel>;
  FunnelStep: ResolverTypeWrapper<FunnelStep>;
  IndexHalf: IndexHalf;
  LifecyclePolicy: ResolverTypeWrapper<StoredPolicy>;
  LifecyclePolicyInput: LifecyclePolicyInput;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Phase: Phase;
  PhaseChangedFilter: PhaseChangedFilter;
  PhaseCount: ResolverTypeWrapper<PhaseCount>;
  PhaseDay: ResolverTypeWrapper<PhaseDay>;
  PhaseDistribution: ResolverTypeWrapper<PhaseDistribution>;
  PhaseTime: ResolverTypeWrapper<PhaseTime>;
  PhaseTransition: ResolverTypeWrapper<Omit<PhaseTransition, 'contact'> & { contact: ResolversTypes['Contact'] }>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ScoreChangeCause: ScoreChangeCause;
  SortDirection: SortDirection;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Contact: ContactRef;
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  ContactConnection: Omit<ContactConnection, 'edges'> & { edges: Array<ResolversParentTypes['ContactEdge']> };
  ContactEdge: Omit<ContactEdge, 'node'> & { node: ResolversParentTypes['Contact'] };
  String: Scalars['String']['output'];
  ContactFilter: ContactFilter;
  Float: Scalars['Float']['output'];
  ContactPageInfo: ContactPageInfo;
  Boolean: Scalars['Boolean']['output'];
  ContactSort: ContactSort;
  DateTime: Scalars['DateTime']['output'];
  Funnel: Funnel;
  FunnelStep: FunnelStep;
  LifecyclePolicy: StoredPolicy;
  LifecyclePolicyInput: LifecyclePolicyInput;
  Mutation: Record<PropertyKey, never>;
  PhaseChangedFilter: PhaseChangedFilter;
  PhaseCount: PhaseCount;
  PhaseDay: PhaseDay;
  PhaseDistribution: PhaseDistribution;
  PhaseTime: PhaseTime;
  PhaseTransition: Omit<PhaseTransition, 'contact'> & { contact: ResolversParentTypes['Contact'] };
  Query: Record<PropertyKey, never>;
  Subscription: Record<PropertyKey, never>;
};

export type ContactResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['Contact'] = ResolversParentTypes['Contact'], FederationReferenceType extends FederationReferenceTypes['Contact'] = FederationReferenceTypes['Contact']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Contact']> | FederationReferenceType, FederationReferenceType, ContextType>;
  half?: Resolver<ResolversTypes['IndexHalf'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  phase?: Resolver<ResolversTypes['Phase'], ParentType, ContextType>;
  phaseHistory?: Resolver<Array<ResolversTypes['PhaseTransition']>, ParentType, ContextType, RequireFields<ContactPhaseHistoryArgs, 'first'>>;
  timeInPhases?: Resolver<Array<ResolversTypes['PhaseTime']>, ParentType, ContextType>;
};

export type ContactConnectionResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['ContactConnection'] = ResolversParentTypes['ContactConnection']> = {
  edges?: Resolver<Array<ResolversTypes['ContactEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['ContactPageInfo'], ParentType, ContextType>;
};

export type ContactEdgeResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['ContactEdge'] = ResolversParentTypes['ContactEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Contact'], ParentType, ContextType>;
};

export type ContactPageInfoResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['ContactPageInfo'] = ResolversParentTypes['ContactPageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type FunnelResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['Funnel'] = ResolversParentTypes['Funnel']> = {
  entered?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  from?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  steps?: Resolver<Array<ResolversTypes['FunnelStep']>, ParentType, ContextType>;
  to?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type FunnelStepResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['FunnelStep'] = ResolversParentTypes['FunnelStep']> = {
  conversion?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  medianSecondsFromPrevious?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  phase?: Resolver<ResolversTypes['Phase'], ParentType, ContextType>;
  reached?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type LifecyclePolicyResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['LifecyclePolicy'] = ResolversParentTypes['LifecyclePolicy']> = {
  exitEnterScore?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  exitLeaveScore?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  exitScore?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  hysteresis?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  minDwellMinutes?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  newCustomerGraceDays?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  purchaseEnterScore?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  purchaseLeaveScore?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  purchaseScore?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
};

export type MutationResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  updateLifecyclePolicy?: Resolver<ResolversTypes['LifecyclePolicy'], ParentType, ContextType, RequireFields<MutationUpdateLifecyclePolicyArgs, 'input'>>;
};

export type PhaseCountResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['PhaseCount'] = ResolversParentTypes['PhaseCount']> = {
  contacts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  phase?: Resolver<ResolversTypes['Phase'], ParentType, ContextType>;
};

export type PhaseDayResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['PhaseDay'] = ResolversParentTypes['PhaseDay']> = {
  day?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  phases?: Resolver<Array<ResolversTypes['PhaseCount']>, ParentType, ContextType>;
};

export type PhaseDistributionResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['PhaseDistribution'] = ResolversParentTypes['PhaseDistribution']> = {
  current?: Resolver<Array<ResolversTypes['PhaseCount']>, ParentType, ContextType>;
  days?: Resolver<Array<ResolversTypes['PhaseDay']>, ParentType, ContextType>;
};

export type PhaseTimeResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['PhaseTime'] = ResolversParentTypes['PhaseTime']> = {
  phase?: Resolver<ResolversTypes['Phase'], ParentType, ContextType>;
  seconds?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type PhaseTransitionResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['PhaseTransition'] = ResolversParentTypes['PhaseTransition']> = {
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  cause?: Resolver<Maybe<ResolversTypes['ScoreChangeCause']>, ParentType, ContextType>;
  contact?: Resolver<ResolversTypes['Contact'], ParentType, ContextType>;
  from?: Resolver<ResolversTypes['Phase'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  interactionId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  to?: Resolver<ResolversTypes['Phase'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  contacts?: Resolver<ResolversTypes['ContactConnection'], ParentType, ContextType, RequireFields<QueryContactsArgs, 'first'>>;
  funnel?: Resolver<ResolversTypes['Funnel'], ParentType, ContextType, RequireFields<QueryFunnelArgs, 'from' | 'to'>>;
  lifecyclePolicy?: Resolver<ResolversTypes['LifecyclePolicy'], ParentType, ContextType>;
  phaseDistribution?: Resolver<ResolversTypes['PhaseDistribution'], ParentType, ContextType, Partial<QueryPhaseDistributionArgs>>;
  phaseTransition?: Resolver<Maybe<ResolversTypes['PhaseTransition']>, ParentType, ContextType, RequireFields<QueryPhaseTransitionArgs, 'id'>>;
};

export type SubscriptionResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  phaseChanged?: SubscriptionResolver<ResolversTypes['PhaseTransition'], "phaseChanged", ParentType, ContextType, Partial<SubscriptionPhaseChangedArgs>>;
};

export type Resolvers<ContextType = LifecycleContext> = {
  Contact?: ContactResolvers<ContextType>;
  ContactConnection?: ContactConnectionResolvers<ContextType>;
  ContactEdge?: ContactEdgeResolvers<ContextType>;
  ContactPageInfo?: ContactPageInfoResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Funnel?: FunnelResolvers<ContextType>;
  FunnelStep?: FunnelStepResolvers<ContextType>;
  LifecyclePolicy?: LifecyclePolicyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PhaseCount?: PhaseCountResolvers<ContextType>;
  PhaseDay?: PhaseDayResolvers<ContextType>;
  PhaseDistribution?: PhaseDistributionResolvers<ContextType>;
  PhaseTime?: PhaseTimeResolvers<ContextType>;
  PhaseTransition?: PhaseTransitionResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
};

