// The opaque cursor of a contact list: the sort it belongs to, the sort key of the page's last
// contact and its _id. The next page starts strictly after that (key, _id) position in the same
// order (keyset pagination), so contacts that enter, leave or change elsewhere in the order
// shift no page: nothing is repeated or skipped the way offsets would.
import { invalidFields } from '@cei/contracts';
import type { SortKey } from '../models/contact-list-indexes';

export type Direction = 1 | -1;

export interface ListSort {
  key: SortKey;
  direction: Direction;
}

/** A position in a sorted list: the sort key (a number, a date, or null where the contact has none) and _id. */
export interface Position {
  value: number | Date | null;
  id: string;
}

type Encoded = [SortKey, Direction, number | null, 'd' | 'n', string];

export function encodeCursor(sort: ListSort, position: Position): string {
  const { value, id } = position;
  const encoded: Encoded = [
    sort.key,
    sort.direction,
    value instanceof Date ? value.getTime() : value,
    value instanceof Date ? 'd' : 'n',
    id,
  ];
  return Buffer.from(JSON.stringify(encoded), 'utf8').toString('base64url');
}

/** The position `cursor` names, checked against the sort it must belong to (errors name `after`). */
export function decodeCursor(cursor: string, sort: ListSort): Position {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = null;
  }
  if (!isEncoded(decoded)) {
    throw invalidFields([{ path: 'after', message: 'not a cursor of this list: pass a cursor a page returned' }]);
  }
  const [key, direction, value, type, id] = decoded;
  if (key !== sort.key || direction !== sort.direction) {
    throw invalidFields([
      { path: 'after', message: 'the cursor belongs to another sort: page on with the sort it came from' },
    ]);
  }
  return { value: typeof value === 'number' && type === 'd' ? new Date(value) : value, id };
}

function isEncoded(value: unknown): value is Encoded {
  if (!Array.isArray(value) || value.length !== 5) return false;
  const [key, direction, sortValue, type, id] = value as unknown[];
  return (
    typeof key === 'string' &&
    ['score', 'engagementIndex', 'lastInteractionAt'].includes(key) &&
    (direction === 1 || direction === -1) &&
    (sortValue === null || (typeof sortValue === 'number' && Number.isFinite(sortValue))) &&
    (type === 'd' || type === 'n') &&
    typeof id === 'string'
  );
}

/**
 * The condition "after `position` in `sort`", with _id as the tiebreak. A contact without the
 * key (null or missing) sorts before every value, as MongoDB and FerretDB order them: first
 * ascending, last descending.
 */
export function afterPosition(sort: ListSort, position: Position): Record<string, unknown> {
  const { key, direction } = sort;
  const { value, id } = position;
  const beyond = direction === 1 ? '$gt' : '$lt';
  if (value === null) {
    const sameKey = { [key]: null, _id: { [beyond]: id } };
    return direction === 1 ? { $or: [sameKey, { [key]: { $ne: null } }] } : sameKey;
  }
  const after = [{ [key]: { [beyond]: value } }, { [key]: value, _id: { [beyond]: id } }];
  return { $or: direction === 1 ? after : [...after, { [key]: null }] };
}
