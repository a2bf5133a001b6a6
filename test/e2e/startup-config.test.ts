// Every process refuses to start without the internal signing secret, and says what
// to set: only `pnpm start` and the test harness make one up (a fresh one per run).
import { APPS, AppProcess } from '../../infra/local/app-processes';
import { freePort } from '../src/platform';

describe('starting without CEI_INTERNAL_SECRET', () => {
  it.each(APPS.map((app) => [app.name, app] as const))(
    '%s exits 1 naming the variable and what it must be',
    async (_name, spec) => {
      const { CEI_INTERNAL_SECRET: _ignored, ...env } = process.env;
      const port = await freePort();
      const app = new AppProcess({
        name: spec.name,
        dir: spec.dir,
        port,
        env: { ...env, [spec.portVariable]: String(port) },
      });

      const status = await app.exited;

      expect(status.code).toBe(1);
      expect(app.lastLines).toContain('CEI_INTERNAL_SECRET: required: the secret the gateway signs');
      expect(app.lastLines).not.toMatch(/\n\s+at /);
    },
  );
});
