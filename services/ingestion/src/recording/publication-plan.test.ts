// The plan of an accept call's messages, and the messages an outbox entry turns into: what the
// request's publisher and the sweeper both publish, so what decides "nothing twice" for packs.
import { partitionOf, type InteractionRecorded, type InteractionRoute } from '@cei/contracts';
import {
  MAX_PACK_BYTES,
  MAX_PACK_INTERACTIONS,
  eventsOf,
  messagesOf,
  planPublication,
  remainderOf,
  type InteractionMessage,
} from './publication-plan';

const WS = 'ws-plan';
/** `n` contacts in the partition of `contactId` (or, with `other`, one outside it). */
const inPartitionOf = (contactId: string, n: number, prefix: string) =>
  Array.from({ length: n * 40 }, (_, i) => `${prefix}${i}`)
    .filter((id) => partitionOf(WS, id) === partitionOf(WS, contactId))
    .slice(0, n);
const [ann, bob, cy, dee] = inPartitionOf('ann', 4, 'c') as [string, string, string, string];
const elsewhere = Array.from({ length: 100 }, (_, i) => `o${i}`).find(
  (id) => partitionOf(WS, id) !== partitionOf(WS, ann),
)!;

const event = (interactionId: string, contactId: string, properties: Record<string, unknown> = {}) =>
  ({
    v: 1,
    workspaceId: WS,
    interactionId,
    contactId,
    email: null,
    kind: 'PAGE_VISIT',
    variant: null,
    occurredAt: '2026-12-06T06:00:00.000Z',
    recordedAt: '2026-12-06T06:00:01.000Z',
    properties,
  }) satisfies InteractionRecorded;
/** Every event goes to scoring alone but those named in `others` (e.g. one that gives an email). */
const routes =
  (others: Record<string, InteractionRoute> = {}) =>
  (e: InteractionRecorded): InteractionRoute =>
    others[e.interactionId] ?? 'recorded';
const all = (events: InteractionRecorded[]) => new Map(events.map((e) => [e.interactionId, e]));
/** Messages as [message id or route, member ids]. */
const shape = (messages: InteractionMessage[]) =>
  messages.map((m) =>
    m.kind === 'pack' ? [m.msgId, m.events.map((e) => e.interactionId)] : [m.route ?? '-', [m.event.interactionId]],
  );

describe('publication plan', () => {
  it("packs a partition's visits and clicks, one interaction per contact, in the call's order", () => {
    // Given a call: ann twice, bob twice (the second names him), cy twice, dee, and a contact elsewhere
    const events = [
      event('a1', ann),
      event('b1', bob),
      event('x1', elsewhere),
      event('a2', ann),
      event('c1', cy),
      event('b2', bob),
      event('c2', cy),
      event('d1', dee),
    ];
    const plan = planPublication(events, routes({ b2: 'identified' }));

    // Then ann's second closes the first pack; bob's named one opens a pack of its own verb (bob is
    // not in the open one); cy's second closes the pack it is in; the open packs go out at the end,
    // in partition and verb order (one with a single member as that interaction alone)
    const last: [number, unknown[]][] = [
      [
        partitionOf(WS, ann),
        [
          ['-', ['b2']],
          ['ip:e:2', ['c2', 'd1']],
        ],
      ],
      [partitionOf(WS, elsewhere), [['-', ['x1']]]],
    ];
    expect(shape(messagesOf({ id: 'e', ...plan }, all(events)))).toEqual([
      ['ip:e:0', ['a1', 'b1']],
      ['ip:e:1', ['a2', 'c1']],
      ...last.sort(([a], [b]) => a - b).flatMap(([, messages]) => messages),
    ]);
    // and the entry records the packs, apart from the one member a partition had alone
    expect(plan.packs).toEqual([
      { interactionIds: ['a1', 'b1'] },
      { interactionIds: ['a2', 'c1'] },
      { interactionIds: ['c2', 'd1'] },
    ]);
  });

  it("packs interactions that name their contacts too, per verb, and closes a contact's pack of another verb before its next", () => {
    // Given an import's first interactions of ann, bob and dee (they name them), and visits of cy and ann
    const events = [event('n1', ann), event('n2', bob), event('v1', cy), event('n3', dee), event('a2', ann)];
    const plan = planPublication(events, routes({ n1: 'identified', n2: 'identified', n3: 'identified' }));

    // Then the named ones go out as one pack under their verb, closed by ann's visit, which follows it
    expect(
      messagesOf({ id: 'e', ...plan }, all(events)).map((m) => (m.kind === 'pack' ? [m.msgId, m.route] : [])),
    ).toEqual([
      ['ip:e:0', 'identified'],
      ['ip:e:1', 'recorded'],
    ]);
    expect(shape(messagesOf({ id: 'e', ...plan }, all(events)))).toEqual([
      ['ip:e:0', ['n1', 'n2', 'n3']],
      ['ip:e:1', ['v1', 'a2']],
    ]);
    // and the entry records each pack's verb (none: `recorded`), for the sweeper
    expect(plan.packs).toEqual([
      { interactionIds: ['n1', 'n2', 'n3'], route: 'identified' },
      { interactionIds: ['v1', 'a2'] },
    ]);
    // a pack's one member left goes out alone under the pack's verb
    const [alone] = messagesOf({ id: 'e', ...plan }, all([events[1]!]));
    expect(alone).toMatchObject({ kind: 'single', route: 'identified', event: events[1] });
  });

  it("closes a contact's open pack before the contact's interaction that goes out alone", () => {
    const events = [event('a1', ann), event('b1', bob), event('a2', ann), event('c1', cy)];
    const plan = planPublication(events, routes({ a2: 'profiled' }));
    expect(shape(messagesOf({ id: 'e', ...plan }, all(events)))).toEqual([
      ['ip:e:0', ['a1', 'b1']],
      ['-', ['a2']],
      ['-', ['c1']],
    ]);
    // A single planned as the one member of a pack goes out under the publisher's route (it is no pack)
    expect(plan.packs).toEqual([{ interactionIds: ['a1', 'b1'] }]);
  });

  it(`keeps a pack within ${MAX_PACK_INTERACTIONS} members and ${MAX_PACK_BYTES / 1024} KiB`, () => {
    // Given a call of 600 contacts' visits in one partition, then of 200 with 8 KB of properties each
    const many = inPartitionOf(ann, 600, 'm').map((contactId, i) => event(`m${i}`, contactId));
    expect(planPublication(many, routes()).packs!.map((p) => p.interactionIds.length)).toEqual([256, 256, 88]);

    const big = inPartitionOf(ann, 200, 'b').map((contactId, i) =>
      event(`b${i}`, contactId, { blob: 'x'.repeat(8000) }),
    );
    const messages = messagesOf({ id: 'e', ...planPublication(big, routes()) }, all(big));
    // Then each pack's JSON, with the `first` hint on every member, stays within the bound
    for (const message of messages) {
      const payload = { v: 1, workspaceId: WS, interactions: eventsOf(message).map((e) => ({ ...e, first: true })) };
      expect(Buffer.byteLength(JSON.stringify(payload))).toBeLessThanOrEqual(MAX_PACK_BYTES);
    }
    expect(messages.length).toBeLessThan(big.length / 20);
    expect(messages.flatMap(eventsOf)).toHaveLength(big.length);
  });

  it('publishes what is left of a pack: the rest as a pack of two or more, one as a single for scoring, none as nothing', () => {
    const events = [
      event('a1', ann),
      event('b1', bob),
      event('c1', cy),
      event('a2', ann),
      event('b2', bob),
      event('a3', ann),
      event('b3', bob),
    ];
    const plan = planPublication(events, routes());
    expect(plan.packs?.map((p) => p.interactionIds)).toEqual([
      ['a1', 'b1', 'c1'],
      ['a2', 'b2'],
      ['a3', 'b3'],
    ]);
    // When b1, b2, a3 and b3 were stored by earlier calls (duplicates: not this call's to publish)
    const kept = all(events.filter((e) => !['b1', 'b2', 'a3', 'b3'].includes(e.interactionId)));
    // Then the first pack keeps its message id, the second goes as a2 alone, the third not at all
    expect(shape(messagesOf({ id: 'e', ...plan }, kept))).toEqual([
      ['ip:e:0', ['a1', 'c1']],
      ['recorded', ['a2']],
    ]);
  });

  it('trims an entry to the messages that failed, each pack at its index, so it goes out again under the same id', () => {
    const events = ['a1', 'b1', 'a2', 'b2', 'a3'].map((id) => event(id, id.startsWith('a') ? ann : bob));
    const plan = planPublication(events, routes());
    const messages = messagesOf({ id: 'e', ...plan }, all(events));
    expect(shape(messages)).toEqual([
      ['ip:e:0', ['a1', 'b1']],
      ['ip:e:1', ['a2', 'b2']],
      ['-', ['a3']],
    ]);
    // When the second pack and the single failed
    const left = remainderOf(plan, ['a2', 'b2', 'a3']);
    expect(left).toEqual({
      interactionIds: ['a2', 'b2', 'a3'],
      packs: [{ interactionIds: [] }, { interactionIds: ['a2', 'b2'] }],
    });
    // Then the entry makes the same messages of them again
    expect(shape(messagesOf({ id: 'e', ...left }, all(events)))).toEqual(shape(messages.slice(1)));
    // An entry without packs (written before them) goes out one by one, in its order
    expect(shape(messagesOf({ id: 'e', interactionIds: ['b1', 'a1'] }, all(events)))).toEqual([
      ['-', ['b1']],
      ['-', ['a1']],
    ]);
    expect(remainderOf({ interactionIds: ['b1', 'a1'] }, ['a1'])).toEqual({ interactionIds: ['a1'] });
  });

  it("sends every interaction once and each contact's in order, whatever the routes, the partitions and the duplicates", () => {
    // A small deterministic generator: many calls of random contacts, routes and duplicates
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const ROUTES: InteractionRoute[] = ['recorded', 'recorded', 'recorded', 'identified', 'profiled'];
    for (let call = 0; call < 200; call++) {
      const events = Array.from({ length: 1 + random(60) }, (_, i) => event(`i${i}`, `k${random(12)}`));
      const routeOf = new Map(events.map((e) => [e.interactionId, ROUTES[random(ROUTES.length)]!]));
      const plan = planPublication(events, (e) => routeOf.get(e.interactionId)!);
      const kept = all(events.filter(() => random(5) > 0));
      const messages = messagesOf({ id: 'e', ...plan }, kept);

      const sent = messages.flatMap(eventsOf).map((e) => e.interactionId);
      expect([...sent].sort()).toEqual([...kept.keys()].sort());
      for (const message of messages.filter((m) => m.kind === 'pack')) {
        const members = eventsOf(message);
        expect(new Set(members.map((e) => e.contactId)).size).toBe(members.length);
        expect(new Set(members.map((e) => partitionOf(WS, e.contactId))).size).toBe(1);
        expect(members.every((e) => routeOf.get(e.interactionId) === message.route)).toBe(true);
      }
      const order = (ids: string[], contactId: string) => ids.filter((id) => kept.get(id)?.contactId === contactId);
      for (const contactId of new Set(events.map((e) => e.contactId))) {
        expect(order(sent, contactId)).toEqual(order([...kept.keys()], contactId));
      }
    }
  });
});
