import { loadConfig } from './load-config';
import { type SecretKind, type SecretStore, resolveSecrets } from './secrets';
import type { Ctx } from '../x';
import { testCtx } from '../x/testing';

const ctx = testCtx();

class MemorySecretStore implements SecretStore {
  readonly rows = new Map<SecretKind, readonly string[]>();
  async get(ctx: Ctx, kind: SecretKind): Promise<readonly string[] | undefined> {
    return this.rows.get(kind);
  }
  async putIfAbsent(ctx: Ctx, kind: SecretKind, values: readonly string[]): Promise<readonly string[]> {
    if (!this.rows.has(kind)) this.rows.set(kind, values);
    return this.rows.get(kind)!;
  }
}

describe('resolveSecrets', () => {
  let counter = 0;
  const generate = (): string => `generated-secret-${++counter}-${'x'.repeat(32)}`;

  it('generates and persists a default secret once when none is configured', async () => {
    const store = new MemorySecretStore();
    const config = loadConfig({ env: {} });
    const first = await resolveSecrets(ctx, config, store, generate);
    const second = await resolveSecrets(ctx, config, store, generate);
    expect(first.generated).toEqual(['default']);
    expect(first.secrets.default).toHaveLength(1);
    expect(second.secrets).toEqual(first.secrets);
    expect(first.secrets.cookie).toEqual(first.secrets.default);
    expect(first.secrets.cipher).toEqual(first.secrets.default);
    expect(first.secrets.system).toEqual(first.secrets.default);
  });

  it('prefers configured secrets and generates nothing', async () => {
    const store = new MemorySecretStore();
    const config = loadConfig({
      env: { SECRETS_DEFAULT: 'a'.repeat(40), SECRETS_COOKIE: 'c'.repeat(20) },
    });
    const result = await resolveSecrets(ctx, config, store, generate);
    expect(result.generated).toEqual([]);
    expect(result.secrets.cookie).toEqual(['c'.repeat(20)]);
    expect(result.secrets.system).toEqual(['a'.repeat(40)]);
    expect(store.rows.size).toBe(0);
  });

  it('generates a separate cipher secret when the default is too short to encrypt with', async () => {
    const store = new MemorySecretStore();
    const config = loadConfig({ env: { SECRETS_DEFAULT: 'd'.repeat(20) } });
    const result = await resolveSecrets(ctx, config, store, generate);
    expect(result.generated).toEqual(['cipher']);
    expect(result.secrets.cipher[0].length).toBeGreaterThanOrEqual(32);
  });
});
