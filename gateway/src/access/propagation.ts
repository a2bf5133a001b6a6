// How every gateway learns at once that a key or a workspace changed: the gateway that
// changed it publishes on core NATS (`<ns>.<workspace>.access.changed`, after the
// database holds the change) and every gateway, itself included, subscribed to
// `<ns>.*.access.changed`, drops the cached bindings and closes what used the credential.
// A gateway that misses a message (reconnecting to NATS) still stops accepting the
// credential once its short cache entry expires (auth/api-keys.ts ttlMs, 5 s), and its
// periodic re-check then closes the sockets: the cache expiry is the fallback only.
import type { NatsConnection } from '@cei/nats';
import type { Logger } from '@cei/config';
import type { AccessChange, Authenticator } from '../auth/api-keys';

export const accessSubjects = (namespace: string) => ({
  workspace: (workspaceId: string) => `${namespace}.${workspaceId}.access.changed`,
  everyWorkspace: `${namespace}.*.access.changed`,
});

export interface AccessPropagation {
  /** Publishes a change for every gateway and applies it here without waiting for the echo. */
  announce(change: AccessChange): Promise<void>;
  stop(): void;
}

export function startAccessPropagation(options: {
  nc: NatsConnection;
  namespace: string;
  authenticator: Authenticator;
  log: Logger;
}): AccessPropagation {
  const { nc, authenticator, log } = options;
  const subjects = accessSubjects(options.namespace);
  const subscription = nc.subscribe(subjects.everyWorkspace, {
    callback: (err, msg) => {
      if (err) {
        log.error({ err }, 'access change subscription failed');
        return;
      }
      let change: AccessChange;
      try {
        change = parseChange(msg.json<unknown>());
      } catch (error) {
        log.error({ err: error, subject: msg.subject }, 'malformed access change ignored');
        return;
      }
      // The subject's workspace is the one the change may touch, whatever the body says.
      if (msg.subject !== subjects.workspace(change.workspaceId)) {
        log.error({ subject: msg.subject }, 'access change for another workspace ignored');
        return;
      }
      authenticator.apply(change).catch((error: unknown) => log.error({ err: error }, 'applying access change failed'));
    },
  });
  return {
    async announce(change) {
      nc.publish(subjects.workspace(change.workspaceId), JSON.stringify(change));
      await authenticator.apply(change);
      // Hand the message to the server before answering, so other gateways get it about as soon.
      await nc.flush();
    },
    stop: () => subscription.unsubscribe(),
  };
}

function parseChange(value: unknown): AccessChange {
  const change = value as Partial<Record<string, unknown>>;
  if (typeof change.workspaceId !== 'string') throw new Error('no workspaceId');
  if (change.kind === 'workspace') return { kind: 'workspace', workspaceId: change.workspaceId };
  if (
    change.kind === 'key' &&
    typeof change.keyId === 'string' &&
    Array.isArray(change.hashes) &&
    change.hashes.every((hash) => typeof hash === 'string')
  ) {
    return { kind: 'key', workspaceId: change.workspaceId, keyId: change.keyId, hashes: change.hashes as string[] };
  }
  throw new Error(`unknown access change kind ${String(change.kind)}`);
}
