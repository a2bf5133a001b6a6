// Lifecycle's phase changes → a PHASE_ENTERED request to the contact's scoring
// owner, in the contact's ordered partition: the stage score restarts there, in
// order with the contact's interactions. This consumer only forwards (message id =
// transition id, so a redelivery forwards nothing twice); it writes no document.
import { messageIds, type PhaseChanged, type ScoringRequested, type Topology } from '@cei/contracts';
import { publishInOrder, type Delivery, type Nats } from '@cei/nats';

export function createPhaseForwarder(deps: { nats: Nats; topology: Topology }) {
  return async function forwardPhaseChanges(batch: Delivery<PhaseChanged>[]): Promise<void> {
    // All in flight at once, in stream order on the one connection (publishInOrder): awaited one
    // by one, each forward cost an ack's round trip, and under a backlog this consumer fell
    // minutes behind the phase changes it forwards.
    await publishInOrder(
      deps.nats.js,
      batch.map(({ event }) => {
        const request: ScoringRequested = {
          v: 1,
          request: 'PHASE_ENTERED',
          workspaceId: event.workspaceId,
          contactId: event.contactId,
          transitionId: event.transitionId,
          phase: event.to,
          at: event.at,
        };
        return {
          subject: deps.topology.subjects.scoringRequested(event.workspaceId, event.contactId),
          payload: request,
          msgId: messageIds.phaseEntered(event.workspaceId, event.transitionId),
        };
      }),
    );
  };
}
