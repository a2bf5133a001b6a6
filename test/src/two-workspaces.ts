// The usual set-up of an end-to-end describe block: the whole platform on the jest servers and two
// workspaces (acme, globex) to show isolation with, started before its tests and stopped after them.
import { databaseName } from '@cei/config';
import { connectDatabase, type Database } from '@cei/mongo';
import { testNamespace } from '@cei/testing';
import { createWorkspace, type WorkspaceKeys } from '@cei/gateway/src/auth/api-keys';
import { startPlatform, type Platform } from './platform';

export interface TwoWorkspaces {
  readonly platform: Platform;
  readonly acme: WorkspaceKeys;
  readonly globex: WorkspaceKeys;
  /** The first gateway's GraphQL URL. */
  http(): string;
  /** A further workspace, for a test that needs a third. */
  anotherWorkspace(): Promise<WorkspaceKeys>;
}

/** Registers the describe block's beforeAll/afterAll; the fields are set once beforeAll has run. */
export function platformWithTwoWorkspaces(name: string): TwoWorkspaces {
  let platform: Platform | undefined;
  let gatewayDb: Database | undefined;
  let acme: WorkspaceKeys | undefined;
  let globex: WorkspaceKeys | undefined;
  beforeAll(async () => {
    const namespace = testNamespace(name);
    platform = await startPlatform({ natsUrl: process.env.NATS_URL!, mongoUrl: process.env.MONGO_URL!, namespace });
    gatewayDb = await connectDatabase(process.env.MONGO_URL!, databaseName(namespace, 'gateway'));
    acme = await createWorkspace(gatewayDb.connection);
    globex = await createWorkspace(gatewayDb.connection);
  }, 90_000);
  afterAll(async () => {
    await gatewayDb?.close();
    await platform?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the platform is not started: use it inside a test or a later hook');
    return value;
  };
  return {
    get platform() {
      return started(platform);
    },
    get acme() {
      return started(acme);
    },
    get globex() {
      return started(globex);
    },
    http: () => started(platform).gateways[0]!.httpUrl,
    anotherWorkspace: () => createWorkspace(started(gatewayDb).connection),
  };
}
