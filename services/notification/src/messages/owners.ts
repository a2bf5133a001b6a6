// Owners (salespeople) as lifecycle last published them: the OWNER_RECORDS stream keeps one
// record per owner (its subject), written by lifecycle after each create or change. A rule that
// needs an owner's name or email reads it here by subject — one NATS lookup when the rule fires,
// no call to lifecycle and no copy to keep in step.
import { OwnerRecordV1, type OwnerRecord, type Topology } from '@cei/contracts';
import type { Nats } from '@cei/nats';

export interface OwnerDirectory {
  /** The owner's last record in this workspace, or null when lifecycle never published one. */
  get(workspaceId: string, ownerId: string): Promise<OwnerRecord | null>;
}

export function ownerDirectory(nats: Nats, topology: Topology): OwnerDirectory {
  return {
    async get(workspaceId, ownerId) {
      const message = await nats.jsm.streams.getMessage(topology.ownerRecords.name, {
        last_by_subj: topology.subjects.ownerRecord(workspaceId, ownerId),
      });
      if (!message) return null;
      const parsed = OwnerRecordV1.safeParse(message.json());
      return parsed.success && parsed.data.workspaceId === workspaceId ? parsed.data : null;
    },
  };
}
