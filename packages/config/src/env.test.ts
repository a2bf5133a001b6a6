import { baseEnv, ConfigError, loadConfig } from './env';

describe('the internal signing secret', () => {
  it('has no default: a process without CEI_INTERNAL_SECRET does not start, and says what to set', () => {
    expect(() => loadConfig(baseEnv, {})).toThrow(ConfigError);
    expect(() => loadConfig(baseEnv, {})).toThrow(
      /CEI_INTERNAL_SECRET: required: the secret the gateway signs and the subgraphs verify each request with/,
    );
  });

  it('refuses a short secret', () => {
    expect(() => loadConfig(baseEnv, { CEI_INTERNAL_SECRET: 'short' })).toThrow(
      /CEI_INTERNAL_SECRET: use at least 16 random characters/,
    );
  });

  it('takes a secret of 16 characters or more', () => {
    expect(loadConfig(baseEnv, { CEI_INTERNAL_SECRET: 'x'.repeat(16) }).CEI_INTERNAL_SECRET).toBe('x'.repeat(16));
  });
});
