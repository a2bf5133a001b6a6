// A workspace's configuration (scoring rules, a lifecycle policy), cached by the consumers that
// apply it to every batch, without reading the database per batch.
//
// Whoever changes a workspace's configuration writes it to the database first, then publishes
// an empty message on the workspace's `configChanged` subject; the stream keeps the last one per
// subject, and its position is the configuration's version. A consumer asks the stream for that
// version once per workspace per batch (one NATS round trip instead of database queries) and
// reloads from the database only when it moved. A batch of events accepted after a change was
// answered therefore always applies it, on every instance: the version is read after the event
// was delivered, and the change was published before it was answered.
//
// If the publish fails after the write (NATS down at that moment), the change is kept and the
// caller is not failed for it (the write is done); caches then pick it up after `maxAgeMs`.
import { LRUCache } from 'lru-cache';
import type { Logger } from '@cei/config';
import type { Topology } from '@cei/contracts';
import type { Nats } from './connection';

export interface VersionedConfig<T> {
  /** Each workspace's configuration as of now (cached while its version stands). */
  forWorkspaces(workspaceIds: readonly string[]): Promise<(workspaceId: string) => T>;
  /** Tells every cache that the workspace's configuration changed: call after the write. */
  changed(workspaceId: string): Promise<void>;
}

export interface VersionedConfigOptions<T> {
  nats: Nats;
  topology: Topology;
  /** The configuration's kind: one subject per workspace and kind. */
  kind: string;
  load(workspaceId: string): Promise<T>;
  log: Logger;
  /** A cached configuration is read again after this long even if no change was announced (default 30 s). */
  maxAgeMs?: number;
  /** Workspaces kept (default 10,000). */
  max?: number;
}

interface Cached<T> {
  version: number;
  value: T;
}

export function versionedConfig<T>(opts: VersionedConfigOptions<T>): VersionedConfig<T> {
  const { nats, topology, kind } = opts;
  const stream = topology.configVersions.name;
  const subject = (workspaceId: string) => topology.subjects.configChanged(workspaceId, kind);
  const cache = new LRUCache<string, Cached<T>>({ max: opts.max ?? 10_000, ttl: opts.maxAgeMs ?? 30_000 });

  async function versionOf(workspaceId: string): Promise<number> {
    const message = await nats.jsm.streams.getMessage(stream, { last_by_subj: subject(workspaceId) });
    // Never changed: version 0.
    return message?.seq ?? 0;
  }

  async function current(workspaceId: string): Promise<T> {
    const version = await versionOf(workspaceId);
    const cached = cache.get(workspaceId);
    if (cached && cached.version === version) return cached.value;
    // Read after the version: a change written before its announcement is in what we load.
    const value = await opts.load(workspaceId);
    cache.set(workspaceId, { version, value });
    return value;
  }

  return {
    async forWorkspaces(workspaceIds) {
      const unique = [...new Set(workspaceIds)];
      const values = await Promise.all(unique.map(current));
      const byWorkspace = new Map(unique.map((ws, i) => [ws, values[i]!]));
      return (workspaceId) => {
        const value = byWorkspace.get(workspaceId);
        if (value === undefined) throw new Error(`configuration of workspace ${workspaceId} was not loaded`);
        return value;
      };
    },
    async changed(workspaceId) {
      cache.delete(workspaceId);
      try {
        await nats.js.publish(subject(workspaceId), new Uint8Array(), { timeout: 10_000 });
      } catch (err) {
        opts.log.warn(
          { err, workspaceId, kind },
          `the ${kind} configuration changed but could not be announced on NATS; other instances apply it within ${(opts.maxAgeMs ?? 30_000) / 1000} s`,
        );
      }
    },
  };
}

/** Where configuration changes are announced: a consumer's NATS connection and topology. */
export type ConfigChanges = Pick<VersionedConfigOptions<unknown>, 'nats' | 'topology' | 'log'>;

/**
 * A workspace configuration as the event path reads it: cached by version when `changes` is
 * given (every service), read from the database for every call when not (a store used alone,
 * without NATS: unit tests of its validation). Workspaces `load` does not know get `fallback`.
 */
export function workspaceConfig<T>(opts: {
  changes?: ConfigChanges;
  kind: string;
  load(workspaceId: string): Promise<T>;
}): VersionedConfig<T> {
  if (opts.changes) return versionedConfig<T>({ ...opts.changes, kind: opts.kind, load: opts.load });
  return {
    async forWorkspaces(workspaceIds) {
      const unique = [...new Set(workspaceIds)];
      const values = await Promise.all(unique.map(opts.load));
      const byWorkspace = new Map(unique.map((ws, i) => [ws, values[i]!]));
      return (workspaceId) => {
        if (!byWorkspace.has(workspaceId)) throw new Error(`configuration of workspace ${workspaceId} was not loaded`);
        return byWorkspace.get(workspaceId)!;
      };
    },
    async changed() {},
  };
}
