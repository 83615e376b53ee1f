import { newId } from '../../../x';
import { DuplicateClientError, type ClientStore } from '../client-store';
import type { ClientMetadata, OAuth2Client } from '../oauth2-client';
import { testCtx } from '../../../x/testing';

const ctx = testCtx();

const metadata = (overrides: Partial<ClientMetadata> = {}): ClientMetadata => ({
  client_name: 'app',
  redirect_uris: ['https://app.example/cb'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  scope: 'openid offline',
  audience: ['https://api.example'],
  owner: 'team-a',
  policy_uri: '',
  allowed_cors_origins: [],
  tos_uri: '',
  client_uri: '',
  logo_uri: '',
  contacts: [],
  subject_type: 'public',
  token_endpoint_auth_method: 'client_secret_basic',
  request_uris: [],
  userinfo_signed_response_alg: 'none',
  frontchannel_logout_session_required: false,
  backchannel_logout_session_required: false,
  post_logout_redirect_uris: [],
  metadata: { tier: 'gold', nested: { a: [1, 2] } },
  skip_consent: false,
  lifespans: { client_credentials_grant_access_token_lifespan: 1_800_000 },
  ...overrides,
});

/** A client fixture created at `createdAt` (ms precision). */
export function clientFixture(createdAt: Date, overrides: Partial<ClientMetadata> = {}): OAuth2Client {
  return { id: newId(), metadata: metadata(overrides), secretHash: 'hmac-sha256$abc', registrationAccessTokenHash: 'hmac-sha256$def', createdAt, updatedAt: createdAt };
}

/** The behaviour every `ClientStore` must have; tests use unique owners so one store serves all. */
export function describeClientStoreContract(label: string, makeStore: () => Promise<ClientStore>): void {
  describe(`ClientStore contract (${label})`, () => {
    let store: ClientStore;
    beforeAll(async () => {
      store = await makeStore();
    });

    describe('create / get', () => {
      it('round-trips every field', async () => {
        const client = clientFixture(new Date('2026-01-01T00:00:00.123Z'), { jwks: { keys: [{ kty: 'EC', kid: 'k', alg: 'ES256', use: 'sig', crv: 'P-256', x: 'x', y: 'y' }] } });
        await store.create(ctx, client);
        expect(await store.get(ctx, client.id)).toEqual(client);
        expect(await store.get(ctx, newId())).toBeUndefined();
      });

      it('keeps skip_logout_consent true, false or unset through get, list and update', async () => {
        const owner = `owner-${newId()}`;
        const t = Date.parse('2026-04-01T00:00:00.000Z');
        const [yes, no, unset] = [{ skip_logout_consent: true }, { skip_logout_consent: false }, {}].map((o, i) => clientFixture(new Date(t + i * 1000), { owner, ...o }));
        for (const c of [yes, no, unset]) await store.create(ctx, c);
        expect((await store.get(ctx, yes.id))?.metadata.skip_logout_consent).toBe(true);
        expect((await store.get(ctx, no.id))?.metadata.skip_logout_consent).toBe(false);
        expect(await store.get(ctx, unset.id)).toEqual(unset);
        expect((await store.get(ctx, unset.id))?.metadata).not.toHaveProperty('skip_logout_consent');
        const listed = (await store.list(ctx, { size: 10, owner })).items;
        expect(listed).toEqual([yes, no, unset]);
        const { skip_logout_consent: _removed, ...cleared } = yes.metadata;
        expect(await store.update(ctx, { ...yes, metadata: cleared })).toBe(true);
        expect((await store.get(ctx, yes.id))?.metadata).not.toHaveProperty('skip_logout_consent');
        expect(await store.update(ctx, { ...unset, metadata: { ...unset.metadata, skip_logout_consent: true } })).toBe(true);
        expect((await store.get(ctx, unset.id))?.metadata.skip_logout_consent).toBe(true);
      });

      it('rejects a duplicate id', async () => {
        const client = clientFixture(new Date());
        await store.create(ctx, client);
        await expect(store.create(ctx, client)).rejects.toBeInstanceOf(DuplicateClientError);
      });
    });

    describe('update', () => {
      it('replaces the client but keeps created_at; false for an unknown id', async () => {
        const client = clientFixture(new Date('2026-01-01T00:00:00.000Z'));
        await store.create(ctx, client);
        const updated = { ...client, metadata: metadata({ client_name: 'renamed' }), secretHash: undefined, createdAt: new Date('2030-01-01T00:00:00.000Z'), updatedAt: new Date('2026-02-01T00:00:00.000Z') };
        expect(await store.update(ctx, updated)).toBe(true);
        expect(await store.get(ctx, client.id)).toEqual({ ...updated, createdAt: client.createdAt });
        expect(await store.update(ctx, { ...updated, id: newId() })).toBe(false);
      });
    });

    describe('delete', () => {
      it('deletes once', async () => {
        const client = clientFixture(new Date());
        await store.create(ctx, client);
        expect(await store.delete(ctx, client.id)).toBe(true);
        expect(await store.delete(ctx, client.id)).toBe(false);
        expect(await store.get(ctx, client.id)).toBeUndefined();
      });
    });

    describe('list', () => {
      it('pages by creation order and filters by owner and client_name exactly', async () => {
        const owner = `owner-${newId()}`;
        const t = Date.parse('2026-03-01T00:00:00.000Z');
        const made = [0, 1, 2].map((i) => clientFixture(new Date(t + i * 1000), { owner, client_name: i === 1 ? 'special' : 'plain' }));
        for (const c of [made[2], made[0], made[1]]) await store.create(ctx, c);
        const all = await store.list(ctx, { size: 10, owner });
        expect(all.items.map((c) => c.id)).toEqual(made.map((c) => c.id));
        expect(all.next).toBeUndefined();
        const first = await store.list(ctx, { size: 1, owner });
        expect(first.items.map((c) => c.id)).toEqual([made[0].id]);
        const second = await store.list(ctx, { size: 1, owner, after: first.next });
        expect(second.items.map((c) => c.id)).toEqual([made[1].id]);
        expect((await store.list(ctx, { size: 1, offset: 1, owner })).items.map((c) => c.id)).toEqual([made[1].id]);
        const named = await store.list(ctx, { size: 10, owner, clientName: 'special' });
        expect(named.items.map((c) => c.id)).toEqual([made[1].id]);
        expect((await store.list(ctx, { size: 10, owner: `${owner}-x` })).items).toEqual([]);
      });
    });
  });
}
