// Query.contacts: one page of a workspace's contacts, filtered and sorted, read from the
// lifecycle documents the single writer keeps (no other service is asked, per row or at all).
// On MongoDB each filter and sort is served by an index (models/contact-list-indexes); on
// FerretDB v1 it is a scan of the workspace's documents (README: figures).
import { invalidFields, type FieldProblem } from '@cei/contracts';
import { inWorkspace } from '@cei/mongo';
import type { QueryFilter } from 'mongoose';
import { lifecycleDoc, type ContactLifecycleDoc, type ContactLifecycleRow, type LifecycleModels } from '../models';
import type { SortKey } from '../models/contact-list-indexes';
import { afterPosition, decodeCursor, encodeCursor, type Direction, type ListSort } from './cursor';
import { filterConditions, type ContactFilterInput } from './contact-filter';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 200;

export type ContactSortField = 'SCORE' | 'ENGAGEMENT_INDEX' | 'LAST_INTERACTION';
export type SortDirection = 'ASC' | 'DESC';

const SORT_KEY: Record<ContactSortField, SortKey> = {
  SCORE: 'score',
  ENGAGEMENT_INDEX: 'engagementIndex',
  LAST_INTERACTION: 'lastInteractionAt',
};

export interface ContactListArgs {
  filter?: ContactFilterInput | null;
  sort?: { field: ContactSortField; direction?: SortDirection | null } | null;
  first?: number | null;
  after?: string | null;
}

export interface ContactPage {
  edges: { cursor: string; doc: ContactLifecycleDoc }[];
  hasNextPage: boolean;
}

/** The database query of the page `args` ask for, or a BAD_USER_INPUT error naming every field that is wrong. */
export function listQuery(workspaceId: string, args: ContactListArgs) {
  const problems: FieldProblem[] = [];
  const size = args.first ?? DEFAULT_PAGE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE) {
    problems.push({ path: 'first', message: `between 1 and ${MAX_PAGE}` });
  }
  const field = args.sort?.field ?? 'SCORE';
  const key = SORT_KEY[field];
  if (!key) problems.push({ path: 'sort.field', message: `one of ${Object.keys(SORT_KEY).join(', ')}` });
  const direction = (args.sort?.direction ?? 'DESC') === 'ASC' ? 1 : -1;
  const filtered = filterConditions(args.filter);
  if (!filtered.ok) problems.push(...filtered.problems);
  if (problems.length > 0 || !filtered.ok) throw invalidFields(problems);

  const sort: ListSort = { key, direction };
  const conditions = [...filtered.conditions];
  if (args.after !== null && args.after !== undefined)
    conditions.push(afterPosition(sort, decodeCursor(args.after, sort)));
  const filter = inWorkspace<ContactLifecycleDoc>(
    workspaceId,
    (conditions.length > 0 ? { $and: conditions } : {}) as QueryFilter<ContactLifecycleDoc>,
  );
  return { filter, sort, order: { [key]: direction, _id: direction } as Record<string, Direction>, size };
}

/** The page `args` ask for (`first` + 1 read, to tell whether another page follows). */
export async function contactPage(
  models: LifecycleModels,
  workspaceId: string,
  args: ContactListArgs,
): Promise<ContactPage> {
  const { filter, sort, order, size } = listQuery(workspaceId, args);
  const rows = await models.ContactLifecycle.find(filter)
    .sort(order)
    .limit(size + 1)
    .lean<ContactLifecycleRow[]>()
    .exec();
  const docs = rows.map(lifecycleDoc);
  return {
    edges: docs.slice(0, size).map((doc) => ({
      cursor: encodeCursor(sort, { value: doc[sort.key] ?? null, id: doc._id }),
      doc,
    })),
    hasNextPage: docs.length > size,
  };
}
