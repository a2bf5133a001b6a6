// Which contact an id stands for now: itself, or the survivor it was merged into (a chain of
// merges is followed to its end). Read on the accept path, so it costs one `_id` read per
// workspace per batch until the workspace merges anything (the marker), then one per distinct
// contact. A merge is permanent, so what is found is remembered; an absence is not (another
// instance may merge the id the next moment).
import { LRUCache } from 'lru-cache';
import type { Database } from '@cei/mongo';
import { loadByIds } from '@cei/mongo';
import { contactKey } from '@cei/contracts';
import type { IngestionModels } from '../models';

/** Longest chain of merges followed (A into B, then B into C, …). */
export const MAX_MERGE_CHAIN = 16;

export interface ContactAliases {
  /** For each id of `contactIds` that was merged away: the contact it is now. */
  survivorsOf(workspaceId: string, contactIds: readonly string[]): Promise<Map<string, string>>;
  /** After a merge is stored (this instance's accepts see it at once). */
  merged(workspaceId: string, from: string, into: string): void;
}

export function createContactAliases(db: Database, models: IngestionModels): ContactAliases {
  const known = new LRUCache<string, string>({ max: 100_000 });
  const marked = new Set<string>();

  /** Per workspace: the marker read under way, and the one that starts after it (see hasMerges). */
  const reads = new Map<string, { current: Promise<boolean>; next?: Promise<boolean> }>();

  async function readMarker(workspaceId: string): Promise<boolean> {
    const marker = await models.MergeMarker.findById(workspaceId).lean().exec();
    if (marker) marked.add(workspaceId);
    return marker !== null;
  }

  /**
   * Whether the workspace has merged anything. A call must see every merge that ended before it
   * began, so it never takes the answer of a read that started before it: it starts one, or, with
   * one under way, waits for the read that starts when that one ends, which every call arriving
   * meanwhile shares. A burst of single-interaction calls then costs a read per round trip, not per call.
   */
  function hasMerges(workspaceId: string): Promise<boolean> {
    if (marked.has(workspaceId)) return Promise.resolve(true);
    const under = reads.get(workspaceId);
    if (under) {
      under.next ??= under.current.then(
        () => start(),
        () => start(),
      );
      return under.next;
    }
    return start();

    function start(): Promise<boolean> {
      const current = readMarker(workspaceId);
      reads.set(workspaceId, { current });
      const done = () => {
        const state = reads.get(workspaceId);
        if (state?.current !== current) return;
        if (state.next) return; // the next read replaces this entry when it starts
        reads.delete(workspaceId);
      };
      current.then(done, done);
      return current;
    }
  }

  async function step(workspaceId: string, ids: readonly string[]): Promise<Map<string, string>> {
    const next = new Map<string, string>();
    const unknown: string[] = [];
    for (const id of ids) {
      const into = known.get(contactKey(workspaceId, id));
      if (into) next.set(id, into);
      else unknown.push(id);
    }
    if (unknown.length > 0) {
      const found = await loadByIds(
        db,
        models.ContactAlias,
        unknown.map((id) => contactKey(workspaceId, id)),
      );
      for (const alias of found.values()) {
        known.set(alias._id, alias.into);
        next.set(alias.from, alias.into);
      }
    }
    return next;
  }

  return {
    async survivorsOf(workspaceId, contactIds) {
      const result = new Map<string, string>();
      if (contactIds.length === 0 || !(await hasMerges(workspaceId))) return result;
      let current = new Map([...new Set(contactIds)].map((id) => [id, id]));
      for (let depth = 0; depth < MAX_MERGE_CHAIN && current.size > 0; depth++) {
        const hops = await step(workspaceId, [...new Set(current.values())]);
        const moved = new Map<string, string>();
        for (const [original, at] of current) {
          const into = hops.get(at);
          if (into === undefined) continue;
          result.set(original, into);
          moved.set(original, into);
        }
        current = moved;
      }
      return result;
    },
    merged(workspaceId, from, into) {
      marked.add(workspaceId);
      known.set(contactKey(workspaceId, from), into);
    },
  };
}
