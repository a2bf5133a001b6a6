// What an IDENTIFY or a CONTACT_MERGED does to a contact's document, with no I/O: traits folded
// last-write-wins, the trait changes that won numbered for the history, the account an IDENTIFY
// names to create, and on a merge the merged-away contact's identity folded into the survivor.
import { contactKey, type InteractionRecorded } from '@cei/contracts';
import type { AccountDoc, ContactDoc, StoredTrait, TraitChangeDoc } from '../models';
import { applyIdentify, type IdentifyPayload, type TraitChange, type TraitSlot } from './traits';

/** What the batch appends besides the contacts (collected across its events). */
export interface ContactEventEffects {
  traitChanges: TraitChangeDoc[];
  accounts: AccountDoc[];
}

export function applyContactEvent(
  contact: ContactDoc,
  event: InteractionRecorded,
  mergedAway: ContactDoc | null,
  effects: ContactEventEffects,
): ContactDoc {
  const at = new Date(event.occurredAt);
  if (event.kind === 'IDENTIFY') {
    // Validated when it was accepted (validate-interaction): the properties are the checked payload.
    const payload = event.properties as IdentifyPayload;
    const folded = applyIdentify(slotsOf(contact), payload, at, event.interactionId);
    if (payload.accountId) effects.accounts.push(accountOf(event, payload));
    return withTraits({ ...contact, email: event.email ?? contact.email }, folded, effects);
  }
  // CONTACT_MERGED: the survivor takes the merged-away contact's first sighting and its traits, each
  // trait competing by its own time as if its IDENTIFY had been sent to the survivor.
  const from = String(event.properties.from);
  let next: ContactDoc = { ...contact, mergedFrom: [...(contact.mergedFrom ?? []), from] };
  if (!mergedAway) return next;
  let slots = slotsOf(next);
  const changes: TraitChange[] = [];
  for (const stored of mergedAway.traits ?? []) {
    const single = applyIdentify(slots, payloadOf(stored), new Date(stored.at), event.interactionId);
    slots = single.traits;
    changes.push(...single.changes);
  }
  next = {
    ...next,
    email: next.email ?? mergedAway.email,
    firstSeenAt: mergedAway.firstSeenAt < next.firstSeenAt ? mergedAway.firstSeenAt : next.firstSeenAt,
  };
  return withTraits(next, { traits: slots, changes }, effects);
}

function payloadOf(stored: StoredTrait): IdentifyPayload {
  if (stored.trait.startsWith('custom.')) return { custom: { [stored.trait.slice(7)]: stored.value } };
  return { [stored.trait]: stored.value } as IdentifyPayload;
}

function slotsOf(contact: ContactDoc): Record<string, TraitSlot> {
  return Object.fromEntries((contact.traits ?? []).map((t) => [t.trait, { value: t.value, at: new Date(t.at) }]));
}

function withTraits(
  contact: ContactDoc,
  folded: { traits: Record<string, TraitSlot>; changes: TraitChange[] },
  effects: ContactEventEffects,
): ContactDoc {
  let n = contact.traitChanges ?? 0;
  for (const change of folded.changes) {
    effects.traitChanges.push({
      _id: `${contact._id}:t:${n}`,
      workspaceId: contact.workspaceId,
      contactId: contact.contactId,
      n,
      ...change,
    });
    n++;
  }
  // Cleared traits stay, with their time: an older IDENTIFY must not bring the value back.
  const traits = Object.entries(folded.traits).map(([trait, slot]) => ({ trait, value: slot.value, at: slot.at }));
  const account = folded.traits.accountId?.value;
  return { ...contact, traits, accountId: typeof account === 'string' ? account : null, traitChanges: n };
}

function accountOf(event: InteractionRecorded, payload: IdentifyPayload): AccountDoc {
  const at = new Date(event.recordedAt);
  return {
    _id: contactKey(event.workspaceId, payload.accountId!),
    workspaceId: event.workspaceId,
    accountId: payload.accountId!,
    name: payload.accountName ?? null,
    domain: payload.accountDomain ?? null,
    industry: null,
    employees: null,
    plan: null,
    createdAt: at,
    updatedAt: at,
  };
}
