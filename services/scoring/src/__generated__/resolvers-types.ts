import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { ContactRef } from '@cei/contracts';
import type { RuleParent, ScoreValuesParent } from '../resolvers/rules';
import type { RuleAuditDoc } from '../models';
import type { RecomputeJob as RecomputeJobModel } from '../jobs/recompute-jobs';
import type { BucketCloses } from '../trends/bucket';
import type { ContactSentiment as ContactSentimentModel, ScoredText } from '../domain/sentiment';
import type { AccountRef } from '../usage/account-usage';
import type { ScoringContext } from '../server';
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

/** A company contacts belong to (saved in ingestion); scoring adds its health. */
export type Account = {
  __typename?: 'Account';
  /** Rolled up from the account's customer contacts (by their accountId trait); null without one. */
  health?: Maybe<AccountHealth>;
  id: Scalars['ID']['output'];
  /** What the account's contacts (by their accountId trait) use of the product, together, as of now. */
  productUsage: AccountProductUsage;
};

export type AccountFeatureUsage = {
  __typename?: 'AccountFeatureUsage';
  /** Distinct contacts of the account that ever used it. */
  contacts: Scalars['Int']['output'];
  declared: Scalars['Boolean']['output'];
  errors: Scalars['Int']['output'];
  firstUsedAt?: Maybe<Scalars['DateTime']['output']>;
  highValue: Scalars['Boolean']['output'];
  key: Scalars['String']['output'];
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The declared name (the key when the feature is not declared). */
  name: Scalars['String']['output'];
  /** Some contact used it in the last 30 days. */
  recent: Scalars['Boolean']['output'];
  /** Distinct contacts that used it in the last 30 days. */
  recentContacts: Scalars['Int']['output'];
  uses: Scalars['Int']['output'];
};

export type AccountHealth = {
  __typename?: 'AccountHealth';
  /** Customer contacts rolled up. */
  contacts: Scalars['Int']['output'];
  /** Per measure, the mean of the contacts' points. */
  measures: Array<HealthMeasure>;
  /** The weakest measure across the account. */
  pulledDownBy?: Maybe<Scalars['String']['output']>;
  /** The mean of the customer contacts' health scores. */
  score: Scalars['Float']['output'];
  status: HealthStatus;
};

/** An account's use of the product as of now; 'recent' is the last 30 UTC days, today included. */
export type AccountProductUsage = {
  __typename?: 'AccountProductUsage';
  /** Contacts with a use in the last 30 days. */
  activeContactsLast30: Scalars['Int']['output'];
  /** Days in the last 7 on which any contact used the product. */
  activeDaysLast7: Scalars['Int']['output'];
  /** Days in the last 30 on which any contact used the product. */
  activeDaysLast30: Scalars['Int']['output'];
  /** Declared features some contact used in the last 30 days ÷ declared features; null when none are declared. */
  breadth?: Maybe<Scalars['Float']['output']>;
  /** The account's contacts known to scoring. */
  contacts: Scalars['Int']['output'];
  errorsLast30Days: Scalars['Int']['output'];
  /** Features any contact used (or hit errors in), most used first, all contacts added up. */
  features: Array<AccountFeatureUsage>;
  /** Declared high-value features no contact of the account used in the last 30 days. */
  highValueUnused: Array<UnusedFeature>;
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  /** activeDaysLast30 ÷ 30. */
  stickinessMonthly: Scalars['Float']['output'];
  /** activeDaysLast7 ÷ 7. */
  stickinessWeekly: Scalars['Float']['output'];
  usesLast30Days: Scalars['Int']['output'];
};

export type AccountUpsellOpportunity = {
  __typename?: 'AccountUpsellOpportunity';
  account: Account;
  /** Contacts with a use in the last 30 days. */
  activeContacts: Scalars['Int']['output'];
  activeDaysLast30: Scalars['Int']['output'];
  /** The high-value features no contact of the account uses (never, or no longer). */
  features: Array<UnusedFeature>;
  usesLast30Days: Scalars['Int']['output'];
};

export type AdoptionPeriod = {
  __typename?: 'AdoptionPeriod';
  /** Distinct contacts that used the feature in the period. */
  contacts: Scalars['Int']['output'];
  errors: Scalars['Int']['output'];
  /** The first UTC day of the period (YYYY-MM-DD; a week starts on Monday). */
  start: Scalars['String']['output'];
  uses: Scalars['Int']['output'];
};

/** An answer scale, inclusive. */
export type AnswerScale = {
  __typename?: 'AnswerScale';
  max: Scalars['Int']['output'];
  min: Scalars['Int']['output'];
};

export type AuditAction =
  | 'CREATED'
  | 'DELETED'
  | 'DISABLED'
  | 'ENABLED'
  | 'UPDATED';

export type Cap = {
  __typename?: 'Cap';
  period: CapPeriod;
  /** At most this many points to any one score of a contact per period. */
  points: Scalars['Float']['output'];
};

export type CapInput = {
  period: CapPeriod;
  points: Scalars['Float']['input'];
};

export type CapPeriod =
  | 'DAY'
  | 'EVER'
  | 'WEEK';

export type Condition = {
  __typename?: 'Condition';
  match: ConditionMatch;
  predicates: Array<Predicate>;
};

export type ConditionInput = {
  match?: InputMaybe<ConditionMatch>;
  predicates: Array<PredicateInput>;
};

export type ConditionMatch =
  | 'ALL'
  | 'ANY';

export type Contact = {
  __typename?: 'Contact';
  /**
   * The contact's health 0–100 as customer success scores it: product usage, engagement trend,
   * sentiment, support load and NPS, each GOOD / CONCERNING / POOR by the workspace's health policy,
   * weighted. Null for a contact that is no customer (no purchase, no subscription). README "Health score".
   */
  health?: Maybe<Health>;
  id: Scalars['ID']['output'];
  /**
   * How influential the contact is, 0–100: inside their company (seniority, buying role, engaged
   * colleagues of the same account) and outside (followers, shares, mentions, comment reach), with
   * each component. Formula and weights: README "Influence".
   */
  influence: Influence;
  /**
   * Interactions of this contact scored so far (IDENTIFY and merges not counted; after a merge, the
   * merged-away contact's count on the survivor, an interaction both had counted once).
   */
  interactionCount: Scalars['Int']['output'];
  kpis: Kpis;
  /** The latest `occurredAt` of those interactions. */
  lastInteractionAt?: Maybe<Scalars['DateTime']['output']>;
  /** Likelihoods of purchase, free→paid, upgrade, churn, recommendation, trial and product success, with the signals behind each. */
  likelihoods: Array<Likelihood>;
  /** Which features the contact uses, how broadly, deeply and regularly, and where it hits errors. */
  productUsage: ContactProductUsage;
  /** The contact's scores as of now (decay included). */
  score: Score;
  /** Every change of the contact's scores, newest first; the entries add up to `score`. */
  scoreHistory: ScoreHistoryPage;
  /** Sentiment of the contact's texts (the `text` property of its interactions): latest, trend, recent. */
  sentiment: ContactSentiment;
};


export type ContactScoreHistoryArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type ContactFeatureUsage = {
  __typename?: 'ContactFeatureUsage';
  declared: Scalars['Boolean']['output'];
  errors: Scalars['Int']['output'];
  firstUsedAt?: Maybe<Scalars['DateTime']['output']>;
  highValue: Scalars['Boolean']['output'];
  key: Scalars['String']['output'];
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The declared name (the key when the feature is not declared). */
  name: Scalars['String']['output'];
  /** Used in the last 30 days. */
  recent: Scalars['Boolean']['output'];
  uses: Scalars['Int']['output'];
};

/** A contact's use of the product as of now; 'recent' is the last 30 UTC days, today included. */
export type ContactProductUsage = {
  __typename?: 'ContactProductUsage';
  activeDaysLast7: Scalars['Int']['output'];
  activeDaysLast30: Scalars['Int']['output'];
  /** Declared features used in the last 30 days ÷ declared features; null when none are declared. */
  breadth?: Maybe<Scalars['Float']['output']>;
  /** Uses in the last 30 days ÷ features used in the last 30 days. */
  depth: Scalars['Float']['output'];
  errorsLast30Days: Scalars['Int']['output'];
  /** Features used (or failing), most used first. */
  features: Array<ContactFeatureUsage>;
  /** Declared high-value features never used, or not used in the last 30 days. */
  highValueUnused: Array<UnusedFeature>;
  /** Lifetime uses of the high-value features used in the last 30 days. */
  highValueUses: Scalars['Int']['output'];
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Active days in the last 30 days ÷ 30. */
  stickinessMonthly: Scalars['Float']['output'];
  /** Active days in the last 7 days ÷ 7. */
  stickinessWeekly: Scalars['Float']['output'];
  usesLast30Days: Scalars['Int']['output'];
};

export type ContactSentiment = {
  __typename?: 'ContactSentiment';
  /** The text with the latest interaction time; null without texts. */
  latest?: Maybe<TextSentiment>;
  /** Mean score of all the contact's texts; null without texts. */
  meanScore?: Maybe<Scalars['Float']['output']>;
  negative: Scalars['Int']['output'];
  neutral: Scalars['Int']['output'];
  positive: Scalars['Int']['output'];
  /** The newest texts, newest first (at most 10 are kept here; every text is on its scoreHistory entry). */
  recent: Array<TextSentiment>;
  texts: Scalars['Int']['output'];
  trend: SentimentTrend;
};


export type ContactSentimentRecentArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type Effect = {
  __typename?: 'Effect';
  /** Points to the general score (and so to the stage score). */
  general: Scalars['Float']['output'];
  /** Points to the stage score only. */
  stage: Scalars['Float']['output'];
  tags: Array<TagScore>;
};

export type EffectInput = {
  general?: InputMaybe<Scalars['Float']['input']>;
  stage?: InputMaybe<Scalars['Float']['input']>;
  tags?: InputMaybe<Array<TagPointsInput>>;
};

export type EngagementIndexBin = {
  __typename?: 'EngagementIndexBin';
  contacts: Scalars['Int']['output'];
  from: Scalars['Float']['output'];
  to: Scalars['Float']['output'];
};

/** Engagement index (0–100) of the contacts at a close; quartiles interpolated between ranks. */
export type EngagementIndexDistribution = {
  __typename?: 'EngagementIndexDistribution';
  contacts: Scalars['Int']['output'];
  /** Ten bins of width 10: [0, 10), [10, 20), … [90, 100] (the last includes 100). */
  histogram: Array<EngagementIndexBin>;
  mean?: Maybe<Scalars['Float']['output']>;
  median?: Maybe<Scalars['Float']['output']>;
  p25?: Maybe<Scalars['Float']['output']>;
  p75?: Maybe<Scalars['Float']['output']>;
};

export type FeatureAdoption = {
  __typename?: 'FeatureAdoption';
  key: Scalars['String']['output'];
  name: Scalars['String']['output'];
  periods: Array<AdoptionPeriod>;
};

export type FeatureUsageStat = {
  __typename?: 'FeatureUsageStat';
  declared: Scalars['Boolean']['output'];
  /** errors ÷ (uses + errors of FEATURE_ERROR); 0 without any. */
  errorRate: Scalars['Float']['output'];
  errors: Scalars['Int']['output'];
  highValue: Scalars['Boolean']['output'];
  key: Scalars['String']['output'];
  name: Scalars['String']['output'];
  uses: Scalars['Int']['output'];
};

export type Health = {
  __typename?: 'Health';
  /** The measures with data, each with its part. */
  measures: Array<HealthMeasure>;
  /** The measure that lost the most points (weight × (100 − points)); null when none lost any. */
  pulledDownBy?: Maybe<Scalars['String']['output']>;
  /** 0–100: the weighted mean of the measures' points. */
  score: Scalars['Float']['output'];
  /** GOOD from 70, POOR below 40, CONCERNING between. */
  status: HealthStatus;
};

export type HealthDirection =
  /** GOOD at or above `good`, POOR at or below `poor`. */
  | 'HIGHER_IS_BETTER'
  /** GOOD at or below `good`, POOR at or above `poor`. */
  | 'LOWER_IS_BETTER';

export type HealthMeasure = {
  __typename?: 'HealthMeasure';
  /** Points (GOOD 100, CONCERNING 50, POOR 0) × weight: what it adds to the score. */
  contribution: Scalars['Float']['output'];
  /** What the value was read from, in words. */
  detail: Scalars['String']['output'];
  /** productUsage, engagementTrend, sentiment, supportLoad or nps. */
  name: Scalars['String']['output'];
  status: HealthStatus;
  /** The measure's value (an account: the mean of its contacts' points, 0–100). */
  value: Scalars['Float']['output'];
  /** The measure's share of the weights of the measures with data (0–1). */
  weight: Scalars['Float']['output'];
};

export type HealthMeasurePolicy = {
  __typename?: 'HealthMeasurePolicy';
  direction: HealthDirection;
  good: Scalars['Float']['output'];
  name: Scalars['String']['output'];
  poor: Scalars['Float']['output'];
  /** 0–100; 0 leaves the measure out. */
  weight: Scalars['Float']['output'];
};

export type HealthMeasurePolicyInput = {
  good?: InputMaybe<Scalars['Float']['input']>;
  poor?: InputMaybe<Scalars['Float']['input']>;
  weight?: InputMaybe<Scalars['Float']['input']>;
};

export type HealthPolicy = {
  __typename?: 'HealthPolicy';
  measures: Array<HealthMeasurePolicy>;
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
  /** 0: the defaults, never changed; one more per change. */
  version: Scalars['Int']['output'];
};

/** Each measure's range: productUsage 0–1 (stickiness), engagementTrend and sentiment −1..1, supportLoad ≥ 0 (count), nps 0–10. */
export type HealthPolicyInput = {
  engagementTrend?: InputMaybe<HealthMeasurePolicyInput>;
  nps?: InputMaybe<HealthMeasurePolicyInput>;
  productUsage?: InputMaybe<HealthMeasurePolicyInput>;
  sentiment?: InputMaybe<HealthMeasurePolicyInput>;
  supportLoad?: InputMaybe<HealthMeasurePolicyInput>;
};

export type HealthStatus =
  | 'CONCERNING'
  | 'GOOD'
  | 'POOR';

export type Influence = {
  __typename?: 'Influence';
  components: Array<InfluenceComponent>;
  inside: Scalars['Float']['output'];
  outside: Scalars['Float']['output'];
  /** inside × 0.5 + outside × 0.5. */
  score: Scalars['Float']['output'];
};

export type InfluenceComponent = {
  __typename?: 'InfluenceComponent';
  /** value × weight: the points it adds to the score. */
  contribution: Scalars['Float']['output'];
  /** The input as it was (a seniority, a count). */
  input: Scalars['String']['output'];
  /** seniority, buyingRole, engagedColleagues, followers, shares, mentions or commentReach. */
  name: Scalars['String']['output'];
  side: InfluenceSide;
  /** 0–100. */
  value: Scalars['Float']['output'];
  /** Weight in the overall score (the side's weight × the component's within the side). */
  weight: Scalars['Float']['output'];
};

export type InfluenceSide =
  | 'INSIDE'
  | 'OUTSIDE';

export type InteractionKind =
  | 'ABANDONED_CART'
  | 'CALL_CENTER_CONTACT'
  | 'COMMENT_ADDED'
  | 'COMMENT_REMOVED'
  /** Another contact merged into this one (mergeContacts): never scored by a rule. */
  | 'CONTACT_MERGED'
  | 'CUSTOM'
  | 'EMAIL_CLICK'
  | 'EMAIL_OPEN'
  | 'FEATURE_ERROR'
  | 'FEATURE_USAGE'
  /** Traits of the contact (identifyContact): never scored. */
  | 'IDENTIFY'
  | 'LINK_CLICK'
  | 'LIVE_CHAT'
  | 'MOBILE_APP_INSTALL'
  | 'MOBILE_APP_USAGE'
  | 'PAGE_VISIT'
  | 'PURCHASE'
  | 'SOCIAL_DISLIKE'
  | 'SOCIAL_LIKE'
  | 'SOCIAL_SHARE'
  | 'STORE_VISIT'
  | 'SUBSCRIPTION_CANCELLED'
  | 'SUBSCRIPTION_RENEWED'
  | 'SUBSCRIPTION_STARTED'
  | 'SUPPORT_TICKET'
  | 'SURVEY_RESPONSE'
  | 'WEBINAR_ATTENDED'
  | 'WEBINAR_QUESTION';

export type Kpis = {
  __typename?: 'Kpis';
  averageHandleTimeSeconds?: Maybe<Scalars['Float']['output']>;
  /** Average customer effort answer (1–7). */
  ces?: Maybe<Scalars['Float']['output']>;
  /** CES answers counted. */
  cesAnswers: Scalars['Int']['output'];
  /** The scale CES answers were taken on (1–7 agreement; others are ignored). */
  cesScale: AnswerScale;
  contacts: Scalars['Int']['output'];
  /**
   * Average customer satisfaction answer (1–5).
   * @deprecated Ambiguous: it is the mean, while the CSAT the industry reports is the satisfied share. Use csatMean or csatSatisfiedShare.
   */
  csat?: Maybe<Scalars['Float']['output']>;
  /** CSAT answers counted (answers outside the scale or not numbers are ignored). */
  csatAnswers: Scalars['Int']['output'];
  /** Average customer satisfaction answer (1–5). */
  csatMean?: Maybe<Scalars['Float']['output']>;
  /** CSAT as the industry reports it: the share (0–1) of answers that are satisfied, 4 or 5 on the 1–5 scale. */
  csatSatisfiedShare?: Maybe<Scalars['Float']['output']>;
  /** The scale CSAT answers were taken on (1–5; others are ignored). */
  csatScale: AnswerScale;
  /** Revenue from purchases and subscriptions (per workspace: the average per contact with any interaction, buyers or not). */
  customerLifetimeValue: Scalars['Float']['output'];
  /** Contacts with revenue > 0. */
  customers: Scalars['Int']['output'];
  detractors: Scalars['Int']['output'];
  /** Share of support tickets resolved on first contact (0–1). */
  firstContactResolution?: Maybe<Scalars['Float']['output']>;
  /** Historical CLV: revenue per customer (contact with revenue > 0) = average purchase value × purchases per customer over the lifespan so far. */
  historicalCustomerLifetimeValue?: Maybe<Scalars['Float']['output']>;
  /** Net promoter score −100..100 over each contact's latest answer (promoters 9–10 minus detractors 0–6). */
  nps?: Maybe<Scalars['Float']['output']>;
  /** The scale NPS answers were taken on (0–10; others are ignored). */
  npsScale: AnswerScale;
  passives: Scalars['Int']['output'];
  promoters: Scalars['Int']['output'];
  respondents: Scalars['Int']['output'];
  /** Mean sentiment score (−1..1) of the scored texts. */
  sentimentMean?: Maybe<Scalars['Float']['output']>;
  /** The share (0–1) of scored texts labelled NEGATIVE. */
  sentimentNegativeShare?: Maybe<Scalars['Float']['output']>;
  /**
   * Sentiment as a CSAT signal, beside the survey CSAT and never mixed into it: the share (0–1) of
   * scored texts (comments, reviews, survey answers, chats) labelled POSITIVE.
   */
  sentimentPositiveShare?: Maybe<Scalars['Float']['output']>;
  /** Texts scored for sentiment. */
  sentimentTexts: Scalars['Int']['output'];
  /** Shares ×3, comments ×2, likes ×1, dislikes ×−1, removed comments ×−2 (per workspace: per contact). */
  socialEngagement: Scalars['Float']['output'];
};

/** GIVEN: the interaction's `language` property; DETECTED: guessed from the text among the supported languages. */
export type LanguageSource =
  | 'DETECTED'
  | 'GIVEN'
  /** The workspace's `sentimentLanguage` setting (`updateScoringSettings`). */
  | 'WORKSPACE_DEFAULT';

export type Likelihood = {
  __typename?: 'Likelihood';
  kind: LikelihoodKind;
  /** 0–1. */
  probability: Scalars['Float']['output'];
  /** What drove it, largest first. */
  signals: Array<LikelihoodSignal>;
};

export type LikelihoodKind =
  | 'CHURN'
  | 'FREE_TO_PAID'
  | 'PRODUCT_SUCCESS'
  | 'PURCHASE'
  | 'RECOMMENDATION'
  | 'TRIAL_SUCCESS'
  | 'UPGRADE';

export type LikelihoodSignal = {
  __typename?: 'LikelihoodSignal';
  /** Its share of the log-odds: positive raises the probability. */
  contribution: Scalars['Float']['output'];
  signal: LikelihoodSignalName;
  /** The raw measure (days since the last interaction, interactions in 30 days, revenue, …). */
  value?: Maybe<Scalars['Float']['output']>;
};

export type LikelihoodSignalName =
  | 'FEATURE_ERRORS'
  | 'FREQUENCY'
  | 'HIGH_VALUE_IDLE'
  | 'HIGH_VALUE_UNUSED'
  | 'MONETARY'
  | 'NPS'
  | 'PRODUCT_USAGE'
  | 'RECENCY'
  | 'SCORE_TREND'
  | 'STICKINESS'
  | 'USAGE_BREADTH'
  | 'USAGE_DEPTH';

export type Mutation = {
  __typename?: 'Mutation';
  /** Declares a feature of the product (what FEATURE_USAGE's `feature` property names). Needs an admin key. */
  createProductFeature: ProductFeature;
  /**
   * Creates a rule. GENERAL (the default): `points` for every interaction of `kind`, or only of
   * one `variant` (a PAGE_VISIT source, an EMAIL_* channel), which then wins over the kind's rule.
   * ADVANCED: a condition (`kind` and/or `when`) and an `effect`, with an optional cap, validity
   * window and priority. Needs an admin key. Changes apply to interactions scored from now on;
   * `recomputeScores` applies them to the past.
   */
  createScoringRule: ScoringRule;
  /** True when the feature was declared and is now gone (its recorded usage stays). Needs an admin key. */
  deleteProductFeature: Scalars['Boolean']['output'];
  /** True when the rule existed and is now gone. */
  deleteScoringRule: Scalars['Boolean']['output'];
  /**
   * Rebuilds every scored contact of the workspace from its stored interactions under the current
   * rules, while live scoring goes on. With `dryRun: true` nothing changes: the job answers what the
   * scores would be (under `rules`, when given, instead of the workspace's). Needs an admin key.
   */
  recomputeScores: RecomputeJob;
  setScoringRuleEnabled: ScoringRule;
  /** Admin: changes thresholds and weights of the health measures (a measure or field left out: unchanged). */
  updateHealthPolicy: HealthPolicy;
  /** Changes the name or the high-value flag of a declared feature. Needs an admin key. */
  updateProductFeature: ProductFeature;
  /** Changes the given fields of a rule (the rest stays). Needs an admin key. */
  updateScoringRule: ScoringRule;
  updateScoringSettings: ScoringSettings;
};


export type MutationCreateProductFeatureArgs = {
  input: ProductFeatureInput;
};


export type MutationCreateScoringRuleArgs = {
  input: ScoringRuleInput;
};


export type MutationDeleteProductFeatureArgs = {
  key: Scalars['String']['input'];
};


export type MutationDeleteScoringRuleArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRecomputeScoresArgs = {
  input?: InputMaybe<RecomputeScoresInput>;
};


export type MutationSetScoringRuleEnabledArgs = {
  enabled: Scalars['Boolean']['input'];
  id: Scalars['ID']['input'];
};


export type MutationUpdateHealthPolicyArgs = {
  input: HealthPolicyInput;
};


export type MutationUpdateProductFeatureArgs = {
  input: ProductFeatureUpdate;
  key: Scalars['String']['input'];
};


export type MutationUpdateScoringRuleArgs = {
  id: Scalars['ID']['input'];
  input: ScoringRuleUpdate;
};


export type MutationUpdateScoringSettingsArgs = {
  input: ScoringSettingsInput;
};

export type PowerUser = {
  __typename?: 'PowerUser';
  activeDaysLast30: Scalars['Int']['output'];
  breadth?: Maybe<Scalars['Float']['output']>;
  contact: Contact;
  /** Keys of the high-value features used in the last 30 days. */
  highValueFeatures: Array<Scalars['String']['output']>;
  highValueUses: Scalars['Int']['output'];
};

export type Predicate = {
  __typename?: 'Predicate';
  amount?: Maybe<Scalars['Float']['output']>;
  field: PredicateField;
  operator: PredicateOperator;
  property?: Maybe<Scalars['String']['output']>;
  value?: Maybe<Scalars['String']['output']>;
};

/** What a predicate reads from the interaction (see the README for the property names). */
export type PredicateField =
  /** properties.amount (PURCHASE, ABANDONED_CART, SUBSCRIPTION_STARTED, SUBSCRIPTION_RENEWED) */
  | 'AMOUNT'
  /** properties.campaignId (any kind) */
  | 'CAMPAIGN_ID'
  /** properties.emailId (EMAIL_OPEN, EMAIL_CLICK) */
  | 'EMAIL_ID'
  /** properties.itemId or any id in properties.items */
  | 'ITEM_ID'
  /** properties[property] (any kind) */
  | 'PROPERTY'
  /** properties.referrer, e.g. a host (PAGE_VISIT) */
  | 'REFERRER_SOURCE'
  /** properties.searchPhrase (PAGE_VISIT) */
  | 'SEARCH_PHRASE'
  /** the PAGE_VISIT source or EMAIL_* channel */
  | 'SOURCE'
  /** properties.url (PAGE_VISIT, LINK_CLICK, EMAIL_CLICK) */
  | 'URL';

export type PredicateInput = {
  /** Number compared (AMOUNT). */
  amount?: InputMaybe<Scalars['Float']['input']>;
  field: PredicateField;
  operator: PredicateOperator;
  /** PROPERTY: the property's name; a dotted path reaches into objects. */
  property?: InputMaybe<Scalars['String']['input']>;
  /** Text compared (every field but AMOUNT). */
  value?: InputMaybe<Scalars['String']['input']>;
};

export type PredicateOperator =
  /** text containing value, ignoring case */
  | 'CONTAINS'
  /** exact text, or the exact amount */
  | 'EQUALS'
  /** amount ≥ */
  | 'GTE'
  /** amount ≤ */
  | 'LTE'
  /** an RE2 regular expression (linear-time: no lookaround or backreferences), ignoring case */
  | 'MATCHES';

export type ProductFeature = {
  __typename?: 'ProductFeature';
  createdAt: Scalars['DateTime']['output'];
  highValue: Scalars['Boolean']['output'];
  key: Scalars['String']['output'];
  name: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
};

export type ProductFeatureInput = {
  /** High-value features are the ones whose use keeps customers: their absence raises churn. */
  highValue?: InputMaybe<Scalars['Boolean']['input']>;
  /** 1–100 characters: letters, digits, and . _ - : / (not first). */
  key: Scalars['String']['input'];
  /** 1–200 characters. */
  name: Scalars['String']['input'];
};

export type ProductFeatureUpdate = {
  highValue?: InputMaybe<Scalars['Boolean']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
};

export type Query = {
  __typename?: 'Query';
  /** Accounts active in the last 30 days whose contacts leave declared high-value features unused, most uses first. */
  accountUpsellOpportunities: Array<AccountUpsellOpportunity>;
  /** The workspace's health policy: each measure's thresholds and weight (README "Health score"). */
  healthPolicy: HealthPolicy;
  /** Contacts using high-value features the most (candidate opinion leaders), most first; see the README. */
  powerUsers: Array<PowerUser>;
  /** The product's features as the workspace declared them, by key. */
  productFeatures: Array<ProductFeature>;
  /**
   * Product usage of the workspace over the UTC days `from`..`to` (YYYY-MM-DD, both included): most and
   * least used features, features with the most errors, and each feature's adoption (distinct contacts
   * using it) per day or week. Closed periods are computed once and kept; see the README.
   */
  productUsage: WorkspaceProductUsage;
  /** A recompute job started by `recomputeScores`, with its progress. Needs an admin key. */
  recomputeJob?: Maybe<RecomputeJob>;
  /**
   * The workspace's reputation: per UTC day (of the texts' interactions) and channel, the texts scored
   * for sentiment, their labels and mean score, from `from` to `to` inclusive (at most 366 days).
   */
  reputation: Reputation;
  /** One score change of the caller's workspace (the payload of scoreChanged). */
  scoreChange?: Maybe<ScoreChange>;
  /** Every change to the workspace's rules, newest first (one rule's with `ruleId`). Needs an admin key. */
  scoringRuleAudit: ScoringRuleAuditPage;
  /** The workspace's scoring rules: general rules by kind, then advanced rules by priority. Needs an admin key. */
  scoringRules: Array<ScoringRule>;
  scoringSettings: ScoringSettings;
  /**
   * Figures for management per UTC day or per UTC week (Monday to Sunday): one bucket per period
   * from the one `from` falls in through the one `to` falls in (at most 366 days apart; periods
   * starting after now are left out). Distributions are snapshots of the contacts at each period's
   * close; survey answers are those recorded in the period (README: Trends for management).
   */
  trends: Trends;
  /** Active contacts with high-value features they never or no longer use, the features named. */
  upsellOpportunities: Array<UpsellOpportunity>;
  /** Engagement KPIs over every scored contact of the workspace (computed when asked). */
  workspaceKpis: Kpis;
};


export type QueryAccountUpsellOpportunitiesArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryPowerUsersArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryProductUsageArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  from: Scalars['String']['input'];
  granularity?: InputMaybe<UsagePeriod>;
  to: Scalars['String']['input'];
};


export type QueryRecomputeJobArgs = {
  id: Scalars['ID']['input'];
};


export type QueryReputationArgs = {
  from: Scalars['DateTime']['input'];
  to: Scalars['DateTime']['input'];
};


export type QueryScoreChangeArgs = {
  id: Scalars['ID']['input'];
};


export type QueryScoringRuleAuditArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  ruleId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryTrendsArgs = {
  from: Scalars['DateTime']['input'];
  granularity?: InputMaybe<TrendGranularity>;
  to: Scalars['DateTime']['input'];
};


export type QueryUpsellOpportunitiesArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type RecomputeJob = {
  __typename?: 'RecomputeJob';
  actor: Scalars['String']['output'];
  /** Contacts whose scores differ after the rebuild. */
  changed: Scalars['Int']['output'];
  done: Scalars['Int']['output'];
  dryRun: Scalars['Boolean']['output'];
  error?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** The largest changes of the general score. */
  largestChanges: Array<ScoreComparison>;
  /** The comparison for these contacts (a dry run's answer to 'what would their scores be'). */
  previews: Array<ScoreComparison>;
  /** 0–1 (null while the contacts are still being listed). */
  progress?: Maybe<Scalars['Float']['output']>;
  startedAt: Scalars['DateTime']['output'];
  state: RecomputeJobState;
  /** Contacts to rebuild (null while they are still being listed). */
  total?: Maybe<Scalars['Int']['output']>;
};


export type RecomputeJobPreviewsArgs = {
  contactIds: Array<Scalars['ID']['input']>;
};

export type RecomputeJobState =
  | 'DONE'
  | 'FAILED'
  | 'RUNNING';

export type RecomputeScoresInput = {
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
  /** Dry run only: rules to try instead of the workspace's. */
  rules?: InputMaybe<Array<ScoringRuleInput>>;
};

export type Reputation = {
  __typename?: 'Reputation';
  /** Days ascending, then channels; days and channels without texts are left out. */
  figures: Array<ReputationFigure>;
  from: Scalars['DateTime']['output'];
  meanScore?: Maybe<Scalars['Float']['output']>;
  negative: Scalars['Int']['output'];
  neutral: Scalars['Int']['output'];
  positive: Scalars['Int']['output'];
  /** The whole range: every channel of every day. */
  texts: Scalars['Int']['output'];
  to: Scalars['DateTime']['output'];
};

/** One day and channel of the workspace's reputation. */
export type ReputationFigure = {
  __typename?: 'ReputationFigure';
  channel: Scalars['String']['output'];
  /** YYYY-MM-DD (UTC). */
  day: Scalars['String']['output'];
  /** Mean sentiment score −1..1. */
  meanScore?: Maybe<Scalars['Float']['output']>;
  negative: Scalars['Int']['output'];
  neutral: Scalars['Int']['output'];
  positive: Scalars['Int']['output'];
  texts: Scalars['Int']['output'];
};

export type Score = {
  __typename?: 'Score';
  /** 0–100: 100 × (1 − e^(−max(general, 0) / 100)); see the README. */
  engagementIndex: Scalars['Float']['output'];
  /** Every scored behaviour, decayed to now. */
  general: Scalars['Float']['output'];
  /** The phase the stage score belongs to (as lifecycle last told scoring). */
  phase?: Maybe<Scalars['String']['output']>;
  scoredInteractions: Scalars['Int']['output'];
  /** Points earned since the contact entered its current phase, decayed to now. */
  stage: Scalars['Float']['output'];
  /** Points per tag (interest in a product, segment or topic), decayed to now. */
  tags: Array<TagScore>;
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
};

/** A change of a contact's scores, as published when it was made. */
export type ScoreChange = {
  __typename?: 'ScoreChange';
  at: Scalars['DateTime']['output'];
  cause: ScoreChangeCause;
  contact: Contact;
  /** Change of the general score. */
  delta: Scalars['Float']['output'];
  engagementIndex: Scalars['Float']['output'];
  /** The general score after the change. */
  general: Scalars['Float']['output'];
  /**
   * <contact id>~<position in the interactions stream of the cause of its message's first change>,
   * and for a later change of a message of several `.<its place in the message>`
   */
  id: Scalars['ID']['output'];
  /** The interaction scored (INTERACTION changes). */
  interactionId?: Maybe<Scalars['ID']['output']>;
  kind?: Maybe<InteractionKind>;
  /** The stage score after the change. */
  stage: Scalars['Float']['output'];
};

export type ScoreChangeCause =
  | 'DECAY'
  | 'INTERACTION'
  | 'RECOMPUTE'
  | 'STAGE_RESET';

/** Every condition given must hold; a list given must not be empty. */
export type ScoreChangedFilter = {
  causes?: InputMaybe<Array<ScoreChangeCause>>;
  contactIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** The general score after the change is at most this. */
  maxScore?: InputMaybe<Scalars['Float']['input']>;
  /** The change of the general score is at least this large, up or down (absolute value). */
  minDelta?: InputMaybe<Scalars['Float']['input']>;
  /** The general score after the change is at least this. */
  minScore?: InputMaybe<Scalars['Float']['input']>;
  /**
   * The contact has points on at least one of these tags after the change (its tag scores as the
   * change reports them): e.g. `["pricing"]` follows the contacts interested in pricing.
   */
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type ScoreComparison = {
  __typename?: 'ScoreComparison';
  after: ScoreValues;
  before: ScoreValues;
  contactId: Scalars['ID']['output'];
};

export type ScoreHistoryEntry = {
  __typename?: 'ScoreHistoryEntry';
  at: Scalars['DateTime']['output'];
  cause: ScoreChangeCause;
  cursor: Scalars['String']['output'];
  general: Scalars['Float']['output'];
  /** The interaction scored (INTERACTION entries). */
  interactionId?: Maybe<Scalars['ID']['output']>;
  kind?: Maybe<InteractionKind>;
  /** True for the decay since the last stored change: what reading the score now includes. */
  pending: Scalars['Boolean']['output'];
  /** The rule that gave the points (null: decay, a stage reset, or an interaction no rule scores). */
  ruleId?: Maybe<Scalars['ID']['output']>;
  /** The sentiment of the interaction's text (INTERACTION entries of interactions with a `text`). */
  sentiment?: Maybe<TextSentiment>;
  stage: Scalars['Float']['output'];
  tags: Array<TagScore>;
};

export type ScoreHistoryPage = {
  __typename?: 'ScoreHistoryPage';
  endCursor?: Maybe<Scalars['String']['output']>;
  entries: Array<ScoreHistoryEntry>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type ScoreValues = {
  __typename?: 'ScoreValues';
  general: Scalars['Float']['output'];
  stage: Scalars['Float']['output'];
  tags: Array<TagScore>;
};

export type ScoringRule = {
  __typename?: 'ScoringRule';
  cap?: Maybe<Cap>;
  createdAt: Scalars['DateTime']['output'];
  effect: Effect;
  enabled: Scalars['Boolean']['output'];
  exclusive: Scalars['Boolean']['output'];
  id: Scalars['ID']['output'];
  kind?: Maybe<InteractionKind>;
  name?: Maybe<Scalars['String']['output']>;
  /** GENERAL: the points it gives (the same as effect.general). */
  points: Scalars['Float']['output'];
  priority: Scalars['Int']['output'];
  revision: Scalars['Int']['output'];
  type: ScoringRuleType;
  updatedAt: Scalars['DateTime']['output'];
  validFrom?: Maybe<Scalars['DateTime']['output']>;
  validUntil?: Maybe<Scalars['DateTime']['output']>;
  /** GENERAL: PAGE_VISIT source or EMAIL_* channel; null: every variant without a rule of its own. */
  variant?: Maybe<Scalars['String']['output']>;
  when?: Maybe<Condition>;
};

export type ScoringRuleAuditEntry = {
  __typename?: 'ScoringRuleAuditEntry';
  action: AuditAction;
  /** The API key that made the change (its role and public id). */
  actor: Scalars['String']['output'];
  after?: Maybe<ScoringRule>;
  at: Scalars['DateTime']['output'];
  before?: Maybe<ScoringRule>;
  revision: Scalars['Int']['output'];
  ruleId: Scalars['ID']['output'];
};

export type ScoringRuleAuditPage = {
  __typename?: 'ScoringRuleAuditPage';
  endCursor?: Maybe<Scalars['String']['output']>;
  entries: Array<ScoringRuleAuditEntry>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type ScoringRuleInput = {
  cap?: InputMaybe<CapInput>;
  /** ADVANCED only. */
  effect?: InputMaybe<EffectInput>;
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  /** ADVANCED: when it matches, advanced rules of lower priority are skipped. */
  exclusive?: InputMaybe<Scalars['Boolean']['input']>;
  kind?: InputMaybe<InteractionKind>;
  name?: InputMaybe<Scalars['String']['input']>;
  /** GENERAL only: points for each such interaction (negative subtracts). */
  points?: InputMaybe<Scalars['Float']['input']>;
  /** ADVANCED: higher runs first. */
  priority?: InputMaybe<Scalars['Int']['input']>;
  type?: InputMaybe<ScoringRuleType>;
  /** Interactions that occurred from this instant on. */
  validFrom?: InputMaybe<Scalars['DateTime']['input']>;
  /** Interactions that occurred before this instant. */
  validUntil?: InputMaybe<Scalars['DateTime']['input']>;
  /** GENERAL only. */
  variant?: InputMaybe<Scalars['String']['input']>;
  /** ADVANCED only. */
  when?: InputMaybe<ConditionInput>;
};

export type ScoringRuleType =
  | 'ADVANCED'
  | 'GENERAL';

export type ScoringRuleUpdate = {
  cap?: InputMaybe<CapInput>;
  effect?: InputMaybe<EffectInput>;
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  exclusive?: InputMaybe<Scalars['Boolean']['input']>;
  kind?: InputMaybe<InteractionKind>;
  name?: InputMaybe<Scalars['String']['input']>;
  points?: InputMaybe<Scalars['Float']['input']>;
  priority?: InputMaybe<Scalars['Int']['input']>;
  validFrom?: InputMaybe<Scalars['DateTime']['input']>;
  validUntil?: InputMaybe<Scalars['DateTime']['input']>;
  when?: InputMaybe<ConditionInput>;
};

export type ScoringSettings = {
  __typename?: 'ScoringSettings';
  /** Scores lose half their value after this many days; null: scores do not decay. */
  halfLifeDays?: Maybe<Scalars['Float']['output']>;
  /** The language (en, de, fr, id) of texts whose interaction gives no `language`; null: detected. */
  sentimentLanguage?: Maybe<Scalars['String']['output']>;
};

export type ScoringSettingsInput = {
  /** Left out or null: no decay. */
  halfLifeDays?: InputMaybe<Scalars['Float']['input']>;
  /** en, de, fr or id; null: detect the language; left out: unchanged. */
  sentimentLanguage?: InputMaybe<Scalars['String']['input']>;
};

/** A word of the text and what it added to the score (−1..1 per word, after negation). */
export type SentimentDriver = {
  __typename?: 'SentimentDriver';
  weight: Scalars['Float']['output'];
  word: Scalars['String']['output'];
};

export type SentimentLabel =
  | 'NEGATIVE'
  | 'NEUTRAL'
  | 'POSITIVE';

/** The newer half of the recent texts against the older half (a difference under 0.1 is STABLE). */
export type SentimentTrend = {
  __typename?: 'SentimentTrend';
  delta?: Maybe<Scalars['Float']['output']>;
  direction: SentimentTrendDirection;
  previousMean?: Maybe<Scalars['Float']['output']>;
  recentMean?: Maybe<Scalars['Float']['output']>;
};

export type SentimentTrendDirection =
  | 'DECLINING'
  | 'IMPROVING'
  | 'STABLE'
  /** Fewer than two texts. */
  | 'UNKNOWN';

export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Every change of a contact's general score in the caller's workspace, optionally filtered; fields
   * of any subgraph can be selected on contact. `after`: the id of the last event received (each
   * result's `extensions.eventId`) to receive what was missed first (the last 24 h or 10,000 events
   * at most, else the error REPLAY_WINDOW_EXCEEDED).
   */
  scoreChanged: ScoreChange;
};


export type SubscriptionScoreChangedArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  filter?: InputMaybe<ScoreChangedFilter>;
};

export type TagPointsInput = {
  points: Scalars['Float']['input'];
  tag: Scalars['String']['input'];
};

export type TagScore = {
  __typename?: 'TagScore';
  points: Scalars['Float']['output'];
  tag: Scalars['String']['output'];
};

/** The sentiment of one interaction's text. */
export type TextSentiment = {
  __typename?: 'TextSentiment';
  /** The interaction's time. */
  at: Scalars['DateTime']['output'];
  /** The interaction's `channel` property, else its kind: where the text counts in the reputation. */
  channel: Scalars['String']['output'];
  /** The words that moved the score most, strongest first (at most 5). */
  drivers: Array<SentimentDriver>;
  interactionId: Scalars['ID']['output'];
  kind: InteractionKind;
  /** POSITIVE from 0.1, NEGATIVE from −0.1, NEUTRAL between. */
  label: SentimentLabel;
  /** ISO 639-1: en, de, fr or id. */
  language: Scalars['String']['output'];
  languageSource: LanguageSource;
  /** −1 (very negative) .. 1 (very positive). */
  score: Scalars['Float']['output'];
};

/**
 * One period of the workspace's trends. Its close is the state of the contacts at the end of the
 * period: the nightly snapshot of its last day (taken just after midnight UTC), or now while the
 * period runs. A figure is null when a snapshot it needs was not taken (no scoring instance ran in
 * the hours after that midnight) or when there is nothing to measure.
 */
export type TrendBucket = {
  __typename?: 'TrendBucket';
  /** Mean of the CES answers (1–7) recorded in the period. */
  ces?: Maybe<Scalars['Float']['output']>;
  cesAnswers?: Maybe<Scalars['Int']['output']>;
  /**
   * Contacts whose churn likelihood (Contact.likelihoods, CHURN) at the close is at least
   * `threshold` (0–1, default 0.7: contacts that have gone quiet with nothing else holding them).
   */
  churnRisk?: Maybe<Scalars['Int']['output']>;
  /** False while the period runs (its figures are as of now and still change). */
  closed: Scalars['Boolean']['output'];
  /** Contacts with an interaction by the close. */
  contacts?: Maybe<Scalars['Int']['output']>;
  /** CSAT answers recorded in the period (null: the close before the period was not taken). */
  csatAnswers?: Maybe<Scalars['Int']['output']>;
  /** Mean of the CSAT answers (1–5) recorded in the period. */
  csatMean?: Maybe<Scalars['Float']['output']>;
  /** Share 0–1 of the CSAT answers recorded in the period that are satisfied (4 or 5). */
  csatSatisfiedShare?: Maybe<Scalars['Float']['output']>;
  /** Exclusive: the next period's start. */
  end: Scalars['DateTime']['output'];
  /** The contacts' engagement index at the close. */
  engagementIndex?: Maybe<EngagementIndexDistribution>;
  /**
   * Each declared feature with the distinct contacts that used it in the period (usage interactions
   * whose time falls in it), as productUsage's adoption counts them; recorded in the period.
   */
  featureAdoption: Array<TrendFeatureAdoption>;
  granularity: TrendGranularity;
  /** DAY:<YYYY-MM-DD> or WEEK:<YYYY-MM-DD of its Monday>. */
  id: Scalars['ID']['output'];
  /** NPS at the close (−100..100) over each respondent's latest answer, as workspaceKpis counts it. */
  nps?: Maybe<Scalars['Float']['output']>;
  /** Contacts with an NPS answer by the close. */
  npsRespondents?: Maybe<Scalars['Int']['output']>;
  /**
   * Texts scored for sentiment whose interactions' time falls in the period (every channel), from the
   * reputation (Query.reputation) summed over the period's days; recorded in the period, not a snapshot.
   */
  sentiment: TrendSentiment;
  /** When the figures of the close were read (null: the snapshot was not taken). */
  snapshotAt?: Maybe<Scalars['DateTime']['output']>;
  start: Scalars['DateTime']['output'];
};


/**
 * One period of the workspace's trends. Its close is the state of the contacts at the end of the
 * period: the nightly snapshot of its last day (taken just after midnight UTC), or now while the
 * period runs. A figure is null when a snapshot it needs was not taken (no scoring instance ran in
 * the hours after that midnight) or when there is nothing to measure.
 */
export type TrendBucketChurnRiskArgs = {
  threshold?: InputMaybe<Scalars['Float']['input']>;
};

/** A declared feature's adoption in one trend period. */
export type TrendFeatureAdoption = {
  __typename?: 'TrendFeatureAdoption';
  /** Distinct contacts that used it in the period. */
  contacts: Scalars['Int']['output'];
  feature: Scalars['String']['output'];
  highValue: Scalars['Boolean']['output'];
  name: Scalars['String']['output'];
  uses: Scalars['Int']['output'];
};

export type TrendGranularity =
  | 'DAY'
  | 'WEEK';

/** Sentiment of the texts of one trend period. */
export type TrendSentiment = {
  __typename?: 'TrendSentiment';
  /** Mean score −1..1; null without texts. */
  meanScore?: Maybe<Scalars['Float']['output']>;
  negative: Scalars['Int']['output'];
  neutral: Scalars['Int']['output'];
  positive: Scalars['Int']['output'];
  texts: Scalars['Int']['output'];
};

export type Trends = {
  __typename?: 'Trends';
  /** Oldest first. */
  buckets: Array<TrendBucket>;
  from: Scalars['DateTime']['output'];
  granularity: TrendGranularity;
  to: Scalars['DateTime']['output'];
};

export type UnusedFeature = {
  __typename?: 'UnusedFeature';
  key: Scalars['String']['output'];
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
  reason: UnusedReason;
};

export type UnusedReason =
  | 'NEVER'
  | 'NO_LONGER';

export type UpsellOpportunity = {
  __typename?: 'UpsellOpportunity';
  activeDaysLast30: Scalars['Int']['output'];
  contact: Contact;
  /** The high-value features it never or no longer uses. */
  features: Array<UnusedFeature>;
  usesLast30Days: Scalars['Int']['output'];
};

export type UsagePeriod =
  | 'DAY'
  | 'WEEK';

export type WorkspaceProductUsage = {
  __typename?: 'WorkspaceProductUsage';
  adoption: Array<FeatureAdoption>;
  /** Every feature used in the range and every declared feature, most used first. */
  features: Array<FeatureUsageStat>;
  from: Scalars['String']['output'];
  granularity: UsagePeriod;
  /** Least used first; declared features nobody used come first (0 uses). */
  leastUsed: Array<FeatureUsageStat>;
  /** Features with errors, most errors first. */
  mostErrors: Array<FeatureUsageStat>;
  mostUsed: Array<FeatureUsageStat>;
  to: Scalars['String']['output'];
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
  TrendBucket: TrendBucket;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Account:
    ( { __typename: 'Account' }
    & GraphQLRecursivePick<FederationTypes['Account'], {"id":true}> );
  Contact:
    ( { __typename: 'Contact' }
    & GraphQLRecursivePick<FederationTypes['Contact'], {"id":true}> );
  TrendBucket:
    ( { __typename: 'TrendBucket' }
    & GraphQLRecursivePick<FederationTypes['TrendBucket'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Account: ResolverTypeWrapper<AccountRef>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  AccountFeatureUsage: ResolverTypeWrapper<AccountFeatureUsage>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  AccountHealth: ResolverTypeWrapper<AccountHealth>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  AccountProductUsage: ResolverTypeWrapper<AccountProductUsage>;
  AccountUpsellOpportunity: ResolverTypeWrapper<Omit<AccountUpsellOpportunity, 'account'> & { account: ResolversTypes['Account'] }>;
  AdoptionPeriod: ResolverTypeWrapper<AdoptionPeriod>;
  AnswerScale: ResolverTypeWrapper<AnswerScale>;
  AuditAction: AuditAction;
  Cap: ResolverTypeWrapper<Cap>;
  CapInput: CapInput;
  CapPeriod: CapPeriod;
  Condition: ResolverTypeWrapper<Condition>;
  ConditionInput: ConditionInput;
  ConditionMatch: ConditionMatch;
  Contact: ResolverTypeWrapper<ContactRef>;
  ContactFeatureUsage: ResolverTypeWrapper<ContactFeatureUsage>;
  ContactProductUsage: ResolverTypeWrapper<ContactProductUsage>;
  ContactSentiment: ResolverTypeWrapper<ContactSentimentModel>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Effect: ResolverTypeWrapper<Effect>;
  EffectInput: EffectInput;
  EngagementIndexBin: ResolverTypeWrapper<EngagementIndexBin>;
  EngagementIndexDistribution: ResolverTypeWrapper<EngagementIndexDistribution>;
  FeatureAdoption: ResolverTypeWrapper<FeatureAdoption>;
  FeatureUsageStat: ResolverTypeWrapper<FeatureUsageStat>;
  Health: ResolverTypeWrapper<Health>;
  HealthDirection: HealthDirection;
  HealthMeasure: ResolverTypeWrapper<HealthMeasure>;
  HealthMeasurePolicy: ResolverTypeWrapper<HealthMeasurePolicy>;
  HealthMeasurePolicyInput: HealthMeasurePolicyInput;
  HealthPolicy: ResolverTypeWrapper<HealthPolicy>;
  HealthPolicyInput: HealthPolicyInput;
  HealthStatus: HealthStatus;
  Influence: ResolverTypeWrapper<Influence>;
  InfluenceComponent: ResolverTypeWrapper<InfluenceComponent>;
  InfluenceSide: InfluenceSide;
  InteractionKind: InteractionKind;
  Kpis: ResolverTypeWrapper<Kpis>;
  LanguageSource: LanguageSource;
  Likelihood: ResolverTypeWrapper<Likelihood>;
  LikelihoodKind: LikelihoodKind;
  LikelihoodSignal: ResolverTypeWrapper<LikelihoodSignal>;
  LikelihoodSignalName: LikelihoodSignalName;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PowerUser: ResolverTypeWrapper<Omit<PowerUser, 'contact'> & { contact: ResolversTypes['Contact'] }>;
  Predicate: ResolverTypeWrapper<Predicate>;
  PredicateField: PredicateField;
  PredicateInput: PredicateInput;
  PredicateOperator: PredicateOperator;
  ProductFeature: ResolverTypeWrapper<ProductFeature>;
  ProductFeatureInput: ProductFeatureInput;
  ProductFeatureUpdate: ProductFeatureUpdate;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RecomputeJob: ResolverTypeWrapper<RecomputeJobModel>;
  RecomputeJobState: RecomputeJobState;
  RecomputeScoresInput: RecomputeScoresInput;
  Reputation: ResolverTypeWrapper<Reputation>;
  ReputationFigure: ResolverTypeWrapper<ReputationFigure>;
  Score: ResolverTypeWrapper<Score>;
  ScoreChange: ResolverTypeWrapper<Omit<ScoreChange, 'contact'> & { contact: ResolversTypes['Contact'] }>;
  ScoreChangeCause: ScoreChangeCause;
  ScoreChangedFilter: ScoreChangedFilter;
  ScoreComparison: ResolverTypeWrapper<Omit<ScoreComparison, 'after' | 'before'> & { after: ResolversTypes['ScoreValues'], before: ResolversTypes['ScoreValues'] }>;
  ScoreHistoryEntry: ResolverTypeWrapper<Omit<ScoreHistoryEntry, 'sentiment'> & { sentiment?: Maybe<ResolversTypes['TextSentiment']> }>;
  ScoreHistoryPage: ResolverTypeWrapper<Omit<ScoreHistoryPage, 'entries'> & { entries: Array<ResolversTypes['ScoreHistoryEntry']> }>;
  ScoreValues: ResolverTypeWrapper<ScoreValuesParent>;
  ScoringRule: ResolverTypeWrapper<RuleParent>;
  ScoringRuleAuditEntry: ResolverTypeWrapper<RuleAuditDoc>;
  ScoringRuleAuditPage: ResolverTypeWrapper<Omit<ScoringRuleAuditPage, 'entries'> & { entries: Array<ResolversTypes['ScoringRuleAuditEntry']> }>;
  ScoringRuleInput: ScoringRuleInput;
  ScoringRuleType: ScoringRuleType;
  ScoringRuleUpdate: ScoringRuleUpdate;
  ScoringSettings: ResolverTypeWrapper<ScoringSettings>;
  ScoringSettingsInput: ScoringSettingsInput;
  SentimentDriver: ResolverTypeWrapper<SentimentDriver>;
  SentimentLabel: SentimentLabel;
  SentimentTrend: ResolverTypeWrapper<SentimentTrend>;
  SentimentTrendDirection: SentimentTrendDirection;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  TagPointsInput: TagPointsInput;
  TagScore: ResolverTypeWrapper<TagScore>;
  TextSentiment: ResolverTypeWrapper<ScoredText>;
  TrendBucket: ResolverTypeWrapper<BucketCloses>;
  TrendFeatureAdoption: ResolverTypeWrapper<TrendFeatureAdoption>;
  TrendGranularity: TrendGranularity;
  TrendSentiment: ResolverTypeWrapper<TrendSentiment>;
  Trends: ResolverTypeWrapper<Omit<Trends, 'buckets'> & { buckets: Array<ResolversTypes['TrendBucket']> }>;
  UnusedFeature: ResolverTypeWrapper<UnusedFeature>;
  UnusedReason: UnusedReason;
  UpsellOpportunity: ResolverTypeWrapper<Omit<UpsellOpportunity, 'contact'> & { contact: ResolversTypes['Contact'] }>;
  UsagePeriod: UsagePeriod;
  WorkspaceProductUsage: ResolverTypeWrapper<WorkspaceProductUsage>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Account: AccountRef;
  ID: Scalars['ID']['output'];
  AccountFeatureUsage: AccountFeatureUsage;
  Int: Scalars['Int']['output'];
  Boolean: Scalars['Boolean']['output'];
  String: Scalars['String']['output'];
  AccountHealth: AccountHealth;
  Float: Scalars['Float']['output'];
  AccountProductUsage: AccountProductUsage;
  AccountUpsellOpportunity: Omit<AccountUpsellOpportunity, 'account'> & { account: ResolversParentTypes['Account'] };
  AdoptionPeriod: AdoptionPeriod;
  AnswerScale: AnswerScale;
  Cap: Cap;
  CapInput: CapInput;
  Condition: Condition;
  ConditionInput: ConditionInput;
  Contact: ContactRef;
  ContactFeatureUsage: ContactFeatureUsage;
  ContactProductUsage: ContactProductUsage;
  ContactSentiment: ContactSentimentModel;
  DateTime: Scalars['DateTime']['output'];
  Effect: Effect;
  EffectInput: EffectInput;
  EngagementIndexBin: EngagementIndexBin;
  EngagementIndexDistribution: EngagementIndexDistribution;
  FeatureAdoption: FeatureAdoption;
  FeatureUsageStat: FeatureUsageStat;
  Health: Health;
  HealthMeasure: HealthMeasure;
  HealthMeasurePolicy: HealthMeasurePolicy;
  HealthMeasurePolicyInput: HealthMeasurePolicyInput;
  HealthPolicy: HealthPolicy;
  HealthPolicyInput: HealthPolicyInput;
  Influence: Influence;
  InfluenceComponent: InfluenceComponent;
  Kpis: Kpis;
  Likelihood: Likelihood;
  LikelihoodSignal: LikelihoodSignal;
  Mutation: Record<PropertyKey, never>;
  PowerUser: Omit<PowerUser, 'contact'> & { contact: ResolversParentTypes['Contact'] };
  Predicate: Predicate;
  PredicateInput: PredicateInput;
  ProductFeature: ProductFeature;
  ProductFeatureInput: ProductFeatureInput;
  ProductFeatureUpdate: ProductFeatureUpdate;
  Query: Record<PropertyKey, never>;
  RecomputeJob: RecomputeJobModel;
  RecomputeScoresInput: RecomputeScoresInput;
  Reputation: Reputation;
  ReputationFigure: ReputationFigure;
  Score: Score;
  ScoreChange: Omit<ScoreChange, 'contact'> & { contact: ResolversParentTypes['Contact'] };
  ScoreChangedFilter: ScoreChangedFilter;
  ScoreComparison: Omit<ScoreComparison, 'after' | 'before'> & { after: ResolversParentTypes['ScoreValues'], before: ResolversParentTypes['ScoreValues'] };
  ScoreHistoryEntry: Omit<ScoreHistoryEntry, 'sentiment'> & { sentiment?: Maybe<ResolversParentTypes['TextSentiment']> };
  ScoreHistoryPage: Omit<ScoreHistoryPage, 'entries'> & { entries: Array<ResolversParentTypes['ScoreHistoryEntry']> };
  ScoreValues: ScoreValuesParent;
  ScoringRule: RuleParent;
  ScoringRuleAuditEntry: RuleAuditDoc;
  ScoringRuleAuditPage: Omit<ScoringRuleAuditPage, 'entries'> & { entries: Array<ResolversParentTypes['ScoringRuleAuditEntry']> };
  ScoringRuleInput: ScoringRuleInput;
  ScoringRuleUpdate: ScoringRuleUpdate;
  ScoringSettings: ScoringSettings;
  ScoringSettingsInput: ScoringSettingsInput;
  SentimentDriver: SentimentDriver;
  SentimentTrend: SentimentTrend;
  Subscription: Record<PropertyKey, never>;
  TagPointsInput: TagPointsInput;
  TagScore: TagScore;
  TextSentiment: ScoredText;
  TrendBucket: BucketCloses;
  TrendFeatureAdoption: TrendFeatureAdoption;
  TrendSentiment: TrendSentiment;
  Trends: Omit<Trends, 'buckets'> & { buckets: Array<ResolversParentTypes['TrendBucket']> };
  UnusedFeature: UnusedFeature;
  UpsellOpportunity: Omit<UpsellOpportunity, 'contact'> & { contact: ResolversParentTypes['Contact'] };
  WorkspaceProductUsage: WorkspaceProductUsage;
};

export type AccountResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['Account'] = ResolversParentTypes['Account'], FederationReferenceType extends FederationReferenceTypes['Account'] = FederationReferenceTypes['Account']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Account']> | FederationReferenceType, FederationReferenceType, ContextType>;
  health?: Resolver<Maybe<ResolversTypes['AccountHealth']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  productUsage?: Resolver<ResolversTypes['AccountProductUsage'], ParentType, ContextType>;
};

export type AccountFeatureUsageResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['AccountFeatureUsage'] = ResolversParentTypes['AccountFeatureUsage']> = {
  contacts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  declared?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  errors?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  firstUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  highValue?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  recent?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  recentContacts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  uses?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type AccountHealthResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['AccountHealth'] = ResolversParentTypes['AccountHealth']> = {
  contacts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  measures?: Resolver<Array<ResolversTypes['HealthMeasure']>, ParentType, ContextType>;
  pulledDownBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['HealthStatus'], ParentType, ContextType>;
};

export type AccountProductUsageResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['AccountProductUsage'] = ResolversParentTypes['AccountProductUsage']> = {
  activeContactsLast30?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  activeDaysLast7?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  activeDaysLast30?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  breadth?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  contacts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  errorsLast30Days?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  features?: Resolver<Array<ResolversTypes['AccountFeatureUsage']>, ParentType, ContextType>;
  highValueUnused?: Resolver<Array<ResolversTypes['UnusedFeature']>, ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  stickinessMonthly?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  stickinessWeekly?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  usesLast30Days?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type AccountUpsellOpportunityResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['AccountUpsellOpportunity'] = ResolversParentTypes['AccountUpsellOpportunity']> = {
  account?: Resolver<ResolversTypes['Account'], ParentType, ContextType>;
  activeContacts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  activeDaysLast30?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  features?: Resolver<Array<ResolversTypes['UnusedFeature']>, ParentType, ContextType>;
  usesLast30Days?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type AdoptionPeriodResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['AdoptionPeriod'] = ResolversParentTypes['AdoptionPeriod']> = {
  contacts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  errors?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  start?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  uses?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type AnswerScaleResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['AnswerScale'] = ResolversParentTypes['AnswerScale']> = {
  max?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  min?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type CapResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['Cap'] = ResolversParentTypes['Cap']> = {
  period?: Resolver<ResolversTypes['CapPeriod'], ParentType, ContextType>;
  points?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type ConditionResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['Condition'] = ResolversParentTypes['Condition']> = {
  match?: Resolver<ResolversTypes['ConditionMatch'], ParentType, ContextType>;
  predicates?: Resolver<Array<ResolversTypes['Predicate']>, ParentType, ContextType>;
};

export type ContactResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['Contact'] = ResolversParentTypes['Contact'], FederationReferenceType extends FederationReferenceTypes['Contact'] = FederationReferenceTypes['Contact']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Contact']> | FederationReferenceType, FederationReferenceType, ContextType>;
  health?: Resolver<Maybe<ResolversTypes['Health']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  influence?: Resolver<ResolversTypes['Influence'], ParentType, ContextType>;
  interactionCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  kpis?: Resolver<ResolversTypes['Kpis'], ParentType, ContextType>;
  lastInteractionAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  likelihoods?: Resolver<Array<ResolversTypes['Likelihood']>, ParentType, ContextType>;
  productUsage?: Resolver<ResolversTypes['ContactProductUsage'], ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Score'], ParentType, ContextType>;
  scoreHistory?: Resolver<ResolversTypes['ScoreHistoryPage'], ParentType, ContextType, RequireFields<ContactScoreHistoryArgs, 'first'>>;
  sentiment?: Resolver<ResolversTypes['ContactSentiment'], ParentType, ContextType>;
};

export type ContactFeatureUsageResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['ContactFeatureUsage'] = ResolversParentTypes['ContactFeatureUsage']> = {
  declared?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  errors?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  firstUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  highValue?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  recent?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  uses?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ContactProductUsageResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['ContactProductUsage'] = ResolversParentTypes['ContactProductUsage']> = {
  activeDaysLast7?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  activeDaysLast30?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  breadth?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  depth?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  errorsLast30Days?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  features?: Resolver<Array<ResolversTypes['ContactFeatureUsage']>, ParentType, ContextType>;
  highValueUnused?: Resolver<Array<ResolversTypes['UnusedFeature']>, ParentType, ContextType>;
  highValueUses?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  stickinessMonthly?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  stickinessWeekly?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  usesLast30Days?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ContactSentimentResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['ContactSentiment'] = ResolversParentTypes['ContactSentiment']> = {
  latest?: Resolver<Maybe<ResolversTypes['TextSentiment']>, ParentType, ContextType>;
  meanScore?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  negative?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  neutral?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  positive?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  recent?: Resolver<Array<ResolversTypes['TextSentiment']>, ParentType, ContextType, RequireFields<ContactSentimentRecentArgs, 'first'>>;
  texts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  trend?: Resolver<ResolversTypes['SentimentTrend'], ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type EffectResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['Effect'] = ResolversParentTypes['Effect']> = {
  general?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  stage?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  tags?: Resolver<Array<ResolversTypes['TagScore']>, ParentType, ContextType>;
};

export type EngagementIndexBinResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['EngagementIndexBin'] = ResolversParentTypes['EngagementIndexBin']> = {
  contacts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  from?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  to?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type EngagementIndexDistributionResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['EngagementIndexDistribution'] = ResolversParentTypes['EngagementIndexDistribution']> = {
  contacts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  histogram?: Resolver<Array<ResolversTypes['EngagementIndexBin']>, ParentType, ContextType>;
  mean?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  median?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  p25?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  p75?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type FeatureAdoptionResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['FeatureAdoption'] = ResolversParentTypes['FeatureAdoption']> = {
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  periods?: Resolver<Array<ResolversTypes['AdoptionPeriod']>, ParentType, ContextType>;
};

export type FeatureUsageStatResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['FeatureUsageStat'] = ResolversParentTypes['FeatureUsageStat']> = {
  declared?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  errorRate?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  errors?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  highValue?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  uses?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type HealthResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['Health'] = ResolversParentTypes['Health']> = {
  measures?: Resolver<Array<ResolversTypes['HealthMeasure']>, ParentType, ContextType>;
  pulledDownBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['HealthStatus'], ParentType, ContextType>;
};

export type HealthMeasureResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['HealthMeasure'] = ResolversParentTypes['HealthMeasure']> = {
  contribution?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  detail?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['HealthStatus'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  weight?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type HealthMeasurePolicyResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['HealthMeasurePolicy'] = ResolversParentTypes['HealthMeasurePolicy']> = {
  direction?: Resolver<ResolversTypes['HealthDirection'], ParentType, ContextType>;
  good?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  poor?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  weight?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type HealthPolicyResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['HealthPolicy'] = ResolversParentTypes['HealthPolicy']> = {
  measures?: Resolver<Array<ResolversTypes['HealthMeasurePolicy']>, ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type InfluenceResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['Influence'] = ResolversParentTypes['Influence']> = {
  components?: Resolver<Array<ResolversTypes['InfluenceComponent']>, ParentType, ContextType>;
  inside?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  outside?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type InfluenceComponentResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['InfluenceComponent'] = ResolversParentTypes['InfluenceComponent']> = {
  contribution?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  input?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  side?: Resolver<ResolversTypes['InfluenceSide'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  weight?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type KpisResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['Kpis'] = ResolversParentTypes['Kpis']> = {
  averageHandleTimeSeconds?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  ces?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  cesAnswers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  cesScale?: Resolver<ResolversTypes['AnswerScale'], ParentType, ContextType>;
  contacts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  csat?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  csatAnswers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  csatMean?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  csatSatisfiedShare?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  csatScale?: Resolver<ResolversTypes['AnswerScale'], ParentType, ContextType>;
  customerLifetimeValue?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  customers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  detractors?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  firstContactResolution?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  historicalCustomerLifetimeValue?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  nps?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  npsScale?: Resolver<ResolversTypes['AnswerScale'], ParentType, ContextType>;
  passives?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  promoters?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  respondents?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sentimentMean?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  sentimentNegativeShare?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  sentimentPositiveShare?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  sentimentTexts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  socialEngagement?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type LikelihoodResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['Likelihood'] = ResolversParentTypes['Likelihood']> = {
  kind?: Resolver<ResolversTypes['LikelihoodKind'], ParentType, ContextType>;
  probability?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  signals?: Resolver<Array<ResolversTypes['LikelihoodSignal']>, ParentType, ContextType>;
};

export type LikelihoodSignalResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['LikelihoodSignal'] = ResolversParentTypes['LikelihoodSignal']> = {
  contribution?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  signal?: Resolver<ResolversTypes['LikelihoodSignalName'], ParentType, ContextType>;
  value?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type MutationResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  createProductFeature?: Resolver<ResolversTypes['ProductFeature'], ParentType, ContextType, RequireFields<MutationCreateProductFeatureArgs, 'input'>>;
  createScoringRule?: Resolver<ResolversTypes['ScoringRule'], ParentType, ContextType, RequireFields<MutationCreateScoringRuleArgs, 'input'>>;
  deleteProductFeature?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteProductFeatureArgs, 'key'>>;
  deleteScoringRule?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteScoringRuleArgs, 'id'>>;
  recomputeScores?: Resolver<ResolversTypes['RecomputeJob'], ParentType, ContextType, RequireFields<MutationRecomputeScoresArgs, 'input'>>;
  setScoringRuleEnabled?: Resolver<ResolversTypes['ScoringRule'], ParentType, ContextType, RequireFields<MutationSetScoringRuleEnabledArgs, 'enabled' | 'id'>>;
  updateHealthPolicy?: Resolver<ResolversTypes['HealthPolicy'], ParentType, ContextType, RequireFields<MutationUpdateHealthPolicyArgs, 'input'>>;
  updateProductFeature?: Resolver<ResolversTypes['ProductFeature'], ParentType, ContextType, RequireFields<MutationUpdateProductFeatureArgs, 'input' | 'key'>>;
  updateScoringRule?: Resolver<ResolversTypes['ScoringRule'], ParentType, ContextType, RequireFields<MutationUpdateScoringRuleArgs, 'id' | 'input'>>;
  updateScoringSettings?: Resolver<ResolversTypes['ScoringSettings'], ParentType, ContextType, RequireFields<MutationUpdateScoringSettingsArgs, 'input'>>;
};

export type PowerUserResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['PowerUser'] = ResolversParentTypes['PowerUser']> = {
  activeDaysLast30?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  breadth?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  contact?: Resolver<ResolversTypes['Contact'], ParentType, ContextType>;
  highValueFeatures?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  highValueUses?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type PredicateResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['Predicate'] = ResolversParentTypes['Predicate']> = {
  amount?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  field?: Resolver<ResolversTypes['PredicateField'], ParentType, ContextType>;
  operator?: Resolver<ResolversTypes['PredicateOperator'], ParentType, ContextType>;
  property?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  value?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type ProductFeatureResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['ProductFeature'] = ResolversParentTypes['ProductFeature']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  highValue?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  accountUpsellOpportunities?: Resolver<Array<ResolversTypes['AccountUpsellOpportunity']>, ParentType, ContextType, RequireFields<QueryAccountUpsellOpportunitiesArgs, 'first'>>;
  healthPolicy?: Resolver<ResolversTypes['HealthPolicy'], ParentType, ContextType>;
  powerUsers?: Resolver<Array<ResolversTypes['PowerUser']>, ParentType, ContextType, RequireFields<QueryPowerUsersArgs, 'first'>>;
  productFeatures?: Resolver<Array<ResolversTypes['ProductFeature']>, ParentType, ContextType>;
  productUsage?: Resolver<ResolversTypes['WorkspaceProductUsage'], ParentType, ContextType, RequireFields<QueryProductUsageArgs, 'first' | 'from' | 'granularity' | 'to'>>;
  recomputeJob?: Resolver<Maybe<ResolversTypes['RecomputeJob']>, ParentType, ContextType, RequireFields<QueryRecomputeJobArgs, 'id'>>;
  reputation?: Resolver<ResolversTypes['Reputation'], ParentType, ContextType, RequireFields<QueryReputationArgs, 'from' | 'to'>>;
  scoreChange?: Resolver<Maybe<ResolversTypes['ScoreChange']>, ParentType, ContextType, RequireFields<QueryScoreChangeArgs, 'id'>>;
  scoringRuleAudit?: Resolver<ResolversTypes['ScoringRuleAuditPage'], ParentType, ContextType, RequireFields<QueryScoringRuleAuditArgs, 'first'>>;
  scoringRules?: Resolver<Array<ResolversTypes['ScoringRule']>, ParentType, ContextType>;
  scoringSettings?: Resolver<ResolversTypes['ScoringSettings'], ParentType, ContextType>;
  trends?: Resolver<ResolversTypes['Trends'], ParentType, ContextType, RequireFields<QueryTrendsArgs, 'from' | 'granularity' | 'to'>>;
  upsellOpportunities?: Resolver<Array<ResolversTypes['UpsellOpportunity']>, ParentType, ContextType, RequireFields<QueryUpsellOpportunitiesArgs, 'first'>>;
  workspaceKpis?: Resolver<ResolversTypes['Kpis'], ParentType, ContextType>;
};

export type RecomputeJobResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['RecomputeJob'] = ResolversParentTypes['RecomputeJob']> = {
  actor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  changed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  done?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  dryRun?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  largestChanges?: Resolver<Array<ResolversTypes['ScoreComparison']>, ParentType, ContextType>;
  previews?: Resolver<Array<ResolversTypes['ScoreComparison']>, ParentType, ContextType, RequireFields<RecomputeJobPreviewsArgs, 'contactIds'>>;
  progress?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  startedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  state?: Resolver<ResolversTypes['RecomputeJobState'], ParentType, ContextType>;
  total?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type ReputationResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['Reputation'] = ResolversParentTypes['Reputation']> = {
  figures?: Resolver<Array<ResolversTypes['ReputationFigure']>, ParentType, ContextType>;
  from?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  meanScore?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  negative?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  neutral?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  positive?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  texts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  to?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type ReputationFigureResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['ReputationFigure'] = ResolversParentTypes['ReputationFigure']> = {
  channel?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  day?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  meanScore?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  negative?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  neutral?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  positive?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  texts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ScoreResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['Score'] = ResolversParentTypes['Score']> = {
  engagementIndex?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  general?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  phase?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  scoredInteractions?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  stage?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  tags?: Resolver<Array<ResolversTypes['TagScore']>, ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
};

export type ScoreChangeResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['ScoreChange'] = ResolversParentTypes['ScoreChange']> = {
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  cause?: Resolver<ResolversTypes['ScoreChangeCause'], ParentType, ContextType>;
  contact?: Resolver<ResolversTypes['Contact'], ParentType, ContextType>;
  delta?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  engagementIndex?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  general?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  interactionId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  kind?: Resolver<Maybe<ResolversTypes['InteractionKind']>, ParentType, ContextType>;
  stage?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type ScoreComparisonResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['ScoreComparison'] = ResolversParentTypes['ScoreComparison']> = {
  after?: Resolver<ResolversTypes['ScoreValues'], ParentType, ContextType>;
  before?: Resolver<ResolversTypes['ScoreValues'], ParentType, ContextType>;
  contactId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type ScoreHistoryEntryResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['ScoreHistoryEntry'] = ResolversParentTypes['ScoreHistoryEntry']> = {
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  cause?: Resolver<ResolversTypes['ScoreChangeCause'], ParentType, ContextType>;
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  general?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  interactionId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  kind?: Resolver<Maybe<ResolversTypes['InteractionKind']>, ParentType, ContextType>;
  pending?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  ruleId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  sentiment?: Resolver<Maybe<ResolversTypes['TextSentiment']>, ParentType, ContextType>;
  stage?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  tags?: Resolver<Array<ResolversTypes['TagScore']>, ParentType, ContextType>;
};

export type ScoreHistoryPageResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['ScoreHistoryPage'] = ResolversParentTypes['ScoreHistoryPage']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  entries?: Resolver<Array<ResolversTypes['ScoreHistoryEntry']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type ScoreValuesResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['ScoreValues'] = ResolversParentTypes['ScoreValues']> = {
  general?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  stage?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  tags?: Resolver<Array<ResolversTypes['TagScore']>, ParentType, ContextType>;
};

export type ScoringRuleResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['ScoringRule'] = ResolversParentTypes['ScoringRule']> = {
  cap?: Resolver<Maybe<ResolversTypes['Cap']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  effect?: Resolver<ResolversTypes['Effect'], ParentType, ContextType>;
  enabled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  exclusive?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<Maybe<ResolversTypes['InteractionKind']>, ParentType, ContextType>;
  name?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  points?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  priority?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  revision?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['ScoringRuleType'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  validFrom?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  validUntil?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  variant?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  when?: Resolver<Maybe<ResolversTypes['Condition']>, ParentType, ContextType>;
};

export type ScoringRuleAuditEntryResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['ScoringRuleAuditEntry'] = ResolversParentTypes['ScoringRuleAuditEntry']> = {
  action?: Resolver<ResolversTypes['AuditAction'], ParentType, ContextType>;
  actor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  after?: Resolver<Maybe<ResolversTypes['ScoringRule']>, ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  before?: Resolver<Maybe<ResolversTypes['ScoringRule']>, ParentType, ContextType>;
  revision?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  ruleId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type ScoringRuleAuditPageResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['ScoringRuleAuditPage'] = ResolversParentTypes['ScoringRuleAuditPage']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  entries?: Resolver<Array<ResolversTypes['ScoringRuleAuditEntry']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type ScoringSettingsResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['ScoringSettings'] = ResolversParentTypes['ScoringSettings']> = {
  halfLifeDays?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  sentimentLanguage?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type SentimentDriverResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['SentimentDriver'] = ResolversParentTypes['SentimentDriver']> = {
  weight?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  word?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type SentimentTrendResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['SentimentTrend'] = ResolversParentTypes['SentimentTrend']> = {
  delta?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  direction?: Resolver<ResolversTypes['SentimentTrendDirection'], ParentType, ContextType>;
  previousMean?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  recentMean?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  scoreChanged?: SubscriptionResolver<ResolversTypes['ScoreChange'], "scoreChanged", ParentType, ContextType, Partial<SubscriptionScoreChangedArgs>>;
};

export type TagScoreResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['TagScore'] = ResolversParentTypes['TagScore']> = {
  points?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  tag?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type TextSentimentResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['TextSentiment'] = ResolversParentTypes['TextSentiment']> = {
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  channel?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  drivers?: Resolver<Array<ResolversTypes['SentimentDriver']>, ParentType, ContextType>;
  interactionId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['InteractionKind'], ParentType, ContextType>;
  label?: Resolver<ResolversTypes['SentimentLabel'], ParentType, ContextType>;
  language?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  languageSource?: Resolver<ResolversTypes['LanguageSource'], ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type TrendBucketResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['TrendBucket'] = ResolversParentTypes['TrendBucket'], FederationReferenceType extends FederationReferenceTypes['TrendBucket'] = FederationReferenceTypes['TrendBucket']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['TrendBucket']> | FederationReferenceType, FederationReferenceType, ContextType>;
  ces?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  cesAnswers?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  churnRisk?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType, RequireFields<TrendBucketChurnRiskArgs, 'threshold'>>;
  closed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  contacts?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  csatAnswers?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  csatMean?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  csatSatisfiedShare?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  end?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  engagementIndex?: Resolver<Maybe<ResolversTypes['EngagementIndexDistribution']>, ParentType, ContextType>;
  featureAdoption?: Resolver<Array<ResolversTypes['TrendFeatureAdoption']>, ParentType, ContextType>;
  granularity?: Resolver<ResolversTypes['TrendGranularity'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  nps?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  npsRespondents?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  sentiment?: Resolver<ResolversTypes['TrendSentiment'], ParentType, ContextType>;
  snapshotAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  start?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type TrendFeatureAdoptionResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['TrendFeatureAdoption'] = ResolversParentTypes['TrendFeatureAdoption']> = {
  contacts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  feature?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  highValue?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  uses?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type TrendSentimentResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['TrendSentiment'] = ResolversParentTypes['TrendSentiment']> = {
  meanScore?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  negative?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  neutral?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  positive?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  texts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type TrendsResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['Trends'] = ResolversParentTypes['Trends']> = {
  buckets?: Resolver<Array<ResolversTypes['TrendBucket']>, ParentType, ContextType>;
  from?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  granularity?: Resolver<ResolversTypes['TrendGranularity'], ParentType, ContextType>;
  to?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type UnusedFeatureResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['UnusedFeature'] = ResolversParentTypes['UnusedFeature']> = {
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['UnusedReason'], ParentType, ContextType>;
};

export type UpsellOpportunityResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['UpsellOpportunity'] = ResolversParentTypes['UpsellOpportunity']> = {
  activeDaysLast30?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  contact?: Resolver<ResolversTypes['Contact'], ParentType, ContextType>;
  features?: Resolver<Array<ResolversTypes['UnusedFeature']>, ParentType, ContextType>;
  usesLast30Days?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type WorkspaceProductUsageResolvers<ContextType = ScoringContext, ParentType extends ResolversParentTypes['WorkspaceProductUsage'] = ResolversParentTypes['WorkspaceProductUsage']> = {
  adoption?: Resolver<Array<ResolversTypes['FeatureAdoption']>, ParentType, ContextType>;
  features?: Resolver<Array<ResolversTypes['FeatureUsageStat']>, ParentType, ContextType>;
  from?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  granularity?: Resolver<ResolversTypes['UsagePeriod'], ParentType, ContextType>;
  leastUsed?: Resolver<Array<ResolversTypes['FeatureUsageStat']>, ParentType, ContextType>;
  mostErrors?: Resolver<Array<ResolversTypes['FeatureUsageStat']>, ParentType, ContextType>;
  mostUsed?: Resolver<Array<ResolversTypes['FeatureUsageStat']>, ParentType, ContextType>;
  to?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type Resolvers<ContextType = ScoringContext> = {
  Account?: AccountResolvers<ContextType>;
  AccountFeatureUsage?: AccountFeatureUsageResolvers<ContextType>;
  AccountHealth?: AccountHealthResolvers<ContextType>;
  AccountProductUsage?: AccountProductUsageResolvers<ContextType>;
  AccountUpsellOpportunity?: AccountUpsellOpportunityResolvers<ContextType>;
  AdoptionPeriod?: AdoptionPeriodResolvers<ContextType>;
  AnswerScale?: AnswerScaleResolvers<ContextType>;
  Cap?: CapResolvers<ContextType>;
  Condition?: ConditionResolvers<ContextType>;
  Contact?: ContactResolvers<ContextType>;
  ContactFeatureUsage?: ContactFeatureUsageResolvers<ContextType>;
  ContactProductUsage?: ContactProductUsageResolvers<ContextType>;
  ContactSentiment?: ContactSentimentResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Effect?: EffectResolvers<ContextType>;
  EngagementIndexBin?: EngagementIndexBinResolvers<ContextType>;
  EngagementIndexDistribution?: EngagementIndexDistributionResolvers<ContextType>;
  FeatureAdoption?: FeatureAdoptionResolvers<ContextType>;
  FeatureUsageStat?: FeatureUsageStatResolvers<ContextType>;
  Health?: HealthResolvers<ContextType>;
  HealthMeasure?: HealthMeasureResolvers<ContextType>;
  HealthMeasurePolicy?: HealthMeasurePolicyResolvers<ContextType>;
  HealthPolicy?: HealthPolicyResolvers<ContextType>;
  Influence?: InfluenceResolvers<ContextType>;
  InfluenceComponent?: InfluenceComponentResolvers<ContextType>;
  Kpis?: KpisResolvers<ContextType>;
  Likelihood?: LikelihoodResolvers<ContextType>;
  LikelihoodSignal?: LikelihoodSignalResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PowerUser?: PowerUserResolvers<ContextType>;
  Predicate?: PredicateResolvers<ContextType>;
  ProductFeature?: ProductFeatureResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RecomputeJob?: RecomputeJobResolvers<ContextType>;
  Reputation?: ReputationResolvers<ContextType>;
  ReputationFigure?: ReputationFigureResolvers<ContextType>;
  Score?: ScoreResolvers<ContextType>;
  ScoreChange?: ScoreChangeResolvers<ContextType>;
  ScoreComparison?: ScoreComparisonResolvers<ContextType>;
  ScoreHistoryEntry?: ScoreHistoryEntryResolvers<ContextType>;
  ScoreHistoryPage?: ScoreHistoryPageResolvers<ContextType>;
  ScoreValues?: ScoreValuesResolvers<ContextType>;
  ScoringRule?: ScoringRuleResolvers<ContextType>;
  ScoringRuleAuditEntry?: ScoringRuleAuditEntryResolvers<ContextType>;
  ScoringRuleAuditPage?: ScoringRuleAuditPageResolvers<ContextType>;
  ScoringSettings?: ScoringSettingsResolvers<ContextType>;
  SentimentDriver?: SentimentDriverResolvers<ContextType>;
  SentimentTrend?: SentimentTrendResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  TagScore?: TagScoreResolvers<ContextType>;
  TextSentiment?: TextSentimentResolvers<ContextType>;
  TrendBucket?: TrendBucketResolvers<ContextType>;
  TrendFeatureAdoption?: TrendFeatureAdoptionResolvers<ContextType>;
  TrendSentiment?: TrendSentimentResolvers<ContextType>;
  Trends?: TrendsResolvers<ContextType>;
  UnusedFeature?: UnusedFeatureResolvers<ContextType>;
  UpsellOpportunity?: UpsellOpportunityResolvers<ContextType>;
  WorkspaceProductUsage?: WorkspaceProductUsageResolvers<ContextType>;
};

