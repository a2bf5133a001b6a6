// Workspace-wide product usage, read off the event path. Statistics per period come from the
// usage facts (one per usage interaction, inserted by the contacts' owners): a closed period
// (ended more than CLOSE_AFTER_MS ago, when late interactions have arrived) is computed once
// and kept by _id; an open one is computed when asked. Facts are read one day at a time by
// equality (pushed down on FerretDB), never by ranges or aggregation (DESIGN.md rules 3, 5).
// Power users and upsell opportunities read the workspace's usage documents and rank in code.
import { invalidFields } from '@cei/contracts';
import { appendNew, inWorkspace, type Database } from '@cei/mongo';
import {
  usageDoc,
  type ContactUsageRow,
  type PeriodFeatureStat,
  type ScoringModels,
  type UsageFactDoc,
  type UsageRollupDoc,
} from '../models';
import { usageProfile, type FeatureCatalog, type UnusedFeature } from '../domain/product-usage';
import {
  daysOf,
  featureTotals,
  leastUsed,
  mostErrors,
  mostUsed,
  periodEnd,
  periodsOf,
  periodStats,
  type FeatureTotal,
  type UsagePeriod,
} from '../domain/usage-stats';

/** Interactions may arrive late (a mobile app offline): a period is final this long after it ended. */
export const CLOSE_AFTER_MS = 2 * 86_400_000;
export const MAX_PERIODS = 92;

export interface UsageReportArgs {
  from: string;
  to: string;
  granularity: UsagePeriod;
  first: number;
}

export interface UsageReport {
  from: string;
  to: string;
  granularity: UsagePeriod;
  features: FeatureTotal[];
  mostUsed: FeatureTotal[];
  leastUsed: FeatureTotal[];
  mostErrors: FeatureTotal[];
  adoption: {
    key: string;
    name: string;
    periods: { start: string; contacts: number; uses: number; errors: number }[];
  }[];
}

export interface UsageReadDeps {
  db: Database;
  models: ScoringModels;
  now: () => Date;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function checkedRange(args: UsageReportArgs): string[] {
  const problems = (['from', 'to'] as const).flatMap((field) => {
    const value = args[field];
    const ms = Date.parse(`${value}T00:00:00Z`);
    return DATE.test(value) && !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(value)
      ? []
      : [{ path: field, message: `a UTC day as YYYY-MM-DD; got '${value.slice(0, 30)}'` }];
  });
  if (problems.length > 0) throw invalidFields(problems);
  if (args.from > args.to) throw invalidFields([{ path: 'to', message: 'on or after `from`' }]);
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > 100) {
    throw invalidFields([{ path: 'first', message: 'between 1 and 100' }]);
  }
  const periods = periodsOf(args.from, args.to, args.granularity);
  if (periods.length > MAX_PERIODS) {
    throw invalidFields([{ path: 'to', message: `at most ${MAX_PERIODS} periods (${args.granularity}) per request` }]);
  }
  return periods;
}

export async function usageReport(
  deps: UsageReadDeps,
  workspaceId: string,
  catalog: FeatureCatalog,
  args: UsageReportArgs,
): Promise<UsageReport> {
  const periods = checkedRange(args);
  const stats = await Promise.all(periods.map((start) => periodFigures(deps, workspaceId, start, args.granularity)));
  const totals = featureTotals(stats, catalog);
  return {
    from: args.from,
    to: args.to,
    granularity: args.granularity,
    features: totals,
    mostUsed: mostUsed(totals, args.first),
    leastUsed: leastUsed(totals, args.first),
    mostErrors: mostErrors(totals, args.first),
    adoption: totals.map(({ key, name }) => ({
      key,
      name,
      periods: periods.map((start, i) => {
        const stat = stats[i]!.find((s) => s.feature === key);
        return { start, contacts: stat?.contacts ?? 0, uses: stat?.uses ?? 0, errors: stat?.errors ?? 0 };
      }),
    })),
  };
}

export async function periodFigures(
  deps: UsageReadDeps,
  workspaceId: string,
  start: string,
  granularity: UsagePeriod,
): Promise<PeriodFeatureStat[]> {
  const closed = periodEnd(start, granularity) + CLOSE_AFTER_MS <= deps.now().getTime();
  const id = `${workspaceId}:${granularity}:${start}`;
  if (closed) {
    const kept = await deps.db.limit(() => deps.models.UsageRollup.findById(id).lean<UsageRollupDoc>().exec());
    if (kept) return kept.features;
  }
  const days = await Promise.all(
    daysOf(start, granularity).map((day) =>
      deps.db.limit(() =>
        deps.models.UsageFact.find(inWorkspace<UsageFactDoc>(workspaceId, { day }), {
          feature: 1,
          contactId: 1,
          use: 1,
          error: 1,
        })
          .lean<UsageFactDoc[]>()
          .exec(),
      ),
    ),
  );
  const features = periodStats(days.flat());
  if (closed) {
    // Insert-only: of two readers computing the same closed period, one insert wins, with equal figures.
    const doc: UsageRollupDoc = { _id: id, workspaceId, features, computedAt: deps.now() };
    await deps.db.limit(() => appendNew(deps.models.UsageRollup, [doc]));
  }
  return features;
}

export interface PowerUser {
  contactId: string;
  highValueUses: number;
  highValueFeatures: string[];
  breadth: number | null;
  activeDaysLast30: number;
}

export interface UpsellOpportunity {
  contactId: string;
  features: UnusedFeature[];
  usesLast30Days: number;
  activeDaysLast30: number;
}

/** Every usage profile of the workspace (one equality read of its usage documents, off the event path). */
async function profiles(deps: UsageReadDeps, workspaceId: string, catalog: FeatureCatalog) {
  const rows = await deps.models.ContactUsage.find(inWorkspace<ContactUsageRow>(workspaceId))
    .lean<ContactUsageRow[]>()
    .exec();
  const now = deps.now();
  return rows.map((row) => ({ contactId: row.contactId, profile: usageProfile(usageDoc(row).usage, catalog, now) }));
}

function checkedFirst(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > 100) {
    throw invalidFields([{ path: 'first', message: 'between 1 and 100' }]);
  }
  return first;
}

/** Contacts by uses of the high-value features they used in the last 30 days, most first. */
export async function powerUsers(
  deps: UsageReadDeps,
  workspaceId: string,
  catalog: FeatureCatalog,
  first: number,
): Promise<PowerUser[]> {
  const n = checkedFirst(first);
  return (await profiles(deps, workspaceId, catalog))
    .filter(({ profile }) => profile.highValueUses > 0)
    .map(({ contactId, profile }) => ({
      contactId,
      highValueUses: profile.highValueUses,
      highValueFeatures: profile.features.filter((f) => f.highValue && f.recent).map((f) => f.key),
      breadth: profile.breadth,
      activeDaysLast30: profile.activeDaysLast30,
    }))
    .sort(
      (a, b) =>
        b.highValueUses - a.highValueUses ||
        b.activeDaysLast30 - a.activeDaysLast30 ||
        a.contactId.localeCompare(b.contactId),
    )
    .slice(0, n);
}

/** Contacts that used the product in the last 30 days and leave high-value features unused, most active first. */
export async function upsellOpportunities(
  deps: UsageReadDeps,
  workspaceId: string,
  catalog: FeatureCatalog,
  first: number,
): Promise<UpsellOpportunity[]> {
  const n = checkedFirst(first);
  return (await profiles(deps, workspaceId, catalog))
    .filter(({ profile }) => profile.usesRecent > 0 && profile.highValueUnused.length > 0)
    .map(({ contactId, profile }) => ({
      contactId,
      features: profile.highValueUnused,
      usesLast30Days: profile.usesRecent,
      activeDaysLast30: profile.activeDaysLast30,
    }))
    .sort((a, b) => b.usesLast30Days - a.usesLast30Days || a.contactId.localeCompare(b.contactId))
    .slice(0, n);
}
