// `pnpm bench:lifecycle-row [-- N]`: what the shape of lifecycle's contact document costs the
// database. N documents shaped like a contact after a phase change and a qualification step are
// each read by _id and replaced at their position, 16 at a time, in two shapes: with the history
// in nested fields (as before ContactLifecycleRow) and packed into one string (as now). Three
// rounds, alternating; prints one JSON object with the rate of each shape per round and their
// ratio (the median round's). Servers from @cei/testing (FerretDB here).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startInfrastructure } from '@cei/testing';

const at = () => new Date(Date.now() - Math.random() * 1e9);
function doc(i: number, seq: number) {
  const transitions = Array.from({ length: 2 }, (_, n) => ({
    n: n + 1,
    from: 'NURTURE',
    to: 'PURCHASE',
    half: 'PROSPECT',
    seq: seq - n,
    at: at(),
    reason: 'score reached 40',
    score: 40,
    cause: 'INTERACTION',
    interactionId: `i${i}-${n}`,
    rule: 'SCORE',
  }));
  const sales = {
    stepCount: 1,
    steps: [
      {
        n: 1,
        at: at(),
        to: 'MQL',
        seq,
        from: 'NONE',
        actor: null,
        action: 'MARKETING_QUALIFY',
        reason: 'score reached the MQL threshold',
      },
    ],
    assignmentCount: 0,
    assignments: [],
    routing: null,
    properties: {},
  };
  const msInPhases = { EXIT: 0, NURTURE: 1234, PURCHASE: 0, RETENTION: 0 };
  return {
    _id: `ws-abcdefghij:c${i}`,
    workspaceId: 'ws-abcdefghij',
    contactId: `c${i}`,
    phase: 'PURCHASE',
    half: 'PROSPECT',
    score: 40,
    engagementIndex: 33,
    tags: {},
    lastInteractionAt: at(),
    startedAt: at(),
    customerEnteredAt: null,
    transitionCount: 1,
    archivedThrough: 0,
    stage: 8,
    likelihoods: { churn: 0.029, purchase: 0.762 },
    cancelledAt: null,
    phaseCheckAt: null,
    lastSeq: seq,
    updatedAt: new Date(),
    qualification: 'MQL',
    ownerId: null,
    transitions,
    sales,
    msInPhases,
  };
}
function packed(d: ReturnType<typeof doc>) {
  const { transitions, sales, msInPhases, ...rest } = d;
  return { ...rest, history: JSON.stringify({ transitions, sales, msInPhases }) };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'cei-bench-lrow-'));
  const infra = await startInfrastructure({ dir });
  const client = await MongoClient.connect(infra.mongoUrl);
  const N = Number(process.argv.slice(2).find((arg) => arg !== '--') ?? 3000);
  if (!(Number.isInteger(N) && N > 0)) throw new Error(`usage: pnpm bench:lifecycle-row [documents]; not '${N}'`);
  const results: Record<string, number[]> = {};
  for (let round = 0; round < 3; round++) {
    process.stderr.write(`[bench:lifecycle-row] round ${round + 1} of 3…\n`);
    for (const [name, shape] of [
      ['nested', (d: ReturnType<typeof doc>) => d],
      ['packed', packed],
    ] as const) {
      const coll = client.db('lrp').collection<{ _id: string; lastSeq: number }>(`${name}${round}`);
      await coll.insertMany(Array.from({ length: N }, (_, i) => shape(doc(i, 1))));
      const t = performance.now();
      for (let k = 0; k < N; k += 16) {
        await Promise.all(
          Array.from({ length: 16 }, (_, j) => k + j)
            .filter((i) => i < N)
            .map(async (i) => {
              const found = await coll.findOne({ _id: `ws-abcdefghij:c${i}` });
              if (!found) throw new Error(`document ${i} is missing`);
              await coll.replaceOne({ _id: found._id, lastSeq: 1 }, shape(doc(i, 2)));
            }),
        );
      }
      (results[name] ??= []).push(Math.round((N / (performance.now() - t)) * 1000));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  process.stdout.write(
    `${JSON.stringify({
      database: infra.backend,
      natsStore: infra.natsStore,
      documents: N,
      readAndReplacePerSecond: results,
      packedToNested: Math.round((median(results.packed!) / median(results.nested!)) * 100) / 100,
    })}\n`,
  );
  await client.close();
  await infra.stop();
  rmSync(dir, { recursive: true, force: true });
}
main().catch((err) => {
  process.stderr.write(`[bench:lifecycle-row] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
