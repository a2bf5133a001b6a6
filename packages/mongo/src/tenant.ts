// Every filter names its workspace, by type: a query without one does not compile.
// (After novu's `EnforceEnvOrOrgIds`.)
import type { Model, QueryFilter } from 'mongoose';

export type WorkspaceFilter<T> = QueryFilter<T> & { workspaceId: string };

export function inWorkspace<T>(workspaceId: string, filter: QueryFilter<T> = {}): WorkspaceFilter<T> {
  return { ...filter, workspaceId } as WorkspaceFilter<T>;
}

/**
 * The contact ids of a workspace's per-contact documents (one document per contact, with a
 * `contactId` field): a scan of the workspace, for jobs that visit each contact, off the event path.
 */
export async function workspaceContactIds<T extends { contactId: string }>(
  model: Model<T>,
  workspaceId: string,
): Promise<string[]> {
  const docs = await model.find(inWorkspace<T>(workspaceId), { contactId: 1 }).lean<Pick<T, 'contactId'>[]>().exec();
  return docs.map((doc) => doc.contactId);
}
