// Trend closes, read and taken. A close is a workspace's contacts tallied at an instant: taken
// once a day for the day that just closed (jobs/trend-snapshots.ts) and stored, or read live for
// a period still running. Both read every score document of the workspace: a scan, off the
// event path, in code (no aggregation: FERRETDB.md §6).
import { appendNew, inWorkspace, loadByIds, type Database } from '@cei/mongo';
import {
  scoreDoc,
  trendSnapshotId,
  usageDoc,
  type ContactScoreRow,
  type ContactUsageRow,
  type ScoringModels,
} from '../models';
import { emptyUsage, likelihoodUsage, type ContactUsage, type FeatureCatalog } from '../domain/product-usage';
import { addContact, emptyTallies, type ClosingTallies, type TrendTallies } from './series';
import { contactAtClose } from './snapshot';

const READ_BATCH = 1000;

export interface TrendStoreDeps {
  db: Database;
  models: ScoringModels;
  settings(workspaceId: string): Promise<{ halfLifeDays: number | null }>;
  /** The declared product features: the churn series reads usage against them. */
  catalog(workspaceId: string): Promise<FeatureCatalog>;
}

/** The workspace's contacts' product usage, by contact id (a scan of small documents, like the scores'). */
async function usageByContact(deps: TrendStoreDeps, workspaceId: string): Promise<Map<string, ContactUsage>> {
  const rows = await deps.models.ContactUsage.find(inWorkspace<ContactUsageRow>(workspaceId))
    .lean<ContactUsageRow[]>()
    .exec();
  return new Map(rows.map((row) => [row.contactId, usageDoc(row).usage]));
}

/** A close with the time it was read. */
export interface Close {
  takenAt: Date;
  tallies: ClosingTallies;
}

/** The workspace's contacts as they stand at `at`, tallied. */
export async function tallyWorkspace(
  deps: TrendStoreDeps,
  workspaceId: string,
  at: Date,
): Promise<{ contacts: number; series: TrendTallies }> {
  const [{ halfLifeDays }, catalog, usage] = await Promise.all([
    deps.settings(workspaceId),
    deps.catalog(workspaceId),
    usageByContact(deps, workspaceId),
  ]);
  const tallies = { contacts: 0, series: emptyTallies() };
  const rows = deps.models.ContactScore.find(inWorkspace<ContactScoreRow>(workspaceId), { body: 1, contactId: 1 })
    .lean<ContactScoreRow>()
    .batchSize(READ_BATCH)
    .cursor();
  for await (const row of rows) {
    if (!(row as ContactScoreRow).body) continue;
    const doc = scoreDoc(row as ContactScoreRow);
    // As Contact.likelihoods reads it: a contact with no usage still leaves declared features unused.
    const used = likelihoodUsage(usage.get(doc.contactId) ?? emptyUsage(), catalog, at);
    const contact = contactAtClose(doc.state, halfLifeDays, at, used);
    if (contact) addContact(tallies, contact);
  }
  return tallies;
}

/**
 * Takes the workspace's snapshot of `day` (its contacts at the day's last millisecond) unless it
 * exists. A workspace with no contact then gets none: the day's record says it had none.
 */
export async function takeSnapshot(deps: TrendStoreDeps, workspaceId: string, day: string, now: Date) {
  const _id = trendSnapshotId(workspaceId, day);
  if (await deps.db.limit(() => deps.models.TrendSnapshot.exists({ _id }).exec())) return;
  const closeAt = new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000 - 1);
  const { contacts, series } = await tallyWorkspace(deps, workspaceId, closeAt);
  if (contacts === 0) return;
  // A second instance taking the same snapshot is refused here (unique _id): the first stays.
  await appendNew(deps.models.TrendSnapshot, [
    { _id, workspaceId, day, takenAt: now, contacts, series: JSON.stringify(series) },
  ]);
}

/**
 * The stored closes of `days` (by _id): the workspace's snapshot; on a day whose snapshots were
 * all taken but the workspace has none, no contacts; null when the day's snapshots were not taken.
 */
export async function storedCloses(
  deps: TrendStoreDeps,
  workspaceId: string,
  days: readonly string[],
): Promise<Map<string, Close | null>> {
  const [snapshots, taken] = await Promise.all([
    loadByIds(
      deps.db,
      deps.models.TrendSnapshot,
      days.map((day) => trendSnapshotId(workspaceId, day)),
    ),
    loadByIds(deps.db, deps.models.TrendDay, days),
  ]);
  return new Map(
    days.map((day): [string, Close | null] => {
      const snapshot = snapshots.get(trendSnapshotId(workspaceId, day));
      if (snapshot && snapshot.workspaceId === workspaceId) {
        const series = JSON.parse(snapshot.series) as Partial<TrendTallies>;
        return [day, { takenAt: snapshot.takenAt, tallies: { contacts: snapshot.contacts, series } }];
      }
      const record = taken.get(day);
      return [day, record ? { takenAt: record.takenAt, tallies: { contacts: 0, series: emptyTallies() } } : null];
    }),
  );
}
