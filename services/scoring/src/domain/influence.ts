// How influential a contact is, 0–100, inside their company and outside it, with each component's
// value, weight and contribution (README "Influence"). Pure: the traits come from the contact's
// IDENTIFY events (kept last-write-wins in its score state), the social figures from its activity,
// the engaged colleagues from a read of its account's contacts when the figure is asked for.
import type { BuyingRole, Seniority } from '@cei/contracts';

/** The traits influence reads, each with the time it was set at (last-write-wins, as ingestion). */
export interface InfluenceProfile {
  seniority: Seniority | null;
  buyingRole: BuyingRole | null;
  socialFollowers: number | null;
  accountId: string | null;
  /** When each trait was last set (ISO 8601): an older IDENTIFY never overwrites a newer value. */
  setAt: Partial<Record<ProfileTrait, string>>;
}

export const PROFILE_TRAITS = ['seniority', 'buyingRole', 'socialFollowers', 'accountId'] as const;
export type ProfileTrait = (typeof PROFILE_TRAITS)[number];

export function emptyProfile(): InfluenceProfile {
  return { seniority: null, buyingRole: null, socialFollowers: null, accountId: null, setAt: {} };
}

/** Folds an IDENTIFY's properties (validated by ingestion) into the profile, trait by trait. */
export function applyIdentify(
  profile: InfluenceProfile,
  properties: Record<string, unknown>,
  at: string,
): InfluenceProfile {
  const next: InfluenceProfile = { ...profile, setAt: { ...profile.setAt } };
  for (const trait of PROFILE_TRAITS) {
    if (!(trait in properties)) continue;
    const setAt = next.setAt[trait];
    if (setAt && Date.parse(setAt) > Date.parse(at)) continue;
    (next as unknown as Record<string, unknown>)[trait] = properties[trait] ?? null;
    next.setAt[trait] = at;
  }
  return next;
}

/** A merge: each trait of `theirs` competes with ours by the time it was set. */
export function mergeProfiles(ours: InfluenceProfile, theirs: InfluenceProfile): InfluenceProfile {
  let next = ours;
  for (const trait of PROFILE_TRAITS) {
    const at = theirs.setAt[trait];
    if (at) next = applyIdentify(next, { [trait]: theirs[trait] }, at);
  }
  return next;
}

export const SENIORITY_VALUES: Record<Seniority, number> = {
  ENTRY: 10,
  MID: 25,
  SENIOR: 45,
  MANAGER: 60,
  DIRECTOR: 75,
  VP: 90,
  EXECUTIVE: 100,
};
export const BUYING_ROLE_VALUES: Record<BuyingRole, number> = {
  DECISION_MAKER: 100,
  CHAMPION: 80,
  INFLUENCER: 60,
  USER: 30,
};

/** Weights within each side (each side sums to 1), and of each side in the overall score. */
export const INFLUENCE_WEIGHTS = {
  sides: { INSIDE: 0.5, OUTSIDE: 0.5 },
  inside: { seniority: 0.4, buyingRole: 0.35, engagedColleagues: 0.25 },
  outside: { followers: 0.4, shares: 0.25, mentions: 0.2, commentReach: 0.15 },
} as const;

/** Where each figure reaches 100. Followers and reach grow by orders of magnitude: log scales. */
export const INFLUENCE_SATURATION = {
  engagedColleagues: 5,
  /** log10(1 + followers) / 6: a million followers is 100, a thousand 50. */
  followersLog10: 6,
  shares: 20,
  mentions: 10,
  /** log10(1 + reach) / 5: comments seen by 100,000 people are 100. */
  commentReachLog10: 5,
};

/** An engaged colleague: another contact of the same account with an engagement index of at least this. */
export const ENGAGED_INDEX = 25;

export interface InfluenceInputs {
  profile: InfluenceProfile;
  engagedColleagues: number;
  shares: number;
  mentions: number;
  commentReach: number;
}

export type InfluenceSide = 'INSIDE' | 'OUTSIDE';

export interface InfluenceComponent {
  name: string;
  side: InfluenceSide;
  /** The input as it was (a seniority, a count). */
  input: string;
  /** 0–100. */
  value: number;
  /** Weight in the overall score: the side's weight × the component's weight within the side. */
  weight: number;
  /** value × weight: the points it adds to the overall score. */
  contribution: number;
}

export interface Influence {
  score: number;
  inside: number;
  outside: number;
  components: InfluenceComponent[];
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
const linear = (n: number, full: number) => 100 * Math.min(1, Math.max(0, n) / full);
const logScale = (n: number, decades: number) => 100 * Math.min(1, Math.log10(1 + Math.max(0, n)) / decades);

export function influence(inputs: InfluenceInputs): Influence {
  const { profile } = inputs;
  const w = INFLUENCE_WEIGHTS;
  const s = INFLUENCE_SATURATION;
  const parts: [InfluenceSide, string, string, number, number][] = [
    [
      'INSIDE',
      'seniority',
      profile.seniority ?? 'unknown',
      profile.seniority ? SENIORITY_VALUES[profile.seniority] : 0,
      w.inside.seniority,
    ],
    [
      'INSIDE',
      'buyingRole',
      profile.buyingRole ?? 'unknown',
      profile.buyingRole ? BUYING_ROLE_VALUES[profile.buyingRole] : 0,
      w.inside.buyingRole,
    ],
    [
      'INSIDE',
      'engagedColleagues',
      String(inputs.engagedColleagues),
      linear(inputs.engagedColleagues, s.engagedColleagues),
      w.inside.engagedColleagues,
    ],
    [
      'OUTSIDE',
      'followers',
      String(profile.socialFollowers ?? 0),
      logScale(profile.socialFollowers ?? 0, s.followersLog10),
      w.outside.followers,
    ],
    ['OUTSIDE', 'shares', String(inputs.shares), linear(inputs.shares, s.shares), w.outside.shares],
    ['OUTSIDE', 'mentions', String(inputs.mentions), linear(inputs.mentions, s.mentions), w.outside.mentions],
    [
      'OUTSIDE',
      'commentReach',
      String(inputs.commentReach),
      logScale(inputs.commentReach, s.commentReachLog10),
      w.outside.commentReach,
    ],
  ];
  const components = parts.map(([side, name, input, value, within]): InfluenceComponent => {
    const weight = round4(w.sides[side] * within);
    return { name, side, input, value: round1(value), weight, contribution: round1(value * weight) };
  });
  const sideScore = (side: InfluenceSide) =>
    parts.filter((p) => p[0] === side).reduce((sum, [, , , value, within]) => sum + value * within, 0);
  const inside = sideScore('INSIDE');
  const outside = sideScore('OUTSIDE');
  return {
    score: round1(w.sides.INSIDE * inside + w.sides.OUTSIDE * outside),
    inside: round1(inside),
    outside: round1(outside),
    components,
  };
}
