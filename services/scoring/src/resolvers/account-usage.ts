// Product usage per account: Account.productUsage (ingestion owns the entity) and the accounts
// to upsell. Thin: usage/account-usage.ts reads, domain/account-usage.ts computes.
import { accountProductUsage, accountUpsellOpportunities } from '../usage/account-usage';
import type { AccountResolvers, QueryResolvers } from '../__generated__/resolvers-types';

export const accountFields: AccountResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  productUsage: async (account, _, ctx) => {
    const { workspaceId } = ctx.caller;
    const catalog = await ctx.loaders.catalog.load(workspaceId);
    return accountProductUsage(
      { ...ctx, accountContacts: ctx.loaders.accountContacts, usage: ctx.loaders.usage },
      workspaceId,
      account.id,
      catalog,
    );
  },
};

export const accountUsageQueries: Pick<QueryResolvers, 'accountUpsellOpportunities'> = {
  accountUpsellOpportunities: async (_, { first }, ctx) => {
    const { workspaceId } = ctx.caller;
    const found = await accountUpsellOpportunities(
      ctx,
      workspaceId,
      await ctx.loaders.catalog.load(workspaceId),
      first ?? 10,
    );
    return found.map(({ accountId, ...figures }) => ({ ...figures, account: { id: accountId } }));
  },
};
