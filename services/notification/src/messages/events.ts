// What the message consumers take from NATS: the phases stream (phase changes, qualification
// steps, owner assignments), the scores stream (score changes only: not lifecycle's requests)
// and the interactions stream (only the interactions that name their contact: its email and name).
import {
  decodePhaseChanged,
  eventDecoder,
  OwnerAssignedV1,
  QualificationChangedV1,
  type OwnerAssigned,
  type PhaseChanged,
  type QualificationChanged,
  type Topology,
} from '@cei/contracts';

export type LifecycleEvent =
  | { kind: 'PHASE'; workspaceId: string; contactId: string; phase: PhaseChanged }
  | { kind: 'QUALIFICATION'; workspaceId: string; contactId: string; qualification: QualificationChanged }
  | { kind: 'OWNER'; workspaceId: string; contactId: string; owner: OwnerAssigned };

const decodeQualification = eventDecoder(QualificationChangedV1);
const decodeOwner = eventDecoder(OwnerAssignedV1);

export function decodeLifecycleEvent(data: Uint8Array, subject: string): LifecycleEvent {
  const noun = subject.split('.')[2];
  if (noun === 'qualifications') {
    const e = decodeQualification(data);
    return { kind: 'QUALIFICATION', workspaceId: e.workspaceId, contactId: e.contactId, qualification: e };
  }
  if (noun === 'owners') {
    const e = decodeOwner(data);
    return { kind: 'OWNER', workspaceId: e.workspaceId, contactId: e.contactId, owner: e };
  }
  const e = decodePhaseChanged(data);
  return { kind: 'PHASE', workspaceId: e.workspaceId, contactId: e.contactId, phase: e };
}

/** The partition filters of the three message consumers. */
export function messageFilters(t: Topology) {
  const ns = t.namespace;
  return {
    phases: (p: number) => [
      `${ns}.*.phases.changed.${p}`,
      `${ns}.*.qualifications.changed.${p}`,
      `${ns}.*.owners.assigned.${p}`,
    ],
    scores: (p: number) => [`${ns}.*.scores.changed.${p}`],
    // Only interactions that name their contact: every visit and click is none of its business.
    interactions: t.consumerFilters.identifyingInteractions,
  };
}
