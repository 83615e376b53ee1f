import type { V0alpha2Api } from '@ory/client';
import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import type { Identity } from '../../../libs/identity';
import { FixedClock, encodePageToken, newId } from '../../../libs/x';
import { bootApps } from '../../helpers/boot-apps';
import { linksOf, pathOf } from '../../helpers/links';
import { oryClient, oryFailure } from '../../helpers/ory-client';
import { testCtx } from '../../../libs/x/testing';

const ctx = testCtx();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const UNKNOWN_ID = '6c8f4c2e-0000-4000-8000-000000000000';

describe('admin session API', () => {
  let server: RunningServer;
  let pub: V0alpha2Api;
  let admin: V0alpha2Api;
  const clock = new FixedClock(new Date());

  beforeAll(async () => {
    server = await bootApps({}, { clock });
    pub = oryClient(server.publicUrl);
    admin = oryClient(server.adminUrl);
  });
  afterAll(() => server.close());

  const newIdentity = async (): Promise<Identity> => {
    const created = await admin.adminCreateIdentity({ schema_id: 'default', traits: { email: `a-${newId().slice(0, 8)}@example.com` }, metadata_admin: { crm: 7 } });
    return (await server.registry.identityPool.get(ctx, created.data.id)) as Identity;
  };
  const login = (identity: Identity, userAgent = 'jest') =>
    server.registry.sessionManager.issue(ctx, identity, 'password', 'aal1', { ipAddress: '198.51.100.9', userAgent, location: 'Berlin, DE' });

  /** An identity with an active, a revoked and an expired session (oldest first), and a stranger's session. */
  async function scene() {
    const identity = await newIdentity();
    const expired = await login(identity, 'expired');
    clock.advance(DAY);
    const revoked = await login(identity, 'revoked');
    await server.registry.sessionManager.revoke(ctx, revoked.session.id);
    clock.advance(1000);
    const active = await login(identity, 'active');
    await new Promise((r) => setTimeout(r, 5)); // rows are ordered by their real insertion time
    const stranger = await login(await newIdentity(), 'stranger');
    return { identity, active, revoked, expired, stranger };
  }

  describe('GET /admin/identities/{id}/sessions', () => {
    it("lists the identity's sessions with the identity (admin view) and devices, filtered by active", async () => {
      const { identity, active, revoked, expired } = await scene();
      const all = await admin.adminListIdentitySessions(identity.id);
      expect(all.status).toBe(200);
      expect(all.data.map((s) => s.id).sort()).toEqual([active.session.id, revoked.session.id, expired.session.id].sort());
      expect(all.headers['x-total-count']).toBeUndefined();
      expect(all.headers.link).toBe(`</admin/identities/${identity.id}/sessions?page_size=250&page_token=${encodePageToken([])}>; rel="first"`);
      const one = all.data.find((s) => s.id === active.session.id)!;
      expect(one.identity).toMatchObject({ id: identity.id, metadata_admin: { crm: 7 } });
      expect(one.identity).not.toHaveProperty('credentials');
      expect(one.devices).toEqual([{ id: expect.any(String), ip_address: '198.51.100.9', user_agent: 'active', location: 'Berlin, DE' }]);

      const onlyActive = await admin.adminListIdentitySessions(identity.id, undefined, undefined, true);
      expect(onlyActive.data.map((s) => s.id)).toEqual([active.session.id]);
      const inactive = await admin.adminListIdentitySessions(identity.id, undefined, undefined, false);
      expect(inactive.data.map((s) => s.id).sort()).toEqual([revoked.session.id, expired.session.id].sort());
    });

    it('pages by the old page/per_page and by page_token', async () => {
      const { identity } = await scene();
      const base = `${server.registry.config.serve.admin.base_url}admin/identities/${identity.id}/sessions`;
      const first = await admin.adminListIdentitySessions(identity.id, 2, 0);
      expect(first.data).toHaveLength(2);
      const links = linksOf(first.headers.link);
      expect(links.first).toBe(`${base}?page=0&per_page=2`);
      const second = await admin.adminListIdentitySessions(identity.id, 2, 1);
      expect(second.data).toHaveLength(1);
      expect(second.headers['x-total-count']).toBeUndefined();
      const followed = await request(server.adminUrl).get(pathOf(links.next as string, server.adminUrl));
      expect(followed.body.map((s: { id: string }) => s.id)).toEqual(second.data.map((s) => s.id));

      const byToken = await request(server.adminUrl).get(`/admin/identities/${identity.id}/sessions?page_size=1&active=false`);
      expect(byToken.body).toHaveLength(1);
      const next = linksOf(byToken.headers.link).next as string;
      expect(next).toMatch(/^\/admin\/identities\/[\w-]+\/sessions\?active=false&page_size=1&page_token=[\w-]+$/);
      const rest = await request(server.adminUrl).get(next);
      expect(rest.status).toBe(200);
      expect(rest.body).toHaveLength(1);
      expect(rest.body[0].id).not.toBe(byToken.body[0].id);
      expect(linksOf(rest.headers.link).next).toBeUndefined();
      const bad = await request(server.adminUrl).get(`/admin/identities/${identity.id}/sessions?page_size=1001`);
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({ code: 400, status: 'Bad Request' });
    });

    it('answers 404 for an unknown identity and 400 for a malformed id or active value', async () => {
      const unknown = await oryFailure(admin.adminListIdentitySessions(UNKNOWN_ID));
      expect(unknown.status).toBe(404);
      expect((unknown.data as { error: unknown }).error).toMatchObject({ code: 404, status: 'Not Found' });
      expect((await oryFailure(admin.adminListIdentitySessions('nope'))).status).toBe(400);
      const { identity } = await scene();
      expect((await request(server.adminUrl).get(`/admin/identities/${identity.id}/sessions?active=maybe`)).status).toBe(400);
    });

    it('is served at the legacy path too', async () => {
      const { identity } = await scene();
      const res = await request(server.adminUrl).get(`/identities/${identity.id}/sessions`);
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(3);
    });
  });

  describe('DELETE /admin/identities/{id}/sessions', () => {
    it("deletes every session of the identity and no one else's", async () => {
      const { identity, active, revoked, stranger } = await scene();
      const res = await admin.adminDeleteIdentitySessions(identity.id);
      expect(res.status).toBe(204);
      expect((await oryFailure(pub.toSession(active.token))).status).toBe(401);
      expect(await server.registry.sessionStore.get(ctx, revoked.session.id)).toBeUndefined();
      expect((await admin.adminListIdentitySessions(identity.id)).data).toEqual([]);
      expect((await pub.toSession(stranger.token)).status).toBe(200);
      expect((await oryFailure(admin.adminDeleteIdentitySessions(UNKNOWN_ID))).status).toBe(404);
    });
  });

  describe('PATCH /admin/sessions/{id}/extend', () => {
    it('extends the session by a lifespan from now and returns it', async () => {
      const { active } = await scene();
      clock.advance(5 * HOUR);
      const res = await admin.adminExtendSession(active.session.id);
      expect(res.status).toBe(200);
      expect(res.data.id).toBe(active.session.id);
      expect(res.data.expires_at).toBe(new Date(clock.now().getTime() + DAY).toISOString());
      expect(res.data.identity.id).toBe(active.session.identityId);
      expect((await pub.toSession(active.token)).headers['ory-session-cache-for']).toBe(String(DAY / 1000));
    });

    it('answers 404 for an unknown session and 400 for a malformed id', async () => {
      expect((await oryFailure(admin.adminExtendSession(UNKNOWN_ID))).status).toBe(404);
      expect((await oryFailure(admin.adminExtendSession('nope'))).status).toBe(400);
    });
  });

  describe('/admin/sessions', () => {
    it('lists all sessions with their identities, paginated and filtered by active', async () => {
      const { identity, active, stranger } = await scene();
      const all = await request(server.adminUrl).get('/admin/sessions').query({ per_page: 1000 });
      expect(all.status).toBe(200);
      expect(all.headers['x-total-count']).toBeUndefined();
      const ids = all.body.map((s: { id: string }) => s.id);
      expect(ids).toEqual(expect.arrayContaining([active.session.id, stranger.session.id]));
      expect(ids.indexOf(stranger.session.id)).toBeLessThan(ids.indexOf(active.session.id));
      expect(all.body.find((s: { id: string }) => s.id === active.session.id).identity).toMatchObject({ id: identity.id, metadata_admin: { crm: 7 } });

      const activeOnly = await request(server.adminUrl).get('/admin/sessions').query({ active: 'true', per_page: 1000 });
      expect(activeOnly.body.every((s: { active: boolean; expires_at: string }) => s.active && Date.parse(s.expires_at) > clock.now().getTime())).toBe(true);
      const inactive = await request(server.adminUrl).get('/admin/sessions').query({ active: 'false', per_page: 1000 });
      expect(activeOnly.body.length + inactive.body.length).toBe(all.body.length);

      const page = await request(server.adminUrl).get('/admin/sessions').query({ per_page: 1, page: 1 });
      expect(page.body).toHaveLength(1);
      expect(page.headers.link).toContain(`<${server.registry.config.serve.admin.base_url}sessions?page=0&per_page=1>; rel="first"`);

      const seen: string[] = [];
      let next: string | undefined = '/admin/sessions?page_size=2';
      while (next) {
        const res = await request(server.adminUrl).get(next);
        seen.push(...res.body.map((s: { id: string }) => s.id));
        next = linksOf(res.headers.link).next;
      }
      expect(seen).toEqual(ids);
    });

    it('reads one session (200 / 404 / 400)', async () => {
      const { identity, active } = await scene();
      const res = await request(server.adminUrl).get(`/admin/sessions/${active.session.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: active.session.id, active: true, identity: { id: identity.id } });
      const unknown = await request(server.adminUrl).get(`/admin/sessions/${UNKNOWN_ID}`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toMatchObject({ code: 404, status: 'Not Found' });
      expect((await request(server.adminUrl).get('/admin/sessions/nope')).status).toBe(400);
    });

    it('revokes one session (204): it stays listed as inactive and no longer authenticates', async () => {
      const { identity, active } = await scene();
      expect((await request(server.adminUrl).delete(`/admin/sessions/${active.session.id}`)).status).toBe(204);
      expect((await oryFailure(pub.toSession(active.token))).status).toBe(401);
      expect((await request(server.adminUrl).get(`/admin/sessions/${active.session.id}`)).body.active).toBe(false);
      expect((await admin.adminListIdentitySessions(identity.id, undefined, undefined, true)).data).toEqual([]);
      expect((await request(server.adminUrl).delete(`/admin/sessions/${UNKNOWN_ID}`)).status).toBe(404);
    });

    it('sends /admin/sessions/whoami to the public app', async () => {
      const res = await request(server.adminUrl).get('/admin/sessions/whoami');
      expect(res.status).toBe(307);
      expect(res.headers.location).toBe(`${server.registry.config.serve.public.base_url}sessions/whoami`);
    });
  });

  describe('deleting an identity', () => {
    it('deletes its sessions', async () => {
      const { identity, active, revoked } = await scene();
      await admin.adminDeleteIdentity(identity.id);
      for (const s of [active, revoked]) {
        expect(await server.registry.sessionStore.get(ctx, s.session.id)).toBeUndefined();
        expect((await request(server.adminUrl).get(`/admin/sessions/${s.session.id}`)).status).toBe(404);
      }
      expect((await oryFailure(pub.toSession(active.token))).status).toBe(401);
    });
  });
});
