// Commits one contact's product usage, before its score document (see commit-contact): the
// batch's usage facts first (insert-only by interaction id: a redelivery's copies are
// refused), then the usage document, fenced by its own position. A batch that fails after
// this write is redelivered; its usage interactions are then at or before the stored usage
// position and are not counted again, while the score document applies them as new.
import { appendNew, replaceAtPosition, type Database } from '@cei/mongo';
import { usageRow, type ContactUsageDoc, type ContactUsageRow, type ScoringModels } from '../models';
import type { ContactProgress } from '../domain/contact-step';

export interface UsageCommitDeps {
  db: Pick<Database, 'limit'>;
  models: ScoringModels;
  now: () => Date;
  signal?: AbortSignal;
  /** Called with the stored row once it is written: the next batch starts from it. */
  rememberUsage?(row: ContactUsageRow): void;
}

export async function commitUsage(
  deps: UsageCommitDeps,
  stored: ContactUsageDoc,
  progress: Pick<ContactProgress, 'usage' | 'usageSeq' | 'usageFacts'>,
): Promise<void> {
  if (progress.usageSeq === stored.lastSeq) return;
  const write = <T>(operation: () => Promise<T>) => deps.db.limit(operation, deps.signal);
  const { workspaceId } = stored;
  const facts = progress.usageFacts.map((fact) => ({
    _id: `${workspaceId}:${fact.interactionId}`,
    workspaceId,
    ...fact,
  }));
  if (facts.length > 0) await write(() => appendNew(deps.models.UsageFact, facts));
  const row = usageRow({ ...stored, usage: progress.usage, lastSeq: progress.usageSeq, updatedAt: deps.now() });
  await write(() => replaceAtPosition(deps.models.ContactUsage, row, stored.lastSeq));
  deps.rememberUsage?.(row);
}
