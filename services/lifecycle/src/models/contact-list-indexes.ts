// The indexes that serve Query.contacts and the funnel's cohort on real MongoDB: every filter
// and sort of a contact list leads with the workspace, then the phase (a half is two phases),
// the qualification or the owner when one is asked for, then the sort key and `_id` (the
// cursor's tiebreak). The owner-led ones serve Owner.contacts too. A tag filter is
// served by the compound wildcard index (MongoDB 7.0+). FerretDB v1 builds them but never uses
// them (its queries are full scans: FERRETDB.md §2).
import type { Schema } from 'mongoose';
import type { ContactLifecycleDoc } from './index';

/** The fields a contact list sorts on, as stored. */
export const SORT_KEYS = ['score', 'engagementIndex', 'lastInteractionAt'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export function contactListIndexes(schema: Schema<ContactLifecycleDoc>): void {
  for (const key of SORT_KEYS) {
    schema.index({ workspaceId: 1, [key]: -1, _id: -1 });
    schema.index({ workspaceId: 1, phase: 1, [key]: -1, _id: -1 });
    schema.index({ workspaceId: 1, qualification: 1, [key]: -1, _id: -1 });
    schema.index({ workspaceId: 1, ownerId: 1, [key]: -1, _id: -1 });
  }
  schema.index({ workspaceId: 1, 'tags.$**': 1 });
  schema.index({ workspaceId: 1, startedAt: 1 });
}
