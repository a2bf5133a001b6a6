// trackInteractions for a caller, the one implementation behind the mutation and the gateway's
// POST /collect: the role, the batch limit, then each item recorded with its receipt.
import { ERRORS, type CallerContext } from '@cei/contracts';
import type { Logger } from '@cei/config';
import { requireRole } from '@cei/subgraph';
import type { InteractionInput } from '../domain/validate-interaction';
import { recordInteractions, type InteractionReceipt, type RecordingDeps } from './record-interactions';

export interface TrackInteractionsResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  items: InteractionReceipt[];
}

export async function trackInteractions(
  recording: RecordingDeps,
  caller: CallerContext,
  interactions: readonly InteractionInput[],
  limits: { maxBatchSize: number },
  log: Logger,
): Promise<TrackInteractionsResult> {
  requireRole(caller, 'write');
  if (interactions.length > limits.maxBatchSize) {
    throw ERRORS.BATCH_TOO_LARGE.err(
      `trackInteractions takes at most ${limits.maxBatchSize} interactions per call; got ${interactions.length}. Split the batch.`,
      { extensions: { limit: limits.maxBatchSize, size: interactions.length } },
    );
  }
  const items = await recordInteractions(recording, caller.workspaceId, interactions);
  const count = (status: string) => items.filter((item) => item.status === status).length;
  const result = { accepted: count('ACCEPTED'), duplicates: count('DUPLICATE'), rejected: count('REJECTED'), items };
  log.info(
    { accepted: result.accepted, duplicates: result.duplicates, rejected: result.rejected },
    'interactions tracked',
  );
  return result;
}
