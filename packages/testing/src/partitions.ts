// Two instances of a partitioned consumer at work together, for tests that claim both are:
// which partitions the NATS server pins to each (its health endpoint), a hand-over until
// both hold some, and contacts chosen in each one's partitions.
import { PARTITIONS, partitionOf } from '@cei/contracts';
import { waitFor } from './clients';

/** The partitions of `consumer` the NATS server pins to the instance at `baseUrl` now (GET /health?partitions). */
export async function pinnedPartitions(baseUrl: string | URL, consumer: string): Promise<number[]> {
  const response = await fetch(new URL('/health?partitions', baseUrl));
  const body = (await response.json()) as { partitions?: Record<string, number[]> };
  return body.partitions?.[consumer] ?? [];
}

export interface PartitionSplit {
  /** Each of the two instances' pinned partitions now. */
  pinned: readonly [() => Promise<number[]>, () => Promise<number[]>];
  /** A workspace of the split's own, whose events no test looks at. */
  workspaceId: string;
  /** Publishes one event of `contactId` (of `workspaceId`) into the stream the consumer reads. */
  publish: (contactId: string) => Promise<unknown>;
  /** Unpins a partition (`jsm.consumers.unpin(stream, consumer of partition, group)`). */
  unpin: (partition: number) => Promise<unknown>;
}

/**
 * The instance that pulled first holds every partition (nothing rebalances a running pair), so
 * this hands half of them over (unpin: the server pins the next puller) until both hold some. A
 * partition is pinned once it delivers, and an instance learns its pin from a delivery: one
 * event goes into each partition whose holder is not known yet, and into each one handed over.
 */
export async function splitPartitions({ pinned, workspaceId, publish, unpin }: PartitionSplit): Promise<void> {
  const contactOf = new Map<number, string>();
  for (let i = 0; contactOf.size < PARTITIONS; i++) {
    const partition = partitionOf(workspaceId, `warm-${i}`);
    if (!contactOf.has(partition)) contactOf.set(partition, `warm-${i}`);
  }
  const warm = (partitions: Iterable<number>) => Promise.all([...partitions].map((p) => publish(contactOf.get(p)!)));
  await warm(contactOf.keys());
  await waitFor(
    'both instances holding partitions',
    async () => {
      const [a, b] = await Promise.all([pinned[0](), pinned[1]()]);
      const known = new Set([...a, ...b]);
      if (known.size < PARTITIONS) {
        await warm([...contactOf.keys()].filter((p) => !known.has(p)));
        return false;
      }
      if (a.length > 0 && b.length > 0) return true;
      const handedOver = (a.length >= b.length ? a : b).filter((_, i) => i % 2 === 0);
      await Promise.all(handedOver.map((p) => unpin(p).catch(() => null)));
      await warm(handedOver);
      return false;
    },
    { timeoutMs: 30_000, intervalMs: 500 },
  );
}

/**
 * `count` contact ids of `workspaceId` (`<prefix>-<n>`), taking turns between the instances'
 * partitions as pinned now: the first in one pinned to the first instance, the next in one
 * pinned to the second, and so on.
 */
export function contactsOnEach(
  workspaceId: string,
  prefix: string,
  count: number,
  pinned: readonly (readonly number[])[],
): string[] {
  if (pinned.some((partitions) => partitions.length === 0)) throw new Error('an instance holds no partition');
  const ids: string[] = [];
  for (let n = 0; ids.length < count; n++) {
    const id = `${prefix}-${n}`;
    if (pinned[ids.length % pinned.length]!.includes(partitionOf(workspaceId, id))) ids.push(id);
  }
  return ids;
}
