import { loadConfig } from '../../config';
import { OryError } from '../../http';
import { FixedClock, type Ctx } from '../../x';
import { MemoryClientStore } from '../client';
import { ChallengeService } from './challenge-service';
import type { InteractionPort, InteractionResult, PendingInteraction } from './interaction-port';
import { MemoryConsentSessionStore, MemoryHandledChallengeStore, MemoryLoginSessionStore, MemoryLogoutRequestStore } from './memory-consent-stores';
import { MemoryForcedSubjectStore } from './forced-subject-store';
import { describeConsentStoresContract } from './testing/consent-stores.contract';
import { testCtx } from '../../x/testing';

const ctx = testCtx();

describeConsentStoresContract('memory', async () => ({
  loginSessions: new MemoryLoginSessionStore(),
  consentSessions: new MemoryConsentSessionStore(),
  handledChallenges: new MemoryHandledChallengeStore(),
  logoutRequests: new MemoryLogoutRequestStore(),
}));

/** A fake engine: interactions by uid, results recorded. */
class FakePort implements InteractionPort {
  readonly interactions = new Map<string, PendingInteraction>();
  readonly results = new Map<string, InteractionResult>();
  forgotten: string[] = [];
  async find(ctx: Ctx, uid: string) {
    return this.interactions.get(uid);
  }
  async finish(ctx: Ctx, uid: string, result: InteractionResult) {
    if (!this.interactions.has(uid)) return undefined;
    this.results.set(uid, result);
    return `https://op.example/oauth2/auth/${uid}`;
  }
  async createGrant(_ctx: Ctx) {
    return 'grant-1';
  }
  async revokeGrant(_ctx: Ctx) {}
  async forgetLogin(ctx: Ctx, uid: string) {
    this.forgotten.push(uid);
  }
  async destroySessions(_ctx: Ctx) {}
}

describe('ChallengeService (integrated login entry point)', () => {
  const clock = new FixedClock(new Date('2026-06-01T12:00:00.000Z'));
  const config = loadConfig({ skipDefaultFile: true, overrides: { serve: { public: { base_url: 'https://op.example/' } } } });
  const make = () => {
    const interactionPort = new FakePort();
    const loginSessionStore = new MemoryLoginSessionStore();
    const handledChallengeStore = new MemoryHandledChallengeStore();
    const service = new ChallengeService({
      config,
      clock,
      interactionPort,
      clientStore: new MemoryClientStore(),
      loginSessionStore,
      consentSessionStore: new MemoryConsentSessionStore(),
      handledChallengeStore,
      logoutRequestStore: new MemoryLogoutRequestStore(),
      forcedSubjectStore: new MemoryForcedSubjectStore(),
    });
    const login = (uid: string, extra: Partial<PendingInteraction> = {}): PendingInteraction => ({
      uid,
      prompt: 'login',
      reasons: ['no_session', 'hydra_login'],
      params: { client_id: 'c1', scope: 'openid offline', response_type: 'code' },
      expiresAt: clock.now().getTime() / 1000 + 1800,
      ...extra,
    });
    return { service, interactionPort, loginSessionStore, handledChallengeStore, login };
  };

  it('records the login result and returns the resume URL', async () => {
    const { service, interactionPort, login } = make();
    interactionPort.interactions.set('ch-1', login('ch-1'));
    const res = await service.acceptLoginRequest(ctx, 'ch-1', { subject: 'identity-1', remember: true, remember_for: 600, amr: ['pwd'] });
    expect(res).toEqual({ redirect_to: 'https://op.example/oauth2/auth/ch-1' });
    expect(interactionPort.results.get('ch-1')).toEqual({
      login: { accountId: 'identity-1', remember: true, remember_for: 600, ts: clock.now().getTime() / 1000, amr: ['pwd'], context: {}, login_challenge: 'ch-1' },
    });
  });

  it('keeps the remembered subject and authentication time on a skipped login, and refuses another subject', async () => {
    const { service, interactionPort, loginSessionStore, login } = make();
    const authenticatedAt = new Date(clock.now().getTime() - 60_000);
    await loginSessionStore.upsert(ctx, { id: 'sess-1', subject: 'identity-1', remember: true, rememberFor: 0, authenticatedAt });
    interactionPort.interactions.set('ch-2', login('ch-2', { reasons: ['hydra_login'], session: { uid: 'sess-1', accountId: 'identity-1' } }));
    const read = await service.getLoginRequest(ctx, 'ch-2');
    expect(read).toMatchObject({ kind: 'pending', request: { skip: true, subject: 'identity-1', session_id: 'sess-1', request_url: expect.stringMatching(/^https:\/\/op\.example\/oauth2\/auth\?client_id=c1/) } });
    await expect(service.acceptLoginRequest(ctx, 'ch-2', { subject: 'identity-2' })).rejects.toBeInstanceOf(OryError);
    await service.acceptLoginRequest(ctx, 'ch-2', { subject: 'identity-1', remember: false });
    expect(interactionPort.results.get('ch-2')).toMatchObject({ login: { remember: true, ts: authenticatedAt.getTime() / 1000 } });
  });

  it('drops the previous account of the engine session when another subject logs in', async () => {
    const { service, interactionPort, login } = make();
    interactionPort.interactions.set('ch-3', login('ch-3', { reasons: ['login_prompt', 'hydra_login'], session: { uid: 'sess-9', accountId: 'someone-else' } }));
    await service.acceptLoginRequest(ctx, 'ch-3', { subject: 'identity-3' });
    expect(interactionPort.forgotten).toEqual(['sess-9']);
  });

  it('answers 404 for unknown challenges and 410/409 once the browser redeemed one', async () => {
    const { service, interactionPort, login } = make();
    await expect(service.getLoginRequest(ctx, 'nope')).rejects.toMatchObject({ code: 404 });
    interactionPort.interactions.set('ch-4', login('ch-4'));
    await service.acceptLoginRequest(ctx, 'ch-4', { subject: 'x' });
    interactionPort.interactions.delete('ch-4'); // the browser resumed: the engine forgot the interaction
    expect(await service.getLoginRequest(ctx, 'ch-4')).toMatchObject({ kind: 'handled', redirectTo: expect.stringContaining('/oauth2/auth?') });
    await expect(service.acceptLoginRequest(ctx, 'ch-4', { subject: 'x' })).rejects.toMatchObject({ code: 409 });
  });
});
