import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import type { V0alpha2Api } from '@ory/client';
import type { RunningServer } from '../../../apps/cli/src/server';
import { bootApps } from '../../helpers/boot-apps';
import { oryClient } from '../../helpers/ory-client';

/**
 * Live rotation through the provider: a key added with the JWK admin API signs the next token at once
 * (this process drops its key cache on write); the old key stays published until it is deleted.
 */
describe('OAuth2 signing key rotation', () => {
  let server: RunningServer;
  let admin: V0alpha2Api;
  let config: oidc.Configuration;

  beforeAll(async () => {
    server = await bootApps();
    admin = oryClient(server.adminUrl);
    const created = await admin.adminCreateOAuth2Client({ grant_types: ['client_credentials'], scope: 'api', access_token_strategy: 'jwt' } as Parameters<V0alpha2Api['adminCreateOAuth2Client']>[0]);
    config = await oidc.discovery(new URL(server.registry.config.serve.public.base_url), created.data.client_id!, undefined, oidc.ClientSecretBasic(created.data.client_secret!), {
      execute: [oidc.allowInsecureRequests],
    });
  });
  afterAll(() => server.close());

  const jwks = () => createRemoteJWKSet(new URL(`${server.publicUrl}/.well-known/jwks.json`), { cacheMaxAge: 0, cooldownDuration: 0 });
  const publishedKids = async (): Promise<string[]> =>
    ((await (await fetch(`${server.publicUrl}/.well-known/jwks.json`)).json()) as { keys: { kid: string; d?: string }[] }).keys.map((k) => {
      expect(k.d).toBeUndefined();
      return k.kid;
    });

  it('signs with a newly added key right away and keeps publishing the old one until it is deleted', async () => {
    const before = (await oidc.clientCredentialsGrant(config, { scope: 'api' })).access_token;
    const oldKid = decodeProtectedHeader(before).kid as string;

    const { data } = await admin.adminCreateJsonWebKeySet('hydra.jwt.access-token', { alg: 'ES256', use: 'sig', kid: 'rotated-at-key' });
    expect(data.keys?.[0].kid).toBe('rotated-at-key');

    const after = (await oidc.clientCredentialsGrant(config, { scope: 'api' })).access_token;
    expect(decodeProtectedHeader(after).kid).toBe('rotated-at-key');
    const kids = await publishedKids();
    expect(kids).toEqual(expect.arrayContaining([oldKid, 'rotated-at-key']));
    await expect(jwtVerify(before, jwks())).resolves.toBeDefined();
    await expect(jwtVerify(after, jwks())).resolves.toBeDefined();

    await admin.adminDeleteJsonWebKey('hydra.jwt.access-token', oldKid);
    expect(await publishedKids()).not.toContain(oldKid);
    await expect(jwtVerify(before, jwks())).rejects.toThrow();
    await expect(jwtVerify(after, jwks())).resolves.toBeDefined();
  });
});
