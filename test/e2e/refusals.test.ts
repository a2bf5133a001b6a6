// One status rule for every refusal, through the real gateway: a response without
// data (refused before execution, or `data: null`) has its code's HTTP status, a
// response with data is 200; every refusal carries a code of the registry; the
// operation limits hold over HTTP and graphql-ws alike; an unexpected failure shows
// only a generic message and the trace id its cause was logged under.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { databaseName } from '@cei/config';
import { INTERNAL_MESSAGE } from '@cei/contracts';
import { connectDatabase, type Database } from '@cei/mongo';
import { testNamespace, waitFor } from '@cei/testing';
import { createWorkspace, type WorkspaceKeys } from '@cei/gateway/src/auth/api-keys';
import { AppProcess, waitUntilHealthy } from '../../infra/local/app-processes';
import { freePort, startPlatform, type Platform } from '../src/platform';
import { gql } from '../src/gateway-client';

const CREATE_RULE = `mutation($input: ScoringRuleInput!) { createScoringRule(input: $input) { id } }`;
const TRACK = `mutation($i: [InteractionInput!]!) { trackInteractions(interactions: $i) { accepted } }`;

/** The first error a subscription gets over graphql-ws (its `error` message), or what it got instead. */
async function subscriptionErrors(wsUrl: string, apiKey: string, query: string): Promise<unknown> {
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${apiKey}` },
    retryAttempts: 0,
  });
  try {
    return await new Promise((resolve) => {
      client.subscribe(
        { query },
        {
          next: (value) => resolve({ next: value }),
          error: (errors) => resolve(errors),
          complete: () => resolve('complete'),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

describe('refusals through the gateway', () => {
  let platform: Platform;
  let gatewayDb: Database;
  let acme: WorkspaceKeys;
  const http = () => platform.gateways[0]!.httpUrl;

  beforeAll(async () => {
    const namespace = testNamespace('refusals');
    platform = await startPlatform({ natsUrl: process.env.NATS_URL!, mongoUrl: process.env.MONGO_URL!, namespace });
    gatewayDb = await connectDatabase(process.env.MONGO_URL!, databaseName(namespace, 'gateway'));
    acme = await createWorkspace(gatewayDb.connection);
  }, 90_000);
  afterAll(async () => {
    await gatewayDb?.close();
    await platform?.stop();
  });

  describe('roles: the same 403 whether the gateway or a subgraph refuses', () => {
    it('refuses a read key running a mutation (checked at the gateway) with 403 FORBIDDEN', async () => {
      const denied = await gql(http(), acme.keys.read, TRACK, {
        i: [{ id: 'r1', kind: 'PAGE_VISIT', contactId: 'r' }],
      });

      expect(denied.status).toBe(403);
      expect(denied.data).toBeUndefined();
      expect(denied.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    });

    it('refuses a write key running an admin mutation (checked by the subgraph) with 403 FORBIDDEN, and creates nothing', async () => {
      const denied = await gql(http(), acme.keys.write, CREATE_RULE, { input: { kind: 'PURCHASE', points: 30 } });

      expect(denied.status).toBe(403);
      expect(denied.data).toBeNull();
      expect(denied.errors).toEqual([
        expect.objectContaining({
          message: 'this operation needs an API key with the admin role; this key has write',
          path: ['createScoringRule'],
          extensions: { code: 'FORBIDDEN', requiredRole: 'admin', serviceName: 'scoring' },
        }),
      ]);
      const rules = await gql<{ scoringRules: unknown[] }>(http(), acme.keys.admin, `{ scoringRules { id } }`);
      expect(rules.data).toEqual({ scoringRules: [] });

      const policy = await gql(
        http(),
        acme.keys.write,
        `mutation { updateLifecyclePolicy(input: { purchaseScore: 1, exitScore: 0, hysteresis: 0 }) { purchaseScore } }`,
      );
      expect([policy.status, policy.errors?.[0]?.extensions?.code]).toEqual([403, 'FORBIDDEN']);
    });

    it('answers 200 when data came back, with the refused field beside it', async () => {
      const partial = await gql(
        http(),
        acme.keys.write,
        `{ scoringSettings { halfLifeDays } recomputeJob(id: "job-x") { id } }`,
      );

      expect(partial.status).toBe(200);
      expect(partial.data).toEqual({ scoringSettings: { halfLifeDays: null }, recomputeJob: null });
      expect(partial.errors).toEqual([
        expect.objectContaining({ path: ['recomputeJob'], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }),
      ]);
    });

    it('answers /collect with the same statuses', async () => {
      const collect = http().replace('/graphql', '/collect');
      const post = (key: string) =>
        fetch(collect, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ interactions: [{ id: 'c1', kind: 'STORE_VISIT', contactId: 'c' }] }),
        });

      const denied = await post(acme.keys.read);
      expect(denied.status).toBe(403);
      expect(await denied.json()).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] });

      const get = await fetch(collect, { headers: { authorization: `Bearer ${acme.keys.write}` } });
      expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST, OPTIONS']);
      expect(await get.json()).toMatchObject({ errors: [{ extensions: { code: 'METHOD_NOT_ALLOWED' } }] });
    });
  });

  describe('input problems', () => {
    it('names every wrong field in extensions.fields, with 400', async () => {
      const bad = await gql(http(), acme.keys.admin, CREATE_RULE, {
        input: {
          type: 'ADVANCED',
          kind: 'PURCHASE',
          when: { predicates: [{ field: 'SEARCH_PHRASE', operator: 'CONTAINS', value: 'x' }] },
          effect: { general: 0 },
        },
      });

      expect(bad.status).toBe(400);
      expect(bad.errors?.[0]?.extensions).toEqual({
        code: 'BAD_USER_INPUT',
        serviceName: 'scoring',
        fields: [
          {
            path: 'input.when.predicates[0].field',
            message: 'PURCHASE interactions never have SEARCH_PHRASE; it is on PAGE_VISIT',
          },
          {
            path: 'input.effect',
            message: 'the rule changes no score: give general, stage or tag points other than 0',
          },
        ],
      });

      const policy = await gql(
        http(),
        acme.keys.admin,
        `mutation { updateLifecyclePolicy(input: { purchaseScore: 10, exitScore: 5, hysteresis: -1 }) { purchaseScore } }`,
      );
      expect(policy.status).toBe(400);
      expect(policy.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: [{ path: 'input.hysteresis', message: 'must be 0 or more' }],
      });
    });

    it('refuses a value of the wrong type at the gateway with 400 BAD_USER_INPUT, naming it', async () => {
      // DateTime's parser is the subgraphs' own; without it the scoring subgraph would refuse the
      // gateway's request, and the client would see an internal error.
      const date = await gql(http(), acme.keys.admin, CREATE_RULE, {
        input: { kind: 'PURCHASE', points: 1, validFrom: 'next tuesday' },
      });
      const kind = await gql(http(), acme.keys.admin, CREATE_RULE, { input: { kind: 'FAX', points: 1 } });
      const literal = await gql(
        http(),
        acme.keys.admin,
        `mutation { createScoringRule(input: { kind: PURCHASE, points: 1, validUntil: "soon" }) { id } }`,
      );

      expect(date.status).toBe(400);
      expect(date.errors).toEqual([
        expect.objectContaining({
          extensions: {
            code: 'BAD_USER_INPUT',
            fields: [
              {
                path: 'input.validFrom',
                message: 'Expected type "DateTime". DateTime must be an ISO-8601 string such as 2026-11-23T10:00:00Z',
              },
            ],
          },
        }),
      ]);
      expect(kind.status).toBe(400);
      expect(kind.errors?.[0]?.extensions).toEqual({
        code: 'BAD_USER_INPUT',
        fields: [{ path: 'input.kind', message: 'Value "FAX" does not exist in "InteractionKind" enum.' }],
      });
      expect([literal.status, literal.errors?.[0]?.extensions?.code]).toEqual([400, 'BAD_USER_INPUT']);
      expect(literal.errors?.[0]?.message).toMatch(
        /^Expected value of type "DateTime", found "soon"; DateTime must be/,
      );
      const rules = await gql(http(), acme.keys.admin, `{ scoringRules { id } }`);
      expect(rules.data).toEqual({ scoringRules: [] });
    });

    it('refuses a batch over the limit with 400 BATCH_TOO_LARGE, saying the limit and the size', async () => {
      const interactions = Array.from({ length: 501 }, (_, i) => ({
        id: `o${i}`,
        kind: 'PAGE_VISIT',
        contactId: 'over',
      }));

      const over = await gql(http(), acme.keys.write, TRACK, { i: interactions });

      expect(over.status).toBe(400);
      expect(over.errors?.[0]?.extensions).toMatchObject({ code: 'BATCH_TOO_LARGE', limit: 500, size: 501 });
    });
  });

  describe('operation limits, each with its own code and 400', () => {
    const refusal = async (query: string) => {
      const response = await gql(http(), acme.keys.read, query);
      return [response.status, response.errors?.map((error) => error.extensions?.code)];
    };

    it('QUERY_TOO_DEEP', async () => {
      const deep = `{ contact(id: "a") { phaseHistory { contact { phaseHistory { contact { phaseHistory { contact { phaseHistory { contact { phaseHistory { contact { id } } } } } } } } } } } }`;
      expect(await refusal(deep)).toEqual([400, ['QUERY_TOO_DEEP']]);
    });

    it('QUERY_TOO_COMPLEX', async () => {
      const page = `contact(id: "a") { scoreHistory(first: 200) { entries { cause at interactionId kind ruleId general stage tags { tag points } pending cursor } endCursor hasNextPage } }`;
      // One 200-entry page costs about 12,000 of the 15,000 allowed; two do not fit.
      expect(await refusal(`{ ${page} }`)).toEqual([200, undefined]);
      expect(await refusal(`{ a: ${page} b: ${page} }`)).toEqual([400, ['QUERY_TOO_COMPLEX']]);
    });

    it('TOO_MANY_ALIASES', async () => {
      const aliases = (n: number) =>
        `{ ${Array.from({ length: n }, (_, i) => `p${i}: lifecyclePolicy { purchaseScore }`).join(' ')} }`;
      expect(await refusal(aliases(15))).toEqual([200, undefined]);
      expect(await refusal(aliases(16))).toEqual([400, ['TOO_MANY_ALIASES']]);
    });

    it('TOO_MANY_DIRECTIVES', async () => {
      const query = `{ ${'... @include(if: true) { lifecyclePolicy { purchaseScore } } '.repeat(51)} }`;
      expect(await refusal(query)).toEqual([400, ['TOO_MANY_DIRECTIVES']]);
    });

    it('TOO_MANY_TOKENS, before the document is parsed', async () => {
      const query = `{ lifecyclePolicy { ${'purchaseScore '.repeat(10_000)} } }`;
      expect(await refusal(query)).toEqual([400, ['TOO_MANY_TOKENS']]);
    });

    it('holds over graphql-ws too', async () => {
      const ws = platform.gateways[0]!.wsUrl;
      const aliased = `subscription { phaseChanged { ${Array.from({ length: 16 }, (_, i) => `a${i}: id`).join(' ')} } }`;
      const long = `subscription { phaseChanged { ${'id '.repeat(10_000)} } }`;

      expect(await subscriptionErrors(ws, acme.keys.read, aliased)).toEqual([
        expect.objectContaining({ extensions: { code: 'TOO_MANY_ALIASES', maxAliases: 15 } }),
      ]);
      expect(await subscriptionErrors(ws, acme.keys.read, long)).toEqual([
        expect.objectContaining({ extensions: { code: 'TOO_MANY_TOKENS', maxTokens: 10_000 } }),
      ]);
    });
  });

  describe('an unexpected failure', () => {
    let gateway: AppProcess;
    const logged: string[] = [];

    beforeAll(async () => {
      // A gateway whose lifecycle subgraph is down: nothing listens on that port.
      const port = await freePort();
      const env = {
        ...process.env,
        NATS_URL: process.env.NATS_URL!,
        MONGO_URL: process.env.MONGO_URL!,
        CEI_NAMESPACE: platform.namespace,
        CEI_INTERNAL_SECRET: platform.secret,
        LOG_LEVEL: 'error',
        GATEWAY_PORT: String(port),
        CEI_INGESTION_URL: platform.subgraphUrls.ingestion,
        CEI_SCORING_URL: platform.subgraphUrls.scoring,
        CEI_LIFECYCLE_URL: `http://127.0.0.1:${await freePort()}/graphql`,
        CEI_NOTIFICATION_URL: platform.subgraphUrls.notification,
      };
      gateway = new AppProcess({
        name: 'gateway-lifecycle-down',
        dir: 'gateway',
        port,
        env,
        onLine: (line) => logged.push(line),
      });
      await waitUntilHealthy(gateway, { timeoutMs: 30_000 });
    }, 60_000);
    afterAll(() => gateway?.stop());

    it('shows the client a generic message and the trace id, and logs the cause under that id', async () => {
      const response = await fetch(`http://127.0.0.1:${gateway.port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${acme.keys.read}` },
        body: JSON.stringify({ query: '{ lifecyclePolicy { purchaseScore } }' }),
      });
      const text = await response.text();
      const traceId = response.headers.get('x-cei-trace-id');

      expect(response.status).toBe(500);
      expect(JSON.parse(text)).toEqual({
        data: null,
        errors: [
          // The fetch failed before the lifecycle subgraph answered: no path, no service name.
          { message: INTERNAL_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR', traceId } },
        ],
      });
      expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|fetch failed/);
      // The gateway answers before its log line has crossed the pipe to this process: wait for it.
      const line = await waitFor(`the gateway's log line with trace id ${traceId}`, () =>
        logged
          .filter((entry) => entry.startsWith('{'))
          .map((entry) => JSON.parse(entry) as { traceId?: string; msg?: string; workspaceId?: string; err?: unknown })
          .find((entry) => entry.traceId === traceId),
      );
      expect(line).toMatchObject({ msg: 'request failed', workspaceId: acme.workspaceId });
      expect(JSON.stringify(line?.err)).toMatch(/ECONNREFUSED|fetch failed/);
    });
  });
});
