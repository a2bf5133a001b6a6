// Health: the contact's and the account's, computed when read from the score and usage documents
// and the workspace's health policy (domain/health); the policy itself (admin).
import { contactKey, type ContactRef } from '@cei/contracts';
import { inWorkspace, loadByIds } from '@cei/mongo';
import { requireRole } from '@cei/subgraph';
import { emptyUsage, likelihoodUsage } from '../domain/product-usage';
import { accountHealth, contactHealth, HEALTH_MEASURES, MEASURE_SPECS, type Health } from '../domain/health';
import type { StoredHealthPolicy } from '../health/health-policies';
import { scoreDoc, usageDoc, type ContactScoreRow } from '../models';
import { contactUsage } from './usage';
import type { ScoringContext } from '../server';
import type {
  AccountResolvers,
  ContactResolvers,
  MutationResolvers,
  QueryResolvers,
} from '../__generated__/resolvers-types';

function policyView({ measures, version, updatedAt }: StoredHealthPolicy) {
  return {
    version,
    updatedAt,
    measures: HEALTH_MEASURES.map((name) => ({ name, direction: MEASURE_SPECS[name].direction, ...measures[name] })),
  };
}

export const healthContactFields: Pick<ContactResolvers, 'health'> = {
  health: async (contact: ContactRef, _, ctx) => {
    const { workspaceId } = ctx.caller;
    const [doc, { usage, catalog }, policy] = await Promise.all([
      ctx.loaders.score.load(contactKey(workspaceId, contact.id)),
      contactUsage(contact, ctx),
      ctx.health.current(workspaceId),
    ]);
    if (!doc) return null;
    const now = ctx.now();
    return contactHealth(
      { activity: doc.state.activity, usage: likelihoodUsage(usage, catalog, now) },
      policy.measures,
      now,
    );
  },
};

/**
 * The account's contacts read by one equality filter on the account id the score documents keep
 * (their accountId trait), with their usage documents by _id: when asked, off the event path.
 */
async function healthOfAccount(accountId: string, ctx: ScoringContext) {
  const { workspaceId } = ctx.caller;
  const [rows, policy, catalog] = await Promise.all([
    ctx.models.ContactScore.find(inWorkspace<ContactScoreRow>(workspaceId, { accountId }))
      .lean<ContactScoreRow[]>()
      .exec(),
    ctx.health.current(workspaceId),
    ctx.loaders.catalog.load(workspaceId),
  ]);
  const docs = rows.filter((row) => row.body).map(scoreDoc);
  const usageRows = await loadByIds(
    ctx.db,
    ctx.models.ContactUsage,
    docs.map((d) => d._id),
  );
  const usageOf = new Map([...usageRows].map(([id, row]) => [id, usageDoc(row).usage]));
  const now = ctx.now();
  const healths = docs.flatMap((doc): Health[] => {
    const usage = likelihoodUsage(usageOf.get(doc._id) ?? emptyUsage(), catalog, now);
    const health = contactHealth({ activity: doc.state.activity, usage }, policy.measures, now);
    return health ? [health] : [];
  });
  return accountHealth(healths, policy.measures);
}

export const accountFields: AccountResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  health: (account, _, ctx) => healthOfAccount(account.id, ctx),
};

export const healthQueries: QueryResolvers = {
  healthPolicy: async (_, __, ctx) => policyView(await ctx.health.current(ctx.caller.workspaceId)),
};

export const healthMutations: MutationResolvers = {
  updateHealthPolicy: async (_, { input }, ctx) => {
    requireRole(ctx.caller, 'admin');
    const stored = await ctx.health.update(ctx.caller.workspaceId, input);
    ctx.log.info({ version: stored.version }, 'health policy changed');
    return policyView(stored);
  },
};
