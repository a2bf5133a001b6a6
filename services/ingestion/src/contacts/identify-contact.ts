// identifyContact: traits recorded as an IDENTIFY interaction on the contact, by the same
// recording path as trackInteractions (stored, published on the contact's partition, applied by
// the contact projector, its one writer). A refused identify is a BAD_USER_INPUT naming the field.
import { randomUUID } from 'node:crypto';
import { invalidFields, type CallerContext } from '@cei/contracts';
import { requireRole } from '@cei/subgraph';
import { recordInteractions, type RecordingDeps } from '../recording/record-interactions';

export interface IdentifyInput {
  id?: string | null;
  contactId: string;
  email?: string | null;
  occurredAt?: string | null;
  traits: Record<string, unknown>;
}

export async function identifyContact(recording: RecordingDeps, caller: CallerContext, input: IdentifyInput) {
  requireRole(caller, 'write');
  const id = input.id ?? `identify-${randomUUID()}`;
  const [receipt] = await recordInteractions(recording, caller.workspaceId, [
    {
      id,
      kind: 'IDENTIFY',
      contactId: input.contactId,
      email: input.email,
      occurredAt: input.occurredAt,
      // Fields left out of the input are absent here (kept); explicit nulls clear.
      properties: input.traits,
    },
  ]);
  if (receipt!.status === 'REJECTED') throw invalidFields(fieldProblems(receipt!.reason ?? 'refused'));
  return { id, status: receipt!.status };
}

/** `properties.country: …; email: …` as problems at the input's paths. */
function fieldProblems(reason: string) {
  return reason.split('; ').map((part) => {
    const colon = part.indexOf(': ');
    const field = colon > 0 ? part.slice(0, colon) : 'input';
    const path = field.startsWith('properties') ? `input.traits${field.slice('properties'.length)}` : `input.${field}`;
    return { path, message: colon > 0 ? part.slice(colon + 2) : part };
  });
}
