// POST /collect through the real gateway: the shapes a sender may choose (JSON lines, a JSON array,
// {"interactions": [...]}, each also gzip-compressed), what it refuses and how (the graph's codes,
// statuses and messages), and that what it accepts is recorded once and reaches the contact. Also:
// the gateway and a subgraph keep an idle kept-alive connection open longer than their clients do.
import { Agent, get as httpGet } from 'node:http';
import { gzipSync } from 'node:zlib';
import { databaseName } from '@cei/config';
import { connectDatabase, type Database } from '@cei/mongo';
import { testNamespace, waitFor } from '@cei/testing';
import { createWorkspace, type WorkspaceKeys } from '@cei/gateway/src/auth/api-keys';
import { startPlatform, type Platform } from '../src/platform';
import { gql } from '../src/gateway-client';

type ErrorBody = { errors: { message: string; extensions: Record<string, unknown> }[] };

// Its variable has the name /collect gives the list in paths (`interactions[3].kind`).
const TRACK = `mutation($interactions: [InteractionInput!]!) { trackInteractions(interactions: $interactions) { accepted } }`;
const lines = (items: unknown[]) => items.map((item) => JSON.stringify(item)).join('\n') + '\n';

/** A GET on `agent`'s kept-alive connections: its status, and whether it went out on a socket used before. */
function get(agent: Agent, url: string): Promise<{ status: number; reusedSocket: boolean }> {
  return new Promise((resolve, reject) => {
    const request = httpGet(url, { agent }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, reusedSocket: request.reusedSocket }));
    });
    request.on('error', reject);
  });
}

describe('POST /collect', () => {
  let platform: Platform;
  let gatewayDb: Database;
  let acme: WorkspaceKeys;
  const http = () => platform.gateways[0]!.httpUrl;

  beforeAll(async () => {
    const namespace = testNamespace('collect');
    platform = await startPlatform({ natsUrl: process.env.NATS_URL!, mongoUrl: process.env.MONGO_URL!, namespace });
    gatewayDb = await connectDatabase(process.env.MONGO_URL!, databaseName(namespace, 'gateway'));
    acme = await createWorkspace(gatewayDb.connection);
  }, 90_000);
  afterAll(async () => {
    await gatewayDb?.close();
    await platform?.stop();
  });

  async function collect(
    body: string | Buffer,
    headers: Record<string, string> = {},
    key: string | null = acme.keys.write,
  ): Promise<{ status: number; body: unknown }> {
    const response = await fetch(http().replace('/graphql', '/collect'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
      body,
    });
    return { status: response.status, body: await response.json() };
  }
  const ndjson = { 'content-type': 'application/x-ndjson' };
  const contact = async (id: string) =>
    (
      await gql<{ contact: { interactionCount: number } | null }>(
        http(),
        acme.keys.read,
        `{ contact(id: "${id}") { interactionCount } }`,
      )
    ).data?.contact ?? null;

  it('accepts JSON lines, a JSON array and {"interactions": [...]}, gzip-compressed or not, each item once', async () => {
    const visit = (id: string) => ({ id, kind: 'PAGE_VISIT', contactId: 'lena', source: 'AD' });

    const asLines = await collect(lines([visit('l1'), { id: 'l2', kind: 'NOPE', contactId: 'lena' }]), ndjson);
    const asArray = await collect(JSON.stringify([visit('a1'), visit('a1')]));
    const asObject = await collect(JSON.stringify({ interactions: [visit('o1')] }));
    const gzipped = await collect(gzipSync(lines([visit('g1'), visit('l1')])), {
      ...ndjson,
      'content-encoding': 'gzip',
    });

    expect(asLines).toEqual({
      status: 200,
      body: {
        accepted: 1,
        duplicates: 0,
        rejected: 1,
        items: [
          { index: 0, id: 'l1', status: 'ACCEPTED', reason: null },
          { index: 1, id: 'l2', status: 'REJECTED', reason: expect.stringMatching(/^kind: unknown kind 'NOPE'/) },
        ],
      },
    });
    expect(asArray.body).toMatchObject({
      accepted: 1,
      duplicates: 1,
      items: [{ status: 'ACCEPTED' }, { status: 'DUPLICATE' }],
    });
    expect(asObject.body).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(gzipped.body).toMatchObject({
      accepted: 1,
      duplicates: 1,
      items: [{ status: 'ACCEPTED' }, { status: 'DUPLICATE' }],
    });

    // Each accepted interaction reaches the contact once: l1, a1, o1, g1.
    await waitFor('lena has her four interactions', async () => (await contact('lena'))?.interactionCount === 4);
    // Sentinel: a later interaction of lena, applied after anything the duplicates could have caused.
    await collect(lines([visit('sentinel')]), ndjson);
    await waitFor('the sentinel applied', async () => (await contact('lena'))?.interactionCount === 5);
  });

  it('names the line that is not JSON, and the bad gzip, with 400', async () => {
    const badLine = await collect('{"id":"x1","kind":"PAGE_VISIT","contactId":"x"}\n{"id": "x2", kind}\n', ndjson);
    const badGzip = await collect(Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' });
    const cutShort = await collect(
      gzipSync(lines([{ id: 'x3', kind: 'PAGE_VISIT', contactId: 'x' }])).subarray(0, 20),
      {
        ...ndjson,
        'content-encoding': 'gzip',
      },
    );
    const brotli = await collect('[]', { 'content-encoding': 'br' });

    expect(badLine.status).toBe(400);
    expect(badLine.body).toEqual({
      errors: [
        {
          message: expect.stringMatching(/^line 2 is not valid JSON \(.+\): send one interaction per line$/),
          extensions: { code: 'BAD_USER_INPUT', line: 2 },
        },
      ],
    });
    expect([badGzip.status, (badGzip.body as ErrorBody).errors[0]!.message]).toEqual([
      400,
      expect.stringMatching(/^the body is not valid gzip \(Content-Encoding: gzip\): incorrect header check/),
    ]);
    expect([cutShort.status, (cutShort.body as ErrorBody).errors[0]!.message]).toEqual([
      400,
      expect.stringMatching(/^the body is not valid gzip \(Content-Encoding: gzip\): unexpected end of file/),
    ]);
    expect([brotli.status, (brotli.body as ErrorBody).errors[0]!.message]).toEqual([
      400,
      'Content-Encoding br is not accepted on /collect: send the body gzip-compressed or uncompressed',
    ]);
    // Sentinel: x1, on the first line of the refused body, was not recorded.
    await collect(lines([{ id: 'x-sentinel', kind: 'PAGE_VISIT', contactId: 'x' }]), ndjson);
    await waitFor('the sentinel applied', async () => (await contact('x'))?.interactionCount === 1);
  });

  it('refuses a body over MAX_BODY_BYTES with 413, sent so or once decompressed', async () => {
    const big = lines(
      Array.from({ length: 200 }, (_, i) => ({
        id: `b${i}`,
        kind: 'CUSTOM',
        contactId: 'b',
        properties: { pad: 'x'.repeat(6000) },
      })),
    );
    expect(big.length).toBeGreaterThan(1024 * 1024);

    const plain = await collect(big, ndjson);
    const bomb = await collect(gzipSync(big), { ...ndjson, 'content-encoding': 'gzip' });

    expect([plain.status, (plain.body as ErrorBody).errors[0]!.extensions.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect([bomb.status, (bomb.body as ErrorBody).errors[0]!.message]).toEqual([
      413,
      expect.stringMatching(/^request body is larger than 1048576 bytes once decompressed/),
    ]);
  });

  it('answers a wrong value, a batch over the limit and a role as the graph does', async () => {
    const wrong = [{ id: 'w1', kind: 5, contactId: 'w' }, { kind: 'PAGE_VISIT' }];
    const overLimit = Array.from({ length: 501 }, (_, i) => ({ id: `o${i}`, kind: 'PAGE_VISIT', contactId: 'o' }));
    const one = [{ id: 'r1', kind: 'PAGE_VISIT', contactId: 'r' }];

    const cases = [
      [await collect(lines(wrong), ndjson), await gql(http(), acme.keys.write, TRACK, { interactions: wrong })],
      [
        await collect(JSON.stringify(overLimit)),
        await gql(http(), acme.keys.write, TRACK, { interactions: overLimit }),
      ],
      [
        await collect(JSON.stringify(one), {}, acme.keys.read),
        await gql(http(), acme.keys.read, TRACK, { interactions: one }),
      ],
    ] as const;

    for (const [viaCollect, viaGraph] of cases) {
      const graphError = viaGraph.errors![0]!;
      const { serviceName: _serviceName, ...graphExtensions } = graphError.extensions ?? {};
      expect(viaCollect).toEqual({
        status: viaGraph.status,
        body: { errors: [{ message: graphError.message, extensions: graphExtensions }] },
      });
    }
    expect((cases[0][0].body as ErrorBody).errors[0]!.extensions.fields).toEqual([
      { path: 'interactions[0].kind', message: 'String cannot represent a non string value: 5' },
      { path: 'interactions[1]', message: 'Field "id" of required type "ID!" was not provided.' },
    ]);
    expect(cases.map(([viaCollect]) => viaCollect.status)).toEqual([400, 400, 403]);
  });

  it('keeps an idle kept-alive connection past Node’s default 5 s: the gateway and a subgraph answer the next request on it', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (const url of [http(), platform.subgraphUrls.ingestion]) {
        const health = url.replace('/graphql', '/health');
        expect(await get(agent, health)).toEqual({ status: 200, reusedSocket: false });
        await new Promise((resolve) => setTimeout(resolve, 6_000));
        // Closed by the server at 5 s, the agent would have dropped the socket and opened another.
        expect(await get(agent, health)).toEqual({ status: 200, reusedSocket: true });
      }
    } finally {
      agent.destroy();
    }
  }, 30_000);

  it('refuses a missing or unknown key with 401, and GET with 405', async () => {
    const noKey = await collect(JSON.stringify([]), {}, null);
    const unknownKey = await collect(JSON.stringify([]), {}, 'cei_write_' + 'x'.repeat(32));
    const get = await fetch(http().replace('/graphql', '/collect'), {
      headers: { authorization: `Bearer ${acme.keys.write}` },
    });

    expect([noKey.status, (noKey.body as ErrorBody).errors[0]!.extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect([unknownKey.status, (unknownKey.body as ErrorBody).errors[0]!.extensions.code]).toEqual([
      401,
      'UNAUTHENTICATED',
    ]);
    expect(get.status).toBe(405);
  });
});
