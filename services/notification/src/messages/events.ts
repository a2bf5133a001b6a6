// What the message consumers take from NATS: the phases stream (phase changes, qualification
// steps, owner assignments), the scores stream (score changes only: not lifecycle's requests)
// and the interactions stream (interactions only: the contact's email and name).
import {
  InteractionRecordedV1,
  NotificationCreatedV1,
  OwnerAssignedV1,
  PhaseChangedV1,
  QualificationChangedV1,
  ScoreChangedV1,
  type InteractionRecorded,
  type NotificationCreated,
  type OwnerAssigned,
  type PhaseChanged,
  type QualificationChanged,
  type ScoreChanged,
  type Topology,
} from '@cei/contracts';

export type LifecycleEvent =
  | { kind: 'PHASE'; workspaceId: string; contactId: string; phase: PhaseChanged }
  | { kind: 'QUALIFICATION'; workspaceId: string; contactId: string; qualification: QualificationChanged }
  | { kind: 'OWNER'; workspaceId: string; contactId: string; owner: OwnerAssigned };

const json = (data: Uint8Array): unknown => JSON.parse(Buffer.from(data).toString('utf8'));

export function decodeLifecycleEvent(data: Uint8Array, subject: string): LifecycleEvent {
  const noun = subject.split('.')[2];
  if (noun === 'qualifications') {
    const e = QualificationChangedV1.parse(json(data));
    return { kind: 'QUALIFICATION', workspaceId: e.workspaceId, contactId: e.contactId, qualification: e };
  }
  if (noun === 'owners') {
    const e = OwnerAssignedV1.parse(json(data));
    return { kind: 'OWNER', workspaceId: e.workspaceId, contactId: e.contactId, owner: e };
  }
  const e = PhaseChangedV1.parse(json(data));
  return { kind: 'PHASE', workspaceId: e.workspaceId, contactId: e.contactId, phase: e };
}

export const decodeScoreChanged = (data: Uint8Array): ScoreChanged => ScoreChangedV1.parse(json(data));
export const decodeNotificationCreated = (data: Uint8Array): NotificationCreated =>
  NotificationCreatedV1.parse(json(data));
export const decodeInteraction = (data: Uint8Array): InteractionRecorded => InteractionRecordedV1.parse(json(data));

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
    interactions: (p: number) => [`${ns}.*.interactions.recorded.${p}`],
  };
}
