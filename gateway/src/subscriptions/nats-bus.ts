// The hub's event bus on core NATS. Deliberately no queue group: every gateway
// instance receives every event of the workspaces its own subscribers watch.
import { REPLAY_FOR_HEADER } from '@cei/contracts';
import type { NatsConnection } from '@cei/nats';
import type { Logger } from '@cei/config';
import type { EventBus } from './hub';

export function natsEventBus(nc: NatsConnection, log: Logger): EventBus {
  return {
    subscribe(subject, onMessage) {
      const subscription = nc.subscribe(subject, {
        callback: (err, msg) => {
          if (err) {
            log.error({ err, subject }, 'event subscription failed');
            return;
          }
          // An event replayed from a dead letter is for the one consumer that gave up on it;
          // subscribers saw the original.
          if (msg.headers?.get(REPLAY_FOR_HEADER)) return;
          // An exception thrown into nats.js's protocol handler would take the connection down.
          try {
            onMessage(msg.data);
          } catch (error) {
            log.error({ err: error, subject }, 'event delivery failed');
          }
        },
      });
      return { unsubscribe: () => subscription.unsubscribe() };
    },
    flush: () => nc.flush(),
  };
}
