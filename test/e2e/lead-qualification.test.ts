// Lead qualification and owners through the real gateway, on real processes (two
// lifecycle instances run; which holds which partition is the server's choice: the
// exact round-robin with the partitions split between two instances is proven in
// services/lifecycle/src/sales.test.ts): interactions take leads over the marketing and sales
// thresholds, sales steps and assignments run with a write key and record the key's
// id, a read key changes nothing, and another workspace's contact, owner and team are
// invisible and untouchable over HTTP.
import { databaseName } from '@cei/config';
import { connectDatabase, type Database } from '@cei/mongo';
import { testNamespace, waitFor } from '@cei/testing';
import { createWorkspace, type WorkspaceKeys } from '@cei/gateway/src/auth/api-keys';
import { startPlatform, type Platform } from '../src/platform';
import { gql, subscribe } from '../src/gateway-client';

const TRACK = `mutation($i: [InteractionInput!]!) { trackInteractions(interactions: $i) { accepted } }`;
const LEAD = /* GraphQL */ `
  query Lead($id: ID!) {
    contact(id: $id) {
      id
      email
      phase
      qualification
      qualificationHistory {
        action
        to
        actor
        reason
      }
      owner {
        id
        name
      }
    }
  }
`;
type Lead = {
  contact: {
    id: string;
    email: string | null;
    phase: string;
    qualification: string;
    qualificationHistory: { action: string; to: string; actor: string | null; reason: string | null }[];
    owner: { id: string; name: string } | null;
  } | null;
};

describe('lead qualification and owners through the gateway', () => {
  let platform: Platform;
  let gatewayDb: Database;
  let acme: WorkspaceKeys;
  let globex: WorkspaceKeys;
  const http = () => platform.gateways[0]!.httpUrl;

  beforeAll(async () => {
    const namespace = testNamespace('leads');
    platform = await startPlatform({
      natsUrl: process.env.NATS_URL!,
      mongoUrl: process.env.MONGO_URL!,
      namespace,
      replicas: { lifecycle: 2 },
    });
    gatewayDb = await connectDatabase(process.env.MONGO_URL!, databaseName(namespace, 'gateway'));
    [acme, globex] = [await createWorkspace(gatewayDb.connection), await createWorkspace(gatewayDb.connection)];
  }, 90_000);
  afterAll(async () => {
    await gatewayDb?.close();
    await platform?.stop();
  });

  const lead = async (key: string, id: string) => (await gql<Lead>(http(), key, LEAD, { id })).data?.contact ?? null;
  const visit = (key: string, id: string, contactId: string) =>
    gql(http(), key, TRACK, {
      i: [{ id, kind: 'PAGE_VISIT', source: 'AD', contactId, email: `${contactId}@example.com` }],
    });

  it('qualifies and assigns leads with a write key, recording the key, and keeps them from other workspaces and read keys', async () => {
    // Given acme's rule (a visit from an ad: 50 points), three owners and a team taking leads at 60
    const rule = await gql(
      http(),
      acme.keys.admin,
      `mutation($i: ScoringRuleInput!) { createScoringRule(input: $i) { id } }`,
      {
        i: { kind: 'PAGE_VISIT', variant: 'AD', points: 50 },
      },
    );
    expect(rule.errors).toBeUndefined();
    const owners: string[] = [];
    for (const name of ['Ann', 'Bob', 'Cy']) {
      const created = await gql<{ createOwner: { id: string } }>(
        http(),
        acme.keys.admin,
        `mutation($i: OwnerInput!) { createOwner(input: $i) { id } }`,
        { i: { name } },
      );
      owners.push(created.data!.createOwner.id);
    }
    const team = await gql<{ createTeam: { id: string } }>(
      http(),
      acme.keys.admin,
      `mutation($i: TeamInput!) { createTeam(input: $i) { id } }`,
      { i: { name: 'Inside sales', memberIds: owners } },
    );
    const teamId = team.data!.createTeam.id;
    const policy = await gql(
      http(),
      acme.keys.admin,
      `mutation($i: QualificationPolicyInput!) { updateQualificationPolicy(input: $i) { salesAssignScore } }`,
      { i: { marketingQualifiedScore: 40, salesAssignScore: 60, fallbackTeamId: teamId } },
    );
    expect(policy.data).toEqual({ updateQualificationPolicy: { salesAssignScore: 60 } });

    // When six leads visit once (MQL) and then again (over the sales threshold)
    const leads = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6'];
    for (const id of leads) expect((await visit(acme.keys.write, `${id}-a`, id)).status).toBe(200);
    await waitFor(
      'six MQLs',
      async () => {
        const found = await Promise.all(leads.map((id) => lead(acme.keys.read, id)));
        return found.every((l) => l?.qualification === 'MQL');
      },
      { timeoutMs: 60_000 },
    );
    for (const id of leads) await visit(acme.keys.write, `${id}-b`, id);
    await waitFor(
      'six owners',
      async () => {
        const found = await Promise.all(leads.map((id) => lead(acme.keys.read, id)));
        return found.every((l) => l?.owner !== null);
      },
      { timeoutMs: 60_000 },
    );

    // Then round-robin gave each owner two
    const counts = await Promise.all(
      owners.map(
        async (id) =>
          (
            await gql<{ owner: { contacts: { totalCount: number } } }>(
              http(),
              acme.keys.read,
              `query($id: ID!) { owner(id: $id) { contacts { totalCount } } }`,
              { id },
            )
          ).data!.owner.contacts.totalCount,
      ),
    );
    expect(counts).toEqual([2, 2, 2]);

    // A read key cannot step, assign or manage (403 at the gateway), a write key cannot manage owners
    const readStep = await gql(http(), acme.keys.read, `mutation { acceptLead(contactId: "l1") { id } }`);
    expect([readStep.status, readStep.errors?.[0]?.extensions?.code]).toEqual([403, 'FORBIDDEN']);
    const readAssign = await gql(
      http(),
      acme.keys.read,
      `mutation($o: ID!) { assignOwner(contactId: "l1", ownerId: $o) { id } }`,
      { o: owners[2] },
    );
    expect(readAssign.status).toBe(403);
    const writeManage = await gql(http(), acme.keys.write, `mutation($id: ID!) { deactivateOwner(id: $id) { id } }`, {
      id: owners[0],
    });
    expect([writeManage.status, writeManage.errors?.[0]?.extensions?.code]).toEqual([403, 'FORBIDDEN']);

    // Globex sees none of acme's contacts, owners or teams, and can change none of them
    expect((await lead(globex.keys.read, 'l1'))?.qualification ?? 'NONE').toBe('NONE');
    const seen = await gql(
      http(),
      globex.keys.admin,
      `query($o: ID!, $t: ID!) { owner(id: $o) { id } team(id: $t) { id } owners { id } teams { id } }`,
      {
        o: owners[0],
        t: teamId,
      },
    );
    expect(seen.data).toEqual({ owner: null, team: null, owners: [], teams: [] });
    const foreignStep = await gql(http(), globex.keys.write, `mutation { acceptLead(contactId: "l1") { id } }`);
    expect(foreignStep.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const foreignAssign = await gql(
      http(),
      globex.keys.write,
      `mutation($o: ID!) { assignOwner(contactId: "l1", ownerId: $o) { id } }`,
      { o: owners[0] },
    );
    expect(foreignAssign.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'ownerId' }],
    });
    const foreignEdit = await gql(
      http(),
      globex.keys.admin,
      `mutation($id: ID!) { updateOwner(id: $id, input: { name: "Mallory" }) { id } }`,
      { id: owners[0] },
    );
    expect(foreignEdit.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', fields: [{ path: 'id' }] });
    const foreignTeam = await gql(http(), globex.keys.admin, `mutation($id: ID!) { deactivateTeam(id: $id) { id } }`, {
      id: teamId,
    });
    expect(foreignTeam.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const foreignPolicy = await gql(
      http(),
      globex.keys.admin,
      `mutation($t: ID!) { updateQualificationPolicy(input: { salesAssignScore: 60, fallbackTeamId: $t }) { salesAssignScore } }`,
      { t: teamId },
    );
    expect(foreignPolicy.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'input.fallbackTeamId' }],
    });

    // Sentinel: acme's sales accepts l1 and hands it to Cy; then l1 shows only acme's own changes
    const accepted = await gql<{ acceptLead: { qualification: string } }>(
      http(),
      acme.keys.write,
      `mutation { acceptLead(contactId: "l1") { qualification } }`,
    );
    expect(accepted.data).toEqual({ acceptLead: { qualification: 'SAL' } });
    const before = (await lead(acme.keys.read, 'l1'))!;
    const other = owners.find((id) => id !== before.owner!.id)!;
    const reassigned = await gql<{ assignOwner: { owner: { id: string } } }>(
      http(),
      acme.keys.write,
      `mutation($o: ID!) { assignOwner(contactId: "l1", ownerId: $o) { owner { id } } }`,
      { o: other },
    );
    expect(reassigned.data).toEqual({ assignOwner: { owner: { id: other } } });
    const l1 = (await lead(acme.keys.read, 'l1'))!;
    expect(l1.qualificationHistory).toEqual([
      { action: 'ACCEPT', to: 'SAL', actor: expect.stringMatching(/^write-key:/), reason: null },
      { action: 'MARKETING_QUALIFY', to: 'MQL', actor: null, reason: 'score reached the marketing threshold' },
    ]);
    const ownersNow = await gql<{ owners: { name: string; active: boolean }[] }>(
      http(),
      acme.keys.read,
      `{ owners { name active } }`,
    );
    expect(ownersNow.data!.owners.map((o) => [o.name, o.active]).sort()).toEqual([
      ['Ann', true],
      ['Bob', true],
      ['Cy', true],
    ]);
  });

  it('delivers qualificationChanged and ownerAssigned live with fields of other subgraphs, only to the workspace', async () => {
    const [ws1, ws2] = [await createWorkspace(gatewayDb.connection), await createWorkspace(gatewayDb.connection)];
    for (const ws of [ws1, ws2]) {
      const rule = await gql(
        http(),
        ws.keys.admin,
        `mutation($i: ScoringRuleInput!) { createScoringRule(input: $i) { id } }`,
        { i: { kind: 'PAGE_VISIT', variant: 'AD', points: 50 } },
      );
      expect(rule.errors).toBeUndefined();
    }
    const owner = await gql<{ createOwner: { id: string } }>(
      http(),
      ws1.keys.admin,
      `mutation($i: OwnerInput!) { createOwner(input: $i) { id } }`,
      { i: { name: 'Dee' } },
    );
    const ownerId = owner.data!.createOwner.id;
    type Step = {
      qualificationChanged: {
        id: string;
        action: string;
        from: string;
        to: string;
        actor: string | null;
        contact: { id: string; email: string | null; score: { general: number }; qualification: string };
      };
    };
    type Assigned = {
      ownerAssigned: {
        id: string;
        method: string;
        owner: { id: string; name: string } | null;
        contact: { id: string; email: string | null; owner: { id: string } | null };
      };
    };
    const STEPS = `subscription($f: QualificationChangedFilter) {
      qualificationChanged(filter: $f) { id action from to actor contact { id email score { general } qualification } }
    }`;
    const ASSIGNED = `subscription {
      ownerAssigned { id method owner { id name } contact { id email owner { id } } }
    }`;
    const ws = platform.gateways[0]!.wsUrl;
    const accepted = subscribe<Step>(ws, ws1.keys.read, STEPS, { f: { to: ['SAL'] } });
    const allSteps = subscribe<Step>(ws, ws1.keys.read, STEPS);
    const assigned = subscribe<Assigned>(ws, ws1.keys.read, ASSIGNED);
    const foreign = subscribe<Step>(ws, ws2.keys.read, STEPS);
    // Every field the step's event carries (answered from the event by the gateway), and the email (ingestion's)
    const STEP_FIELDS = `{ id action from to at actor reason contact { id email } }`;
    const carried = subscribe<{ qualificationChanged: Record<string, unknown> & { contact: { email: string } } }>(
      ws,
      ws1.keys.read,
      `subscription { qualificationChanged(filter: { to: [SAL] }) ${STEP_FIELDS} }`,
    );
    try {
      await Promise.all([
        accepted.connected,
        allSteps.connected,
        assigned.connected,
        foreign.connected,
        carried.connected,
      ]);

      // A visit makes s1 an MQL (default threshold 40); sales accepts it and gives it an owner.
      expect((await visit(ws1.keys.write, 's1-a', 's1')).status).toBe(200);
      await waitFor('s1 MQL', async () => (await lead(ws1.keys.read, 's1'))?.qualification === 'MQL', {
        timeoutMs: 60_000,
      });
      const accept = await gql(http(), ws1.keys.write, `mutation { acceptLead(contactId: "s1") { id } }`);
      expect(accept.errors).toBeUndefined();
      const assign = await gql(
        http(),
        ws1.keys.write,
        `mutation($o: ID!) { assignOwner(contactId: "s1", ownerId: $o) { id } }`,
        { o: ownerId },
      );
      expect(assign.errors).toBeUndefined();

      await waitFor('the SAL step', async () => accepted.results.length >= 1, { timeoutMs: 30_000 });
      expect(accepted.results[0]!.errors).toBeUndefined();
      expect(accepted.results[0]!.data!.qualificationChanged).toMatchObject({
        id: 's1~q2',
        action: 'ACCEPT',
        from: 'MQL',
        to: 'SAL',
        contact: { id: 's1', email: 's1@example.com', qualification: 'SAL' },
      });
      expect(accepted.results[0]!.data!.qualificationChanged.actor).toEqual(expect.any(String));
      // scoring's field: the visit's 50 points, decaying from then on
      expect(accepted.results[0]!.data!.qualificationChanged.contact.score.general).toBeGreaterThan(40);
      // What the event carries is what lifecycle answers for the step
      await waitFor('the SAL step, every carried field', async () => carried.results.length >= 1);
      const step = await gql<{ qualificationStep: Record<string, unknown> }>(
        http(),
        ws1.keys.read,
        `query { qualificationStep(id: "s1~q2") ${STEP_FIELDS} }`,
      );
      expect(carried.results[0]!.errors).toBeUndefined();
      expect(carried.results[0]!.data!.qualificationChanged).toEqual(step.data!.qualificationStep);
      expect(carried.results[0]!.data!.qualificationChanged.contact.email).toBe('s1@example.com');
      await waitFor('both steps', async () => allSteps.results.length >= 2, { timeoutMs: 30_000 });
      expect(allSteps.results.map((r) => r.data?.qualificationChanged.action)).toEqual(['MARKETING_QUALIFY', 'ACCEPT']);
      await waitFor('the assignment', async () => assigned.results.length >= 1, { timeoutMs: 30_000 });
      expect(assigned.results[0]!.errors).toBeUndefined();
      expect(assigned.results[0]!.data!.ownerAssigned).toEqual({
        id: 's1~o1',
        method: 'MANUAL',
        owner: { id: ownerId, name: 'Dee' },
        contact: { id: 's1', email: 's1@example.com', owner: { id: ownerId } },
      });
      expect(assigned.results[0]!.extensions?.eventId).toEqual(expect.any(String));

      // The other workspace's subscriber saw none of it: its own sentinel step comes first.
      expect((await visit(ws2.keys.write, 's1-a', 's1')).status).toBe(200);
      await waitFor('the sentinel', async () => foreign.results.length >= 1, { timeoutMs: 60_000 });
      expect(foreign.results.map((r) => r.data?.qualificationChanged.action)).toEqual(['MARKETING_QUALIFY']);
      // Lookups by id are workspace-scoped too.
      const byId = `query($q: ID!, $o: ID!) { qualificationStep(id: $q) { id to } ownerAssignment(id: $o) { id } }`;
      const own = await gql(http(), ws1.keys.read, byId, { q: 's1~q2', o: 's1~o1' });
      expect(own.data).toEqual({ qualificationStep: { id: 's1~q2', to: 'SAL' }, ownerAssignment: { id: 's1~o1' } });
      const other = await gql(http(), ws2.keys.read, byId, { q: 's1~q2', o: 's1~o1' });
      expect(other.data).toEqual({ qualificationStep: null, ownerAssignment: null });
    } finally {
      await Promise.all([accepted, allSteps, assigned, foreign, carried].map((s) => s.dispose()));
    }
  });

  it('routes a lead by the country and the tag scores scoring passes on with the score change', async () => {
    const initech = await createWorkspace(gatewayDb.connection);
    const admin = (query: string, variables: Record<string, unknown> = {}) =>
      gql<Record<string, { id: string }>>(http(), initech.keys.admin, query, variables);
    // A visit from an ad: 70 points; a webinar: 70 points and 40 on the tag "enterprise"
    await admin(`mutation($i: ScoringRuleInput!) { createScoringRule(input: $i) { id } }`, {
      i: { kind: 'PAGE_VISIT', variant: 'AD', points: 70 },
    });
    const tagRule = await admin(`mutation($i: ScoringRuleInput!) { createScoringRule(input: $i) { id } }`, {
      i: {
        type: 'ADVANCED',
        kind: 'WEBINAR_ATTENDED',
        when: { predicates: [] },
        effect: { general: 70, tags: [{ tag: 'enterprise', points: 40 }] },
      },
    });
    expect(tagRule.errors).toBeUndefined();
    const owner = async (name: string) =>
      (await admin(`mutation($i: OwnerInput!) { createOwner(input: $i) { id } }`, { i: { name } })).data!.createOwner!
        .id;
    const team = async (name: string, memberIds: string[]) =>
      (await admin(`mutation($i: TeamInput!) { createTeam(input: $i) { id } }`, { i: { name, memberIds } })).data!
        .createTeam!.id;
    const [amelie, erin, dana] = [await owner('Amélie'), await owner('Erin'), await owner('Dana')];
    const [france, enterprise, inside] = [
      await team('France', [amelie]),
      await team('Enterprise', [erin]),
      await team('Inside', [dana]),
    ];
    const policy = await admin(
      `mutation($i: QualificationPolicyInput!) { updateQualificationPolicy(input: $i) { salesAssignScore } }`,
      {
        i: {
          salesAssignScore: 60,
          fallbackTeamId: inside,
          routingRules: [
            { teamId: enterprise, tag: 'enterprise', minTagScore: 30 },
            { teamId: france, property: 'COUNTRY', values: ['FR'] },
          ],
        },
      },
    );
    expect(policy.errors).toBeUndefined();

    // When three leads cross: one from France, one at an enterprise webinar, one with neither
    const track = (i: Record<string, unknown>) => gql(http(), initech.keys.write, TRACK, { i: [i] });
    await track({ id: 'v1', kind: 'PAGE_VISIT', source: 'AD', contactId: 'fr', properties: { country: 'FR' } });
    await track({ id: 'v2', kind: 'WEBINAR_ATTENDED', contactId: 'big' });
    await track({ id: 'v3', kind: 'PAGE_VISIT', source: 'AD', contactId: 'other', properties: { country: 'DE' } });
    const ownerOf = async (id: string) => (await lead(initech.keys.read, id))?.owner?.id;
    await waitFor('three owners', async () => (await Promise.all(['fr', 'big', 'other'].map(ownerOf))).every(Boolean), {
      timeoutMs: 60_000,
    });

    // Then each went to its team
    expect(await Promise.all(['fr', 'big', 'other'].map(ownerOf))).toEqual([amelie, erin, dana]);
  });

  it('names the field of each bad input', async () => {
    const noName = await gql(
      http(),
      acme.keys.admin,
      `mutation { createOwner(input: { name: " ", email: "nope" }) { id } }`,
    );
    expect(noName.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [
        { path: 'input.name', message: '1 to 200 characters, not blank' },
        { path: 'input.email', message: 'not an email address' },
      ],
    });
    const badTeam = await gql(
      http(),
      acme.keys.admin,
      `mutation { createTeam(input: { name: "T", memberIds: ["ghost"] }) { id } }`,
    );
    expect(badTeam.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'input.memberIds[0]', message: 'no owner ghost in this workspace' }],
    });
    const badPolicy = await gql(
      http(),
      acme.keys.admin,
      `mutation { updateQualificationPolicy(input: { marketingQualifiedScore: -5, salesAssignScore: 10 }) { salesAssignScore } }`,
    );
    expect(badPolicy.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ path: 'input.marketingQualifiedScore' }, { path: 'input.fallbackTeamId' }],
    });
  });
});
