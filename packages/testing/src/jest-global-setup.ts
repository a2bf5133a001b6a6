// Jest globalSetup: starts the servers once per run; workers inherit their URLs
// through the environment. Set CEI_TEST_SERVER_LOGS=1 to see the servers' output.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startInfrastructure, type Infrastructure } from './infrastructure';

export interface TestInfrastructure {
  infrastructure: Infrastructure;
  dir: string;
}

declare global {
  // Read by jest-global-teardown.ts, which jest runs in this same process.
  var __ceiTestInfrastructure: TestInfrastructure | undefined;
}

export default async function globalSetup(): Promise<void> {
  const startedAt = Date.now();
  const external = { nats: Boolean(process.env.NATS_URL), mongo: Boolean(process.env.MONGO_URL) };
  const dir = mkdtempSync(join(tmpdir(), 'cei-test-'));
  const log = process.env.CEI_TEST_SERVER_LOGS ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
  let infrastructure: Infrastructure;
  try {
    infrastructure = await startInfrastructure({ dir, log });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  globalThis.__ceiTestInfrastructure = { infrastructure, dir };
  process.env.NATS_URL = infrastructure.natsUrl;
  process.env.MONGO_URL = infrastructure.mongoUrl;
  process.env.CEI_TEST_INFRA = '1';
  // Which server that is ('mongodb-memory-server', 'ferretdb-postgresql', …, or 'external'), for
  // tests of what only a real MongoDB does (index use: explain()).
  process.env.CEI_TEST_DATABASE = infrastructure.backend;
  // For the tests of what the embedded PostgreSQL is given (ferretdb-postgres.test.ts).
  if (infrastructure.postgresUrl) process.env.CEI_TEST_POSTGRES_URL = infrastructure.postgresUrl;
  const nats = external.nats
    ? `NATS from NATS_URL`
    : `nats-server (JetStream, streams on ${infrastructure.natsStore}) at ${infrastructure.natsUrl}`;
  const mongo = external.mongo ? 'database from MONGO_URL' : `${infrastructure.backend} at ${infrastructure.mongoUrl}`;
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  process.stdout.write(`\n[cei/testing] ${nats}; ${mongo}; ready in ${seconds} s\n`);
}
