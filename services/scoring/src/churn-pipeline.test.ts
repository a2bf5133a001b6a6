// The churn validation through the real pipeline: a seeded population with known behaviour
// (domain/churn-population: churners stop using the high-value features weeks before the end,
// stayers keep them) is published to the interactions stream, scored by two scoring instances
// on the real servers, and the churn likelihood is read back through the subgraph. Smaller than
// the domain test's populations (100 contacts over 12 weeks).
import { testWorkspace, waitFor } from '@cei/testing';
import { auc, CHURN_CATALOG, churnPopulation } from './domain/churn-population';
import { startScoringKit, type ScoringKit } from './scoring-test-kit';

const DAY = 86_400_000;

describe('churn likelihood through the real pipeline', () => {
  let kit: ScoringKit;
  beforeAll(async () => {
    kit = await startScoringKit('churnpipeline');
  });
  afterAll(() => kit?.stop());

  it('ranks the churners above the stayers (AUC > 0.8)', async () => {
    const ws = testWorkspace();
    for (const feature of CHURN_CATALOG.values()) {
      const created = await kit.gql(
        ws,
        `mutation($i: ProductFeatureInput!) { createProductFeature(input: $i) { key } }`,
        {
          i: feature,
        },
      );
      expect(created.errors).toBeUndefined();
    }
    const days = 84;
    const start = Math.floor(kit.now().getTime() / DAY) * DAY - days * DAY;
    const population = churnPopulation({ workspaceId: ws, size: 100, seed: 20261202, start, days, visits: true });
    const events = population.flatMap((contact) => contact.events);
    // In parallel per contact, in order within one (the stream keeps a contact's order).
    await Promise.all(
      population.map(async (contact) => {
        for (const event of contact.events) await kit.record(event);
      }),
    );

    type Entity = { score: { scoredInteractions: number }; likelihoods: { kind: string; probability: number }[] };
    const read = async () => {
      const response = await kit.gql<{ _entities: Entity[] }>(
        ws,
        `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Contact {
          score { scoredInteractions } likelihoods { kind probability } } } }`,
        { reps: population.map((c) => ({ __typename: 'Contact', id: c.contactId })) },
        'read',
      );
      if (response.errors) throw new Error(JSON.stringify(response.errors));
      return response.data!._entities;
    };
    const entities = await waitFor(
      `all ${events.length} interactions scored`,
      async () => {
        const found = await read();
        const scored = found.reduce((sum, e) => sum + e.score.scoredInteractions, 0);
        return scored === events.length ? found : null;
      },
      { timeoutMs: 240_000, intervalMs: 1_000 },
    );

    const churn = entities.map((e) => e.likelihoods.find((l) => l.kind === 'CHURN')!.probability);
    const measured = auc(
      churn.filter((_, i) => population[i]!.churner),
      churn.filter((_, i) => !population[i]!.churner),
    );
    console.log(
      `churn likelihood AUC through the pipeline, 50 churners vs 50 stayers (${events.length} interactions): ${measured.toFixed(3)}`,
    );
    expect(measured).toBeGreaterThan(0.8);
  }, 300_000);
});
