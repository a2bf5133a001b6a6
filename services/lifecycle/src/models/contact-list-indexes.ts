// The indexes that serve Query.contacts and the funnel's cohort on real MongoDB: every filter
// and sort of a contact list leads with the workspace, then the phase (a half is two phases),
// the qualification or the owner when one is asked for, then the sort key and `_id` (the
// cursor's tiebreak). The owner-led ones serve Owner.contacts too. A tag filter is
// served by the compound wildcard index (MongoDB 7.0+). They are not built on FerretDB v1
// (lifecycleModels): its queries are scans that never use them (FERRETDB.md §2), and PostgreSQL
// wrote every one of them on every write of a contact.
import type { Schema } from 'mongoose';
import type { ContactLifecycleRow } from './index';

/** The fields a contact list sorts on, as stored. */
export const SORT_KEYS = ['score', 'engagementIndex', 'lastInteractionAt'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export function contactListIndexes(schema: Schema<ContactLifecycleRow>): void {
  for (const key of SORT_KEYS) {
    schema.index({ workspaceId: 1, [key]: -1, _id: -1 });
    schema.index({ workspaceId: 1, phase: 1, [key]: -1, _id: -1 });
    schema.index({ workspaceId: 1, qualification: 1, [key]: -1, _id: -1 });
    schema.index({ workspaceId: 1, ownerId: 1, [key]: -1, _id: -1 });
  }
  schema.index({ workspaceId: 1, 'tags.$**': 1 });
  schema.index({ workspaceId: 1, startedAt: 1 });
}
