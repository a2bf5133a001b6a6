// A pack of interactions (InteractionsRecorded) as scoring decodes it: one interaction per contact,
// all of the message's workspace; anything else is refused with an error that names what is wrong.
import { decodeInteractionMessage, interactionsIn, type InteractionRecorded } from './events';

const interaction = (contactId: string, workspaceId = 'ws-1'): InteractionRecorded => ({
  v: 1,
  workspaceId,
  interactionId: `i-${contactId}`,
  contactId,
  email: null,
  kind: 'PAGE_VISIT',
  variant: null,
  occurredAt: '2026-12-06T06:00:00.000Z',
  recordedAt: '2026-12-06T06:00:01.000Z',
  properties: {},
});
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('interaction packs', () => {
  it('decodes a pack as its members, in order, and one interaction alone as itself', () => {
    const members = [interaction('ann'), interaction('bob'), interaction('cy')];
    expect(decodeInteractionMessage(bytes({ v: 1, workspaceId: 'ws-1', interactions: members }))).toEqual(members);
    expect(decodeInteractionMessage(bytes(members[0]))).toEqual(members[0]);
    expect(interactionsIn({ v: 1, workspaceId: 'ws-1', interactions: members })).toEqual(members);
    expect(interactionsIn(members[1])).toEqual([members[1]]);
  });

  it('refuses a pack that holds a contact twice, or an interaction of another workspace, naming it', () => {
    const twice = {
      v: 1,
      workspaceId: 'ws-1',
      interactions: [interaction('ann'), interaction('bob'), interaction('ann')],
    };
    expect(() => decodeInteractionMessage(bytes(twice))).toThrow(/contact ann is in the message twice/);
    const foreign = { v: 1, workspaceId: 'ws-1', interactions: [interaction('ann'), interaction('bob', 'ws-2')] };
    expect(() => decodeInteractionMessage(bytes(foreign))).toThrow(/not the message's workspace/);
    // A pack of one is an interaction alone, never a pack
    expect(() =>
      decodeInteractionMessage(bytes({ v: 1, workspaceId: 'ws-1', interactions: [interaction('ann')] })),
    ).toThrow(/at least 2|>=2|too_small/i);
  });
});
