// Product usage per account, read off the event path. An account's contacts are the score
// documents carrying its accountId (the trait scoring keeps from the contacts' IDENTIFY events):
// one equality read for one account, one read of the workspace's score documents for several
// (the ids filtered in code: FerretDB pushes equality down, never `$in`). Their usage documents
// are read by _id and folded together in code (domain/account-usage.ts); nothing is stored.
import DataLoader from 'dataloader';
import { contactKey, invalidFields } from '@cei/contracts';
import { inWorkspace } from '@cei/mongo';
import type { ContactScoreRow, ContactUsageRow, ScoringModels } from '../models';
import { usageDoc } from '../models';
import { accountUsage, type AccountUsage } from '../domain/account-usage';
import type { ContactUsage, FeatureCatalog, UnusedFeature } from '../domain/product-usage';
import type { Database } from '@cei/mongo';

/** A reference to the Account entity (ingestion's, `@key(fields: "id")`). */
export interface AccountRef {
  id: string;
}

type AccountRow = Pick<ContactScoreRow, 'contactId' | 'accountId'>;

/**
 * Contact ids per account, keyed `<workspace>:<account>`, batched per request: a batch of one
 * account reads by equality on its id, a larger batch reads the workspace's rows once.
 */
export function accountContactsLoader(db: Database, models: ScoringModels): DataLoader<string, string[]> {
  return new DataLoader(async (keys: readonly string[]) => {
    const split = keys.map((key) => {
      const at = key.indexOf(':');
      return { workspaceId: key.slice(0, at), accountId: key.slice(at + 1) };
    });
    const workspaces = new Map<string, string[]>();
    for (const { workspaceId, accountId } of split) {
      workspaces.set(workspaceId, [...(workspaces.get(workspaceId) ?? []), accountId]);
    }
    const found = new Map<string, string[]>();
    await Promise.all(
      [...workspaces].map(async ([workspaceId, accounts]) => {
        const filter = accounts.length === 1 ? { accountId: accounts[0]! } : {};
        const rows = await db.limit(() =>
          models.ContactScore.find(inWorkspace<ContactScoreRow>(workspaceId, filter), { contactId: 1, accountId: 1 })
            .lean<AccountRow[]>()
            .exec(),
        );
        const wanted = new Set(accounts);
        for (const row of rows) {
          if (!row.accountId || !wanted.has(row.accountId)) continue;
          const key = contactKey(workspaceId, row.accountId);
          found.set(key, [...(found.get(key) ?? []), row.contactId]);
        }
      }),
    );
    return keys.map((key) => (found.get(key) ?? []).sort());
  });
}

export interface AccountUsageDeps {
  db: Database;
  models: ScoringModels;
  now: () => Date;
  accountContacts: DataLoader<string, string[]>;
  usage: DataLoader<string, { usage: ContactUsage } | null>;
}

/** The account's product usage as of now (an account with no contact known to scoring: all zero). */
export async function accountProductUsage(
  deps: AccountUsageDeps,
  workspaceId: string,
  accountId: string,
  catalog: FeatureCatalog,
): Promise<AccountUsage> {
  const contactIds = await deps.accountContacts.load(contactKey(workspaceId, accountId));
  const docs = await deps.usage.loadMany(contactIds.map((id) => contactKey(workspaceId, id)));
  const usages = docs.map((doc) => {
    if (doc instanceof Error) throw doc;
    return doc?.usage ?? { features: {}, days: [] };
  });
  return accountUsage(usages, catalog, deps.now());
}

export interface AccountUpsellOpportunity {
  accountId: string;
  features: UnusedFeature[];
  /** Contacts of the account with a use in the last 30 days. */
  activeContacts: number;
  usesLast30Days: number;
  activeDaysLast30: number;
}

/**
 * Accounts whose contacts used the product in the last 30 days while no contact used some
 * declared high-value features there: most uses first. Reads the workspace's score documents
 * (account of each contact) and usage documents once each, by workspace.
 */
export async function accountUpsellOpportunities(
  deps: Pick<AccountUsageDeps, 'db' | 'models' | 'now'>,
  workspaceId: string,
  catalog: FeatureCatalog,
  first: number,
): Promise<AccountUpsellOpportunity[]> {
  if (!Number.isInteger(first) || first < 1 || first > 100) {
    throw invalidFields([{ path: 'first', message: 'between 1 and 100' }]);
  }
  const [accounts, usages] = await Promise.all([
    deps.db.limit(() =>
      deps.models.ContactScore.find(inWorkspace<ContactScoreRow>(workspaceId), { contactId: 1, accountId: 1 })
        .lean<AccountRow[]>()
        .exec(),
    ),
    deps.db.limit(() =>
      deps.models.ContactUsage.find(inWorkspace<ContactUsageRow>(workspaceId)).lean<ContactUsageRow[]>().exec(),
    ),
  ]);
  const usageOf = new Map(usages.map((row) => [row.contactId, usageDoc(row).usage]));
  const members = new Map<string, ContactUsage[]>();
  for (const { contactId, accountId } of accounts) {
    if (!accountId) continue;
    members.set(accountId, [...(members.get(accountId) ?? []), usageOf.get(contactId) ?? { features: {}, days: [] }]);
  }
  const now = deps.now();
  return [...members]
    .map(([accountId, contacts]) => ({ accountId, usage: accountUsage(contacts, catalog, now) }))
    .filter(({ usage }) => usage.usesLast30Days > 0 && usage.highValueUnused.length > 0)
    .map(({ accountId, usage }) => ({
      accountId,
      features: usage.highValueUnused,
      activeContacts: usage.activeContactsLast30,
      usesLast30Days: usage.usesLast30Days,
      activeDaysLast30: usage.activeDaysLast30,
    }))
    .sort((a, b) => b.usesLast30Days - a.usesLast30Days || a.accountId.localeCompare(b.accountId))
    .slice(0, first);
}
