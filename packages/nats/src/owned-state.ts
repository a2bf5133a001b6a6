// What the owner of a partition remembers of its contacts' state documents between
// batches, so that a batch reads from the database only the contacts it has not seen
// (DESIGN.md rule 1: one writer per contact, its partition's owner). An entry is the
// document as this instance last wrote it (or the knowledge that it has none), and is used only while the partition's
// ownership (BatchContext.ownership) is the one it was written under: a new pin, a
// new subscription or a failed batch (a write that may have landed unconfirmed) makes
// every entry of the partition stale at once, and the next batch reads the database.
// Bounded: the least recently used contacts are forgotten and read again when needed.
import { LRUCache } from 'lru-cache';
import type { BatchContext, ContactEvent, Delivery } from './partitioned-consumer';

export interface OwnedStateOptions<Doc, Kept> {
  /** Reads documents by key from the database (absent keys are left out). */
  load(keys: string[]): Promise<Map<string, Doc>>;
  /** How many contacts' documents to keep. */
  max: number;
  /**
   * How a remembered document is kept between batches, and turned back into the document
   * (e.g. its large string compressed): by default, as it is. The `hot` most recently written
   * documents are kept as they are and packed only when newer writes push them out: a contact
   * written again soon (a new contact's creation, then the stage reset its first phase change
   * brings back) is neither packed nor unpacked in between.
   */
  keep?: { pack(doc: Doc): Kept; unpack(kept: Kept): Doc; hot?: number };
}

interface Entry<Doc, Kept> {
  ownership: string;
  /** null: read and found absent under this ownership (it stays so until the owner writes it). */
  doc: Kept | null;
  /** Written recently: the document itself, not packed yet (`doc` is then null). */
  recent?: Doc;
}

export class OwnedState<Doc extends object, Kept = Doc> {
  private readonly cache: LRUCache<string, Entry<Doc, Kept>>;
  /** The keys of the entries still holding their document as written (see `keep.hot`). */
  private readonly recent: LRUCache<string, Entry<Doc, Kept>> | undefined;
  private readonly pack: (doc: Doc) => Kept;
  private readonly unpack: (kept: Kept) => Doc;
  private hits = 0;
  private misses = 0;
  /** Keys taken as absent on their events' word, not read. */
  private unread = 0;

  constructor(private readonly opts: OwnedStateOptions<Doc, Kept>) {
    this.cache = new LRUCache<string, Entry<Doc, Kept>>({ max: opts.max });
    this.pack = opts.keep?.pack ?? ((doc) => doc as unknown as Kept);
    this.unpack = opts.keep?.unpack ?? ((kept) => kept as unknown as Doc);
    const hot = opts.keep?.hot ?? 0;
    this.recent =
      hot > 0
        ? new LRUCache<string, Entry<Doc, Kept>>({
            max: hot,
            // Pushed out by newer writes: packed where it is still the remembered entry.
            disposeAfter: (entry, key, reason) => {
              if (reason !== 'evict' || entry.recent === undefined) return;
              if (this.cache.peek(key) === entry) entry.doc = this.pack(entry.recent);
              entry.recent = undefined;
            },
          })
        : undefined;
  }

  /**
   * The documents of `keys` as stored: remembered under this batch's ownership, or read.
   * `unwritten`: keys the events themselves say have no document yet (their producer marks a
   * contact's first event, see `firstDeliveries`); those not remembered are taken as absent
   * without a read. A wrong hint costs no correctness: the owner then creates the document at
   * position 0, which the database refuses where one exists (writeAtPosition), and the batch
   * comes back as redeliveries, which carry no hint.
   */
  async read(
    keys: Iterable<string>,
    { ownership }: Pick<BatchContext, 'ownership'>,
    unwritten: ReadonlySet<string> = NONE,
  ): Promise<Map<string, Doc>> {
    const found = new Map<string, Doc>();
    const missing: string[] = [];
    for (const key of new Set(keys)) {
      const entry = ownership ? this.cache.get(key) : undefined;
      if (entry?.ownership === ownership) {
        if (entry.recent !== undefined) found.set(key, entry.recent);
        else if (entry.doc !== null) found.set(key, this.unpack(entry.doc));
      } else if (unwritten.has(key)) {
        this.unread++;
        if (ownership) this.cache.set(key, { ownership, doc: null });
      } else missing.push(key);
    }
    this.hits += found.size;
    this.misses += missing.length;
    if (missing.length > 0) {
      const loaded = await this.opts.load(missing);
      for (const [key, doc] of loaded) found.set(key, doc);
      // An absence is remembered too: a contact whose events write nothing (an address consumer
      // seeing no address) would otherwise be looked for in the database on every batch.
      if (ownership) for (const key of missing) if (!loaded.has(key)) this.cache.set(key, { ownership, doc: null });
    }
    return found;
  }

  /**
   * After `doc` is durably written (never before: a failed write must not be
   * remembered). The document must not be changed afterwards: the next batch reads it.
   */
  written(key: string, doc: Doc, { ownership }: Pick<BatchContext, 'ownership'>): void {
    if (!ownership) return;
    if (!this.recent) {
      this.cache.set(key, { ownership, doc: this.pack(doc) });
      return;
    }
    const entry: Entry<Doc, Kept> = { ownership, doc: null, recent: doc };
    this.cache.set(key, entry);
    this.recent.set(key, entry);
  }

  stats(): { size: number; hits: number; misses: number; unread: number } {
    return { size: this.cache.size, hits: this.hits, misses: this.misses, unread: this.unread };
  }
}

const NONE: ReadonlySet<string> = new Set();

/**
 * The contacts of a batch whose first event in it is, on its producer's word, the first one
 * about the contact at all (`first`), delivered for the first time: nothing of theirs can have
 * been written from this stream before (a hint for OwnedState.read). A redelivery carries no
 * such word: it may follow a write of ours that landed.
 */
export function firstDeliveries<T extends ContactEvent>(
  byContact: ReadonlyMap<string, readonly Delivery<T>[]>,
  isFirst: (event: T) => boolean,
): Set<string> {
  const keys = new Set<string>();
  for (const [key, deliveries] of byContact) {
    const head = deliveries[0];
    if (head && !head.redelivered && head.deliveryCount === 1 && isFirst(head.event)) keys.add(key);
  }
  return keys;
}
