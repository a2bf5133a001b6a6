// What lifecycle's integration tests share: how to know lifecycle has applied an event of its
// stream. Its document's position says so only when the event changed the document: one that
// changes nothing (a stage reset that finds the stage at zero, a phase check within a grace)
// leaves the document, position included, as it was.
import { partitionOf, type Topology } from '@cei/contracts';
import type { Nats } from '@cei/nats';
import { waitFor } from '@cei/testing';

/** Waits until lifecycle's consumer of the contact's partition has acknowledged its stream up to `seq`. */
export async function lifecycleApplied(
  nats: Nats,
  ns: Topology,
  workspaceId: string,
  contactId: string,
  seq: number,
): Promise<void> {
  const consumer = `lifecycle-p${partitionOf(workspaceId, contactId)}`;
  await waitFor(`lifecycle's ${consumer} past ${seq}`, async () => {
    const info = await nats.jsm.consumers.info(ns.streams.scores.name, consumer);
    return info.ack_floor.stream_seq >= seq;
  });
}
