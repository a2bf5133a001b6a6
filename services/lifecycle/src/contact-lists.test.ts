// Lists and figures for front ends against real NATS and a real MongoDB-compatible server:
// Query.contacts with every filter and sort, paged, while contacts change between pages;
// phaseDistribution, funnel and trend buckets' phases on hand-computed fixtures placed in time
// with the clock seam; bad input named by field. (Tenancy through the gateway: test/e2e/contact-lists.test.ts.)
import { databaseName } from '@cei/config';
import { connectDatabase, type Database } from '@cei/mongo';
import { connectNats, publishEvent, type Nats } from '@cei/nats';
import { messageIds, topology, type InteractionKind, type ScoreChanged } from '@cei/contracts';
import { callSubgraph, serviceEnv, testNamespace, testWorkspace } from '@cei/testing';
import { loadLifecycleConfig } from './config';
import { lifecycleModels, type LifecycleModels } from './models';
import { startLifecycle, type Lifecycle } from './server';
import { lifecycleApplied } from './lifecycle-test-kit';

const PAGE = /* GraphQL */ `
  query Contacts($filter: ContactFilter, $sort: ContactSort, $first: Int, $after: String) {
    contacts(filter: $filter, sort: $sort, first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          phase
          half
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

interface Page {
  contacts: {
    edges: { cursor: string; node: { id: string; phase: string; half: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

interface Change {
  general: number;
  index?: number;
  tags?: Record<string, number>;
  last?: string | null;
  kind?: InteractionKind;
}

describe('lists and figures for front ends', () => {
  const namespace = testNamespace('lists');
  const ns = topology(namespace);
  const config = loadLifecycleConfig(serviceEnv(namespace, { LIFECYCLE_PORT: '0' }));
  let lifecycle: Lifecycle;
  let nats: Nats;
  let db: Database;
  let models: LifecycleModels;
  let clock = Date.parse('2026-03-01T12:00:00Z');
  const now = () => new Date(clock);

  beforeAll(async () => {
    lifecycle = await startLifecycle(config, undefined, { now });
    nats = await connectNats(config.NATS_URL, 'lists-test');
    db = await connectDatabase(config.MONGO_URL, databaseName(namespace, 'lifecycle'), 2);
    models = lifecycleModels(db);
  });
  afterAll(async () => {
    await nats?.close();
    await db?.close();
    await lifecycle?.stop();
  });

  const reader = (workspaceId: string) => ({ workspaceId, role: 'read' as const });
  let counter = 0;
  /** Publishes a score change of `contactId` and waits until lifecycle applied it. */
  async function change(ws: string, contactId: string, c: Change): Promise<void> {
    const at = new Date(clock).toISOString();
    const interactionId = `i${++counter}`;
    const event: ScoreChanged = {
      v: 1,
      workspaceId: ws,
      contactId,
      cause: 'INTERACTION',
      interactionId,
      kind: c.kind ?? 'PAGE_VISIT',
      occurredAt: c.last ?? at,
      delta: 0,
      general: c.general,
      stage: 0,
      engagementIndex: c.index ?? 0,
      at,
      tags: c.tags ?? {},
      lastInteractionAt: c.last === undefined ? at : c.last,
    };
    const { seq } = await publishEvent(
      nats.js,
      ns.subjects.scoreChanged(ws, contactId),
      event,
      messageIds.scoreChanged(ws, interactionId),
    );
    await lifecycleApplied(nats, ns, ws, contactId, seq);
  }
  const page = (ws: string, variables: Record<string, unknown>) =>
    callSubgraph<Page>(lifecycle.url, reader(ws), PAGE, variables);
  /** Every contact the list holds, read `first` at a time; `between` runs between two pages. */
  async function walk(
    ws: string,
    variables: Record<string, unknown>,
    first = 2,
    between: (pageNumber: number) => Promise<void> = async () => {},
  ): Promise<string[]> {
    const ids: string[] = [];
    let after: string | null = null;
    for (let n = 1; ; n++) {
      const { data, errors } = await page(ws, { ...variables, first, after });
      expect(errors).toBeUndefined();
      const { edges, pageInfo } = data!.contacts;
      ids.push(...edges.map((e) => e.node.id));
      if (!pageInfo.hasNextPage) return ids;
      expect(pageInfo.endCursor).toBe(edges.at(-1)!.cursor);
      after = pageInfo.endCursor;
      await between(n);
    }
  }

  describe('Query.contacts', () => {
    const ws = testWorkspace();
    beforeAll(async () => {
      // Hand-made: general score, index, tags and latest interaction of each contact.
      await change(ws, 'a', { general: 10, index: 9.5, tags: { shoes: 5 }, last: '2026-02-01T00:00:00.000Z' });
      await change(ws, 'b', {
        general: 60,
        index: 45.1,
        tags: { shoes: 20, hats: 3 },
        last: '2026-02-10T00:00:00.000Z',
      });
      await change(ws, 'c', { general: 30, index: 25.9, tags: { hats: 8 }, last: null });
      await change(ws, 'd', { general: 40, index: 33, tags: {}, last: '2026-02-20T00:00:00.000Z', kind: 'PURCHASE' });
      await change(ws, 'e', {
        general: 5,
        index: 4.9,
        tags: { 'big shoes': 2 },
        last: '2026-02-05T00:00:00.000Z',
        kind: 'PURCHASE',
      });
      await change(ws, 'f', { general: 80, index: 55.1, tags: { shoes: 1 }, last: '2026-01-15T00:00:00.000Z' });
    });

    it('sorts by score, engagement index and latest interaction, both ways, across pages', async () => {
      expect(await walk(ws, {})).toEqual(['f', 'b', 'd', 'c', 'a', 'e']);
      expect(await walk(ws, { sort: { field: 'SCORE', direction: 'ASC' } })).toEqual(['e', 'a', 'c', 'd', 'b', 'f']);
      expect(await walk(ws, { sort: { field: 'ENGAGEMENT_INDEX' } }, 4)).toEqual(['f', 'b', 'd', 'c', 'a', 'e']);
      expect(await walk(ws, { sort: { field: 'ENGAGEMENT_INDEX', direction: 'ASC' } }, 1)).toEqual([
        'e',
        'a',
        'c',
        'd',
        'b',
        'f',
      ]);
      // A contact with no interaction recorded comes last descending, first ascending.
      expect(await walk(ws, { sort: { field: 'LAST_INTERACTION' } })).toEqual(['d', 'b', 'e', 'a', 'f', 'c']);
      expect(await walk(ws, { sort: { field: 'LAST_INTERACTION', direction: 'ASC' } }, 3)).toEqual([
        'c',
        'f',
        'a',
        'e',
        'b',
        'd',
      ]);
    });

    it('filters by phase, half, score, index, tag, tag score and latest interaction', async () => {
      const ids = (filter: Record<string, unknown>, sort?: Record<string, unknown>) => walk(ws, { filter, sort });
      expect(await ids({ phases: ['PURCHASE'] })).toEqual(['f', 'b']);
      expect(await ids({ phases: ['NURTURE', 'RETENTION'] })).toEqual(['d', 'c', 'a', 'e']);
      expect(await ids({ half: 'CUSTOMER' })).toEqual(['d', 'e']);
      expect(await ids({ half: 'PROSPECT', phases: ['NURTURE', 'EXIT'] })).toEqual(['c', 'a']);
      expect(await ids({ scoreMin: 10, scoreMax: 40 })).toEqual(['d', 'c', 'a']);
      expect(await ids({ scoreMin: 60 })).toEqual(['f', 'b']);
      expect(await ids({ engagementIndexMin: 25.9, engagementIndexMax: 45.1 })).toEqual(['b', 'd', 'c']);
      expect(await ids({ tag: 'shoes' })).toEqual(['f', 'b', 'a']);
      expect(await ids({ tag: 'big shoes' })).toEqual(['e']);
      expect(await ids({ tag: 'shoes', tagScoreMin: 5 })).toEqual(['b', 'a']);
      expect(await ids({ tag: 'shoes', tagScoreMax: 5 }, { field: 'SCORE', direction: 'ASC' })).toEqual(['a', 'f']);
      expect(await ids({ tag: 'nothing' })).toEqual([]);
      expect(await ids({ lastInteractionAfter: '2026-02-05T00:00:00Z' })).toEqual(['b', 'd']);
      expect(await ids({ lastInteractionBefore: '2026-02-05T00:00:00Z' })).toEqual(['f', 'a']);
      expect(
        await ids({ lastInteractionAfter: '2026-01-01T00:00:00Z', lastInteractionBefore: '2026-02-06T00:00:00Z' }),
      ).toEqual(['f', 'a', 'e']);
      expect(await ids({ half: 'PROSPECT', tag: 'shoes', scoreMin: 20 })).toEqual(['f', 'b']);
      const { data } = await page(ws, { filter: { half: 'CUSTOMER' } });
      expect(data!.contacts.edges.map((e) => e.node)).toEqual([
        { id: 'd', phase: 'RETENTION', half: 'CUSTOMER' },
        { id: 'e', phase: 'RETENTION', half: 'CUSTOMER' },
      ]);
    });

    it('filters by qualification and by owner (contacts of one owner, owned or not)', async () => {
      const ids = (filter: Record<string, unknown>) => walk(ws, { filter });
      // The default marketing threshold (40) made b, d and f MQL as their scores rose to it.
      expect(await ids({ qualifications: ['MQL'] })).toEqual(['f', 'b', 'd']);
      expect(await ids({ qualifications: ['NONE'] })).toEqual(['c', 'a', 'e']);
      expect(await ids({ qualifications: ['SAL', 'SQL'] })).toEqual([]);
      expect(await ids({ qualifications: ['MQL', 'NONE'], half: 'CUSTOMER' })).toEqual(['d', 'e']);
      const created = await callSubgraph<{ createOwner: { id: string } }>(
        lifecycle.url,
        { workspaceId: ws, role: 'admin', actor: 'key-admin' },
        `mutation { createOwner(input: { name: "Ann" }) { id } }`,
      );
      expect(created.errors).toBeUndefined();
      const ann = created.data!.createOwner.id;
      for (const contactId of ['b', 'c']) {
        const { errors } = await callSubgraph(
          lifecycle.url,
          { workspaceId: ws, role: 'write', actor: 'key-sales' },
          `mutation($c: ID!, $o: ID!) { assignOwner(contactId: $c, ownerId: $o) { id } }`,
          { c: contactId, o: ann },
        );
        expect(errors).toBeUndefined();
      }
      expect(await ids({ ownerId: ann })).toEqual(['b', 'c']);
      expect(await ids({ owned: true })).toEqual(['b', 'c']);
      expect(await ids({ owned: false })).toEqual(['f', 'd', 'a', 'e']);
      expect(await ids({ ownerId: ann, owned: true, qualifications: ['MQL'] })).toEqual(['b']);
      expect(await ids({ owned: false, qualifications: ['MQL'] })).toEqual(['f', 'd']);
    });

    it('refuses a bad qualification or owner filter, naming the field', async () => {
      const problems = async (filter: Record<string, unknown>) => {
        const { data, errors } = await page(ws, { filter });
        expect(data).toBeNull();
        expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        return (errors![0]!.extensions!.fields as { path: string; message: string }[]).map((f) => f.path);
      };
      expect(await problems({ qualifications: [] })).toEqual(['filter.qualifications']);
      expect(await problems({ ownerId: '' })).toEqual(['filter.ownerId']);
      expect(await problems({ ownerId: 'x'.repeat(300) })).toEqual(['filter.ownerId']);
      expect(await problems({ ownerId: 'someone', owned: false })).toEqual(['filter.owned']);
      // No such owner here, and another workspace's owner is none either.
      expect(await problems({ ownerId: 'nobody' })).toEqual(['filter.ownerId']);
      const other = testWorkspace();
      const created = await callSubgraph<{ createOwner: { id: string } }>(
        lifecycle.url,
        { workspaceId: other, role: 'admin', actor: 'key-admin' },
        `mutation { createOwner(input: { name: "Stranger" }) { id } }`,
      );
      expect(await problems({ ownerId: created.data!.createOwner.id })).toEqual(['filter.ownerId']);
    });

    it('names every field of a bad request and answers nothing else', async () => {
      const problems = async (variables: Record<string, unknown>) => {
        const { data, errors } = await page(ws, variables);
        expect(data).toBeNull();
        expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        return (errors![0]!.extensions!.fields as { path: string }[]).map((f) => f.path);
      };
      expect(await problems({ first: 0 })).toEqual(['first']);
      expect(await problems({ first: 201 })).toEqual(['first']);
      expect(
        await problems({
          filter: {
            phases: [],
            scoreMin: 5,
            scoreMax: 1,
            engagementIndexMin: 150,
            tagScoreMin: 1,
            lastInteractionAfter: '2026-02-05T00:00:00Z',
            lastInteractionBefore: '2026-02-01T00:00:00Z',
          },
        }),
      ).toEqual([
        'filter.phases',
        'filter.scoreMax',
        'filter.engagementIndexMin',
        'filter.tagScoreMin',
        'filter.lastInteractionBefore',
      ]);
      expect(await problems({ filter: { tag: 'shoes.$where' } })).toEqual(['filter.tag']);
      expect(await problems({ filter: { half: 'CUSTOMER', phases: ['NURTURE'] } })).toEqual(['filter.half']);
      expect(await problems({ after: 'not-a-cursor' })).toEqual(['after']);
      const { data } = await page(ws, { first: 1 });
      const cursor = data!.contacts.pageInfo.endCursor;
      expect(await problems({ after: cursor, sort: { field: 'SCORE', direction: 'ASC' } })).toEqual(['after']);
    });
  });

  it('pages with no duplicate and no gap while contacts change between pages', async () => {
    const ws = testWorkspace();
    const scores = [120, 110, 100, 90, 80, 70, 60, 50, 40, 30, 20, 10];
    for (const [i, general] of scores.entries()) await change(ws, `p${i}`, { general, tags: { t: 1 } });
    const original = scores.map((_, i) => `p${i}`);
    const seen = await walk(ws, { filter: { tag: 't' } }, 3, async (n) => {
      // Between pages: a contact already listed rises (stays behind the cursor), one not yet
      // listed falls (stays ahead), a new contact arrives ahead, another behind; one changes tags.
      if (n === 1) {
        await change(ws, 'p1', { general: 115, tags: { t: 2 } });
        await change(ws, 'p9', { general: 25, tags: { t: 1 } });
        await change(ws, 'new-ahead', { general: 55, tags: { t: 1 } });
        await change(ws, 'new-behind', { general: 500, tags: { t: 1 } });
      }
      if (n === 2) {
        await change(ws, 'p8', { general: 35, tags: { t: 9, u: 1 } });
        await change(ws, 'p3', { general: 95, tags: { t: 1 } });
      }
    });
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => id !== 'new-ahead')).toEqual(original);
    expect(seen).toContain('new-ahead');
    expect(seen).not.toContain('new-behind');
  });

  describe('figures', () => {
    const ws = testWorkspace();
    const at = (iso: string) => (clock = Date.parse(iso));
    beforeAll(async () => {
      const admin = { workspaceId: ws, role: 'admin' as const };
      const set = await callSubgraph(
        lifecycle.url,
        admin,
        `mutation { updateLifecyclePolicy(input: { newCustomerGraceDays: 0 }) { newCustomerGraceDays } }`,
      );
      expect(set.errors).toBeUndefined();
      // p3 enters straight into PURCHASE; p1 goes NURTURE → PURCHASE → RETENTION → EXIT;
      // p2 buys from NURTURE; p4 arrives after the funnel's range.
      at('2026-03-01T12:00:00Z');
      await change(ws, 'p1', { general: 10 });
      await change(ws, 'p2', { general: 10 });
      await change(ws, 'p3', { general: 60 });
      at('2026-03-02T12:00:00Z');
      await change(ws, 'p1', { general: 60 });
      at('2026-03-03T18:00:00Z');
      await change(ws, 'p1', { general: 70, kind: 'PURCHASE' });
      await change(ws, 'p2', { general: 40, kind: 'PURCHASE' });
      at('2026-03-04T06:00:00Z');
      await change(ws, 'p1', { general: 5 });
      at('2026-03-05T12:00:00Z');
      await change(ws, 'p4', { general: 10 });
    });

    const counts = (n: number, p: number, r: number, e: number) => [
      { phase: 'NURTURE', contacts: n },
      { phase: 'PURCHASE', contacts: p },
      { phase: 'RETENTION', contacts: r },
      { phase: 'EXIT', contacts: e },
    ];

    it('counts contacts per phase now and at the end of each day', async () => {
      const { data, errors } = await callSubgraph(
        lifecycle.url,
        reader(ws),
        `query($from: DateTime, $to: DateTime) {
          phaseDistribution(from: $from, to: $to) { current { phase contacts } days { day phases { phase contacts } } }
        }`,
        { from: '2026-02-28T00:00:00Z', to: '2026-03-09T00:00:00Z' },
      );
      expect(errors).toBeUndefined();
      expect(data).toEqual({
        phaseDistribution: {
          current: counts(1, 1, 1, 1),
          // Up to today (now: 2026-03-05 12:00), counted at its end or now.
          days: [
            { day: '2026-02-28', phases: counts(0, 0, 0, 0) },
            { day: '2026-03-01', phases: counts(2, 1, 0, 0) },
            { day: '2026-03-02', phases: counts(1, 2, 0, 0) },
            { day: '2026-03-03', phases: counts(0, 1, 2, 0) },
            { day: '2026-03-04', phases: counts(0, 1, 1, 1) },
            { day: '2026-03-05', phases: counts(1, 1, 1, 1) },
          ],
        },
      });
      const now = await callSubgraph(
        lifecycle.url,
        reader(ws),
        `{ phaseDistribution { current { contacts } days { day } } }`,
      );
      expect(now.data).toEqual({
        phaseDistribution: { current: counts(1, 1, 1, 1).map(({ contacts }) => ({ contacts })), days: [] },
      });
    });

    it("counts the phases of scoring's trend buckets at each one's close, by bucket id, in its workspace only", async () => {
      const query = `query($reps: [_Any!]!) {
        _entities(representations: $reps) { ... on TrendBucket { id phases { phase contacts } } }
      }`;
      const reps = (...ids: string[]) => ({ reps: ids.map((id) => ({ __typename: 'TrendBucket', id })) });
      const { data, errors } = await callSubgraph(
        lifecycle.url,
        reader(ws),
        query,
        reps('DAY:2026-03-03', 'WEEK:2026-02-23', 'WEEK:2026-03-02', 'DAY:2026-03-09', 'WEEK:2026-03-03'),
      );
      expect(errors).toBeUndefined();
      expect(data).toEqual({
        _entities: [
          { id: 'DAY:2026-03-03', phases: counts(0, 1, 2, 0) },
          // Its close is the end of Sunday 2026-03-01.
          { id: 'WEEK:2026-02-23', phases: counts(2, 1, 0, 0) },
          // Still running (now: Thursday 2026-03-05 12:00): as of now.
          { id: 'WEEK:2026-03-02', phases: counts(1, 1, 1, 1) },
          // Not begun, and a week that does not start on a Monday: no bucket.
          null,
          null,
        ],
      });
      const elsewhere = await callSubgraph(lifecycle.url, reader(testWorkspace()), query, reps('DAY:2026-03-03'));
      expect(elsewhere.data).toEqual({ _entities: [{ id: 'DAY:2026-03-03', phases: counts(0, 0, 0, 0) }] });
    });

    it('follows the cohort that entered in the range through the funnel, with median times', async () => {
      const { data, errors } = await callSubgraph(
        lifecycle.url,
        reader(ws),
        `query($from: DateTime!, $to: DateTime!) {
          funnel(from: $from, to: $to) { from to entered steps { phase reached conversion medianSecondsFromPrevious } }
        }`,
        { from: '2026-03-01T00:00:00Z', to: '2026-03-05T00:00:00Z' },
      );
      expect(errors).toBeUndefined();
      expect(data).toEqual({
        funnel: {
          from: '2026-03-01T00:00:00.000Z',
          to: '2026-03-05T00:00:00.000Z',
          entered: 3,
          steps: [
            { phase: 'NURTURE', reached: 3, conversion: 1, medianSecondsFromPrevious: null },
            // p3 at once (0 s), p1 after a day: median 12 h.
            { phase: 'PURCHASE', reached: 2, conversion: 2 / 3, medianSecondsFromPrevious: 43_200 },
            // p2 bought from NURTURE: it reached RETENTION but not after PURCHASE; of p1 and p3, p1 went on (30 h).
            { phase: 'RETENTION', reached: 2, conversion: 0.5, medianSecondsFromPrevious: 108_000 },
            // Of p1 and p2, p1 left 12 h after it arrived.
            { phase: 'EXIT', reached: 1, conversion: 0.5, medianSecondsFromPrevious: 43_200 },
          ],
        },
      });
    });

    it('counts a contact whose document was written before startedAt and the list fields were stored', async () => {
      const old = testWorkspace();
      const at = new Date('2026-03-02T12:00:00Z');
      await models.ContactLifecycle.collection.insertOne({
        _id: `${old}:zed`,
        workspaceId: old,
        contactId: 'zed',
        phase: 'PURCHASE',
        half: 'PROSPECT',
        score: 55,
        transitionCount: 1,
        transitions: [{ n: 1, from: 'NURTURE', to: 'PURCHASE', half: 'PROSPECT', seq: 3, at, reason: 'r', score: 55 }],
        lastSeq: 3,
        updatedAt: at,
      } as never);
      const { data, errors } = await callSubgraph(
        lifecycle.url,
        reader(old),
        `{
          funnel(from: "2026-03-01T00:00:00Z", to: "2026-03-03T00:00:00Z") { entered steps { reached } }
          phaseDistribution(from: "2026-03-02T00:00:00Z", to: "2026-03-02T18:00:00Z") { days { phases { contacts } } }
          contacts { edges { node { id phase } } }
        }`,
      );
      expect(errors).toBeUndefined();
      expect(data).toEqual({
        funnel: { entered: 1, steps: [{ reached: 1 }, { reached: 1 }, { reached: 0 }, { reached: 0 }] },
        phaseDistribution: { days: [{ phases: [{ contacts: 0 }, { contacts: 1 }, { contacts: 0 }, { contacts: 0 }] }] },
        contacts: { edges: [{ node: { id: 'zed', phase: 'PURCHASE' } }] },
      });
    });

    it('lists a contact whose document was written before qualification and owners as NONE and unowned', async () => {
      const old = testWorkspace();
      const at = new Date('2026-03-02T12:00:00Z');
      await models.ContactLifecycle.collection.insertOne({
        _id: `${old}:ole`,
        workspaceId: old,
        contactId: 'ole',
        phase: 'NURTURE',
        half: 'PROSPECT',
        score: 12,
        startedAt: at,
        transitionCount: 0,
        transitions: [],
        lastSeq: 2,
        updatedAt: at,
      } as never);
      const ids = async (filter: Record<string, unknown>) => walk(old, { filter });
      expect(await ids({ qualifications: ['NONE'] })).toEqual(['ole']);
      expect(await ids({ qualifications: ['MQL'] })).toEqual([]);
      expect(await ids({ owned: false })).toEqual(['ole']);
      expect(await ids({ owned: true })).toEqual([]);
    });

    it('refuses a range that is backwards, too long, in the future or half given, naming the field', async () => {
      const fields = async (query: string, variables: Record<string, unknown>) => {
        const { data, errors } = await callSubgraph(lifecycle.url, reader(ws), query, variables);
        expect(data).toBeNull();
        expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        return errors![0]!.extensions!.fields;
      };
      const funnel = `query($from: DateTime!, $to: DateTime!) { funnel(from: $from, to: $to) { entered } }`;
      const distribution = `query($from: DateTime, $to: DateTime) { phaseDistribution(from: $from, to: $to) { days { day } } }`;
      expect(await fields(funnel, { from: '2026-03-05T00:00:00Z', to: '2026-03-01T00:00:00Z' })).toEqual([
        { path: 'to', message: 'later than from' },
      ]);
      expect(await fields(funnel, { from: '2025-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' })).toEqual([
        { path: 'to', message: 'at most 366 days after from' },
      ]);
      expect(await fields(distribution, { from: '2026-04-01T00:00:00Z', to: '2026-04-02T00:00:00Z' })).toEqual([
        { path: 'from', message: 'not in the future' },
      ]);
      expect(await fields(distribution, { from: '2026-03-01T00:00:00Z' })).toEqual([
        { path: 'to', message: 'give the end of the range (with from)' },
      ]);
    });
  });
});
