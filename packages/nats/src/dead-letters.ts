// Dead letters: the events a consumer gave up on (a poison message after its last
// try, a payload it cannot decode), kept per workspace in one JetStream stream so an
// operator can count them, read them and, once the cause is fixed, replay them.
//
// Why a stream and not a collection: the consumer that gives up may be failing
// because its database is down, and NATS is the one thing every consumer already
// writes to; services own their databases, and this record is shared.
//   <ns>.<ws>.deadletters.<consumer>                    one message per dead letter (JSON)
//   <ns>.<ws>.deadletters.<consumer>.replayed.<letter>  at most one: the letter was replayed
// A replay publishes the original payload to its original subject, with a message id
// derived from the letter (`replay:<letter>`) and the `Cei-Replay-For` header, so
// only that consumer applies it (the others applied the original already).
//
// Each letter carries its index on its consumer's subject (1, 2, …), written by a
// compare-and-set publish on the subject's last letter. So one read of a subject's last
// letter gives both how many letters it holds and where they end: a page counts exactly
// the letters it lists up to, however many are being recorded meanwhile. (The server's
// per-subject totals and its last position are two reads, which a letter can fall between.)
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/nats-core';
import type { MsgRequest, StoredMsg } from '@nats-io/jetstream';
import { REPLAY_FOR_HEADER, workspaceOfSubject, type Topology } from '@cei/contracts';
import type { Nats } from './connection';
import { isWrongLastSequence } from './nats-errors';

const PUBLISH_TIMEOUT_MS = 10_000;
/** Recorders of one consumer racing for the next index: each lost race costs one read and one publish. */
const MAX_INDEX_RACES = 100;

/** What a consumer records when it gives up on an event. */
export interface DeadLetterInput {
  consumer: string;
  stream: string;
  subject: string;
  /** The event's position in its own stream. */
  seq: number;
  /** For one member of a pack of several contacts' events: its place in the pack (the payload is the member alone). */
  member?: number;
  deliveries: number;
  error: string;
  headers?: MsgHdrs;
  payload: Uint8Array;
  failedAt?: Date;
}

export interface DeadLetter {
  /** The letter's position in the dead-letter stream. */
  id: number;
  workspaceId: string;
  consumer: string;
  stream: string;
  subject: string;
  seq: number;
  /** The member of a pack this letter is (its payload is that member alone); null for a whole message. */
  member: number | null;
  deliveries: number;
  error: string;
  failedAt: Date;
  headers: Record<string, string[]>;
  payload: Uint8Array;
  replay: DeadLetterReplay | null;
}

export interface DeadLetterReplay {
  at: Date;
  actor: string;
  /** Where the replayed event landed in its stream. */
  seq: number;
}

/** The JSON a dead-letter message carries. */
export interface StoredLetter {
  v: 1;
  workspaceId: string;
  consumer: string;
  stream: string;
  subject: string;
  seq: number;
  /** See DeadLetter.member (absent for a whole message). */
  member?: number;
  deliveries: number;
  error: string;
  failedAt: string;
  headers: Record<string, string[]>;
  /** Base64: a payload that could not be decoded may not be text either. */
  payload: string;
  /**
   * The letter's place on its consumer's subject, from 1. Letters recorded before indexes
   * existed have none: they are counted from the subject's totals and numbered from 1.
   */
  index?: number;
}

/** Consumer names are subject tokens. */
const CONSUMER_NAME = /^[A-Za-z0-9_-]{1,64}$/;
export const isConsumerName = (value: string): boolean => CONSUMER_NAME.test(value);

/**
 * Stores a dead letter under the workspace of its subject, as the next index of its
 * consumer's subject. Recording the same event twice (another instance, or the server's
 * max-deliveries advisory) is dropped by its message id within the duplicate window.
 */
export async function recordDeadLetter(nats: Nats, ns: Topology, input: DeadLetterInput): Promise<number> {
  const letter = storedLetterOf(input);
  const subject = ns.subjects.deadLetter(letter.workspaceId, input.consumer);
  const stream = ns.deadLetters.name;
  for (let race = 1; ; race++) {
    const last = await nats.jsm.streams.getMessage(stream, { last_by_subj: subject });
    const index = last ? await indexOf(nats, stream, last) : 0;
    try {
      // The server checks the expected last letter before the message id: a second recording
      // of the same event that lost a race reads the new last letter, then is dropped as a duplicate.
      const ack = await nats.js.publish(subject, JSON.stringify({ ...letter, index: index + 1 }), {
        msgID: `dead:${input.consumer}:${input.stream}:${input.seq}${input.member === undefined ? '' : `:${input.member}`}`,
        expect: { lastSubjectSequence: last?.seq ?? 0 },
        timeout: PUBLISH_TIMEOUT_MS,
      });
      return ack.seq;
    } catch (err) {
      if (!isWrongLastSequence(err) || race >= MAX_INDEX_RACES) throw err;
    }
  }
}

/** What a letter stores of the event given up on, less its index (the whole of a letter stored before indexes existed). */
export function storedLetterOf(input: DeadLetterInput): StoredLetter {
  return {
    v: 1,
    workspaceId: workspaceOfSubject(input.subject) ?? '_',
    consumer: input.consumer,
    stream: input.stream,
    subject: input.subject,
    seq: input.seq,
    ...(input.member === undefined ? {} : { member: input.member }),
    deliveries: input.deliveries,
    error: input.error,
    failedAt: (input.failedAt ?? new Date()).toISOString(),
    headers: headersOf(input.headers),
    payload: Buffer.from(input.payload).toString('base64'),
  };
}

/**
 * The index of a consumer's letter. One recorded before indexes existed is counted from its
 * subject's totals, read after the letter itself: a letter stored between the two reads
 * makes the count too high, and the compare-and-set publish that follows fail and retry.
 */
async function indexOf(nats: Nats, stream: string, letter: StoredMsg): Promise<number> {
  const index = letter.json<StoredLetter>().index;
  if (index !== undefined) return index;
  const info = await nats.jsm.streams.info(stream, { subjects_filter: letter.subject });
  return info.state.subjects?.[letter.subject] ?? 0;
}

export interface DeadLetterCount {
  consumer: string;
  total: number;
  pending: number;
}

export interface DeadLetterPage {
  letters: DeadLetter[];
  totalCount: number;
  pendingCount: number;
  hasNextPage: boolean;
}

export interface DeadLetterStore {
  /** Per consumer: letters recorded, and those not replayed yet. */
  counts(workspaceId: string): Promise<DeadLetterCount[]>;
  /** Oldest first, after the letter `after` (exclusive); of one consumer, or of all. */
  page(workspaceId: string, opts: { consumer?: string; first: number; after?: number }): Promise<DeadLetterPage>;
  /** Null when no letter of the workspace has this id. */
  get(workspaceId: string, id: number): Promise<DeadLetter | null>;
  /** Publishes the event again (once: a replayed letter is answered as it is). Null: no such letter. */
  replay(workspaceId: string, id: number, actor: string): Promise<DeadLetter | null>;
  /** Replays up to `limit` letters of one consumer not replayed yet, oldest first. */
  replayAll(
    workspaceId: string,
    consumer: string,
    actor: string,
    limit: number,
  ): Promise<{ replayed: number; pending: number }>;
}

export function createDeadLetterStore(nats: Nats, ns: Topology): DeadLetterStore {
  const stream = ns.deadLetters.name;

  /** Messages per subject matching `filter`: which subjects there are, and the replay marks' counts. */
  async function subjectTotals(filter: string): Promise<Record<string, number>> {
    const info = await nats.jsm.streams.info(stream, { subjects_filter: filter });
    return info.state.subjects ?? {};
  }

  /**
   * How many letters one consumer's subject holds, and the position of its last: both from one
   * read of that last letter (its index), so the count is exactly the letters up to it. Letters
   * leave a subject only from its front (a year old), so the first letter's index says how many
   * have gone.
   */
  async function lettersOf(subject: string, totalBefore: number): Promise<{ total: number; upTo: number }> {
    const last = await nats.jsm.streams.getMessage(stream, { last_by_subj: subject });
    if (!last) return { total: 0, upTo: 0 };
    const lastIndex = last.json<StoredLetter>().index;
    // Only letters from before indexes existed (none was recorded after `totalBefore` was read).
    if (lastIndex === undefined) return { total: totalBefore, upTo: last.seq };
    const first = await nats.jsm.streams.getMessage(stream, nextBySubject(subject, 1));
    const firstIndex = first?.json<StoredLetter>().index ?? 1;
    return { total: lastIndex - firstIndex + 1, upTo: last.seq };
  }

  /** The counts per consumer, and for each consumer's subject the position its letters were counted up to. */
  async function countsAt(
    workspaceId: string,
    consumer?: string,
  ): Promise<{ counts: DeadLetterCount[]; lettersUpTo: Map<string, number> }> {
    const [subjects, marks] = await Promise.all([
      subjectTotals(ns.subjects.deadLetters(workspaceId, consumer)),
      subjectTotals(ns.subjects.deadLettersReplayed(workspaceId, consumer)),
    ]);
    const replayed = new Map<string, number>();
    for (const subject of Object.keys(marks)) {
      const name = subject.split('.')[3]!;
      replayed.set(name, (replayed.get(name) ?? 0) + 1);
    }
    const lettersUpTo = new Map<string, number>();
    const counts = await Promise.all(
      Object.entries(subjects).map(async ([subject, totalBefore]) => {
        const name = subject.split('.')[3]!;
        const { total, upTo } = await lettersOf(subject, totalBefore);
        lettersUpTo.set(subject, upTo);
        return { consumer: name, total, pending: Math.max(0, total - (replayed.get(name) ?? 0)) };
      }),
    );
    return { counts: counts.sort((a, b) => a.consumer.localeCompare(b.consumer)), lettersUpTo };
  }

  const counts = async (workspaceId: string, consumer?: string) => (await countsAt(workspaceId, consumer)).counts;

  /** The letter at `id`, if it is one (not a replay mark) of this workspace. */
  async function get(workspaceId: string, id: number): Promise<DeadLetter | null> {
    if (!Number.isSafeInteger(id) || id < 1) return null;
    const msg = await nats.jsm.streams.getMessage(stream, { seq: id });
    if (!msg) return null;
    const tokens = msg.subject.split('.');
    if (tokens.length !== 4 || msg.subject !== ns.subjects.deadLetter(workspaceId, tokens[3]!)) return null;
    return withReplay(workspaceId, toLetter(msg));
  }

  async function withReplay(workspaceId: string, letter: Omit<DeadLetter, 'replay'>): Promise<DeadLetter> {
    const mark = await nats.jsm.streams.getMessage(stream, {
      last_by_subj: ns.subjects.deadLetterReplayed(workspaceId, letter.consumer, letter.id),
    });
    if (!mark) return { ...letter, replay: null };
    const replay = mark.json<{ at: string; actor: string; seq: number }>();
    return { ...letter, replay: { at: new Date(replay.at), actor: replay.actor, seq: replay.seq } };
  }

  async function replay(workspaceId: string, id: number, actor: string): Promise<DeadLetter | null> {
    const letter = await get(workspaceId, id);
    if (!letter || letter.replay) return letter;
    // The original subject is in the letter's workspace by construction; checked anyway,
    // since this publishes into a live stream on the caller's behalf.
    if (workspaceOfSubject(letter.subject) !== workspaceId) return null;
    const replayHeaders = natsHeaders();
    replayHeaders.set(REPLAY_FOR_HEADER, letter.consumer);
    const published = await nats.js.publish(letter.subject, letter.payload, {
      msgID: `replay:${letter.id}`,
      headers: replayHeaders,
      timeout: PUBLISH_TIMEOUT_MS,
    });
    const mark = { at: new Date().toISOString(), actor, seq: published.seq };
    try {
      // First mark wins (compare-and-set on the mark's subject): two replays racing publish
      // one event (same message id), and the letter keeps the first mark.
      await nats.js.publish(
        ns.subjects.deadLetterReplayed(workspaceId, letter.consumer, letter.id),
        JSON.stringify(mark),
        {
          msgID: `replayed:${letter.id}`,
          expect: { lastSubjectSequence: 0 },
          timeout: PUBLISH_TIMEOUT_MS,
        },
      );
    } catch (err) {
      if (!isWrongLastSequence(err)) throw err;
    }
    return withReplay(workspaceId, letter);
  }

  return {
    counts: (workspaceId) => counts(workspaceId),

    async page(workspaceId, { consumer, first, after = 0 }) {
      const filter = ns.subjects.deadLetters(workspaceId, consumer);
      // Counted first, and the page read only up to where each consumer's letters were counted:
      // a letter recorded meanwhile is in neither (the next read has both), never counted without
      // being listed.
      const { counts: totals, lettersUpTo } = await countsAt(workspaceId, consumer);
      const end = Math.max(0, ...lettersUpTo.values());
      const found: StoredMsg[] = [];
      let seq = after + 1;
      // One more than asked: whether there is a next page.
      while (found.length <= first && seq <= end) {
        const msg = await nats.jsm.streams.getMessage(stream, nextBySubject(filter, seq));
        if (!msg || msg.seq > end) break;
        if (msg.seq <= (lettersUpTo.get(msg.subject) ?? 0)) found.push(msg);
        seq = msg.seq + 1;
      }
      const letters = await Promise.all(found.slice(0, first).map((msg) => withReplay(workspaceId, toLetter(msg))));
      return {
        letters,
        totalCount: totals.reduce((sum, c) => sum + c.total, 0),
        pendingCount: totals.reduce((sum, c) => sum + c.pending, 0),
        hasNextPage: found.length > first,
      };
    },

    get,
    replay,

    async replayAll(workspaceId, consumer, actor, limit) {
      const filter = ns.subjects.deadLetters(workspaceId, consumer);
      let replayed = 0;
      let seq = 1;
      while (replayed < limit) {
        const msg = await nats.jsm.streams.getMessage(stream, nextBySubject(filter, seq));
        if (!msg) break;
        seq = msg.seq + 1;
        const letter = await get(workspaceId, msg.seq);
        if (!letter || letter.replay) continue;
        await replay(workspaceId, msg.seq, actor);
        replayed++;
      }
      const [remaining] = await counts(workspaceId, consumer);
      return { replayed, pending: remaining?.pending ?? 0 };
    },
  };
}

/** The first message on `subject` (wildcards allowed) at or after `seq`: the server takes it, nats.js does not type it. */
function nextBySubject(subject: string, seq: number): MsgRequest {
  return { next_by_subj: subject, seq } as unknown as MsgRequest;
}

function toLetter(msg: StoredMsg): Omit<DeadLetter, 'replay'> {
  const stored = msg.json<StoredLetter>();
  return {
    id: msg.seq,
    workspaceId: stored.workspaceId,
    consumer: stored.consumer,
    stream: stored.stream,
    subject: stored.subject,
    seq: stored.seq,
    member: stored.member ?? null,
    deliveries: stored.deliveries,
    error: stored.error,
    failedAt: new Date(stored.failedAt),
    headers: stored.headers,
    payload: Buffer.from(stored.payload, 'base64'),
  };
}

/** The original headers, without those that only described its delivery to one client. */
function headersOf(headers: MsgHdrs | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!headers) return out;
  for (const [key, values] of headers) {
    if (key.toLowerCase() !== 'nats-pin-id') out[key] = values;
  }
  return out;
}
