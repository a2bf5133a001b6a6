// Accounts (companies): saved by saveAccount (field by field) and created by the first IDENTIFY
// that names one (the contact projector inserts it; it never overwrites). Pages are read off the
// event path: a workspace's accounts, and an account's contacts by one equality filter.
import { contactKey, invalidFields, type CallerContext, type FieldProblem } from '@cei/contracts';
import { appendNew, inWorkspace, loadByIds, type Database } from '@cei/mongo';
import { requireRole } from '@cei/subgraph';
import type { AccountDoc, ContactDoc, IngestionModels } from '../models';
import { normalDomain, TRAIT_LIMITS } from '../domain/traits';

export const MAX_PAGE = 100;

export interface AccountInput {
  id: string;
  name?: string | null;
  domain?: string | null;
  industry?: string | null;
  employees?: number | null;
  plan?: string | null;
}

type AccountFields = Pick<AccountDoc, 'name' | 'domain' | 'industry' | 'employees' | 'plan'>;

/** The fields the input sets (absent: kept; null: cleared), or every problem at its path. */
export function checkAccountInput(input: AccountInput): Partial<AccountFields> {
  const problems: FieldProblem[] = [];
  const fields: Partial<AccountFields> = {};
  if (input.id.trim() === '' || input.id.length > TRAIT_LIMITS.idLength) {
    problems.push({ path: 'input.id', message: `a non-empty id of at most ${TRAIT_LIMITS.idLength} characters` });
  }
  for (const field of ['name', 'industry', 'plan'] as const) {
    const value = input[field];
    if (value === undefined) continue;
    if (value !== null && (value.trim() === '' || value.length > TRAIT_LIMITS.text)) {
      problems.push({
        path: `input.${field}`,
        message: `a non-empty string of at most ${TRAIT_LIMITS.text} characters, or null`,
      });
    } else fields[field] = value === null ? null : value.trim();
  }
  if (input.domain !== undefined) {
    const domain = input.domain === null ? null : normalDomain(input.domain);
    if (input.domain !== null && !domain) {
      problems.push({
        path: 'input.domain',
        message: `'${input.domain.slice(0, 60)}' is not a domain name (e.g. example.com)`,
      });
    } else fields.domain = domain;
  }
  if (input.employees !== undefined) {
    if (input.employees !== null && input.employees < 0) {
      problems.push({ path: 'input.employees', message: 'a number of employees, 0 or more' });
    } else fields.employees = input.employees;
  }
  if (problems.length > 0) throw invalidFields(problems);
  return fields;
}

export async function saveAccount(
  models: IngestionModels,
  caller: CallerContext,
  input: AccountInput,
  now = new Date(),
): Promise<AccountDoc> {
  requireRole(caller, 'write');
  const fields = checkAccountInput(input);
  const accountId = input.id.trim();
  const _id = contactKey(caller.workspaceId, accountId);
  const stored = await models.Account.findById(_id).lean<AccountDoc>().exec();
  const next: AccountDoc = {
    _id,
    workspaceId: caller.workspaceId,
    accountId,
    name: null,
    domain: null,
    industry: null,
    employees: null,
    plan: null,
    createdAt: now,
    ...stored,
    ...fields,
    updatedAt: now,
  };
  if (stored) {
    await models.Account.replaceOne({ _id }, next).exec();
    return next;
  }
  // New: inserted, so an IDENTIFY creating it at the same moment cannot be overwritten blindly.
  if ((await appendNew(models.Account, [next])).size > 0) {
    const created = await models.Account.findById(_id).lean<AccountDoc>().exec();
    const merged = { ...created!, ...fields, updatedAt: now };
    await models.Account.replaceOne({ _id }, merged).exec();
    return merged;
  }
  return next;
}

function pageOf<T>(items: T[], first: number, cursorOf: (item: T) => string) {
  const entries = items.slice(0, first);
  return {
    entries,
    endCursor: entries.length > 0 ? cursorOf(entries[entries.length - 1]!) : null,
    hasNextPage: items.length > first,
  };
}

export function checkFirst(first: number | null | undefined, path = 'first'): number {
  const n = first ?? 20;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) {
    throw invalidFields([{ path, message: `between 1 and ${MAX_PAGE}` }]);
  }
  return n;
}

/** The workspace's accounts by id (a read of the workspace's accounts: a dashboard, not the event path). */
export async function accountPage(models: IngestionModels, workspaceId: string, first: number, after: string | null) {
  const all = await models.Account.find(inWorkspace<AccountDoc>(workspaceId)).lean<AccountDoc[]>().exec();
  const sorted = all.sort((a, b) => (a.accountId < b.accountId ? -1 : 1)).filter((a) => !after || a.accountId > after);
  return pageOf(sorted, first, (a) => a.accountId);
}

/**
 * An account's contacts by id: one equality filter (workspace, accountId), sorted here. Ids
 * merged into another contact are left out (their survivor carries the account).
 */
export async function accountContacts(
  db: Database,
  models: IngestionModels,
  account: AccountDoc,
  first: number,
  after: string | null,
) {
  const members = await models.Contact.find(
    inWorkspace<ContactDoc>(account.workspaceId, { accountId: account.accountId }),
  )
    .lean<ContactDoc[]>()
    .exec();
  const aliases = await loadByIds(
    db,
    models.ContactAlias,
    members.map((c) => c._id),
  );
  const sorted = members
    .filter((c) => !aliases.has(c._id) && (!after || c.contactId > after))
    .sort((a, b) => (a.contactId < b.contactId ? -1 : 1));
  return pageOf(sorted, first, (c) => c.contactId);
}
