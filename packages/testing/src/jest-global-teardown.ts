// Jest globalTeardown: stops the servers jest-global-setup.ts started and
// removes their scratch directory.
import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis.__ceiTestInfrastructure;
  if (!state) return;
  globalThis.__ceiTestInfrastructure = undefined;
  try {
    await state.infrastructure.stop();
  } finally {
    rmSync(state.dir, { recursive: true, force: true });
  }
}
