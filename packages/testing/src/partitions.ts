// Two instances of a partitioned consumer at work together, for tests that claim both are:
// which partitions the NATS server pins to each (its health endpoint), a hand-over until
// each holds its share, and contacts chosen in each one's partitions.
import { PARTITIONS, partitionOf } from '@cei/contracts';
import { waitFor } from './clients';

/** The partitions of `consumer` the NATS server pins to the instance at `baseUrl` now (GET /health?partitions). */
export async function pinnedPartitions(baseUrl: string | URL, consumer: string): Promise<number[]> {
  const response = await fetch(new URL('/health?partitions', baseUrl));
  const body = (await response.json()) as { partitions?: Record<string, number[]> };
  return body.partitions?.[consumer] ?? [];
}

/**
 * How long a split at its shares must hold before a test relies on it: two of the instances'
 * balancing rounds (packages/nats BALANCE_INTERVAL_MS, 2 s) and a margin, so that a hand-over a
 * round decided on before the split settled has landed.
 */
const STEADY_MS = 5_000;

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
 * Returns once each instance holds its share (half the partitions) and knows it, so that nothing
 * moves afterwards. The instance that pulled first holds every partition; the instances' own
 * balancing hands the excess over (packages/nats, "Balance"), and this hands half over at once
 * (unpin: the server pins the next puller) while one holds none. The two may cross (the balancer
 * hands over its tail while this unpins every other partition), and the balancer then moves
 * partitions for a few more rounds: a test that chose its contacts by the pins of that moment saw
 * one of them move under it. A partition is pinned once it delivers, and an instance learns its pin
 * from a delivery: one event goes into each partition whose holder is not known yet, and into each
 * one handed over.
 */
export async function splitPartitions({ pinned, workspaceId, publish, unpin }: PartitionSplit): Promise<void> {
  const contactOf = new Map<number, string>();
  for (let i = 0; contactOf.size < PARTITIONS; i++) {
    const partition = partitionOf(workspaceId, `warm-${i}`);
    if (!contactOf.has(partition)) contactOf.set(partition, `warm-${i}`);
  }
  const warm = (partitions: Iterable<number>) => Promise.all([...partitions].map((p) => publish(contactOf.get(p)!)));
  await warm(contactOf.keys());
  /** The split at its shares, and since when it has not changed. */
  let steady: { split: string; since: number } | undefined;
  await waitFor(
    'each instance holding its half of the partitions, steadily',
    async () => {
      const [a, b] = await Promise.all([pinned[0](), pinned[1]()]);
      const known = new Set([...a, ...b]);
      if (known.size < PARTITIONS) {
        await warm([...contactOf.keys()].filter((p) => !known.has(p)));
        return false;
      }
      if (a.length === PARTITIONS / 2 && b.length === PARTITIONS / 2) {
        // At the shares, and still so after a balancing round begun before it has ended.
        const split = `${[...a].sort().join(',')}|${[...b].sort().join(',')}`;
        if (steady?.split !== split) steady = { split, since: Date.now() };
        return Date.now() - steady.since >= STEADY_MS;
      }
      steady = undefined;
      // Both at work, not yet at their shares: the balancer is still moving partitions.
      if (a.length > 0 && b.length > 0) return false;
      const handedOver = (a.length >= b.length ? a : b).filter((_, i) => i % 2 === 0);
      await Promise.all(handedOver.map((p) => unpin(p).catch(() => null)));
      await warm(handedOver);
      return false;
    },
    { timeoutMs: 60_000, intervalMs: 500 },
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
