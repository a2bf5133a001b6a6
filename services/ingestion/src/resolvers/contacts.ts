// Contacts, their traits and history, accounts and merges: thin resolvers over contacts/.
import { contactKey, invalidFields } from '@cei/contracts';
import { loadByIds } from '@cei/mongo';
import type { ContactDoc, TraitChangeDoc } from '../models';
import type { IngestionContext } from '../server';
import type { Resolvers } from '../__generated__/resolvers-types';
import { identifyContact } from '../contacts/identify-contact';
import { mergeContacts } from '../contacts/merge-contacts';
import { accountContacts, accountPage, checkFirst, saveAccount } from '../contacts/accounts';

/** A contact, or null when the id was merged away (contactMerge(id) points to the survivor). */
async function liveContact(ctx: IngestionContext, id: string): Promise<ContactDoc | null> {
  const key = contactKey(ctx.caller.workspaceId, id);
  const [contact, alias] = await Promise.all([ctx.loaders.contact.load(key), ctx.loaders.alias.load(key)]);
  return alias ? null : contact;
}

function traitValue(contact: ContactDoc, trait: string) {
  return (contact.traits ?? []).find((t) => t.trait === trait)?.value ?? null;
}

async function traitHistory(ctx: IngestionContext, contact: ContactDoc, first: number, after: string | null) {
  const total = contact.traitChanges ?? 0;
  let end = total;
  if (after !== null) {
    end = /^\d{1,9}$/.test(after) ? Number(after) : NaN;
    if (!(end >= 0 && end <= total)) throw invalidFields([{ path: 'after', message: 'not a cursor of this history' }]);
  }
  const ns = Array.from({ length: Math.min(first, end) }, (_, i) => end - 1 - i);
  const found = await loadByIds(
    ctx.store.db,
    ctx.store.models.TraitChange,
    ns.map((n) => `${contact._id}:t:${n}`),
  );
  const entries = ns.flatMap((n) => {
    const doc = found.get(`${contact._id}:t:${n}`);
    return doc ? [doc] : [];
  });
  const last = ns[ns.length - 1];
  return {
    entries,
    totalCount: total,
    endCursor: last === undefined ? null : String(last),
    hasNextPage: last !== undefined && last > 0,
  };
}

export const contactResolvers: Resolvers = {
  Query: {
    contact: (_, { id }, ctx) => liveContact(ctx, id),
    account: (_, { id }, ctx) => ctx.loaders.account.load(contactKey(ctx.caller.workspaceId, id)),
    accounts: (_, { first, after }, ctx) =>
      accountPage(ctx.store.models, ctx.caller.workspaceId, checkFirst(first), after ?? null),
    contactMerge: (_, { id }, ctx) => ctx.loaders.alias.load(contactKey(ctx.caller.workspaceId, id)),
  },
  Mutation: {
    identifyContact: (_, { input }, ctx) =>
      identifyContact(ctx.recording, ctx.caller, {
        ...input,
        // What the caller left out stays out (kept); explicit nulls clear.
        traits: input.traits as Record<string, unknown>,
      }),
    saveAccount: (_, { input }, ctx) => saveAccount(ctx.store.models, ctx.caller, input),
    mergeContacts: (_, { from, into }, ctx) => mergeContacts(ctx.recording, ctx.caller, from, into),
  },
  Contact: {
    traits: (contact) => ({
      name: traitValue(contact, 'name') as string | null,
      jobTitle: traitValue(contact, 'jobTitle') as string | null,
      seniority: traitValue(contact, 'seniority') as never,
      department: traitValue(contact, 'department') as string | null,
      buyingRole: traitValue(contact, 'buyingRole') as never,
      country: traitValue(contact, 'country') as string | null,
      socialFollowers: traitValue(contact, 'socialFollowers') as number | null,
      custom: Object.fromEntries(
        (contact.traits ?? [])
          .filter((t) => t.trait.startsWith('custom.') && t.value !== null)
          .map((t) => [t.trait.slice('custom.'.length), t.value]),
      ),
    }),
    traitHistory: (contact, { first, after }, ctx) => traitHistory(ctx, contact, checkFirst(first), after ?? null),
    account: (contact, _, ctx) =>
      contact.accountId ? ctx.loaders.account.load(contactKey(contact.workspaceId, contact.accountId)) : null,
    mergedFrom: (contact) => contact.mergedFrom ?? [],
  },
  Account: {
    // Other subgraphs (scoring's health and product usage) name accounts by id; another workspace's is never found.
    __resolveReference: (ref, ctx) => ctx.loaders.account.load(contactKey(ctx.caller.workspaceId, ref.id)),
    id: (account) => account.accountId,
    contacts: (account, { first, after }, ctx) =>
      accountContacts(ctx.store.db, ctx.store.models, account, checkFirst(first), after ?? null),
  },
  TraitChange: {
    value: (change: TraitChangeDoc) => change.value,
  },
  ContactMerge: {
    into: async (merge, _, ctx) => {
      const contact = await ctx.loaders.contact.load(contactKey(merge.workspaceId, merge.into));
      // The survivor's projector may not have applied the merge yet: its id is all there is.
      return contact ?? placeholderContact(merge.workspaceId, merge.into, merge.mergedAt);
    },
  },
};

function placeholderContact(workspaceId: string, contactId: string, at: Date): ContactDoc {
  return {
    _id: contactKey(workspaceId, contactId),
    workspaceId,
    contactId,
    email: null,
    firstSeenAt: at,
    lastSeq: 0,
    traits: [],
    accountId: null,
    traitChanges: 0,
    mergedFrom: [],
  };
}
