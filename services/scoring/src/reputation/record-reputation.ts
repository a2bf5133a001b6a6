// Keeps the reputation figures (domain/reputation) up to date from the scoring batches:
// after a batch's contacts are written, its texts are counted into the figures of
// their workspace, day and this partition, which this owner remembers between batches
// (OwnedState) and writes back once per batch and day: no scan, one small write.
// A batch that fails before this step is redelivered, and its texts are counted then;
// one that fails after it finds them counted already (the figures remember them).
import { loadByIds, writeAtPosition, type Database } from '@cei/mongo';
import { OwnedState, type BatchContext, type Delivery } from '@cei/nats';
import { reputationDay, reputationDoc, type ReputationDayDoc, type ScoringModels } from '../models';
import type { ScoringInput } from '../domain/contact-step';
import { interactionSentiment } from '../domain/sentiment';
import type { SentimentLanguage } from '../sentiment/analyser';
import { countText, dayOf, emptyDay, reputationKey, type ReputationInput } from '../domain/reputation';

export interface ReputationDeps {
  db: Database;
  models: ScoringModels;
  now: () => Date;
}

/** Days remembered per instance: a partition touches today's (and a late text's) day. */
const DAYS_REMEMBERED = 2_000;

/** The texts of a batch's interactions, scored (the contact steps scored the same events: memoised). */
export function reputationInputs(
  batch: readonly Delivery<ScoringInput>[],
  defaultLanguage: (workspaceId: string) => SentimentLanguage | null,
): ReputationInput[] {
  return batch.flatMap(({ event, seq }) => {
    if ('request' in event) return [];
    const text = interactionSentiment(event, defaultLanguage(event.workspaceId));
    return text ? [{ workspaceId: event.workspaceId, seq, text }] : [];
  });
}

export function createReputationWriter(deps: ReputationDeps) {
  const remembered = new OwnedState<ReputationDayDoc>({
    max: DAYS_REMEMBERED,
    load: (keys) => loadByIds(deps.db, deps.models.ReputationDay, keys),
  });
  return async function recordReputation(
    batch: readonly Delivery<ScoringInput>[],
    partition: number,
    context: Pick<BatchContext, 'ownership' | 'signal'>,
    /** The workspace's `sentimentLanguage` (from the policy the batch's steps used). */
    defaultLanguage: (workspaceId: string) => SentimentLanguage | null,
  ): Promise<void> {
    const inputs = reputationInputs(batch, defaultLanguage);
    if (inputs.length === 0) return;
    const byDay = new Map<string, ReputationInput[]>();
    for (const input of inputs) {
      const key = reputationKey(input.workspaceId, dayOf(input.text.at), partition);
      byDay.set(key, [...(byDay.get(key) ?? []), input]);
    }
    const stored = await remembered.read(byDay.keys(), context);
    await Promise.all(
      [...byDay].map(async ([key, dayInputs]) => {
        const first = dayInputs[0]!;
        const doc = stored.get(key);
        const figures = doc ? reputationDay(doc) : emptyDay(first.workspaceId, dayOf(first.text.at), partition);
        let counted = 0;
        for (const input of dayInputs) if (countText(figures, input)) counted += 1;
        if (counted === 0) return;
        const next = reputationDoc(figures, deps.now());
        await writeAtPosition(deps.db, deps.models.ReputationDay, next, doc?.lastSeq ?? 0, context.signal);
        remembered.written(key, next, context);
      }),
    );
  };
}
