// The round-robin of a team, exact under concurrency. A contact's owner that sees a
// lead reach the sales threshold does not pick the salesperson itself: 16 partitions
// (on two or more instances) picking from one shared counter would each read and
// write the same document, and FerretDB v1 loses concurrent updates of one document.
// Instead it sends a LEAD_ROUTE into the partition of the team's routing key
// (`~team:<team>`), so every route of a team is applied by ONE consumer, in stream
// order: that consumer keeps the team's position (TeamRotation, written only by it,
// fenced by its stream position like a contact's document), picks the next active
// member, and answers with an OWNER_ASSIGN request to the lead's own owner, which
// records the assignment. A redelivered route is answered again from what the
// rotation recorded (same message id), never picked twice.
import { messageIds, type LifecycleRequested, type Topology } from '@cei/contracts';
import { loadByIds, writeAtPosition, type Database } from '@cei/mongo';
import { publishInOrder, writeAll, NOT_ABANDONED, type BatchContext, type Delivery, type Nats } from '@cei/nats';
import { nextOwner } from '../domain/qualification';
import type { SalesModels, TeamRotationDoc } from './models';
import { ownerKey, teamKey } from './sales-config';

export type LeadRoute = Extract<LifecycleRequested, { request: 'LEAD_ROUTE' }>;

export const isLeadRoute = (input: object): input is LeadRoute => 'request' in input && input.request === 'LEAD_ROUTE';

export function createTeamRouter(deps: {
  db: Database;
  models: SalesModels;
  nats: Nats;
  topology: Topology;
  /**
   * The most events of a batch (CEI_CONSUMER_BATCH). A redelivered batch is the last one written
   * (the partition applies in stream order, and a failed batch comes back before anything after
   * it), so the answers of one batch are enough to answer it again.
   */
  maxBatch: number;
}) {
  const { db, models, nats, topology, maxBatch } = deps;
  return async function routeLeads(routes: Delivery<LeadRoute>[], context: BatchContext = NOT_ABANDONED) {
    const { signal } = context;
    const byTeam = new Map<string, Delivery<LeadRoute>[]>();
    for (const route of routes) {
      const key = teamKey(route.event.workspaceId, route.event.teamId);
      byTeam.set(key, [...(byTeam.get(key) ?? []), route]);
    }
    await writeAll(byTeam, async ([key, deliveries]) => {
      const { workspaceId: ws, teamId } = deliveries[0]!.event;
      const [found, team] = await Promise.all([
        db.limit(() => models.TeamRotation.findById(key).lean<TeamRotationDoc>().exec(), signal),
        db.limit(() => models.Team.findById(key).lean().exec(), signal),
      ]);
      const stored: TeamRotationDoc = found ?? {
        _id: key,
        workspaceId: ws,
        teamId,
        lastOwnerId: null,
        lastSeq: 0,
        recent: [],
      };
      const members = team?.active ? team.memberIds : [];
      const owners = await loadByIds(
        db,
        models.Owner,
        members.map((id) => ownerKey(ws, id)),
      );
      const isActive = (id: string) => owners.get(ownerKey(ws, id))?.active === true;

      let rotation = stored;
      const answers: { seq: number; contactId: string; ownerId: string | null }[] = [];
      for (const { event, seq } of deliveries) {
        if (seq <= stored.lastSeq) {
          answers.push(...stored.recent.filter((r) => r.seq === seq));
          continue;
        }
        const ownerId = nextOwner(members, isActive, rotation.lastOwnerId);
        const answer = { seq, contactId: event.contactId, ownerId };
        answers.push(answer);
        rotation = {
          ...rotation,
          lastOwnerId: ownerId ?? rotation.lastOwnerId,
          lastSeq: seq,
          recent: [answer, ...rotation.recent].slice(0, maxBatch),
        };
      }
      signal.throwIfAborted();
      if (rotation !== stored) {
        const written = rotation;
        await writeAtPosition(db, models.TeamRotation, written, stored.lastSeq, signal);
      }
      await publishInOrder(
        nats.js,
        answers.map(({ seq, contactId, ownerId }) => {
          const payload: LifecycleRequested = {
            v: 1,
            request: 'OWNER_ASSIGN',
            workspaceId: ws,
            contactId,
            ownerId,
            method: 'ROUND_ROBIN',
            teamId,
            actor: null,
          };
          return {
            subject: topology.subjects.lifecycleRequested(ws, contactId),
            payload,
            msgId: messageIds.leadAssigned(ws, teamId, seq),
          };
        }),
      );
    });
  };
}
