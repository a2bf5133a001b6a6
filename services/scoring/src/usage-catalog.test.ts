// The scorer reads each workspace's declared features from memory (versioned config): the churn
// likelihood a score change carries to lifecycle counts unused high-value features as soon as
// they are declared, and stops when a feature is no longer high-value, with no restart.
import { testWorkspace, waitFor } from '@cei/testing';
import { startScoringKit, type ScoringKit } from './scoring-test-kit';

const sigmoid = (x: number) => Math.round(1000 / (1 + Math.exp(-x))) / 1000;

describe('declared features in the scorer', () => {
  let kit: ScoringKit;
  beforeAll(async () => {
    kit = await startScoringKit('usagecatalog');
  });
  afterAll(() => kit?.stop());

  const churnOfChange = async (ws: string, contactId: string, feature: string) => {
    const event = kit.interaction(ws, contactId, 'FEATURE_USAGE', { properties: { feature } });
    await kit.record(event);
    const change = await waitFor('its score change', () =>
      kit.changesOf(ws).find((c) => c.interactionId === event.interactionId),
    );
    return change.likelihoods?.churn;
  };

  it('puts unused high-value features into the churn a score change carries, following catalog changes', async () => {
    const ws = testWorkspace();
    const other = testWorkspace();
    const created = await kit.gql(
      ws,
      `mutation { createProductFeature(input: { key: "api", name: "API", highValue: true }) { key } }`,
    );
    expect(created.errors).toBeUndefined();

    // One use of "export" just now, no rules (no points): recency 1 → −2.5, frequency 1/10 → −0.1,
    // product usage 1/20 → −0.075, stickiness 1 day / 20 → −0.05; in `ws` the one high-value feature
    // (api) is unused → +1.5 × 1/1.
    expect(await churnOfChange(ws, 'ann', 'export')).toBe(sigmoid(1 - 2.5 - 0.1 - 0.075 - 0.05 + 1.5));
    // The other workspace declared nothing.
    expect(await churnOfChange(other, 'ann', 'export')).toBe(sigmoid(1 - 2.5 - 0.1 - 0.075 - 0.05));

    // api is no longer high-value: the next change of ann leaves it out (2 interactions: frequency
    // 2/10 → −0.2, product usage 2/20 × 1.5 → −0.15).
    const updated = await kit.gql(
      ws,
      `mutation { updateProductFeature(key: "api", input: { highValue: false }) { highValue } }`,
    );
    expect(updated.errors).toBeUndefined();
    const third = await churnOfChange(ws, 'ann', 'export');
    expect(third).toBe(sigmoid(1 - 2.5 - 0.2 - 0.15 - 0.05));
  });
});
