// Commits one contact's product usage, before its score document (see commit-contact): the
// batch's usage facts first (insert-only by interaction id: a redelivery's copies are
// refused), then the usage document, fenced by its own position. A batch that fails after
// this write is redelivered; its usage interactions are then at or before the stored usage
// position and are not counted again, while the score document applies them as new.
import { usageRow, type ContactUsageDoc, type ContactUsageRow, type UsageFactDoc } from '../models';
import type { ContactProgress } from '../domain/contact-step';

/** A contact's usage write: its facts (insert-only) and its document, fenced by its own position. */
export interface UsageCommit {
  facts: UsageFactDoc[];
  row: ContactUsageRow;
  expectedSeq: number;
}

/** What the batch changes in the contact's usage (null: nothing). Written by commitContacts. */
export function planUsage(
  now: () => Date,
  stored: ContactUsageDoc,
  progress: Pick<ContactProgress, 'usage' | 'usageSeq' | 'usageFacts'>,
): UsageCommit | null {
  if (progress.usageSeq === stored.lastSeq) return null;
  const { workspaceId } = stored;
  const facts = progress.usageFacts.map((fact) => ({
    _id: `${workspaceId}:${fact.interactionId}`,
    workspaceId,
    ...fact,
  }));
  const row = usageRow({ ...stored, usage: progress.usage, lastSeq: progress.usageSeq, updatedAt: now() });
  return { facts, row, expectedSeq: stored.lastSeq };
}
