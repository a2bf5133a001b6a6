// Declares the JetStream streams (idempotent: add, or update when present).
import { DiscardPolicy, RetentionPolicy, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import type { RecordStreamSpec, StreamSpec, Topology } from '@cei/contracts';
import { isStreamExists, isStreamNotFound } from './nats-errors';

const nanos = (ms: number) => ms * 1_000_000;

/** A re-published event inside this window is dropped by its message id. */
export const DUPLICATE_WINDOW_MS = 15 * 60_000;
const MAX_AGE_MS = 7 * 24 * 3600_000;

export async function ensureStream(
  jsm: JetStreamManager,
  spec: StreamSpec | RecordStreamSpec,
  replicas = 1,
): Promise<void> {
  const config = {
    name: spec.name,
    num_replicas: replicas,
    subjects: spec.subjects,
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(('maxAgeMs' in spec && spec.maxAgeMs) || MAX_AGE_MS),
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    // Scheduled messages (decay checks) live in the stream they are delivered to.
    allow_msg_schedules: ('schedules' in spec && spec.schedules) || false,
    max_msgs_per_subject: ('maxMessagesPerSubject' in spec && spec.maxMessagesPerSubject) || -1,
  };
  try {
    await jsm.streams.info(spec.name);
    await jsm.streams.update(spec.name, config);
  } catch (err) {
    if (!isStreamNotFound(err)) throw err;
    try {
      await jsm.streams.add(config);
    } catch (addErr) {
      // Another process created it between our info and add: bring it to this config.
      if (!isStreamExists(addErr)) throw addErr;
      await jsm.streams.update(spec.name, config);
    }
  }
}

export async function ensureStreams(jsm: JetStreamManager, topology: Topology, replicas = 1): Promise<void> {
  for (const spec of Object.values(topology.streams)) await ensureStream(jsm, spec, replicas);
  await ensureStream(jsm, topology.deadLetters, replicas);
  await ensureStream(jsm, topology.configVersions, replicas);
  await ensureStream(jsm, topology.ownerRecords, replicas);
}
