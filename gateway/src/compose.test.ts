import { composeSupergraph, isSupergraphCurrent } from './compose';

describe('composeSupergraph', () => {
  const composition = composeSupergraph();

  it('composes the four subgraph schemas without errors', () => {
    expect(composition.ok ? [] : composition.errors).toEqual([]);
  });

  it('serves Subscription.phaseChanged and the query field that resolves its payload', () => {
    if (!composition.ok) throw new Error('composition failed');
    const api = composition.result.schema.toAPISchema().toGraphQLJSSchema();

    const phaseChanged = api.getSubscriptionType()?.getFields().phaseChanged;
    const phaseTransition = api.getQueryType()?.getFields().phaseTransition;
    expect(phaseChanged?.type.toString()).toBe('PhaseTransition!');
    expect(phaseTransition?.type.toString()).toBe('PhaseTransition');
  });

  it('matches the checked-in supergraph.graphql (run `pnpm compose` when this fails)', () => {
    if (!composition.ok) throw new Error('composition failed');

    expect(isSupergraphCurrent(composition.supergraphSdl)).toBe(true);
  });
});
