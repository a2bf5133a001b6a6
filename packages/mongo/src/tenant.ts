// Every filter names its workspace, by type: a query without one does not compile.
// (After novu's `EnforceEnvOrOrgIds`.)
import type { QueryFilter } from 'mongoose';

export type WorkspaceFilter<T> = QueryFilter<T> & { workspaceId: string };

export function inWorkspace<T>(workspaceId: string, filter: QueryFilter<T> = {}): WorkspaceFilter<T> {
  return { ...filter, workspaceId } as WorkspaceFilter<T>;
}
