// A workspace's configuration (scoring rules, a lifecycle policy), cached by the consumers that
// apply it to every batch, without reading the database per batch.
//
// Whoever changes a workspace's configuration writes it to the database first, then publishes
// an empty message on the workspace's `configChanged` subject, and answers only after that. The
// promise kept: a batch of events accepted after a change was answered applies it, on every
// instance. Two ways to keep it, chosen per connection:
//
// - Announcements in order (a lone nats-server, as on one machine): every process subscribes to
//   the announcements on the connection its consumers pull on, and drops what it cached for a
//   workspace when one arrives. The announcer flushes after publishing, so when the change is
//   answered the server has already queued the announcement to every subscriber; an event
//   accepted after that is delivered on the same connection behind it, and the subscription's
//   callback has run before the batch's handler starts. No round trip per batch. A disconnect or
//   reconnect drops the whole cache (announcements may have been missed meanwhile).
// - Versions read (a NATS cluster, where an announcement and a delivery may travel different
//   routes): the stream keeps the last announcement per subject, its position is the
//   configuration's version, and a consumer asks the stream for it once per workspace per batch,
//   reloading from the database only when it moved. The version is read after the event was
//   delivered, and the change was published before it was answered.
// Announcements always go to the stream too, so both kinds of instance (and older versions, during
// a rolling update) see them.
//
// If the publish fails after the write (NATS down at that moment), the change is kept and the
// caller is not failed for it (the write is done); caches then pick it up after `maxAgeMs`.
import { LRUCache } from 'lru-cache';
import type { Logger } from '@cei/config';
import type { Topology } from '@cei/contracts';
import type { NatsConnection } from '@nats-io/nats-core';
import type { Nats } from './connection';

export interface VersionedConfig<T> {
  /** Each workspace's configuration as of now (cached until a change is announced). */
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
  /**
   * How a cached configuration is known to stand: `auto` (default) follows the announcements where
   * the server delivers them in order (a lone server) and reads versions where it may not (a
   * cluster); `read` always reads the version, once per workspace per batch.
   */
  freshness?: 'auto' | 'read';
}

interface Cached<T> {
  /** The version read before the load (versions read), if it was. */
  version?: number;
  /** The announcements' stamp before the load (announcements followed), if they were. */
  stamp?: number;
  value: T;
}

export function versionedConfig<T>(opts: VersionedConfigOptions<T>): VersionedConfig<T> {
  const { nats, topology, kind } = opts;
  const stream = topology.configVersions.name;
  const subject = (workspaceId: string) => topology.subjects.configChanged(workspaceId, kind);
  const cache = new LRUCache<string, Cached<T>>({ max: opts.max ?? 10_000, ttl: opts.maxAgeMs ?? 30_000 });
  const watch = opts.freshness === 'read' ? undefined : announcementsOn(nats, topology, opts.log);

  async function versionOf(workspaceId: string): Promise<number> {
    const message = await nats.jsm.streams.getMessage(stream, { last_by_subj: subject(workspaceId) });
    // Never changed: version 0.
    return message?.seq ?? 0;
  }

  async function current(workspaceId: string): Promise<T> {
    const stamp = await watch?.stamp(kind, workspaceId);
    const cached = cache.get(workspaceId);
    if (stamp !== undefined) {
      if (cached?.stamp === stamp) return cached.value;
      // Kept under the stamp taken before the load: an announcement during the load (the load may
      // have read before the write) changes the stamp, so the next read loads again.
      const value = await opts.load(workspaceId);
      cache.set(workspaceId, { stamp, value });
      return value;
    }
    const version = await versionOf(workspaceId);
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
        // The server fans a message out to its subscribers before it reads the next one from this
        // connection: once the flush's answer is back, every subscriber has the announcement queued.
        await nats.nc.flush();
      } catch (err) {
        opts.log.warn(
          { err, workspaceId, kind },
          `the ${kind} configuration changed but could not be announced on NATS; other instances apply it within ${(opts.maxAgeMs ?? 30_000) / 1000} s`,
        );
      }
    },
  };
}

/** What a process knows of the announcements on one connection (shared by all its caches). */
interface Announcements {
  /**
   * A number that changes whenever the workspace's configuration of this kind may have changed
   * since it was last returned; undefined while announcements cannot be relied on (a cluster,
   * a connection down): then read the version.
   */
  stamp(kind: string, workspaceId: string): Promise<number | undefined>;
}

/** Changed stamps kept before they are all forgotten at once (each forgotten one reloads, never misleads). */
const STAMPS_KEPT = 100_000;
const watches = new WeakMap<NatsConnection, Map<string, Announcements>>();

/** The announcements of `topology`'s namespace on `nats`'s connection: one subscription per connection. */
function announcementsOn(nats: Nats, topology: Topology, log: Logger): Announcements {
  const byNamespace = watches.get(nats.nc) ?? new Map<string, Announcements>();
  watches.set(nats.nc, byNamespace);
  const existing = byNamespace.get(topology.namespace);
  if (existing) return existing;

  let tick = 0;
  // Every stamp is at least this: bumped when what was announced meanwhile is unknown.
  let floor = 0;
  let connected = true;
  let subscription = true;
  const stamps = new Map<string, number>();
  const key = (kind: string, workspaceId: string) => `${kind} ${workspaceId}`;
  const forgetAll = () => {
    stamps.clear();
    floor = ++tick;
  };
  const prefix = `${topology.namespace}.`;
  // A callback subscription runs as the message is read, before anything the server sent after it.
  nats.nc.subscribe(topology.subjects.configChanged('*', '*'), {
    callback: (err, msg) => {
      if (err) {
        subscription = false;
        forgetAll();
        log.warn({ err }, 'configuration announcements stopped: configurations are read by version from now on');
        return;
      }
      // <namespace>.<workspace>.config.<kind>
      const [workspaceId, , kind] = msg.subject.slice(prefix.length).split('.');
      if (stamps.size >= STAMPS_KEPT) forgetAll();
      stamps.set(key(kind!, workspaceId!), ++tick);
    },
  });
  // The server has the subscription once a flush is answered (again after each reconnect); a flush
  // that fails leaves the versions to be read until the next reconnect.
  const confirmed = () =>
    nats.nc.flush().then(
      () => true,
      () => false,
    );
  let subscribed = confirmed();
  void (async () => {
    for await (const status of nats.nc.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnect') {
        connected = status.type === 'reconnect';
        forgetAll();
        if (connected) subscribed = confirmed();
      }
    }
  })();

  const watch: Announcements = {
    async stamp(kind, workspaceId) {
      if (!(await subscribed)) return undefined;
      const info = nats.nc.info;
      // In a cluster an announcement and a delivery may come by different routes, in any order.
      if (!subscription || !connected || nats.nc.isClosed() || !info || info.cluster || info.connect_urls?.length)
        return undefined;
      return Math.max(floor, stamps.get(key(kind, workspaceId)) ?? 0);
    },
  };
  byNamespace.set(topology.namespace, watch);
  return watch;
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
