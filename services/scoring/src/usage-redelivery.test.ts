// Product usage counted once, forced rather than assumed: a contact's commit fails once
// right after its usage document is written (before the score document), or right after
// the score document is written, so JetStream really redelivers the batch. Each document
// keeps its own position: the usage interaction is counted once in the contact's usage,
// once in the workspace statistics, and scored once.
import { testWorkspace, waitFor } from '@cei/testing';
import type { CommitProbe } from './scores/commit-contact';
import { scoreOf, startScoringKit, type ScoringKit } from './scoring-test-kit';

type Seam = 'usageWritten' | 'written';

function commitFaults() {
  let armed: { key: string; seam: Seam } | null = null;
  const failed: { key: string; seam: Seam }[] = [];
  const failIfArmed = (key: string, seam: Seam) => {
    if (armed?.key !== key || armed.seam !== seam) return;
    armed = null;
    failed.push({ key, seam });
    throw new Error(`injected by the test: the commit of ${key} fails once it was ${seam}`);
  };
  const probe: CommitProbe = {
    usageWritten: (key) => failIfArmed(key, 'usageWritten'),
    written: (key) => failIfArmed(key, 'written'),
  };
  return {
    probe,
    failed,
    failOnce(key: string, seam: Seam) {
      armed = { key, seam };
    },
  };
}

interface UsageView {
  features: { key: string; uses: number; errors: number }[];
  usesLast30Days: number;
}

describe('product usage under a real redelivery', () => {
  const faults = commitFaults();
  let kit: ScoringKit;
  beforeAll(async () => {
    kit = await startScoringKit('usageredeliver', { probe: faults.probe });
  });
  afterAll(() => kit?.stop());

  const usageOf = async (ws: string, contactId: string): Promise<UsageView> => {
    const response = await kit.gql<{ _entities: { productUsage: UsageView }[] }>(
      ws,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Contact {
        productUsage { features { key uses errors } usesLast30Days } } } }`,
      { reps: [{ __typename: 'Contact', id: contactId }] },
      'read',
    );
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data!._entities[0]!.productUsage;
  };
  const today = () => kit.now().toISOString().slice(0, 10);

  it.each(['usageWritten', 'written'] as const)(
    'counts a usage interaction once when the commit failed once it was %s',
    async (seam) => {
      const ws = testWorkspace();
      const created = await kit.gql(
        ws,
        `mutation { createProductFeature(input: { key: "reports", name: "Reports" }) { key } }`,
      );
      expect(created.errors).toBeUndefined();
      faults.failOnce(`${ws}:ann`, seam);

      await kit.record(
        kit.interaction(ws, 'ann', 'FEATURE_USAGE', { properties: { feature: 'reports', error: true } }),
      );
      // A sentinel after it: once it is scored, the redelivered batch has been applied.
      await kit.record(kit.interaction(ws, 'ann', 'FEATURE_USAGE', { properties: { feature: 'reports' } }));
      await waitFor('both interactions scored', async () => (await scoreOf(kit, ws, 'ann')).scoredInteractions === 2);

      expect(faults.failed).toContainEqual({ key: `${ws}:ann`, seam });
      expect(await usageOf(ws, 'ann')).toEqual({
        features: [{ key: 'reports', uses: 2, errors: 1 }],
        usesLast30Days: 2,
      });
      const stats = await kit.gql<{ productUsage: { features: unknown[] } }>(
        ws,
        `query($d: String!) { productUsage(from: $d, to: $d) { features { key uses errors } } }`,
        { d: today() },
      );
      expect(stats.data?.productUsage.features).toEqual([{ key: 'reports', uses: 2, errors: 1 }]);
    },
  );
});
