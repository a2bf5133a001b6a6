// How one accept call's interactions go out: which go alone and which go packed, several contacts'
// interactions of one partition and verb in one message (InteractionsRecordedV1), decided once
// before the call's outbox entry is written and recorded in it. The request's publisher and the outbox sweeper both turn an
// entry into its messages with messagesOf, so a pack the sweeper publishes again has the members and
// the message id the publisher's had, and the stream's duplicate window drops it: a member published
// in two different messages would be scored twice, at two stream positions.
import { messageIds, partitionOf, type InteractionRecorded, type InteractionRoute } from '@cei/contracts';

/** Members per pack: a pack is one unit of work for scoring and one publish to retry. */
export const MAX_PACK_INTERACTIONS = 256;
/** JSON bytes per pack, well under the NATS max payload (1 MB) with ~8 KB of properties per interaction. */
export const MAX_PACK_BYTES = 256 * 1024;
/** What the `first` hint (`,"first":true`) and the separating comma add to a member's JSON. */
const MEMBER_OVERHEAD_BYTES = 14;
/** `{"v":1,"workspaceId":…,"interactions":[…]}` around the members, beside the workspace id. */
const PACK_OVERHEAD_BYTES = 40;

/** A pack as its outbox entry records it (an array of arrays is refused by FerretDB v1). */
export interface PackedIds {
  /** Its members, in the order the call stored them; emptied once the pack is published. */
  interactionIds: string[];
  /** The verb it goes out under (interactionRoute); absent: `recorded` (entries of the first packs). */
  route?: InteractionRoute;
}

/** What an outbox entry says about how its interactions go out (OutboxDoc). */
export interface PublicationPlan {
  /**
   * The call's interaction ids in the order their messages go out, a pack's members together at
   * its turn: one contact's interactions keep the order the call stored them in.
   */
  interactionIds: string[];
  /** The packs; a pack's index names its message (messageIds.interactionsPacked). Absent: none. */
  packs?: PackedIds[];
}

/** One message of an entry's, in the order they go out. */
export type InteractionMessage =
  | {
      kind: 'single';
      event: InteractionRecorded;
      /** Set for the one member left of a pack: it was planned for scoring alone. Else the publisher's. */
      route?: InteractionRoute;
    }
  | { kind: 'pack'; msgId: string; route: InteractionRoute; events: InteractionRecorded[] };

interface OpenPack {
  route: InteractionRoute;
  members: InteractionRecorded[];
  contacts: Set<string>;
  bytes: number;
}

/** The verbs in the order a call's packs still open at its end go out (per partition). */
const ROUTES: readonly InteractionRoute[] = ['identified', 'profiled', 'recorded'];

/**
 * Plans a call's messages from its events (in the order the call stores them) and the route each
 * would go out under now. Each partition has one open pack per verb: an event joins its verb's
 * pack unless that is full; any open pack of its partition that holds its contact goes out first
 * (then a new one opens), so a contact's interactions keep their order across its messages. The
 * packs still open go out last, in partition and verb order. A pack closed with one member is a
 * single message. An import of new contacts' interactions that name them (`identified`) packs as
 * well as known contacts' visits and clicks (`recorded`).
 */
export function planPublication(
  events: readonly InteractionRecorded[],
  routeOf: (event: InteractionRecorded) => InteractionRoute,
): PublicationPlan {
  const open = new Map<string, OpenPack>();
  const interactionIds: string[] = [];
  const packs: PackedIds[] = [];
  const close = (slot: string) => {
    const pack = open.get(slot)!;
    open.delete(slot);
    const ids = pack.members.map((event) => event.interactionId);
    if (ids.length > 1)
      packs.push(pack.route === 'recorded' ? { interactionIds: ids } : { interactionIds: ids, route: pack.route });
    interactionIds.push(...ids);
  };
  for (const event of events) {
    const partition = partitionOf(event.workspaceId, event.contactId);
    const route = routeOf(event);
    for (const other of ROUTES) {
      if (open.get(`${partition}:${other}`)?.contacts.has(event.contactId)) close(`${partition}:${other}`);
    }
    const slot = `${partition}:${route}`;
    const bytes = Buffer.byteLength(JSON.stringify(event)) + MEMBER_OVERHEAD_BYTES;
    const pack = open.get(slot);
    if (pack && (pack.members.length >= MAX_PACK_INTERACTIONS || pack.bytes + bytes > MAX_PACK_BYTES)) close(slot);
    const joined = open.get(slot) ?? {
      route,
      members: [],
      contacts: new Set<string>(),
      bytes: PACK_OVERHEAD_BYTES + Buffer.byteLength(event.workspaceId),
    };
    joined.members.push(event);
    joined.contacts.add(event.contactId);
    joined.bytes += bytes;
    open.set(slot, joined);
  }
  const slotOrder = (slot: string) => {
    const [partition, route] = slot.split(':') as [string, InteractionRoute];
    return Number(partition) * ROUTES.length + ROUTES.indexOf(route);
  };
  for (const slot of [...open.keys()].sort((a, b) => slotOrder(a) - slotOrder(b))) close(slot);
  return packs.length > 0 ? { interactionIds, packs } : { interactionIds };
}

/**
 * The messages of an outbox entry, in order, made of the interactions in `kept` (those the call
 * stored; a duplicate stored by an earlier call is that call's to publish). A pack goes out with the
 * members it has left, under its message id while it has two or more; its one member left goes
 * alone, as any single, under the interaction's own message id.
 */
export function messagesOf(
  entry: PublicationPlan & { id: string },
  kept: ReadonlyMap<string, InteractionRecorded>,
): InteractionMessage[] {
  const packOf = new Map<string, number>();
  entry.packs?.forEach((pack, index) => pack.interactionIds.forEach((id) => packOf.set(id, index)));
  const listed = new Set(entry.interactionIds);
  const sent = new Set<number>();
  const messages: InteractionMessage[] = [];
  for (const id of entry.interactionIds) {
    const index = packOf.get(id);
    if (index === undefined) {
      const event = kept.get(id);
      if (event) messages.push({ kind: 'single', event });
      continue;
    }
    if (sent.has(index)) continue;
    sent.add(index);
    const pack = entry.packs![index]!;
    const members = pack.interactionIds.flatMap((member) => {
      const event = listed.has(member) ? kept.get(member) : undefined;
      return event ? [event] : [];
    });
    const route = pack.route ?? 'recorded';
    if (members.length > 1) {
      messages.push({ kind: 'pack', msgId: messageIds.interactionsPacked(entry.id, index), route, events: members });
    } else if (members.length === 1) {
      messages.push({ kind: 'single', event: members[0]!, route });
    }
  }
  return messages;
}

/** The interactions a message carries. */
export function eventsOf(message: InteractionMessage): InteractionRecorded[] {
  return message.kind === 'pack' ? message.events : [message.event];
}

/**
 * What an entry still has to publish once the interactions `failed` names did not go out (a pack
 * fails or lands whole): their ids, and the packs with those members alone, each at its index so
 * that its message id stays the same.
 */
export function remainderOf(plan: PublicationPlan, failed: readonly string[]): PublicationPlan {
  const left = new Set(failed);
  const interactionIds = plan.interactionIds.filter((id) => left.has(id));
  if (!plan.packs) return { interactionIds };
  return {
    interactionIds,
    packs: plan.packs.map((pack) => ({ ...pack, interactionIds: pack.interactionIds.filter((id) => left.has(id)) })),
  };
}
