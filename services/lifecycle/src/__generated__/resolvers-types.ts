import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ContactRef } from '@cei/contracts';
import type { StoredPolicy } from '../policies/policy-store';
import type { PolicyJob } from '../jobs/policy-jobs';
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
 *
 * Optional rules (null: off). NURTURE → PURCHASE also when the stage score (points earned since the
 * contact entered its phase) reaches stageEnterPurchaseScore, or the purchase likelihood reaches
 * purchaseEnterLikelihood; a contact those moved on stays in PURCHASE until it buys (only contacts
 * the general score moved fall back by it). RETENTION → EXIT also when the churn likelihood reaches
 * churnExitLikelihood (after the grace), or cancelledExitDays after a SUBSCRIPTION_CANCELLED with no
 * interaction since (grace or not; any interaction ends the rule); EXIT → RETENTION by the score only
 * once neither holds. A customer returnToProspectAfterDays in EXIT becomes a prospect again (NURTURE).
 * Rules of time (grace, dwell, cancellation window, days in EXIT) apply when due, with no new score.
 */
export type LifecyclePolicy = {
  __typename?: 'LifecyclePolicy';
  cancelledExitDays?: Maybe<Scalars['Float']['output']>;
  churnExitLikelihood?: Maybe<Scalars['Float']['output']>;
  exitEnterScore: Scalars['Float']['output'];
  exitLeaveScore: Scalars['Float']['output'];
  /** @deprecated Use exitEnterScore. */
  exitScore: Scalars['Float']['output'];
  /** @deprecated purchaseEnterScore − purchaseLeaveScore; read the four thresholds. */
  hysteresis: Scalars['Float']['output'];
  minDwellMinutes: Scalars['Float']['output'];
  newCustomerGraceDays: Scalars['Float']['output'];
  purchaseEnterLikelihood?: Maybe<Scalars['Float']['output']>;
  purchaseEnterScore: Scalars['Float']['output'];
  purchaseLeaveScore: Scalars['Float']['output'];
  /** @deprecated Use purchaseEnterScore. */
  purchaseScore: Scalars['Float']['output'];
  /** The job evaluating the workspace's contacts again under this policy (null: the default policy, never set). */
  reevaluation?: Maybe<LifecyclePolicyJob>;
  returnToProspectAfterDays?: Maybe<Scalars['Float']['output']>;
  stageEnterPurchaseScore?: Maybe<Scalars['Float']['output']>;
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
};

/**
 * The whole policy; a field left out (or null) takes its default (50, 45, 20, 25, 0 minutes, 30 days).
 * Give the thresholds as all four scores, or as the shorthand purchaseScore, exitScore and hysteresis
 * (all three): purchaseScore − hysteresis leaves PURCHASE, exitScore + hysteresis leaves EXIT.
 */
export type LifecyclePolicyInput = {
  /** RETENTION → EXIT this many days after a SUBSCRIPTION_CANCELLED with no interaction since (0–3660; null: off). */
  cancelledExitDays?: InputMaybe<Scalars['Float']['input']>;
  /** RETENTION → EXIT when the churn likelihood reaches this, after the grace (above 0, at most 1; null: off). */
  churnExitLikelihood?: InputMaybe<Scalars['Float']['input']>;
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
  /** NURTURE → PURCHASE when the purchase likelihood reaches this (above 0, at most 1; null: off). */
  purchaseEnterLikelihood?: InputMaybe<Scalars['Float']['input']>;
  /** NURTURE → PURCHASE at or above this general score. */
  purchaseEnterScore?: InputMaybe<Scalars['Float']['input']>;
  /** PURCHASE → NURTURE below this (not above purchaseEnterScore). */
  purchaseLeaveScore?: InputMaybe<Scalars['Float']['input']>;
  /** Shorthand: NURTURE → PURCHASE at or above this; PURCHASE → NURTURE below purchaseScore − hysteresis. */
  purchaseScore?: InputMaybe<Scalars['Float']['input']>;
  /** EXIT → NURTURE (a prospect again) after this many days in EXIT (above 0, at most 3660; null: off). */
  returnToProspectAfterDays?: InputMaybe<Scalars['Float']['input']>;
  /** NURTURE → PURCHASE when the stage score reaches this (above 0; null: off). */
  stageEnterPurchaseScore?: InputMaybe<Scalars['Float']['input']>;
};

/** A policy change evaluating the workspace's contacts again: one request per contact, applied by its owner. */
export type LifecyclePolicyJob = {
  __typename?: 'LifecyclePolicyJob';
  /** Contacts evaluated again so far. */
  done: Scalars['Int']['output'];
  error?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  startedAt: Scalars['DateTime']['output'];
  /** DONE once every contact asked was evaluated again; FAILED when not every contact could be asked (error says what to do). */
  status: LifecyclePolicyJobStatus;
  /** Contacts asked (null until all were asked). */
  total?: Maybe<Scalars['Int']['output']>;
  /** Phase transitions the re-evaluation made (each published once). */
  transitions: Scalars['Int']['output'];
};

export type LifecyclePolicyJobStatus =
  | 'DONE'
  | 'FAILED'
  | 'RUNNING';

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Replaces the workspace's lifecycle policy (fields left out take their defaults) and starts a job
   * that evaluates every contact again under it (`reevaluation` on the answer: its progress, and
   * how many transitions it made, each published once). Needs an admin key.
   */
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
  lifecyclePolicy: LifecyclePolicy;
  /** A policy re-evaluation job of the caller's workspace (its id: LifecyclePolicy.reevaluation.id). */
  lifecyclePolicyJob?: Maybe<LifecyclePolicyJob>;
  /** One phase transition of the caller's workspace (the payload of phaseChanged). */
  phaseTransition?: Maybe<PhaseTransition>;
};


export type QueryLifecyclePolicyJobArgs = {
  id: Scalars['ID']['input'];
};


export type QueryPhaseTransitionArgs = {
  id: Scalars['ID']['input'];
};

export type ScoreChangeCause =
  | 'DECAY'
  | 'INTERACTION'
  | 'RECOMPUTE'
  | 'STAGE_RESET';

export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Every phase change of the caller's workspace, optionally filtered; fields of any subgraph can be selected on contact.
   * `after`: the id of the last event received (each result's `extensions.eventId`) to receive what was missed first
   * (the last 24 h or 10,000 events at most, else the error REPLAY_WINDOW_EXCEEDED).
   */
  phaseChanged: PhaseTransition;
};


export type SubscriptionPhaseChangedArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
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
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  IndexHalf: IndexHalf;
  LifecyclePolicy: ResolverTypeWrapper<StoredPolicy>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  LifecyclePolicyInput: LifecyclePolicyInput;
  LifecyclePolicyJob: ResolverTypeWrapper<PolicyJob>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  LifecyclePolicyJobStatus: LifecyclePolicyJobStatus;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Phase: Phase;
  PhaseChangedFilter: PhaseChangedFilter;
  PhaseTime: ResolverTypeWrapper<PhaseTime>;
  PhaseTransition: ResolverTypeWrapper<Omit<PhaseTransition, 'contact'> & { contact: ResolversTypes['Contact'] }>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ScoreChangeCause: ScoreChangeCause;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Contact: ContactRef;
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  DateTime: Scalars['DateTime']['output'];
  LifecyclePolicy: StoredPolicy;
  Float: Scalars['Float']['output'];
  LifecyclePolicyInput: LifecyclePolicyInput;
  LifecyclePolicyJob: PolicyJob;
  String: Scalars['String']['output'];
  Mutation: Record<PropertyKey, never>;
  PhaseChangedFilter: PhaseChangedFilter;
  PhaseTime: PhaseTime;
  PhaseTransition: Omit<PhaseTransition, 'contact'> & { contact: ResolversParentTypes['Contact'] };
  Query: Record<PropertyKey, never>;
  Subscription: Record<PropertyKey, never>;
  Boolean: Scalars['Boolean']['output'];
};

export type ContactResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['Contact'] = ResolversParentTypes['Contact'], FederationReferenceType extends FederationReferenceTypes['Contact'] = FederationReferenceTypes['Contact']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Contact']> | FederationReferenceType, FederationReferenceType, ContextType>;
  half?: Resolver<ResolversTypes['IndexHalf'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  phase?: Resolver<ResolversTypes['Phase'], ParentType, ContextType>;
  phaseHistory?: Resolver<Array<ResolversTypes['PhaseTransition']>, ParentType, ContextType, RequireFields<ContactPhaseHistoryArgs, 'first'>>;
  timeInPhases?: Resolver<Array<ResolversTypes['PhaseTime']>, ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type LifecyclePolicyResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['LifecyclePolicy'] = ResolversParentTypes['LifecyclePolicy']> = {
  cancelledExitDays?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  churnExitLikelihood?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  exitEnterScore?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  exitLeaveScore?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  exitScore?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  hysteresis?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  minDwellMinutes?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  newCustomerGraceDays?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  purchaseEnterLikelihood?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  purchaseEnterScore?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  purchaseLeaveScore?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  purchaseScore?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  reevaluation?: Resolver<Maybe<ResolversTypes['LifecyclePolicyJob']>, ParentType, ContextType>;
  returnToProspectAfterDays?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  stageEnterPurchaseScore?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
};

export type LifecyclePolicyJobResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['LifecyclePolicyJob'] = ResolversParentTypes['LifecyclePolicyJob']> = {
  done?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  startedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['LifecyclePolicyJobStatus'], ParentType, ContextType>;
  total?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  transitions?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  updateLifecyclePolicy?: Resolver<ResolversTypes['LifecyclePolicy'], ParentType, ContextType, RequireFields<MutationUpdateLifecyclePolicyArgs, 'input'>>;
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
  lifecyclePolicy?: Resolver<ResolversTypes['LifecyclePolicy'], ParentType, ContextType>;
  lifecyclePolicyJob?: Resolver<Maybe<ResolversTypes['LifecyclePolicyJob']>, ParentType, ContextType, RequireFields<QueryLifecyclePolicyJobArgs, 'id'>>;
  phaseTransition?: Resolver<Maybe<ResolversTypes['PhaseTransition']>, ParentType, ContextType, RequireFields<QueryPhaseTransitionArgs, 'id'>>;
};

export type SubscriptionResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  phaseChanged?: SubscriptionResolver<ResolversTypes['PhaseTransition'], "phaseChanged", ParentType, ContextType, Partial<SubscriptionPhaseChangedArgs>>;
};

export type Resolvers<ContextType = LifecycleContext> = {
  Contact?: ContactResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  LifecyclePolicy?: LifecyclePolicyResolvers<ContextType>;
  LifecyclePolicyJob?: LifecyclePolicyJobResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PhaseTime?: PhaseTimeResolvers<ContextType>;
  PhaseTransition?: PhaseTransitionResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
};

