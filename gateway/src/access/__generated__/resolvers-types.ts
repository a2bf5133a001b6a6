import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { GatewayContext } from '../../auth/operation-access';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
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

export type ApiKey = {
  __typename?: 'ApiKey';
  createdAt: Scalars['DateTime']['output'];
  /** An admin key's actor (e.g. admin-key:key_…), operator, or system (the run command). */
  createdBy: Scalars['String']['output'];
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  label: Scalars['String']['output'];
  /** The start of the current secret (cei_<role>_ and 4 characters), to tell keys apart. */
  prefix: Scalars['String']['output'];
  /** While a rotation's overlap lasts: when the previous secret stops working. */
  previousSecretValidUntil?: Maybe<Scalars['DateTime']['output']>;
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  role: ApiKeyRole;
  rotatedAt?: Maybe<Scalars['DateTime']['output']>;
  status: ApiKeyStatus;
};

export type ApiKeyAuditAction =
  | 'KEY_CREATED'
  | 'KEY_REVOKED'
  | 'KEY_ROTATED'
  | 'WORKSPACE_CREATED'
  | 'WORKSPACE_RESUMED'
  | 'WORKSPACE_SUSPENDED';

export type ApiKeyAuditEntry = {
  __typename?: 'ApiKeyAuditEntry';
  action: ApiKeyAuditAction;
  /** Who: an admin key's actor (admin-key:key_…), operator, or system. */
  actor: Scalars['String']['output'];
  at: Scalars['DateTime']['output'];
  detail?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  keyId?: Maybe<Scalars['ID']['output']>;
  label?: Maybe<Scalars['String']['output']>;
  role?: Maybe<ApiKeyRole>;
};

export type ApiKeyAuditPage = {
  __typename?: 'ApiKeyAuditPage';
  entries: Array<ApiKeyAuditEntry>;
  /** Pass as after for the next page; null on the last. */
  nextCursor?: Maybe<Scalars['ID']['output']>;
};

export type ApiKeyRole =
  | 'ADMIN'
  | 'READ'
  | 'WRITE';

export type ApiKeyStatus =
  | 'ACTIVE'
  | 'EXPIRED'
  | 'REVOKED';

export type CreateApiKeyInput = {
  /** When it stops working by itself; never when absent. */
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** What the key is for (1–100 characters), e.g. CRM sync. */
  label: Scalars['String']['input'];
  role: ApiKeyRole;
};

export type CreateWorkspaceInput = {
  /** The first admin key's label (default: admin key). */
  adminKeyLabel?: InputMaybe<Scalars['String']['input']>;
  /** 1–63 lower-case letters, digits, _ or -; generated when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
};

export type CreatedApiKey = {
  __typename?: 'CreatedApiKey';
  apiKey: ApiKey;
  /** The secret, shown this once: send it as Authorization: Bearer <secret>. */
  secret: Scalars['String']['output'];
};

export type CreatedWorkspace = {
  __typename?: 'CreatedWorkspace';
  adminKey: CreatedApiKey;
  workspace: Workspace;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Admin key: a new key for this workspace (the secret is shown once, here). */
  createApiKey: CreatedApiKey;
  /** Operator credential only: a new workspace and its first admin key (the secret is shown once, here). */
  createWorkspace: CreatedWorkspace;
  /** Operator credential only: the workspace's keys work again (those not revoked or expired). */
  resumeWorkspace: Workspace;
  /** Admin key: the key stops working on every gateway within seconds; open WebSockets using it are closed (4403). */
  revokeApiKey: ApiKey;
  /**
   * Admin key: a new secret for the key (same id, label, role and expiry). The previous
   * secret keeps working for overlapSeconds (0: it stops now; at most 7 days).
   */
  rotateApiKey: CreatedApiKey;
  /** Operator credential only: every key of the workspace stops working, on every gateway within seconds. */
  suspendWorkspace: Workspace;
};


export type MutationCreateApiKeyArgs = {
  input: CreateApiKeyInput;
};


export type MutationCreateWorkspaceArgs = {
  input: CreateWorkspaceInput;
};


export type MutationResumeWorkspaceArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRevokeApiKeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRotateApiKeyArgs = {
  id: Scalars['ID']['input'];
  overlapSeconds?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationSuspendWorkspaceArgs = {
  id: Scalars['ID']['input'];
  reason?: InputMaybe<Scalars['String']['input']>;
};

export type Query = {
  __typename?: 'Query';
  /** Admin key: who did what to this workspace's keys and when, newest first. */
  apiKeyAudit: ApiKeyAuditPage;
  /** Admin key: this workspace's API keys, newest first. Secrets are never shown again after creation. */
  apiKeys: Array<ApiKey>;
  /** Operator credential only: every workspace, oldest first. */
  workspaces: Array<Workspace>;
};


export type QueryApiKeyAuditArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryApiKeysArgs = {
  includeRevoked?: InputMaybe<Scalars['Boolean']['input']>;
};

export type Workspace = {
  __typename?: 'Workspace';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  status: WorkspaceStatus;
  suspendedAt?: Maybe<Scalars['DateTime']['output']>;
};

export type WorkspaceStatus =
  | 'ACTIVE'
  | 'SUSPENDED';



export type ResolverTypeWrapper<T> = Promise<T> | T;


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





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  ApiKey: ResolverTypeWrapper<ApiKey>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  ApiKeyAuditAction: ApiKeyAuditAction;
  ApiKeyAuditEntry: ResolverTypeWrapper<ApiKeyAuditEntry>;
  ApiKeyAuditPage: ResolverTypeWrapper<ApiKeyAuditPage>;
  ApiKeyRole: ApiKeyRole;
  ApiKeyStatus: ApiKeyStatus;
  CreateApiKeyInput: CreateApiKeyInput;
  CreateWorkspaceInput: CreateWorkspaceInput;
  CreatedApiKey: ResolverTypeWrapper<CreatedApiKey>;
  CreatedWorkspace: ResolverTypeWrapper<CreatedWorkspace>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Workspace: ResolverTypeWrapper<Workspace>;
  WorkspaceStatus: WorkspaceStatus;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  ApiKey: ApiKey;
  String: Scalars['String']['output'];
  ID: Scalars['ID']['output'];
  ApiKeyAuditEntry: ApiKeyAuditEntry;
  ApiKeyAuditPage: ApiKeyAuditPage;
  CreateApiKeyInput: CreateApiKeyInput;
  CreateWorkspaceInput: CreateWorkspaceInput;
  CreatedApiKey: CreatedApiKey;
  CreatedWorkspace: CreatedWorkspace;
  DateTime: Scalars['DateTime']['output'];
  Mutation: Record<PropertyKey, never>;
  Int: Scalars['Int']['output'];
  Query: Record<PropertyKey, never>;
  Boolean: Scalars['Boolean']['output'];
  Workspace: Workspace;
};

export type ApiKeyResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['ApiKey'] = ResolversParentTypes['ApiKey']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  createdBy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  expiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  label?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  prefix?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  previousSecretValidUntil?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  role?: Resolver<ResolversTypes['ApiKeyRole'], ParentType, ContextType>;
  rotatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ApiKeyStatus'], ParentType, ContextType>;
};

export type ApiKeyAuditEntryResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['ApiKeyAuditEntry'] = ResolversParentTypes['ApiKeyAuditEntry']> = {
  action?: Resolver<ResolversTypes['ApiKeyAuditAction'], ParentType, ContextType>;
  actor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  detail?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  keyId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  label?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  role?: Resolver<Maybe<ResolversTypes['ApiKeyRole']>, ParentType, ContextType>;
};

export type ApiKeyAuditPageResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['ApiKeyAuditPage'] = ResolversParentTypes['ApiKeyAuditPage']> = {
  entries?: Resolver<Array<ResolversTypes['ApiKeyAuditEntry']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
};

export type CreatedApiKeyResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['CreatedApiKey'] = ResolversParentTypes['CreatedApiKey']> = {
  apiKey?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType>;
  secret?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type CreatedWorkspaceResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['CreatedWorkspace'] = ResolversParentTypes['CreatedWorkspace']> = {
  adminKey?: Resolver<ResolversTypes['CreatedApiKey'], ParentType, ContextType>;
  workspace?: Resolver<ResolversTypes['Workspace'], ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type MutationResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  createApiKey?: Resolver<ResolversTypes['CreatedApiKey'], ParentType, ContextType, RequireFields<MutationCreateApiKeyArgs, 'input'>>;
  createWorkspace?: Resolver<ResolversTypes['CreatedWorkspace'], ParentType, ContextType, RequireFields<MutationCreateWorkspaceArgs, 'input'>>;
  resumeWorkspace?: Resolver<ResolversTypes['Workspace'], ParentType, ContextType, RequireFields<MutationResumeWorkspaceArgs, 'id'>>;
  revokeApiKey?: Resolver<ResolversTypes['ApiKey'], ParentType, ContextType, RequireFields<MutationRevokeApiKeyArgs, 'id'>>;
  rotateApiKey?: Resolver<ResolversTypes['CreatedApiKey'], ParentType, ContextType, RequireFields<MutationRotateApiKeyArgs, 'id' | 'overlapSeconds'>>;
  suspendWorkspace?: Resolver<ResolversTypes['Workspace'], ParentType, ContextType, RequireFields<MutationSuspendWorkspaceArgs, 'id'>>;
};

export type QueryResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  apiKeyAudit?: Resolver<ResolversTypes['ApiKeyAuditPage'], ParentType, ContextType, RequireFields<QueryApiKeyAuditArgs, 'first'>>;
  apiKeys?: Resolver<Array<ResolversTypes['ApiKey']>, ParentType, ContextType, RequireFields<QueryApiKeysArgs, 'includeRevoked'>>;
  workspaces?: Resolver<Array<ResolversTypes['Workspace']>, ParentType, ContextType>;
};

export type WorkspaceResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Workspace'] = ResolversParentTypes['Workspace']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['WorkspaceStatus'], ParentType, ContextType>;
  suspendedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
};

export type Resolvers<ContextType = GatewayContext> = {
  ApiKey?: ApiKeyResolvers<ContextType>;
  ApiKeyAuditEntry?: ApiKeyAuditEntryResolvers<ContextType>;
  ApiKeyAuditPage?: ApiKeyAuditPageResolvers<ContextType>;
  CreatedApiKey?: CreatedApiKeyResolvers<ContextType>;
  CreatedWorkspace?: CreatedWorkspaceResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Workspace?: WorkspaceResolvers<ContextType>;
};

