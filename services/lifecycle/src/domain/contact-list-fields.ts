// What lists of contacts filter and sort on (Query.contacts), kept in each contact's lifecycle
// document by its one writer from the score changes it applies anyway: no list ever asks scoring.
import type { ScoreChanged } from '@cei/contracts';

export interface ContactListFields {
  score: number;
  engagementIndex?: number;
  tags?: Record<string, number>;
  lastInteractionAt?: Date | null;
}

/**
 * The list fields after `change`. A change that says when the latest interaction occurred comes from a
 * producer that sends tags whenever the contact has any (absent: none); a change from a producer older
 * than that keeps what is known.
 */
export function listFieldsAfter(fields: ContactListFields, change: ScoreChanged): Required<ContactListFields> {
  const tagsKnown = change.lastInteractionAt !== undefined;
  return {
    score: change.general,
    engagementIndex: change.engagementIndex,
    tags: change.tags ?? (tagsKnown ? {} : (fields.tags ?? {})),
    lastInteractionAt: lastInteractionAfter(fields.lastInteractionAt ?? null, change),
  };
}

function lastInteractionAfter(known: Date | null, change: ScoreChanged): Date | null {
  if (change.lastInteractionAt !== undefined) {
    return change.lastInteractionAt === null ? known : new Date(change.lastInteractionAt);
  }
  // An older producer: the interaction behind the change, if it is the latest one seen.
  if (change.cause !== 'INTERACTION' || !change.occurredAt) return known;
  const occurred = new Date(change.occurredAt);
  return known && known >= occurred ? known : occurred;
}
