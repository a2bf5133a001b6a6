// Influence through the real gateway: traits from identifyContact, social interactions and the
// engaged colleagues of the same account give the hand-computed figure of README "Influence";
// an older identify changes nothing; another workspace's colleagues never count.
import { waitFor } from '@cei/testing';
import type { WorkspaceKeys } from '@cei/gateway/src/auth/api-keys';
import { gql } from '../src/gateway-client';
import { platformWithTwoWorkspaces } from '../src/two-workspaces';

type Influence = {
  score: number;
  inside: number;
  outside: number;
  components: { name: string; input: string; value: number; weight: number; contribution: number }[];
};
const INFLUENCE = `query($id: ID!) { contact(id: $id) { score { engagementIndex scoredInteractions }
  influence { score inside outside components { name input value weight contribution } } } }`;

describe('influence', () => {
  const env = platformWithTwoWorkspaces('influence');
  const http = env.http;
  let acme: WorkspaceKeys;
  let globex: WorkspaceKeys;
  beforeAll(() => {
    ({ acme, globex } = env);
  });

  const identify = (keys: WorkspaceKeys, contactId: string, traits: Record<string, unknown>, occurredAt?: string) =>
    gql(http(), keys.keys.write, `mutation($i: IdentifyContactInput!) { identifyContact(input: $i) { status } }`, {
      i: { contactId, traits, ...(occurredAt ? { occurredAt } : {}) },
    });
  const track = (keys: WorkspaceKeys, interactions: Record<string, unknown>[]) =>
    gql(
      http(),
      keys.keys.write,
      `mutation($i: [InteractionInput!]!) { trackInteractions(interactions: $i) { accepted } }`,
      {
        i: interactions,
      },
    );
  const read = async (keys: WorkspaceKeys, id: string) =>
    (
      await gql<{
        contact: { score: { engagementIndex: number; scoredInteractions: number }; influence: Influence } | null;
      }>(http(), keys.keys.read, INFLUENCE, { id })
    ).data?.contact ?? null;
  /** Colleagues of acme.example: `engaged` of them visit once (30 points: engagement index 25.9). */
  async function colleagues(keys: WorkspaceKeys, ids: string[], engaged: number) {
    expect(
      (
        await gql(
          http(),
          keys.keys.admin,
          `mutation { createScoringRule(input: { kind: PAGE_VISIT, points: 30 }) { id } }`,
        )
      ).errors,
    ).toBeUndefined();
    for (const id of ids) await identify(keys, id, { accountId: 'acme.example' });
    await track(
      keys,
      ids.slice(0, engaged).map((id) => ({ id: `visit-${id}`, kind: 'PAGE_VISIT', contactId: id })),
    );
    for (const id of ids.slice(0, engaged)) {
      await waitFor(`${id} engaged`, async () => ((await read(keys, id))?.score.engagementIndex ?? 0) >= 25);
    }
  }

  it('is the hand-computed figure of its components, and counts only engaged colleagues of the same workspace', async () => {
    // Given two engaged colleagues and one idle at acme.example, and three engaged ones in another workspace
    await colleagues(acme, ['c1', 'c2', 'c3'], 2);
    await colleagues(globex, ['c1', 'c2', 'c3', 'star'], 3);
    // and a director who champions the purchase, with 999 followers, 4 shares, 3 mentions, comments seen by 9,999
    await identify(
      acme,
      'star',
      {
        seniority: 'DIRECTOR',
        buyingRole: 'CHAMPION',
        socialFollowers: 999,
        accountId: 'acme.example',
      },
      '2026-06-01T00:00:00Z',
    );
    await track(acme, [
      ...[1, 2, 3, 4].map((n) => ({ id: `share-${n}`, kind: 'SOCIAL_SHARE', contactId: 'star' })),
      ...[1, 2, 3].map((n) => ({
        id: `mention-${n}`,
        kind: 'CUSTOM',
        contactId: 'star',
        properties: { name: 'mention' },
      })),
      { id: 'comment-1', kind: 'COMMENT_ADDED', contactId: 'star', properties: { reach: 9_999 } },
    ]);
    // An older identify arrives late: a newer seniority stands.
    await identify(acme, 'star', { seniority: 'ENTRY', socialFollowers: 5 }, '2026-05-01T00:00:00Z');
    await track(acme, [{ id: 'sentinel', kind: 'CUSTOM', contactId: 'star', properties: { name: 'other' } }]);

    const star = await waitFor('star’s influence', async () => {
      const c = await read(acme, 'star');
      // 4 shares, 3 mentions, 1 comment and the sentinel, sent after the late identify (same partition).
      return c?.score.scoredInteractions === 9 ? c.influence : null;
    });
    // Then (README "Influence"): inside 75×0.4 + 80×0.35 + 40×0.25 = 68; outside 50×0.4 + 20×0.25 + 30×0.2 + 80×0.15 = 43
    expect(star).toEqual({
      score: 55.5,
      inside: 68,
      outside: 43,
      components: [
        { name: 'seniority', input: 'DIRECTOR', value: 75, weight: 0.2, contribution: 15 },
        { name: 'buyingRole', input: 'CHAMPION', value: 80, weight: 0.175, contribution: 14 },
        { name: 'engagedColleagues', input: '2', value: 40, weight: 0.125, contribution: 5 },
        { name: 'followers', input: '999', value: 50, weight: 0.2, contribution: 10 },
        { name: 'shares', input: '4', value: 20, weight: 0.125, contribution: 2.5 },
        { name: 'mentions', input: '3', value: 30, weight: 0.1, contribution: 3 },
        { name: 'commentReach', input: '9999', value: 80, weight: 0.075, contribution: 6 },
      ],
    });
    // The other workspace's star has no traits or social figures, and its own three engaged colleagues.
    const elsewhere = (await read(globex, 'star'))!.influence;
    expect(elsewhere.components.map((c) => [c.name, c.input])).toEqual([
      ['seniority', 'unknown'],
      ['buyingRole', 'unknown'],
      ['engagedColleagues', '3'],
      ['followers', '0'],
      ['shares', '0'],
      ['mentions', '0'],
      ['commentReach', '0'],
    ]);
  });
});
