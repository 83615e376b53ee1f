import type { RealmConfigProvider } from '../../config';
import type { ClockProvider, Ctx } from '../../x';
import type { InteractionPort, InteractionResult, LoginResult, PendingInteraction } from '../consent';
import { saveGrant } from './grant-factory';
import type { OAuth2ProviderProvider } from './oauth2-provider';
import { revokeGrant } from './grant-token-models';
import type { OidcPayloadStoreProvider } from './oidc-payload-store';
import { REDIRECT_URI_DEFAULTED } from './redirect-uri-binding';

export type OidcInteractionPortDeps = RealmConfigProvider & ClockProvider & OAuth2ProviderProvider & OidcPayloadStoreProvider;

/**
 * The challenge service's view of the engine (findings §3–§4): a challenge is an Interaction found by
 * uid — never through the browser's cookies — whose `result` is set and saved; the browser then
 * resumes at `returnTo`. A consent result keeps the login result (`lastSubmission`), or the engine
 * would ask for login again.
 */
export class OidcInteractionPort implements InteractionPort {
  constructor(private readonly deps: OidcInteractionPortDeps) {}

  async find(ctx: Ctx, uid: string): Promise<PendingInteraction | undefined> {
    const provider = await this.deps.oauth2Provider.provider();
    const i = await provider.Interaction.find(uid);
    if (!i) return undefined;
    const params = Object.fromEntries(Object.entries(i.params ?? {}).filter(([k]) => k !== REDIRECT_URI_DEFAULTED).map(([k, v]) => [k, v === undefined || v === null ? undefined : Array.isArray(v) ? v.join(' ') : String(v)]));
    const login = (i.lastSubmission?.login as LoginResult | undefined) ?? undefined;
    return {
      uid: i.uid,
      prompt: i.prompt.name,
      reasons: [...i.prompt.reasons],
      params,
      ...(i.session ? { session: { ...i.session } } : {}),
      ...(login ? { login } : {}),
      expiresAt: i.exp,
    };
  }

  async finish(ctx: Ctx, uid: string, result: InteractionResult): Promise<string | undefined> {
    const provider = await this.deps.oauth2Provider.provider();
    const i = await provider.Interaction.find(uid);
    if (!i) return undefined;
    i.result = 'consent' in result ? { ...(i.lastSubmission ?? {}), ...result } : { ...result };
    await i.save(Math.max(1, i.exp - Math.floor(Date.now() / 1000)));
    return i.returnTo;
  }

  async createGrant(ctx: Ctx, interaction: PendingInteraction, grantedScope: readonly string[]): Promise<string> {
    const provider = await this.deps.oauth2Provider.provider();
    const ttl = this.deps.config.ttl;
    return saveGrant(provider, {
      accountId: interaction.login?.accountId ?? interaction.session?.accountId ?? '',
      clientId: interaction.params.client_id ?? '',
      params: { ...interaction.params, resource: interaction.params.resource?.split(' ') },
      grantedScope,
      lifetime: Math.ceil(Math.max(ttl.refresh_token, ttl.access_token, ttl.id_token) / 1000),
    });
  }

  async revokeGrant(ctx: Ctx, grantId: string): Promise<void> {
    await revokeGrant(ctx, this.deps.oidcPayloadStore, grantId);
  }

  async forgetLogin(ctx: Ctx, sessionUid: string): Promise<void> {
    const store = this.deps.oidcPayloadStore;
    const record = await store.findByUid(ctx, 'Session', sessionUid, this.deps.clock.now());
    if (!record) return;
    const { accountId: _a, loginTs: _t, acr: _acr, amr: _amr, authorizations: _z, ...payload } = record.payload;
    await store.upsert(ctx, { ...record, payload, accountId: undefined });
  }

  async destroySessions(ctx: Ctx, subject: string): Promise<void> {
    await this.deps.oidcPayloadStore.deleteByAccount(ctx, ['Session'], subject);
  }
}
