import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ContactRef } from '@cei/contracts';
import type { StoredPolicy } from '../policies/policy-store';
import type { OwnerDoc, TeamDoc } from '../sales/models';
import type { StoredQualificationPolicy } from '../sales/sales-config';
import type { QualificationStepParent, OwnerAssignmentParent } from '../resolvers/sales';
import type { RoutingRule as RoutingRuleModel } from '../domain/qualification';
import type { PolicyJob } from '../jobs/policy-jobs';
import type { TrendBucketRef } from '../resolvers/trends';
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

export type AssignmentMethod =
  | 'MANUAL'
  | 'ROUND_ROBIN';

export type Contact = {
  __typename?: 'Contact';
  half: IndexHalf;
  id: Scalars['ID']['output'];
  owner?: Maybe<Owner>;
  /** The last assignments, most recent first (up to 10). */
  ownerHistory: Array<OwnerAssignment>;
  phase: Phase;
  /**
   * Most recent first: up to `first` transitions (1–500) older than the one whose id is `after`, from
   * the latest when `after` is null. The id of a page's last transition is the cursor of the next.
   */
  phaseHistory: Array<PhaseTransition>;
  qualification: Qualification;
  /** The last qualification steps, most recent first (up to 10). */
  qualificationHistory: Array<QualificationStep>;
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
  /** true: with an owner; false: without one (not with ownerId). */
  owned?: InputMaybe<Scalars['Boolean']['input']>;
  /** Owned by this owner of the workspace (active or not); an unknown id is refused. */
  ownerId?: InputMaybe<Scalars['ID']['input']>;
  /** In one of these phases. */
  phases?: InputMaybe<Array<Phase>>;
  /** In one of these qualification states (NURTURE: sent back by sales). */
  qualifications?: InputMaybe<Array<Qualification>>;
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
  /** Sales accepts an MQL: it becomes SAL. Needs a write key; the step records the key's id. */
  acceptLead: Contact;
  activateOwner: Owner;
  /** Gives the contact this (active) owner. Needs a write key. */
  assignOwner: Contact;
  /** Owners and teams are managed with an admin key. */
  createOwner: Owner;
  /** memberIds: the round-robin's order. */
  createTeam: Team;
  /** An inactive owner keeps their contacts but gets no new lead (round-robin skips them). */
  deactivateOwner: Owner;
  /** An inactive team assigns nothing. */
  deactivateTeam: Team;
  /** Sales disqualifies an MQL, SAL or SQL: it returns to NURTURE with the reason (it becomes MQL again when its score next reaches the threshold). */
  disqualifyLead: Contact;
  /** Sales qualifies a SAL: it becomes SQL. */
  qualifyLead: Contact;
  /** Sales rejects an MQL or SAL: it returns to NURTURE (it becomes MQL again when its score next reaches the threshold). */
  rejectLead: Contact;
  /**
   * Replaces the workspace's lifecycle policy (fields left out take their defaults) and starts a job
   * that evaluates every contact again under it (`reevaluation` on the answer: its progress, and
   * how many transitions it made, each published once). Needs an admin key.
   */
  updateLifecyclePolicy: LifecyclePolicy;
  /** Changes the fields given. */
  updateOwner: Owner;
  /** Replaces the qualification policy (marketingQualifiedScore left out: 40). Needs an admin key. */
  updateQualificationPolicy: QualificationPolicy;
  updateTeam: Team;
};


export type MutationAcceptLeadArgs = {
  contactId: Scalars['ID']['input'];
};


export type MutationActivateOwnerArgs = {
  id: Scalars['ID']['input'];
};


export type MutationAssignOwnerArgs = {
  contactId: Scalars['ID']['input'];
  ownerId: Scalars['ID']['input'];
};


export type MutationCreateOwnerArgs = {
  input: OwnerInput;
};


export type MutationCreateTeamArgs = {
  input: TeamInput;
};


export type MutationDeactivateOwnerArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeactivateTeamArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDisqualifyLeadArgs = {
  contactId: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};


export type MutationQualifyLeadArgs = {
  contactId: Scalars['ID']['input'];
};


export type MutationRejectLeadArgs = {
  contactId: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};


export type MutationUpdateLifecyclePolicyArgs = {
  input: LifecyclePolicyInput;
};


export type MutationUpdateOwnerArgs = {
  id: Scalars['ID']['input'];
  input: OwnerInput;
};


export type MutationUpdateQualificationPolicyArgs = {
  input: QualificationPolicyInput;
};


export type MutationUpdateTeamArgs = {
  id: Scalars['ID']['input'];
  input: TeamInput;
};

export type Owner = {
  __typename?: 'Owner';
  active: Scalars['Boolean']['output'];
  /** The owner's contacts by id: up to first (1–500) after the contact id after. */
  contacts: OwnerContacts;
  email?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
};


export type OwnerContactsArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type OwnerAssignedFilter = {
  /** Only these contacts (non-empty). */
  contactIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Only assignments to one of these owners (non-empty). */
  ownerIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type OwnerAssignment = {
  __typename?: 'OwnerAssignment';
  actor?: Maybe<Scalars['String']['output']>;
  at: Scalars['DateTime']['output'];
  contact: Contact;
  id: Scalars['ID']['output'];
  method: AssignmentMethod;
  owner?: Maybe<Owner>;
  previousOwner?: Maybe<Owner>;
  /** The team whose round-robin chose the owner. */
  team?: Maybe<Team>;
};

export type OwnerContacts = {
  __typename?: 'OwnerContacts';
  /** The id of the page's last contact: the next page's after. */
  endCursor?: Maybe<Scalars['ID']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  nodes: Array<Contact>;
  totalCount: Scalars['Int']['output'];
};

export type OwnerInput = {
  email?: InputMaybe<Scalars['String']['input']>;
  /** 1–200 characters (required to create). */
  name?: InputMaybe<Scalars['String']['input']>;
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

/** Where a lead stands. NONE: never qualified; NURTURE: sales rejected or disqualified it (it becomes MQL again when its score next reaches the threshold). */
export type Qualification =
  | 'MQL'
  | 'NONE'
  | 'NURTURE'
  | 'SAL'
  | 'SQL';

export type QualificationAction =
  | 'ACCEPT'
  | 'DISQUALIFY'
  /** Automatic: the general score reached marketingQualifiedScore. */
  | 'MARKETING_QUALIFY'
  | 'QUALIFY'
  | 'REJECT';

export type QualificationChangedFilter = {
  /** Only these contacts (non-empty). */
  contactIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Only steps that end in one of these (non-empty). */
  to?: InputMaybe<Array<Qualification>>;
};

export type QualificationCounts = {
  __typename?: 'QualificationCounts';
  disqualified: Scalars['Int']['output'];
  mql: Scalars['Int']['output'];
  rejected: Scalars['Int']['output'];
  sal: Scalars['Int']['output'];
  sql: Scalars['Int']['output'];
};

export type QualificationPolicy = {
  __typename?: 'QualificationPolicy';
  fallbackTeam?: Maybe<Team>;
  /** NONE or NURTURE → MQL when the general score reaches this from below (null: never). */
  marketingQualifiedScore?: Maybe<Scalars['Float']['output']>;
  routingRules: Array<RoutingRule>;
  /** An unowned contact whose general score reaches this from below gets an owner (null: never): from the team of the first routing rule it meets, else from fallbackTeam, by round-robin. */
  salesAssignScore?: Maybe<Scalars['Float']['output']>;
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
};

export type QualificationPolicyInput = {
  /** An active team of the workspace. */
  fallbackTeamId?: InputMaybe<Scalars['ID']['input']>;
  /** 0–1000000; left out: 40; null: no automatic MQL. */
  marketingQualifiedScore?: InputMaybe<Scalars['Float']['input']>;
  /** In order, at most 50: the first that holds names the lead's team. */
  routingRules?: InputMaybe<Array<RoutingRuleInput>>;
  /** 0–1000000, not below marketingQualifiedScore; needs fallbackTeamId. */
  salesAssignScore?: InputMaybe<Scalars['Float']['input']>;
};

export type QualificationStep = {
  __typename?: 'QualificationStep';
  action: QualificationAction;
  /** The API key's id behind the step; null for the automatic MQL. */
  actor?: Maybe<Scalars['String']['output']>;
  at: Scalars['DateTime']['output'];
  contact: Contact;
  from: Qualification;
  id: Scalars['ID']['output'];
  reason?: Maybe<Scalars['String']['output']>;
  to: Qualification;
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
  /** A policy re-evaluation job of the caller's workspace (its id: LifecyclePolicy.reevaluation.id). */
  lifecyclePolicyJob?: Maybe<LifecyclePolicyJob>;
  owner?: Maybe<Owner>;
  /**
   * One owner assignment of the caller's workspace (the payload of ownerAssigned): its id is <contact>~o<n>.
   * The contact keeps its last 10 assignments: an older one is null.
   */
  ownerAssignment?: Maybe<OwnerAssignment>;
  /** The workspace's owners (salespeople), active or not. */
  owners: Array<Owner>;
  /**
   * How many of the workspace's contacts are in each phase now and, with `from` and `to` (at most 366
   * days apart), at the end of each UTC day from `from`'s day to `to`'s.
   */
  phaseDistribution: PhaseDistribution;
  /** One phase transition of the caller's workspace (the payload of phaseChanged). */
  phaseTransition?: Maybe<PhaseTransition>;
  /** Qualification steps taken in [from, to): MQL, SAL, SQL, rejected, disqualified. */
  qualificationCounts: QualificationCounts;
  /** When a lead becomes MQL and gets an owner automatically. */
  qualificationPolicy: QualificationPolicy;
  /** One qualification step of the caller's workspace (the payload of qualificationChanged): its id is <contact>~q<n>. */
  qualificationStep?: Maybe<QualificationStep>;
  team?: Maybe<Team>;
  teams: Array<Team>;
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


export type QueryLifecyclePolicyJobArgs = {
  id: Scalars['ID']['input'];
};


export type QueryOwnerArgs = {
  id: Scalars['ID']['input'];
};


export type QueryOwnerAssignmentArgs = {
  id: Scalars['ID']['input'];
};


export type QueryPhaseDistributionArgs = {
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


export type QueryPhaseTransitionArgs = {
  id: Scalars['ID']['input'];
};


export type QueryQualificationCountsArgs = {
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
};


export type QueryQualificationStepArgs = {
  id: Scalars['ID']['input'];
};


export type QueryTeamArgs = {
  id: Scalars['ID']['input'];
};

export type RoutingProperty =
  | 'COUNTRY'
  | 'TERRITORY';

/**
 * Which team takes a lead that reaches salesAssignScore; exactly one condition: the tag score of tag at
 * least minTagScore; highestTag being the contact's highest tag; or the contact's property (the latest
 * value its interactions gave in properties.country / properties.territory) being one of values, case ignored.
 */
export type RoutingRule = {
  __typename?: 'RoutingRule';
  highestTag?: Maybe<Scalars['String']['output']>;
  minTagScore?: Maybe<Scalars['Float']['output']>;
  property?: Maybe<RoutingProperty>;
  tag?: Maybe<Scalars['String']['output']>;
  team?: Maybe<Team>;
  values?: Maybe<Array<Scalars['String']['output']>>;
};

export type RoutingRuleInput = {
  highestTag?: InputMaybe<Scalars['String']['input']>;
  minTagScore?: InputMaybe<Scalars['Float']['input']>;
  property?: InputMaybe<RoutingProperty>;
  tag?: InputMaybe<Scalars['String']['input']>;
  /** An active team of the workspace. */
  teamId: Scalars['ID']['input'];
  /** 1–50 values (with property). */
  values?: InputMaybe<Array<Scalars['String']['input']>>;
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
  /** Every owner assignment of the caller's workspace, optionally filtered; `after` as for phaseChanged. */
  ownerAssigned: OwnerAssignment;
  /**
   * Every phase change of the caller's workspace, optionally filtered; fields of any subgraph can be selected on contact.
   * `after`: the id of the last event received (each result's `extensions.eventId`) to receive what was missed first
   * (the last 24 h or 10,000 events at most, else the error REPLAY_WINDOW_EXCEEDED).
   */
  phaseChanged: PhaseTransition;
  /** Every qualification step of the caller's workspace (MQL, SAL, SQL, rejected, disqualified), optionally filtered; `after` as for phaseChanged. */
  qualificationChanged: QualificationStep;
};


export type SubscriptionOwnerAssignedArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  filter?: InputMaybe<OwnerAssignedFilter>;
};


export type SubscriptionPhaseChangedArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  filter?: InputMaybe<PhaseChangedFilter>;
};


export type SubscriptionQualificationChangedArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  filter?: InputMaybe<QualificationChangedFilter>;
};

export type Team = {
  __typename?: 'Team';
  active: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
  /** In round-robin order. */
  members: Array<Owner>;
  name: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
};

export type TeamInput = {
  /** Owners of the workspace, in round-robin order (at most 100). */
  memberIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** 1–200 characters (required to create). */
  name?: InputMaybe<Scalars['String']['input']>;
};

/** A period of the workspace's trends (Query.trends, owned by scoring); lifecycle adds its phase counts. */
export type TrendBucket = {
  __typename?: 'TrendBucket';
  /** DAY:<YYYY-MM-DD> or WEEK:<YYYY-MM-DD of its Monday>. */
  id: Scalars['ID']['output'];
  /**
   * Contacts per phase at the period's close (its last millisecond, or now while it runs), from the
   * contacts' phase histories: all four phases, in order (as phaseDistribution counts a day).
   */
  phases: Array<PhaseCount>;
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
  TrendBucket: TrendBucket;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Contact:
    ( { __typename: 'Contact' }
    & GraphQLRecursivePick<FederationTypes['Contact'], {"id":true}> );
  TrendBucket:
    ( { __typename: 'TrendBucket' }
    & GraphQLRecursivePick<FederationTypes['TrendBucket'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  AssignmentMethod: AssignmentMethod;
  Contact: ResolverTypeWrapper<ContactRef>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  ContactConnection: ResolverTypeWrapper<Omit<ContactConnection, 'edges'> & { edges: Array<ResolversTypes['ContactEdge']> }>;
  ContactEdge: ResolverTypeWrapper<Omit<ContactEdge, 'node'> & { node: ResolversTypes['Contact'] }>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ContactFilter: ContactFilter;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  ContactPageInfo: ResolverTypeWrapper<ContactPageInfo>;
  ContactSort: ContactSort;
  ContactSortField: ContactSortField;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Funnel: ResolverTypeWrapper<Funnel>;
  FunnelStep: ResolverTypeWrapper<FunnelStep>;
  IndexHalf: IndexHalf;
  LifecyclePolicy: ResolverTypeWrapper<StoredPolicy>;
  LifecyclePolicyInput: LifecyclePolicyInput;
  LifecyclePolicyJob: ResolverTypeWrapper<PolicyJob>;
  LifecyclePolicyJobStatus: LifecyclePolicyJobStatus;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Owner: ResolverTypeWrapper<OwnerDoc>;
  OwnerAssignedFilter: OwnerAssignedFilter;
  OwnerAssignment: ResolverTypeWrapper<OwnerAssignmentParent>;
  OwnerContacts: ResolverTypeWrapper<Omit<OwnerContacts, 'nodes'> & { nodes: Array<ResolversTypes['Contact']> }>;
  OwnerInput: OwnerInput;
  Phase: Phase;
  PhaseChangedFilter: PhaseChangedFilter;
  PhaseCount: ResolverTypeWrapper<PhaseCount>;
  PhaseDay: ResolverTypeWrapper<PhaseDay>;
  PhaseDistribution: ResolverTypeWrapper<PhaseDistribution>;
  PhaseTime: ResolverTypeWrapper<PhaseTime>;
  PhaseTransition: ResolverTypeWrapper<Omit<PhaseTransition, 'contact'> & { contact: ResolversTypes['Contact'] }>;
  Qualification: Qualification;
  QualificationAction: QualificationAction;
  QualificationChangedFilter: QualificationChangedFilter;
  QualificationCounts: ResolverTypeWrapper<QualificationCounts>;
  QualificationPolicy: ResolverTypeWrapper<StoredQualificationPolicy>;
  QualificationPolicyInput: QualificationPolicyInput;
  QualificationStep: ResolverTypeWrapper<QualificationStepParent>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RoutingProperty: RoutingProperty;
  RoutingRule: ResolverTypeWrapper<RoutingRuleModel>;
  RoutingRuleInput: RoutingRuleInput;
  ScoreChangeCause: ScoreChangeCause;
  SortDirection: SortDirection;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Team: ResolverTypeWrapper<TeamDoc>;
  TeamInput: TeamInput;
  TrendBucket: ResolverTypeWrapper<TrendBucketRef>;
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
  Boolean: Scalars['Boolean']['output'];
  ContactPageInfo: ContactPageInfo;
  ContactSort: ContactSort;
  DateTime: Scalars['DateTime']['output'];
  Funnel: Funnel;
  FunnelStep: FunnelStep;
  LifecyclePolicy: StoredPolicy;
  LifecyclePolicyInput: LifecyclePolicyInput;
  LifecyclePolicyJob: PolicyJob;
  Mutation: Record<PropertyKey, never>;
  Owner: OwnerDoc;
  OwnerAssignedFilter: OwnerAssignedFilter;
  OwnerAssignment: OwnerAssignmentParent;
  OwnerContacts: Omit<OwnerContacts, 'nodes'> & { nodes: Array<ResolversParentTypes['Contact']> };
  OwnerInput: OwnerInput;
  PhaseChangedFilter: PhaseChangedFilter;
  PhaseCount: PhaseCount;
  PhaseDay: PhaseDay;
  PhaseDistribution: PhaseDistribution;
  PhaseTime: PhaseTime;
  PhaseTransition: Omit<PhaseTransition, 'contact'> & { contact: ResolversParentTypes['Contact'] };
  QualificationChangedFilter: QualificationChangedFilter;
  QualificationCounts: QualificationCounts;
  QualificationPolicy: StoredQualificationPolicy;
  QualificationPolicyInput: QualificationPolicyInput;
  QualificationStep: QualificationStepParent;
  Query: Record<PropertyKey, never>;
  RoutingRule: RoutingRuleModel;
  RoutingRuleInput: RoutingRuleInput;
  Subscription: Record<PropertyKey, never>;
  Team: TeamDoc;
  TeamInput: TeamInput;
  TrendBucket: TrendBucketRef;
};

export type ContactResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['Contact'] = ResolversParentTypes['Contact'], FederationReferenceType extends FederationReferenceTypes['Contact'] = FederationReferenceTypes['Contact']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Contact']> | FederationReferenceType, FederationReferenceType, ContextType>;
  half?: Resolver<ResolversTypes['IndexHalf'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  owner?: Resolver<Maybe<ResolversTypes['Owner']>, ParentType, ContextType>;
  ownerHistory?: Resolver<Array<ResolversTypes['OwnerAssignment']>, ParentType, ContextType>;
  phase?: Resolver<ResolversTypes['Phase'], ParentType, ContextType>;
  phaseHistory?: Resolver<Array<ResolversTypes['PhaseTransition']>, ParentType, ContextType, RequireFields<ContactPhaseHistoryArgs, 'first'>>;
  qualification?: Resolver<ResolversTypes['Qualification'], ParentType, ContextType>;
  qualificationHistory?: Resolver<Array<ResolversTypes['QualificationStep']>, ParentType, ContextType>;
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
  acceptLead?: Resolver<ResolversTypes['Contact'], ParentType, ContextType, RequireFields<MutationAcceptLeadArgs, 'contactId'>>;
  activateOwner?: Resolver<ResolversTypes['Owner'], ParentType, ContextType, RequireFields<MutationActivateOwnerArgs, 'id'>>;
  assignOwner?: Resolver<ResolversTypes['Contact'], ParentType, ContextType, RequireFields<MutationAssignOwnerArgs, 'contactId' | 'ownerId'>>;
  createOwner?: Resolver<ResolversTypes['Owner'], ParentType, ContextType, RequireFields<MutationCreateOwnerArgs, 'input'>>;
  createTeam?: Resolver<ResolversTypes['Team'], ParentType, ContextType, RequireFields<MutationCreateTeamArgs, 'input'>>;
  deactivateOwner?: Resolver<ResolversTypes['Owner'], ParentType, ContextType, RequireFields<MutationDeactivateOwnerArgs, 'id'>>;
  deactivateTeam?: Resolver<ResolversTypes['Team'], ParentType, ContextType, RequireFields<MutationDeactivateTeamArgs, 'id'>>;
  disqualifyLead?: Resolver<ResolversTypes['Contact'], ParentType, ContextType, RequireFields<MutationDisqualifyLeadArgs, 'contactId' | 'reason'>>;
  qualifyLead?: Resolver<ResolversTypes['Contact'], ParentType, ContextType, RequireFields<MutationQualifyLeadArgs, 'contactId'>>;
  rejectLead?: Resolver<ResolversTypes['Contact'], ParentType, ContextType, RequireFields<MutationRejectLeadArgs, 'contactId' | 'reason'>>;
  updateLifecyclePolicy?: Resolver<ResolversTypes['LifecyclePolicy'], ParentType, ContextType, RequireFields<MutationUpdateLifecyclePolicyArgs, 'input'>>;
  updateOwner?: Resolver<ResolversTypes['Owner'], ParentType, ContextType, RequireFields<MutationUpdateOwnerArgs, 'id' | 'input'>>;
  updateQualificationPolicy?: Resolver<ResolversTypes['QualificationPolicy'], ParentType, ContextType, RequireFields<MutationUpdateQualificationPolicyArgs, 'input'>>;
  updateTeam?: Resolver<ResolversTypes['Team'], ParentType, ContextType, RequireFields<MutationUpdateTeamArgs, 'id' | 'input'>>;
};

export type OwnerResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['Owner'] = ResolversParentTypes['Owner']> = {
  active?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  contacts?: Resolver<ResolversTypes['OwnerContacts'], ParentType, ContextType, RequireFields<OwnerContactsArgs, 'first'>>;
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type OwnerAssignmentResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['OwnerAssignment'] = ResolversParentTypes['OwnerAssignment']> = {
  actor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  contact?: Resolver<ResolversTypes['Contact'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  method?: Resolver<ResolversTypes['AssignmentMethod'], ParentType, ContextType>;
  owner?: Resolver<Maybe<ResolversTypes['Owner']>, ParentType, ContextType>;
  previousOwner?: Resolver<Maybe<ResolversTypes['Owner']>, ParentType, ContextType>;
  team?: Resolver<Maybe<ResolversTypes['Team']>, ParentType, ContextType>;
};

export type OwnerContactsResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['OwnerContacts'] = ResolversParentTypes['OwnerContacts']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Contact']>, ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
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

export type QualificationCountsResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['QualificationCounts'] = ResolversParentTypes['QualificationCounts']> = {
  disqualified?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  mql?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  rejected?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sal?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sql?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type QualificationPolicyResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['QualificationPolicy'] = ResolversParentTypes['QualificationPolicy']> = {
  fallbackTeam?: Resolver<Maybe<ResolversTypes['Team']>, ParentType, ContextType>;
  marketingQualifiedScore?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  routingRules?: Resolver<Array<ResolversTypes['RoutingRule']>, ParentType, ContextType>;
  salesAssignScore?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
};

export type QualificationStepResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['QualificationStep'] = ResolversParentTypes['QualificationStep']> = {
  action?: Resolver<ResolversTypes['QualificationAction'], ParentType, ContextType>;
  actor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  contact?: Resolver<ResolversTypes['Contact'], ParentType, ContextType>;
  from?: Resolver<ResolversTypes['Qualification'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  to?: Resolver<ResolversTypes['Qualification'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  contacts?: Resolver<ResolversTypes['ContactConnection'], ParentType, ContextType, RequireFields<QueryContactsArgs, 'first'>>;
  funnel?: Resolver<ResolversTypes['Funnel'], ParentType, ContextType, RequireFields<QueryFunnelArgs, 'from' | 'to'>>;
  lifecyclePolicy?: Resolver<ResolversTypes['LifecyclePolicy'], ParentType, ContextType>;
  lifecyclePolicyJob?: Resolver<Maybe<ResolversTypes['LifecyclePolicyJob']>, ParentType, ContextType, RequireFields<QueryLifecyclePolicyJobArgs, 'id'>>;
  owner?: Resolver<Maybe<ResolversTypes['Owner']>, ParentType, ContextType, RequireFields<QueryOwnerArgs, 'id'>>;
  ownerAssignment?: Resolver<Maybe<ResolversTypes['OwnerAssignment']>, ParentType, ContextType, RequireFields<QueryOwnerAssignmentArgs, 'id'>>;
  owners?: Resolver<Array<ResolversTypes['Owner']>, ParentType, ContextType>;
  phaseDistribution?: Resolver<ResolversTypes['PhaseDistribution'], ParentType, ContextType, Partial<QueryPhaseDistributionArgs>>;
  phaseTransition?: Resolver<Maybe<ResolversTypes['PhaseTransition']>, ParentType, ContextType, RequireFields<QueryPhaseTransitionArgs, 'id'>>;
  qualificationCounts?: Resolver<ResolversTypes['QualificationCounts'], ParentType, ContextType, RequireFields<QueryQualificationCountsArgs, 'from' | 'to'>>;
  qualificationPolicy?: Resolver<ResolversTypes['QualificationPolicy'], ParentType, ContextType>;
  qualificationStep?: Resolver<Maybe<ResolversTypes['QualificationStep']>, ParentType, ContextType, RequireFields<QueryQualificationStepArgs, 'id'>>;
  team?: Resolver<Maybe<ResolversTypes['Team']>, ParentType, ContextType, RequireFields<QueryTeamArgs, 'id'>>;
  teams?: Resolver<Array<ResolversTypes['Team']>, ParentType, ContextType>;
};

export type RoutingRuleResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['RoutingRule'] = ResolversParentTypes['RoutingRule']> = {
  highestTag?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  minTagScore?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  property?: Resolver<Maybe<ResolversTypes['RoutingProperty']>, ParentType, ContextType>;
  tag?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  team?: Resolver<Maybe<ResolversTypes['Team']>, ParentType, ContextType>;
  values?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  ownerAssigned?: SubscriptionResolver<ResolversTypes['OwnerAssignment'], "ownerAssigned", ParentType, ContextType, Partial<SubscriptionOwnerAssignedArgs>>;
  phaseChanged?: SubscriptionResolver<ResolversTypes['PhaseTransition'], "phaseChanged", ParentType, ContextType, Partial<SubscriptionPhaseChangedArgs>>;
  qualificationChanged?: SubscriptionResolver<ResolversTypes['QualificationStep'], "qualificationChanged", ParentType, ContextType, Partial<SubscriptionQualificationChangedArgs>>;
};

export type TeamResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['Team'] = ResolversParentTypes['Team']> = {
  active?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  members?: Resolver<Array<ResolversTypes['Owner']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type TrendBucketResolvers<ContextType = LifecycleContext, ParentType extends ResolversParentTypes['TrendBucket'] = ResolversParentTypes['TrendBucket'], FederationReferenceType extends FederationReferenceTypes['TrendBucket'] = FederationReferenceTypes['TrendBucket']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['TrendBucket']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  phases?: Resolver<Array<ResolversTypes['PhaseCount']>, ParentType, ContextType>;
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
  LifecyclePolicyJob?: LifecyclePolicyJobResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Owner?: OwnerResolvers<ContextType>;
  OwnerAssignment?: OwnerAssignmentResolvers<ContextType>;
  OwnerContacts?: OwnerContactsResolvers<ContextType>;
  PhaseCount?: PhaseCountResolvers<ContextType>;
  PhaseDay?: PhaseDayResolvers<ContextType>;
  PhaseDistribution?: PhaseDistributionResolvers<ContextType>;
  PhaseTime?: PhaseTimeResolvers<ContextType>;
  PhaseTransition?: PhaseTransitionResolvers<ContextType>;
  QualificationCounts?: QualificationCountsResolvers<ContextType>;
  QualificationPolicy?: QualificationPolicyResolvers<ContextType>;
  QualificationStep?: QualificationStepResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RoutingRule?: RoutingRuleResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  Team?: TeamResolvers<ContextType>;
  TrendBucket?: TrendBucketResolvers<ContextType>;
};

