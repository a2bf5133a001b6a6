// Lead qualification and owners against real NATS and a real MongoDB-compatible server,
// with two lifecycle instances splitting the partitions: the qualification workflow with
// its refusals (each changing nothing, checked after a sentinel), round-robin over many
// contacts crossing the sales threshold at once (counts per owner exact, an inactive
// owner skipped), owners and teams edited (a reactivated owner back in the rotation, a
// new member order followed, a deactivated team's leads sent to the fallback team),
// routing by tag, country and territory, manual reassignment and an owner's contacts
// paged, and a real JetStream redelivery of a contact's batch and of a team's batch
// publishing nothing twice.
import { databaseName } from '@cei/config';
import { connectDatabase, type Database } from '@cei/mongo';
import { connectNats, publishEvent, type Nats } from '@cei/nats';
import {
  messageIds,
  partitionOf,
  topology,
  type LifecycleRequested,
  type OwnerAssigned,
  type QualificationChanged,
  type ScoreChanged,
} from '@cei/contracts';
import {
  callSubgraph,
  pinnedPartitions,
  probeSubject,
  redeliveryFault,
  serviceEnv,
  splitPartitions,
  testNamespace,
  testWorkspace,
  waitFor,
  type NatsProbe,
} from '@cei/testing';
import { loadLifecycleConfig } from './config';
import { lifecycleModels, type LifecycleModels } from './models';
import { startLifecycle, type Lifecycle } from './server';

const LEAD = /* GraphQL */ `
  query Lead($reps: [_Any!]!) {
    _entities(representations: $reps) {
      ... on Contact {
        id
        qualification
        qualificationHistory {
          id
          action
          from
          to
          at
          actor
          reason
        }
        owner {
          id
          name
        }
        ownerHistory {
          id
          method
          owner {
            id
          }
          previousOwner {
            id
          }
          team {
            id
          }
          actor
        }
      }
    }
  }
`;

interface Lead {
  id: string;
  qualification: string;
  qualificationHistory: {
    id: string;
    action: string;
    from: string;
    to: string;
    at: string;
    actor: string | null;
    reason: string | null;
  }[];
  owner: { id: string; name: string } | null;
  ownerHistory: {
    id: string;
    method: string;
    owner: { id: string } | null;
    previousOwner: { id: string } | null;
    team: { id: string } | null;
    actor: string | null;
  }[];
}

describe('lead qualification and owners', () => {
  const namespace = testNamespace('lifecycle-sales');
  const ns = topology(namespace);
  const config = loadLifecycleConfig(serviceEnv(namespace, { LIFECYCLE_PORT: '0' }));
  let first: Lifecycle;
  let second: Lifecycle;
  let nats: Nats;
  let steps: NatsProbe<QualificationChanged>;
  let assignments: NatsProbe<OwnerAssigned>;
  let db: Database;
  let models: LifecycleModels;
  // One fault for a contact's batch, one for a team's: each instance's handler is wrapped by both.
  const contactFaults = redeliveryFault<ScoreChanged | LifecycleRequested>();
  const teamFaults = redeliveryFault<ScoreChanged | LifecycleRequested>();
  const wrapHandler = ((handle: never) => teamFaults.wrap(contactFaults.wrap(handle))) as never;
  const clock = Date.parse('2026-04-01T09:00:00Z');
  const now = () => new Date(clock);

  beforeAll(async () => {
    [first, second] = await Promise.all([
      startLifecycle(config, undefined, { wrapHandler, now }),
      startLifecycle(config, undefined, { wrapHandler, now }),
    ]);
    nats = await connectNats(config.NATS_URL, 'lifecycle-sales-test');
    steps = await probeSubject<QualificationChanged>(ns.everyWorkspace.qualificationsChanged);
    assignments = await probeSubject<OwnerAssigned>(ns.everyWorkspace.ownersAssigned);
    db = await connectDatabase(config.MONGO_URL, databaseName(namespace, 'lifecycle'), 2);
    models = lifecycleModels(db);
    await splitBetweenInstances();
  });
  afterAll(async () => {
    await steps?.close();
    await assignments?.close();
    await nats?.close();
    await db?.close();
    await Promise.all([first?.stop(), second?.stop()]);
  });

  const pinnedTo = (instance: Lifecycle) => pinnedPartitions(instance.url, 'lifecycle');
  /** Both instances at work: each holds some of the partitions (see splitPartitions). */
  const splitBetweenInstances = (workspaceId = testWorkspace()) =>
    splitPartitions({
      pinned: [() => pinnedTo(first), () => pinnedTo(second)],
      workspaceId,
      publish: (contactId) => publishScore(workspaceId, contactId, 1),
      unpin: (p) => nats.jsm.consumers.unpin(ns.streams.scores.name, `lifecycle-p${p}`, 'owner'),
    });

  const admin = (workspaceId: string) => ({ workspaceId, role: 'admin' as const, actor: 'key-admin' });
  const sales = (workspaceId: string) => ({ workspaceId, role: 'write' as const, actor: 'key-sales' });
  const reader = (workspaceId: string) => ({ workspaceId, role: 'read' as const, actor: 'key-read' });

  let counter = 0;
  const scoreChanged = (ws: string, contactId: string, general: number): ScoreChanged => {
    const at = new Date().toISOString();
    return {
      v: 1,
      workspaceId: ws,
      contactId,
      cause: 'INTERACTION',
      interactionId: `i${++counter}`,
      kind: 'PAGE_VISIT',
      occurredAt: at,
      delta: 0,
      general,
      stage: 0,
      engagementIndex: 0,
      at,
    };
  };
  const publishScore = (
    ws: string,
    contactId: string,
    general: number,
    routing: Pick<ScoreChanged, 'tags' | 'contactProperties'> = {},
  ) => {
    const event = { ...scoreChanged(ws, contactId, general), ...routing };
    return publishEvent(
      nats.js,
      ns.subjects.scoreChanged(ws, contactId),
      event,
      messageIds.scoreChanged(ws, event.interactionId!),
    ).then(() => event);
  };
  const leadOf = async (ws: string, id: string): Promise<Lead> =>
    (await callSubgraph<{ _entities: Lead[] }>(first.url, reader(ws), LEAD, { reps: [{ __typename: 'Contact', id }] }))
      .data!._entities[0]!;
  const step = (
    caller: { workspaceId: string; role: 'admin' | 'write' | 'read'; actor: string },
    mutation: string,
    contactId: string,
    reason?: string,
  ) =>
    callSubgraph<Record<string, { id: string; qualification: string }>>(
      second.url,
      caller,
      reason === undefined
        ? `mutation($c: ID!) { ${mutation}(contactId: $c) { id qualification } }`
        : `mutation($c: ID!, $r: String!) { ${mutation}(contactId: $c, reason: $r) { id qualification } }`,
      reason === undefined ? { c: contactId } : { c: contactId, r: reason },
    );
  /** Every event the phases stream stored on `subject`, in stream order. */
  const stored = async <T>(subject: string): Promise<T[]> => {
    const info = await nats.jsm.streams.info(ns.streams.phases.name, { subjects_filter: subject });
    const count = info.state.subjects?.[subject] ?? 0;
    if (count === 0) return [];
    const reader = await nats.js.consumers.get(ns.streams.phases.name, { filter_subjects: [subject] });
    const found: T[] = [];
    for await (const msg of await reader.fetch({ max_messages: count, expires: 5_000 })) {
      found.push(msg.json<T>());
      if (found.length === count) break;
    }
    await reader.delete();
    return found;
  };
  const storedSteps = async (ws: string, contactId: string) =>
    (await stored<QualificationChanged>(ns.subjects.qualificationChanged(ws, contactId))).filter(
      (e) => e.workspaceId === ws && e.contactId === contactId,
    );
  const storedAssignments = async (ws: string, contactId: string) =>
    (await stored<OwnerAssigned>(ns.subjects.ownerAssigned(ws, contactId))).filter(
      (e) => e.workspaceId === ws && e.contactId === contactId,
    );

  async function createOwner(ws: string, name: string): Promise<string> {
    const created = await callSubgraph<{ createOwner: { id: string } }>(
      first.url,
      admin(ws),
      `mutation($i: OwnerInput!) { createOwner(input: $i) { id name active } }`,
      { i: { name, email: `${name.toLowerCase()}@example.com` } },
    );
    expect(created.errors).toBeUndefined();
    return created.data!.createOwner.id;
  }
  async function fallbackTeam(ws: string, memberIds: string[], salesAssignScore = 60): Promise<string> {
    const team = await callSubgraph<{ createTeam: { id: string } }>(
      first.url,
      admin(ws),
      `mutation($i: TeamInput!) { createTeam(input: $i) { id members { id } } }`,
      { i: { name: 'Inside sales', memberIds } },
    );
    expect(team.errors).toBeUndefined();
    const teamId = team.data!.createTeam.id;
    const policy = await callSubgraph(
      first.url,
      admin(ws),
      `mutation($i: QualificationPolicyInput!) { updateQualificationPolicy(input: $i) { marketingQualifiedScore salesAssignScore fallbackTeam { id } } }`,
      { i: { marketingQualifiedScore: 40, salesAssignScore, fallbackTeamId: teamId } },
    );
    expect(policy.data).toEqual({
      updateQualificationPolicy: { marketingQualifiedScore: 40, salesAssignScore, fallbackTeam: { id: teamId } },
    });
    return teamId;
  }
  async function team(ws: string, name: string, memberIds: string[]): Promise<string> {
    const created = await callSubgraph<{ createTeam: { id: string } }>(
      first.url,
      admin(ws),
      `mutation($i: TeamInput!) { createTeam(input: $i) { id } }`,
      { i: { name, memberIds } },
    );
    expect(created.errors).toBeUndefined();
    return created.data!.createTeam.id;
  }
  const ownerCounts = async (ws: string, ownerIds: string[]) =>
    Promise.all(
      ownerIds.map(async (id) => {
        const page = await callSubgraph<{ owner: { contacts: { totalCount: number } } }>(
          first.url,
          reader(ws),
          `query($id: ID!) { owner(id: $id) { contacts(first: 1) { totalCount } } }`,
          { id },
        );
        return page.data!.owner.contacts.totalCount;
      }),
    );

  it('takes a lead NONE → MQL → SAL → SQL, back to NURTURE when disqualified or rejected and MQL again, recording who and when, and refuses illegal steps, changing nothing', async () => {
    const ws = testWorkspace();
    // Given a lead whose score reached the marketing threshold (default 40)
    await publishScore(ws, 'ada', 45);
    await waitFor('the automatic MQL', async () => (await leadOf(ws, 'ada')).qualification === 'MQL');

    // When sales tries SQL before SAL, a read key accepts, and a step comes without a reason
    const early = await step(sales(ws), 'qualifyLead', 'ada');
    expect(early.errors?.[0]).toMatchObject({
      message: 'contactId: the lead is MQL; qualify needs a lead that is SAL',
      extensions: { code: 'BAD_USER_INPUT', fields: [{ path: 'contactId' }], qualification: 'MQL' },
    });
    expect((await step(reader(ws), 'acceptLead', 'ada')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await step(sales(ws), 'rejectLead', 'ada', '  ')).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'reason' }],
    });
    expect((await step(sales(ws), 'acceptLead', 'nobody')).errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      fields: [{ path: 'contactId' }],
    });

    // Then sales accepts and qualifies it, each step applied by the contact's owner
    expect((await step(sales(ws), 'acceptLead', 'ada')).data).toEqual({
      acceptLead: { id: 'ada', qualification: 'SAL' },
    });
    const twice = await step(sales(ws), 'acceptLead', 'ada');
    expect(twice.errors?.[0]?.message).toBe('contactId: the lead is SAL; accept needs a lead that is MQL');
    expect((await step(sales(ws), 'qualifyLead', 'ada')).data).toEqual({
      qualifyLead: { id: 'ada', qualification: 'SQL' },
    });
    expect((await step(sales(ws), 'rejectLead', 'ada', 'no budget')).errors?.[0]?.message).toBe(
      'contactId: the lead is SQL; reject needs a lead that is MQL or SAL',
    );
    // Disqualified, it returns to NURTURE with the reason, and qualifies again when its score next reaches 40
    expect((await step(sales(ws), 'disqualifyLead', 'ada', 'student, not a buyer')).data).toEqual({
      disqualifyLead: { id: 'ada', qualification: 'NURTURE' },
    });
    await publishScore(ws, 'ada', 10);
    await publishScore(ws, 'ada', 41);
    // Sentinel: the second MQL, through the same partition, after every refusal
    await waitFor('the second MQL', async () => (await leadOf(ws, 'ada')).qualification === 'MQL');

    const at = new Date(clock).toISOString();
    expect((await leadOf(ws, 'ada')).qualificationHistory).toEqual([
      {
        id: 'ada~q5',
        action: 'MARKETING_QUALIFY',
        from: 'NURTURE',
        to: 'MQL',
        at,
        actor: null,
        reason: 'score reached the marketing threshold',
      },
      {
        id: 'ada~q4',
        action: 'DISQUALIFY',
        from: 'SQL',
        to: 'NURTURE',
        at,
        actor: 'key-sales',
        reason: 'student, not a buyer',
      },
      { id: 'ada~q3', action: 'QUALIFY', from: 'SAL', to: 'SQL', at, actor: 'key-sales', reason: null },
      { id: 'ada~q2', action: 'ACCEPT', from: 'MQL', to: 'SAL', at, actor: 'key-sales', reason: null },
      {
        id: 'ada~q1',
        action: 'MARKETING_QUALIFY',
        from: 'NONE',
        to: 'MQL',
        at,
        actor: null,
        reason: 'score reached the marketing threshold',
      },
    ]);
    // Published once each, in order: the refusals published nothing
    expect((await storedSteps(ws, 'ada')).map((e) => [e.stepId, e.to])).toEqual([
      ['ada~q1', 'MQL'],
      ['ada~q2', 'SAL'],
      ['ada~q3', 'SQL'],
      ['ada~q4', 'NURTURE'],
      ['ada~q5', 'MQL'],
    ]);

    // A rejected MQL returns to NURTURE with the reason; a score still over the threshold does not
    // requalify it, only the next crossing from below does
    await publishScore(ws, 'bo', 40);
    await waitFor('bo MQL', async () => (await leadOf(ws, 'bo')).qualification === 'MQL');
    expect((await step(sales(ws), 'rejectLead', 'bo', 'wrong region')).data).toEqual({
      rejectLead: { id: 'bo', qualification: 'NURTURE' },
    });
    await publishScore(ws, 'bo', 55);
    await publishScore(ws, 'bo', 12);
    await publishScore(ws, 'bo', 40);
    // Sentinel: the second MQL, after the score changes before it in the same partition
    await waitFor('bo MQL again', async () => (await leadOf(ws, 'bo')).qualification === 'MQL');
    const reason = 'score reached the marketing threshold';
    expect((await leadOf(ws, 'bo')).qualificationHistory).toEqual([
      { id: 'bo~q3', action: 'MARKETING_QUALIFY', from: 'NURTURE', to: 'MQL', at, actor: null, reason },
      { id: 'bo~q2', action: 'REJECT', from: 'MQL', to: 'NURTURE', at, actor: 'key-sales', reason: 'wrong region' },
      { id: 'bo~q1', action: 'MARKETING_QUALIFY', from: 'NONE', to: 'MQL', at, actor: null, reason },
    ]);
    expect((await storedSteps(ws, 'bo')).map((e) => [e.stepId, e.action, e.from, e.to, e.reason])).toEqual([
      ['bo~q1', 'MARKETING_QUALIFY', 'NONE', 'MQL', reason],
      ['bo~q2', 'REJECT', 'MQL', 'NURTURE', 'wrong region'],
      ['bo~q3', 'MARKETING_QUALIFY', 'NURTURE', 'MQL', reason],
    ]);

    // The counts cover every step of the day
    const counts = await callSubgraph(
      first.url,
      reader(ws),
      `query($f: DateTime!, $t: DateTime!) { qualificationCounts(from: $f, to: $t) { mql sal sql rejected disqualified } }`,
      { f: '2026-04-01T00:00:00Z', t: '2026-04-02T00:00:00Z' },
    );
    expect(counts.data).toEqual({ qualificationCounts: { mql: 4, sal: 1, sql: 1, rejected: 1, disqualified: 1 } });
    const outside = await callSubgraph(
      first.url,
      reader(ws),
      `query($f: DateTime!, $t: DateTime!) { qualificationCounts(from: $f, to: $t) { mql } }`,
      { f: '2026-04-02T00:00:00Z', t: '2026-04-01T00:00:00Z' },
    );
    expect(outside.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ path: 'to' }] });
  });

  it('assigns 60 leads crossing the sales threshold at once round-robin, 20 per owner, then skips an inactive owner', async () => {
    const ws = testWorkspace();
    const owners = [await createOwner(ws, 'Ann'), await createOwner(ws, 'Bob'), await createOwner(ws, 'Cy')];
    const teamId = await fallbackTeam(ws, owners);

    // When 60 contacts (in many partitions, on both instances) cross the sales threshold at once
    const leads = Array.from({ length: 60 }, (_, i) => `lead-${i}`);
    await Promise.all(leads.map((id) => publishScore(ws, id, 70)));
    await waitFor('60 assignments', async () => (await ownerCounts(ws, owners)).reduce((a, b) => a + b) === 60, {
      timeoutMs: 60_000,
    });

    // Then each owner has exactly 20, each lead one owner, one assignment each
    expect(await ownerCounts(ws, owners)).toEqual([20, 20, 20]);
    // and both instances applied some of them (each holds partitions of these leads)
    const partitions = new Set(leads.map((id) => partitionOf(ws, id)));
    for (const instance of [first, second]) {
      expect((await pinnedTo(instance)).some((p) => partitions.has(p))).toBe(true);
    }
    const lead = await leadOf(ws, 'lead-7');
    expect(lead.qualification).toBe('MQL');
    expect(lead.ownerHistory).toEqual([
      {
        id: 'lead-7~o1',
        method: 'ROUND_ROBIN',
        owner: { id: lead.owner!.id },
        previousOwner: null,
        team: { id: teamId },
        actor: null,
      },
    ]);

    // When Bob is deactivated and 30 more leads cross
    await callSubgraph(first.url, admin(ws), `mutation($id: ID!) { deactivateOwner(id: $id) { active } }`, {
      id: owners[1],
    });
    await Promise.all(Array.from({ length: 30 }, (_, i) => publishScore(ws, `late-${i}`, 65)));
    await waitFor('30 more assignments', async () => (await ownerCounts(ws, owners)).reduce((a, b) => a + b) === 90, {
      timeoutMs: 60_000,
    });
    // Then Ann and Cy took 15 each and Bob none
    expect(await ownerCounts(ws, owners)).toEqual([35, 20, 35]);
    const published = assignments.events.filter((e) => e.payload.workspaceId === ws).map((e) => e.payload.assignmentId);
    expect(new Set(published).size).toBe(90);
  });

  it('routes leads by tag score, country and highest tag to their teams, round-robin inside each, else to the fallback team', async () => {
    const ws = testWorkspace();
    const names = ['E1', 'E2', 'F1', 'S1', 'S2', 'G1', 'D1', 'D2', 'D3'];
    const owner: Record<string, string> = {};
    for (const name of names) owner[name] = await createOwner(ws, name);
    for (const name of ['S2', 'G1']) {
      await callSubgraph(first.url, admin(ws), `mutation($id: ID!) { deactivateOwner(id: $id) { active } }`, {
        id: owner[name],
      });
    }
    const enterprise = await team(ws, 'Enterprise', [owner.E1!, owner.E2!]);
    const france = await team(ws, 'France', [owner.F1!]);
    const smb = await team(ws, 'SMB', [owner.S1!, owner.S2!]);
    const idle = await team(ws, 'Nobody active', [owner.G1!]);
    const fallback = await team(ws, 'Inside sales', [owner.D1!, owner.D2!, owner.D3!]);
    const update = `mutation($i: QualificationPolicyInput!) { updateQualificationPolicy(input: $i) { routingRules { team { id } tag minTagScore highestTag property values } fallbackTeam { id } } }`;
    const rules = [
      { teamId: enterprise, tag: 'enterprise', minTagScore: 30 },
      { teamId: france, property: 'COUNTRY', values: ['FR', 'BE'] },
      { teamId: smb, highestTag: 'smb' },
      { teamId: idle, highestTag: 'ghost' },
    ];
    // A rule naming another workspace's team or two conditions is refused, naming the field
    const bad = await callSubgraph(first.url, admin(ws), update, {
      i: {
        salesAssignScore: 60,
        fallbackTeamId: fallback,
        routingRules: [
          { teamId: 'elsewhere', highestTag: 'x' },
          { teamId: smb, highestTag: 'x', tag: 'y' },
        ],
      },
    });
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'input.routingRules[1]' }, { path: 'input.routingRules[0].teamId' }],
    });
    const set = await callSubgraph(first.url, admin(ws), update, {
      i: { salesAssignScore: 60, fallbackTeamId: fallback, routingRules: rules },
    });
    expect(set.data).toEqual({
      updateQualificationPolicy: {
        routingRules: [
          {
            team: { id: enterprise },
            tag: 'enterprise',
            minTagScore: 30,
            highestTag: null,
            property: null,
            values: null,
          },
          {
            team: { id: france },
            tag: null,
            minTagScore: null,
            highestTag: null,
            property: 'COUNTRY',
            values: ['FR', 'BE'],
          },
          { team: { id: smb }, tag: null, minTagScore: null, highestTag: 'smb', property: null, values: null },
          { team: { id: idle }, tag: null, minTagScore: null, highestTag: 'ghost', property: null, values: null },
        ],
        fallbackTeam: { id: fallback },
      },
    });

    // When leads cross the sales threshold at once: their country was given by an earlier interaction
    const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
    await Promise.all(range('fr', 5).map((id) => publishScore(ws, id, 10, { contactProperties: { country: 'fr' } })));
    await waitFor(
      'the French leads known',
      async () => (await models.ContactLifecycle.countDocuments({ workspaceId: ws })) === 5,
    );
    await Promise.all([
      ...range('ent', 12).map((id) => publishScore(ws, id, 70, { tags: { enterprise: 40, smb: 50 } })),
      ...range('fr', 5).map((id) => publishScore(ws, id, 70, { tags: { enterprise: 10 } })),
      ...range('smb', 6).map((id) => publishScore(ws, id, 70, { tags: { smb: 10, web: 2 } })),
      ...range('ghost', 6).map((id) => publishScore(ws, id, 70, { tags: { ghost: 9 } })),
      ...range('plain', 3).map((id) => publishScore(ws, id, 70)),
    ]);
    const all = names.map((name) => owner[name]!);
    await waitFor('32 assignments', async () => (await ownerCounts(ws, all)).reduce((a, b) => a + b) === 32, {
      timeoutMs: 60_000,
    });

    // Then each team's leads went round its active owners; a team with none sent them to the fallback team
    const counts = await ownerCounts(ws, all);
    expect(Object.fromEntries(names.map((name, i) => [name, counts[i]]))).toEqual({
      E1: 6,
      E2: 6,
      F1: 5,
      S1: 6,
      S2: 0,
      G1: 0,
      D1: 3,
      D2: 3,
      D3: 3,
    });
    expect((await leadOf(ws, 'ghost-0')).ownerHistory[0]!.team).toEqual({ id: fallback });
  });

  it('shows an owner’s changed fields, gives a reactivated owner leads again, and follows a team’s new member order', async () => {
    const ws = testWorkspace();
    const [ann, bob, cy] = [await createOwner(ws, 'Ann'), await createOwner(ws, 'Bob'), await createOwner(ws, 'Cy')];
    const teamId = await fallbackTeam(ws, [ann, bob, cy]);
    const asAdmin = <T>(query: string, variables: Record<string, unknown>) =>
      callSubgraph<T>(first.url, admin(ws), query, variables);
    const updateOwner = `mutation($id: ID!, $i: OwnerInput!) { updateOwner(id: $id, input: $i) { id name email active updatedAt } }`;
    const updateTeam = `mutation($id: ID!, $i: TeamInput!) { updateTeam(id: $id, input: $i) { id name active members { id } } }`;
    /** Leads crossing the sales threshold one after another: the owner each got, in order. */
    const assignInTurn = async (ids: string[]) => {
      const got: string[] = [];
      for (const id of ids) {
        await publishScore(ws, id, 70);
        await waitFor(`${id} assigned`, async () => (await leadOf(ws, id)).owner !== null);
        got.push((await leadOf(ws, id)).owner!.id);
      }
      return got;
    };

    // When an admin changes Ann's name and email and clears Bob's email
    expect(
      (await asAdmin(updateOwner, { id: ann, i: { name: ' Ann Lee ', email: 'ann.lee@example.com' } })).data,
    ).toEqual({
      updateOwner: {
        id: ann,
        name: 'Ann Lee',
        email: 'ann.lee@example.com',
        active: true,
        updatedAt: now().toISOString(),
      },
    });
    expect((await asAdmin(updateOwner, { id: bob, i: { email: null } })).data).toEqual({
      updateOwner: { id: bob, name: 'Bob', email: null, active: true, updatedAt: now().toISOString() },
    });
    // (a blank name and an unknown owner are refused, naming the field)
    expect((await asAdmin(updateOwner, { id: cy, i: { name: ' ' } })).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'input.name' }],
    });
    expect((await asAdmin(updateOwner, { id: 'nobody', i: { name: 'X' } })).errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      fields: [{ path: 'id' }],
    });
    // Then the owner and the team's members read the new fields; Cy is unchanged
    const read = await callSubgraph<{ team: { members: { id: string; name: string; email: string | null }[] } }>(
      second.url,
      reader(ws),
      `query($id: ID!) { team(id: $id) { members { id name email } } }`,
      { id: teamId },
    );
    expect(read.data!.team.members).toEqual([
      { id: ann, name: 'Ann Lee', email: 'ann.lee@example.com' },
      { id: bob, name: 'Bob', email: null },
      { id: cy, name: 'Cy', email: 'cy@example.com' },
    ]);

    // When Bob is deactivated, the rotation skips him
    await asAdmin(`mutation($id: ID!) { deactivateOwner(id: $id) { active } }`, { id: bob });
    expect(await assignInTurn(['a1', 'a2', 'a3'])).toEqual([ann, cy, ann]);
    // and once he is active again, he takes his turn after Ann
    expect(
      (
        await asAdmin<{ activateOwner: { active: boolean } }>(
          `mutation($id: ID!) { activateOwner(id: $id) { active } }`,
          { id: bob },
        )
      ).data,
    ).toEqual({ activateOwner: { active: true } });
    expect(await assignInTurn(['b1', 'b2', 'b3'])).toEqual([bob, cy, ann]);

    // When the team's order becomes Cy, Bob, Ann (an unknown member is refused first, changing nothing)
    expect(
      (await asAdmin(updateTeam, { id: teamId, i: { memberIds: [cy, 'ghost'] } })).errors?.[0]?.extensions,
    ).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'input.memberIds[1]' }],
    });
    expect((await asAdmin(updateTeam, { id: teamId, i: { memberIds: [cy, bob, ann] } })).data).toEqual({
      updateTeam: { id: teamId, name: 'Inside sales', active: true, members: [{ id: cy }, { id: bob }, { id: ann }] },
    });
    // Then the rotation goes on from Ann (the last one given) in the new order
    expect(await assignInTurn(['c1', 'c2', 'c3', 'c4'])).toEqual([cy, bob, ann, cy]);
    expect(await ownerCounts(ws, [ann, bob, cy])).toEqual([4, 2, 4]);
    // and a contact's owner resolves with the owner's changed name
    expect((await leadOf(ws, 'a1')).owner).toEqual({ id: ann, name: 'Ann Lee' });
  });

  it('routes leads by territory to their teams, and the leads of a deactivated team to the fallback team', async () => {
    const ws = testWorkspace();
    const names = ['W1', 'W2', 'N1', 'D1', 'D2'];
    const owner: Record<string, string> = {};
    for (const name of names) owner[name] = await createOwner(ws, name);
    const west = await team(ws, 'West', [owner.W1!, owner.W2!]);
    const north = await team(ws, 'North', [owner.N1!]);
    const fallback = await team(ws, 'Inside sales', [owner.D1!, owner.D2!]);
    const set = await callSubgraph(
      first.url,
      admin(ws),
      `mutation($i: QualificationPolicyInput!) { updateQualificationPolicy(input: $i) { routingRules { team { id } property values } } }`,
      {
        i: {
          salesAssignScore: 60,
          fallbackTeamId: fallback,
          routingRules: [
            { teamId: west, property: 'TERRITORY', values: ['West', 'Pacific'] },
            { teamId: north, property: 'TERRITORY', values: ['north'] },
          ],
        },
      },
    );
    expect(set.errors).toBeUndefined();
    const all = names.map((name) => owner[name]!);
    const byName = async () => {
      const counts = await ownerCounts(ws, all);
      return Object.fromEntries(names.map((name, i) => [name, counts[i]]));
    };
    const total = async () => (await ownerCounts(ws, all)).reduce((a, b) => a + b);
    const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
    const crossing = (ids: string[], properties: Record<string, string>) =>
      ids.map((id) => publishScore(ws, id, 70, { contactProperties: properties }));

    // When leads cross the sales threshold at once with their territory (case ignored); a country
    // named like a territory, or a territory no rule names, matches no rule
    await Promise.all([
      ...crossing(range('west', 3), { territory: 'WEST' }),
      ...crossing(range('pacific', 3), { territory: 'pacific' }),
      ...crossing(range('north', 2), { territory: 'North' }),
      ...crossing(range('south', 2), { territory: 'south' }),
      ...crossing(['country-west'], { country: 'west' }),
    ]);
    await waitFor('11 assignments', async () => (await total()) === 11, { timeoutMs: 60_000 });
    // Then each team's leads went round its owners, the others to the fallback team
    expect(await byName()).toEqual({ W1: 3, W2: 3, N1: 2, D1: 2, D2: 1 });
    expect((await leadOf(ws, 'north-0')).ownerHistory[0]!.team).toEqual({ id: north });

    // When the North team is deactivated and more northern leads cross
    const off = await callSubgraph(first.url, admin(ws), `mutation($id: ID!) { deactivateTeam(id: $id) { active } }`, {
      id: north,
    });
    expect(off.data).toEqual({ deactivateTeam: { active: false } });
    await Promise.all(crossing(range('late-north', 3), { territory: 'north' }));
    await waitFor('14 assignments', async () => (await total()) === 14, { timeoutMs: 60_000 });
    // Then the fallback team's rotation took them (D2, D1, D2 after D1); N1 got none
    expect(await byName()).toEqual({ W1: 3, W2: 3, N1: 2, D1: 3, D2: 3 });
    const late = await leadOf(ws, 'late-north-0');
    expect(late.ownerHistory.map((a) => [a.method, a.team?.id])).toEqual([['ROUND_ROBIN', fallback]]);
  });

  it('reassigns by hand to an active owner of the workspace only, and pages an owner’s contacts', async () => {
    const ws = testWorkspace();
    const other = testWorkspace();
    const [ann, bob, idle] = [
      await createOwner(ws, 'Ann'),
      await createOwner(ws, 'Bob'),
      await createOwner(ws, 'Idle'),
    ];
    const stranger = await createOwner(other, 'Stranger');
    await callSubgraph(first.url, admin(ws), `mutation($id: ID!) { deactivateOwner(id: $id) { active } }`, {
      id: idle,
    });
    for (const id of ['c1', 'c2', 'c3']) await publishScore(ws, id, 5);
    await waitFor(
      'three contacts',
      async () => (await models.ContactLifecycle.countDocuments({ workspaceId: ws })) === 3,
    );

    const assign = (caller: ReturnType<typeof sales> | ReturnType<typeof reader>, contactId: string, ownerId: string) =>
      callSubgraph<{ assignOwner: { id: string; owner: { id: string } | null } }>(
        second.url,
        caller,
        `mutation($c: ID!, $o: ID!) { assignOwner(contactId: $c, ownerId: $o) { id owner { id } } }`,
        { c: contactId, o: ownerId },
      );
    for (const id of ['c1', 'c2', 'c3'])
      expect((await assign(sales(ws), id, ann)).data?.assignOwner.owner).toEqual({ id: ann });
    // Refused: another workspace's owner, an inactive one, a read key; nothing changes
    expect((await assign(sales(ws), 'c1', stranger)).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'ownerId', message: `no owner ${stranger} in this workspace` }],
    });
    expect((await assign(sales(ws), 'c1', idle)).errors?.[0]?.message).toBe(`ownerId: owner ${idle} is deactivated`);
    expect((await assign(reader(ws), 'c1', bob)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await assign(sales(other), 'c1', stranger)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // Sentinel: a reassignment that goes through
    expect((await assign(sales(ws), 'c2', bob)).data?.assignOwner.owner).toEqual({ id: bob });
    expect((await leadOf(ws, 'c1')).ownerHistory.map((a) => [a.method, a.owner?.id, a.actor])).toEqual([
      ['MANUAL', ann, 'key-sales'],
    ]);
    expect((await leadOf(ws, 'c2')).ownerHistory.map((a) => [a.owner?.id, a.previousOwner?.id ?? null])).toEqual([
      [bob, ann],
      [ann, null],
    ]);
    expect((await storedAssignments(ws, 'c1')).map((a) => a.ownerId)).toEqual([ann]);

    // Ann's contacts, a page of one at a time
    const page = (after: string | null) =>
      callSubgraph<{
        owner: { contacts: { nodes: { id: string }[]; endCursor: string | null; hasNextPage: boolean } };
      }>(
        first.url,
        reader(ws),
        `query($id: ID!, $after: ID) { owner(id: $id) { contacts(first: 1, after: $after) { nodes { id } endCursor hasNextPage } } }`,
        { id: ann, after },
      );
    const one = (await page(null)).data!.owner.contacts;
    const two = (await page(one.endCursor)).data!.owner.contacts;
    expect([one, two]).toEqual([
      { nodes: [{ id: 'c1' }], endCursor: 'c1', hasNextPage: true },
      { nodes: [{ id: 'c3' }], endCursor: 'c3', hasNextPage: false },
    ]);
    // Another workspace sees none of it
    expect(
      (await callSubgraph(first.url, reader(other), `query($id: ID!) { owner(id: $id) { id } }`, { id: ann })).data,
    ).toEqual({
      owner: null,
    });
  });

  it('publishes a step, a route and an assignment once when a contact’s batch and a team’s batch are redelivered', async () => {
    const ws = testWorkspace();
    const owners = [await createOwner(ws, 'Ann'), await createOwner(ws, 'Bob')];
    await fallbackTeam(ws, owners);
    // The contact's batch fails after its writes: the MQL step and the lead route were promised
    const contactFault = contactFaults.failOnceAfterWrites({
      matches: (d) => d.event.workspaceId === ws && d.event.contactId === 'red' && !('request' in d.event),
      snapshot: () => models.ContactLifecycle.findById(`${ws}:red`).lean().exec(),
    });
    // and so does the team's batch answering the route
    const teamFault = teamFaults.failOnceAfterWrites({
      matches: (d) => d.event.workspaceId === ws && 'request' in d.event && d.event.request === 'LEAD_ROUTE',
    });
    await publishScore(ws, 'red', 80);
    const contact = await contactFault.redelivered(30_000);
    expect(contact.before).toMatchObject({ qualification: 'MQL', lastSeq: contact.failed[0]!.seq });
    const team = await teamFault.redelivered(30_000);
    expect(team.again.map((d) => d.seq)).toEqual(team.failed.map((d) => d.seq));

    // Sentinel: a later lead of the same team gets the other owner
    await publishScore(ws, 'sentinel', 80);
    await waitFor('the sentinel assigned', async () => (await leadOf(ws, 'sentinel')).owner !== null, {
      timeoutMs: 30_000,
    });

    const red = await leadOf(ws, 'red');
    expect(red.qualificationHistory.map((s) => s.id)).toEqual(['red~q1']);
    expect(red.ownerHistory.map((a) => a.id)).toEqual(['red~o1']);
    expect((await leadOf(ws, 'sentinel')).owner!.id).not.toBe(red.owner!.id);
    // Re-published with the same ids: core NATS saw copies, the stream kept one of each
    expect(steps.events.filter((e) => e.payload.workspaceId === ws && e.payload.contactId === 'red').length).toBe(2);
    expect((await storedSteps(ws, 'red')).map((e) => e.stepId)).toEqual(['red~q1']);
    expect((await storedAssignments(ws, 'red')).map((e) => e.assignmentId)).toEqual(['red~o1']);
    expect(await ownerCounts(ws, owners)).toEqual([1, 1]);
  });

  it('publishes a sales step once when the batch that applied the request is redelivered', async () => {
    const ws = testWorkspace();
    await publishScore(ws, 'rex', 45);
    await waitFor('rex MQL', async () => (await leadOf(ws, 'rex')).qualification === 'MQL');
    const armed = contactFaults.failOnceAfterWrites({
      matches: (d) => d.event.workspaceId === ws && 'request' in d.event && d.event.request === 'QUALIFICATION_STEP',
      snapshot: () => models.ContactLifecycle.findById(`${ws}:rex`).lean().exec(),
    });

    // When sales accepts the lead and the batch that applied it fails after its write
    expect((await step(sales(ws), 'acceptLead', 'rex')).data).toEqual({
      acceptLead: { id: 'rex', qualification: 'SAL' },
    });
    const { failed, again, before } = await armed.redelivered(30_000);
    expect(again.map((d) => [d.seq, d.redelivered])).toEqual(failed.map((d) => [d.seq, true]));
    expect(before).toMatchObject({ qualification: 'SAL', lastSeq: failed[0]!.seq });

    // Sentinel: the next step of the same lead
    expect((await step(sales(ws), 'qualifyLead', 'rex')).data).toEqual({
      qualifyLead: { id: 'rex', qualification: 'SQL' },
    });
    await waitFor('the SQL step published', () =>
      steps.events.some((e) => e.payload.workspaceId === ws && e.payload.stepId === 'rex~q3'),
    );
    // The accept was re-published (core NATS saw it twice) and stored once; applied once
    expect(steps.events.filter((e) => e.payload.workspaceId === ws).map((e) => e.payload.stepId)).toEqual([
      'rex~q1',
      'rex~q2',
      'rex~q2',
      'rex~q3',
    ]);
    expect((await storedSteps(ws, 'rex')).map((e) => [e.stepId, e.to])).toEqual([
      ['rex~q1', 'MQL'],
      ['rex~q2', 'SAL'],
      ['rex~q3', 'SQL'],
    ]);
  });
});
