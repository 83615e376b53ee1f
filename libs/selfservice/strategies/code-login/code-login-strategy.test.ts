import { resolve } from 'node:path';
import { type Config, type Secrets, loadConfig } from '../../../config';
import type { Courier, TemplateModel, TemplateType } from '../../../courier';
import { type AddressVia, type CredentialsType, type Identity, type IdentityPool, IdentitySchemas, newIdentity } from '../../../identity';
import { FixedClock, type Logger, type Transaction, type Ctx, newCtx, withTx } from '../../../x';
import {
  type AnyFlow,
  type FlowKind,
  type FlowStore,
  FlowValidationError,
  type FlowRequester,
  type LoginFlow,
  type RegistrationFlow,
  type SelfServiceToken,
  type TokenKind,
  type TokenStore,
  type UiInputAttributes,
  baseFlowFields,
} from '../../flow';
import { codeAddresses } from './code-addresses';
import { CodeLoginStrategy, MAX_CODE_ATTEMPTS } from './code-login-strategy';
import { testCtx } from '../../../x/testing';

const ctx = testCtx();

const SCHEMAS = resolve(__dirname, '../../../../schemas');
const HOUR = 3_600_000;

class MapIdentityPool implements IdentityPool {
  readonly identities = new Map<string, Identity>();
  add(identity: Identity): Identity {
    this.identities.set(identity.id, identity);
    return identity;
  }
  async get(ctx: Ctx, id: string): Promise<Identity | undefined> {
    return this.identities.get(id);
  }
  async getMany(_ctx: Ctx, ids: readonly string[]): Promise<Identity[]> {
    return [...new Set(ids)].flatMap((id) => this.identities.get(id) ?? []);
  }
  async list(_ctx: Ctx): Promise<{ items: Identity[] }> {
    return { items: [...this.identities.values()] };
  }
  async findByCredentialsIdentifier(ctx: Ctx, type: CredentialsType, identifier: string): Promise<Identity | undefined> {
    return [...this.identities.values()].find((i) => i.credentials[type]?.identifiers.includes(identifier));
  }
  async findByAddress(ctx: Ctx, kind: 'recovery' | 'verifiable', via: AddressVia, value: string): Promise<Identity | undefined> {
    return [...this.identities.values()].find((i) => (kind === 'verifiable' ? i.verifiableAddresses : i.recoveryAddresses).some((a) => a.via === via && a.value === value));
  }
}

class MemoryTokenStore implements TokenStore {
  readonly tokens: SelfServiceToken[] = [];
  async create(ctx: Ctx, token: SelfServiceToken): Promise<void> {
    this.tokens.push(token);
  }
  async findUnused(ctx: Ctx, kind: TokenKind, flowId: string): Promise<SelfServiceToken[]> {
    return this.tokens.filter((t) => t.kind === kind && t.flowId === flowId && !t.usedAt);
  }
  async markUsed(ctx: Ctx, id: string, at: Date): Promise<boolean> {
    const i = this.tokens.findIndex((t) => t.id === id && !t.usedAt);
    if (i < 0) return false;
    this.tokens[i] = { ...this.tokens[i], usedAt: at };
    return true;
  }
}

/** Flows as the services store them; the strategy re-reads (and writes) the stored flow. */
class MemoryFlowStore implements FlowStore {
  readonly flows = new Map<string, AnyFlow>();
  async create(ctx: Ctx, flow: AnyFlow): Promise<void> {
    this.flows.set(flow.id, structuredClone(flow));
  }
  async update(ctx: Ctx, flow: AnyFlow): Promise<void> {
    this.flows.set(flow.id, structuredClone(flow));
  }
  async get<K extends FlowKind>(ctx: Ctx, kind: K, id: string): Promise<Extract<AnyFlow, { kind: K }> | undefined> {
    const flow = this.flows.get(id);
    return flow?.kind === kind ? (structuredClone(flow) as Extract<AnyFlow, { kind: K }>) : undefined;
  }
  async getForUpdate<K extends FlowKind>(ctx: Ctx, kind: K, id: string): Promise<Extract<AnyFlow, { kind: K }> | undefined> {
    return this.get(ctx, kind, id);
  }
}

interface Queued {
  readonly channel: 'email' | 'sms';
  readonly type: TemplateType;
  readonly model: TemplateModel & { readonly login_url?: string; readonly registration_url?: string };
}

class RecordingCourier implements Courier {
  readonly queued: Queued[] = [];
  async queueEmail(ctx: Ctx, type: TemplateType, model: TemplateModel): Promise<string> {
    this.queued.push({ channel: 'email', type, model });
    return String(this.queued.length);
  }
  async queueSms(ctx: Ctx, type: TemplateType, model: TemplateModel): Promise<string> {
    this.queued.push({ channel: 'sms', type, model });
    return String(this.queued.length);
  }
}

const requester: FlowRequester = { url: 'https://auth.example.com/self-service/login/api', query: {}, hasOrigin: false, hasBrowserCookies: false, device: { ipAddress: '203.0.113.1', userAgent: 'jest', location: '' } };

function setup(overrides: Record<string, unknown> = {}) {
  const config: Config = loadConfig({
    env: {},
    overrides: {
      serve: { public: { base_url: 'https://auth.example.com/' } },
      selfservice: { methods: { code: { passwordless_enabled: true, config: { lifespan: '15m' } } } },
      identity: {
        default_schema_id: 'default',
        schemas: [
          { id: 'default', url: `file://${SCHEMAS}/identity.default.schema.json` },
          { id: 'customer', url: `file://${SCHEMAS}/identity.username-phone.schema.json` },
        ],
      },
      ...overrides,
    },
  });
  const secrets: Secrets = { default: ['d'.repeat(32)], cookie: ['c'.repeat(32)], cipher: ['e'.repeat(32)], system: ['s'.repeat(32)] };
  const clock = new FixedClock();
  const identitySchemas = IdentitySchemas.load(config.identity.schemas, config.identity.default_schema_id);
  const identityPool = new MapIdentityPool();
  const tokenStore = new MemoryTokenStore();
  const courier = new RecordingCourier();
  const warnings: unknown[] = [];
  const logger = { warn: (...args: unknown[]) => warnings.push(args), child: () => logger } as unknown as Logger;
  /** The request ctx whose logger records the strategy's warnings. */
  const loggingCtx = newCtx(logger, 'test-request');
  const transactions = { withTransaction: <T>(ctx: Ctx, work: (ctx: Ctx) => Promise<T>) => work(withTx(ctx, {} as Transaction)) };
  const flowStore = new MemoryFlowStore();
  const strategy = new CodeLoginStrategy({ config, secrets, clock, logger, identitySchemas, identityPool, tokenStore, courier, flowStore, transactions });
  const stored = <F extends AnyFlow>(flow: F): F => {
    flowStore.flows.set(flow.id, structuredClone(flow));
    return flow;
  };
  const loginFlow = (extra: Partial<LoginFlow> = {}): LoginFlow =>
    stored<LoginFlow>({
      ...baseFlowFields('login', 'api', requester, clock, HOUR, (id) => `https://auth.example.com/self-service/login?flow=${id}`, undefined),
      kind: 'login',
      refresh: false,
      requestedAal: 'aal1',
      ...extra,
    });
  const registrationFlow = (): RegistrationFlow =>
    stored<RegistrationFlow>({
      ...baseFlowFields('registration', 'api', requester, clock, HOUR, (id) => `https://auth.example.com/self-service/registration?flow=${id}`, undefined),
      kind: 'registration',
    });
  /** An identity as admin or password registration creates it: no `code` credential, a verifiable email. */
  const person = (email: string, schemaId = 'default', traits: Record<string, unknown> = { email }): Identity => {
    const ext = identitySchemas.validateTraits(schemaId, traits);
    return identityPool.add(newIdentity({ schemaId, traits, ext, credentials: [{ type: 'password', config: { hashed_password: 'x' } }], now: clock.now() }));
  };
  return { config, clock, strategy, identityPool, tokenStore, flowStore, courier, warnings, loggingCtx, loginFlow, registrationFlow, person };
}

const names = (flow: { ui: { nodes: readonly { attributes: unknown }[] } }): string[] => flow.ui.nodes.map((n) => `${(n.attributes as UiInputAttributes).name}:${(n.attributes as UiInputAttributes).type}`);
const ids = (flow: { ui: { messages: readonly { id: number }[] } }): number[] => flow.ui.messages.map((m) => m.id);

async function updated<T>(p: Promise<{ kind: string; flow?: T }>): Promise<T> {
  const outcome = await p;
  expect(outcome.kind).toBe('flow_updated');
  return outcome.flow as T;
}

async function validationError(p: Promise<unknown>): Promise<FlowValidationError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(FlowValidationError);
  return e as FlowValidationError;
}

describe('codeAddresses', () => {
  const schema = {
    properties: {
      traits: {
        properties: {
          email: { type: 'string', 'ory.sh/kratos': { credentials: { code: { identifier: true, via: 'email' } } } },
          phones: { type: 'array', items: { type: 'string', 'ory.sh/kratos': { credentials: { code: { identifier: true, via: 'sms' } } } } },
          profile: { type: 'object', properties: { backup: { type: 'string', 'ory.sh/kratos': { credentials: { code: { identifier: true } } } } } },
          username: { type: 'string', 'ory.sh/kratos': { credentials: { password: { identifier: true } } } },
        },
      },
    },
  };

  it('reads each code identifier with its channel, normalised, in schema order, once', () => {
    expect(codeAddresses(schema, { email: ' Ann@Example.com ', phones: ['+15550100', '+15550100'], profile: { backup: 'b@example.com' }, username: 'ann' })).toEqual([
      { value: 'ann@example.com', via: 'email' },
      { value: '+15550100', via: 'sms' },
      { value: 'b@example.com', via: 'email' },
    ]);
  });

  it('skips missing, empty and non-string values', () => {
    expect(codeAddresses(schema, { email: '', phones: [42], profile: null })).toEqual([]);
    expect(codeAddresses({}, { email: 'a@b.co' })).toEqual([]);
  });
});

describe('CodeLoginStrategy (login)', () => {
  it('answers not_responsible unless method is code', async () => {
    const f = setup();
    expect(await f.strategy.login(ctx, f.loginFlow(), { method: 'password', identifier: 'a@b.co' }, { requester })).toEqual({ kind: 'not_responsible' });
    expect(await f.strategy.login(ctx, f.loginFlow(), { code: '12345678' }, { requester })).toEqual({ kind: 'not_responsible' });
  });

  it('renders the identifier only when the password method does not, plus "Sign in with code"', async () => {
    const withPassword = await setup().strategy.populateLogin(setup().loginFlow(), { requester });
    expect(names({ ui: { nodes: withPassword } })).toEqual(['method:submit']);
    expect(withPassword[0].meta.label).toMatchObject({ id: 1010015, text: 'Sign in with code' });
    const f = setup({ selfservice: { methods: { password: { enabled: false }, code: { passwordless_enabled: true } } } });
    expect(names({ ui: { nodes: await f.strategy.populateLogin(f.loginFlow(), { requester }) } })).toEqual(['identifier:text', 'method:submit']);
    expect(await f.strategy.populateLogin(f.loginFlow({ requestedAal: 'aal2' }), { requester })).toEqual([]);
  });

  it('mails a code and a link with the same code; only an HMAC bound to the flow is stored', async () => {
    const f = setup();
    const ann = f.person('ann@example.com');
    const flow = f.loginFlow();
    const sent = await updated<LoginFlow>(f.strategy.login(ctx, flow, { method: 'code', identifier: ' Ann@Example.com ' }, { requester }));
    expect(ids(sent)).toEqual([1010014]);
    expect(names(sent)).toEqual(['csrf_token:hidden', 'identifier:hidden', 'code:text', 'method:submit']);
    expect(f.courier.queued).toHaveLength(1);
    const { channel, type, model } = f.courier.queued[0];
    expect({ channel, type, to: model.to }).toEqual({ channel: 'email', type: 'login_code_valid', to: 'ann@example.com' });
    expect(model.login_code).toMatch(/^\d{8}$/);
    expect(model.login_url).toBe(`https://auth.example.com/self-service/login?flow=${flow.id}&method=code&code=${model.login_code}`);
    expect(model.identity).toMatchObject({ id: ann.id });
    expect(f.tokenStore.tokens).toHaveLength(1);
    const token = f.tokenStore.tokens[0];
    expect(token).toMatchObject({ kind: 'login_code', flowId: flow.id, identityId: ann.id, address: 'ann@example.com' });
    expect(token.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(token)).not.toContain(model.login_code as string);
    expect(token.expiresAt.getTime()).toBe(f.clock.now().getTime() + 15 * 60_000);
  });

  it('answers an unknown address exactly like a known one, and sends nothing', async () => {
    const f = setup();
    f.person('known@example.com');
    const flows = [f.loginFlow(), f.loginFlow()];
    const known = await updated<LoginFlow>(f.strategy.login(ctx, flows[0], { method: 'code', identifier: 'known@example.com' }, { requester }));
    const unknown = await updated<LoginFlow>(f.strategy.login(ctx, flows[1], { method: 'code', identifier: 'nobody@example.com' }, { requester }));
    const shape = (fl: LoginFlow) => ({ ...fl, id: 'x', ui: { ...fl.ui, action: 'x', nodes: fl.ui.nodes.map((n) => ({ ...n, attributes: { ...n.attributes, value: (n.attributes as UiInputAttributes).name === 'identifier' ? '?' : (n.attributes as UiInputAttributes).value } })) } });
    expect(shape(unknown)).toEqual(shape(known));
    expect(f.courier.queued.map((q) => q.model.to)).toEqual(['known@example.com']);
  });

  it('signs in with the code once; the same code again is refused', async () => {
    const f = setup();
    const ann = f.person('ann@example.com');
    const sent = await updated<LoginFlow>(f.strategy.login(ctx, f.loginFlow(), { method: 'code', identifier: 'ann@example.com' }, { requester }));
    const code = f.courier.queued[0].model.login_code as string;
    const done = await f.strategy.login(ctx, sent, { method: 'code', code: ` ${code} ` }, { requester });
    expect(done).toEqual({ kind: 'authenticated', identity: ann, method: 'code', aal: 'aal1' });
    const again = await updated<LoginFlow>(f.strategy.login(ctx, sent, { method: 'code', code }, { requester }));
    expect(ids(again)).toEqual([4010008]);
    expect(again.ui.messages[0].text).toBe('The login code is invalid or has already been used. Please try again.');
  });

  it('binds a code to its flow and refuses it once expired', async () => {
    const f = setup();
    f.person('ann@example.com');
    const a = await updated<LoginFlow>(f.strategy.login(ctx, f.loginFlow(), { method: 'code', identifier: 'ann@example.com' }, { requester }));
    const code = f.courier.queued[0].model.login_code as string;
    expect(ids(await updated<LoginFlow>(f.strategy.login(ctx, f.loginFlow(), { method: 'code', code }, { requester })))).toEqual([4010008]);
    f.clock.advance(15 * 60_000);
    expect(ids(await updated<LoginFlow>(f.strategy.login(ctx, a, { method: 'code', code }, { requester })))).toEqual([4010008]);
  });

  it('a new code replaces the previous one', async () => {
    const f = setup();
    f.person('ann@example.com');
    const first = await updated<LoginFlow>(f.strategy.login(ctx, f.loginFlow(), { method: 'code', identifier: 'ann@example.com' }, { requester }));
    const second = await updated<LoginFlow>(f.strategy.login(ctx, first, { method: 'code', identifier: 'ann@example.com' }, { requester }));
    const [old, fresh] = f.courier.queued.map((q) => q.model.login_code as string);
    expect(ids(await updated<LoginFlow>(f.strategy.login(ctx, second, { method: 'code', code: old }, { requester })))).toEqual([4010008]);
    expect((await f.strategy.login(ctx, second, { method: 'code', code: fresh }, { requester })).kind).toBe('authenticated');
  });

  it(`takes ${MAX_CODE_ATTEMPTS} wrong codes; then the flow is dead, even for the right code`, async () => {
    const f = setup();
    f.person('ann@example.com');
    let flow = await updated<LoginFlow>(f.strategy.login(ctx, f.loginFlow(), { method: 'code', identifier: 'ann@example.com' }, { requester }));
    const code = f.courier.queued[0].model.login_code as string;
    const wrong = code === '00000000' ? '11111111' : '00000000';
    for (let i = 0; i < MAX_CODE_ATTEMPTS; i++) {
      flow = await updated<LoginFlow>(f.strategy.login(ctx, flow, { method: 'code', code: wrong }, { requester }));
      expect(ids(flow)).toEqual([4010008]);
    }
    const dead = await validationError(f.strategy.login(ctx, flow, { method: 'code', code }, { requester }));
    expect(dead.global).toEqual([expect.objectContaining({ id: 4000001, type: 'error', text: expect.stringMatching(/too many wrong codes.*start again/) })]);
    await validationError(f.strategy.login(ctx, flow, { method: 'code', identifier: 'ann@example.com' }, { requester }));
    expect(f.tokenStore.tokens.every((t) => t.usedAt)).toBe(true);
  });

  it('requires an identifier or a code, and refuses malformed bodies', async () => {
    const f = setup();
    expect((await validationError(f.strategy.login(ctx, f.loginFlow(), { method: 'code' }, { requester }))).byNode).toEqual({ identifier: [expect.objectContaining({ id: 4000002 })] });
    expect((await validationError(f.strategy.login(ctx, f.loginFlow(), { method: 'code', code: ['1', '2'] }, { requester }))).global[0].id).toBe(4000001);
  });

  it('texts the code to phone numbers marked via sms, or sends nothing when SMS is off', async () => {
    const on = setup({ courier: { sms: { enabled: true, request_config: { url: 'https://sms.example.com/send' } } } });
    on.person('+15550100', 'customer', { username: 'bob', phone: '+15550100' });
    await on.strategy.login(ctx, on.loginFlow(), { method: 'code', identifier: '+15550100' }, { requester });
    expect(on.courier.queued.map((q) => [q.channel, q.type, q.model.to])).toEqual([['sms', 'login_code_valid', '+15550100']]);

    const off = setup();
    off.person('+15550100', 'customer', { username: 'bob', phone: '+15550100' });
    const flow = await updated<LoginFlow>(off.strategy.login(off.loggingCtx, off.loginFlow(), { method: 'code', identifier: '+15550100' }, { requester }));
    expect(ids(flow)).toEqual([1010014]);
    expect(off.courier.queued).toEqual([]);
    expect(off.warnings).toHaveLength(1);
  });

  it('does not send codes to traits the schema does not mark as code identifiers', async () => {
    const f = setup();
    f.person('x@example.com', 'customer', { username: 'carl', email: 'carl@example.com' });
    await f.strategy.login(ctx, f.loginFlow(), { method: 'code', identifier: 'carl@example.com' }, { requester });
    expect(f.courier.queued).toEqual([]);
  });
});

describe('CodeLoginStrategy (registration)', () => {
  it('renders the traits in the code group and "Sign up with code"', async () => {
    const nodes = await setup().strategy.populateRegistration();
    expect(nodes.map((n) => `${n.group}:${(n.attributes as UiInputAttributes).name}`)).toEqual(['code:traits.email', 'code:traits.name.first', 'code:traits.name.last', 'code:method']);
    expect(nodes[3].meta.label).toMatchObject({ id: 1040006, text: 'Sign up with code' });
  });

  it('puts schema violations on the trait nodes', async () => {
    const f = setup();
    const e = await validationError(f.strategy.register(ctx, f.registrationFlow(), { method: 'code', traits: { email: 'not-an-email' } }, { requester }));
    expect(e.byNode['traits.email']).toEqual([expect.objectContaining({ id: 4000001 })]);
    expect(f.courier.queued).toEqual([]);
  });

  it('mails a code, then creates an identity with a code credential and the address verified', async () => {
    const f = setup();
    const flow = f.registrationFlow();
    const traits = { email: 'New@Example.com', name: { first: 'Nia' } };
    const sent = await updated<RegistrationFlow>(f.strategy.register(ctx, flow, { method: 'code', traits }, { requester }));
    expect(ids(sent)).toEqual([1040005]);
    expect(names(sent)).toEqual(['csrf_token:hidden', 'traits.email:hidden', 'traits.name.first:hidden', 'code:text', 'method:submit']);
    const { type, model } = f.courier.queued[0];
    expect(type).toBe('registration_code_valid');
    expect(model.to).toBe('new@example.com');
    const code = model.registration_code as string;
    expect(model.registration_url).toBe(`https://auth.example.com/self-service/registration?flow=${flow.id}&method=code&code=${code}`);
    expect(JSON.stringify(sent.internalContext)).not.toContain(code);

    // Traits sent along with the code are ignored: the ones the code was mailed for count.
    const done = await f.strategy.register(ctx, sent, { method: 'code', code, traits: { email: 'evil@example.com' } }, { requester });
    if (done.kind !== 'registered') throw new Error(`expected registered, got ${done.kind}`);
    expect(done).toMatchObject({ method: 'code', aal: 'aal1' });
    expect(done.identity.traits).toEqual(traits);
    expect(done.identity.credentials.code).toMatchObject({ type: 'code', identifiers: ['new@example.com'], config: { addresses: [{ channel: 'email', address: 'new@example.com' }] } });
    expect(done.identity.verifiableAddresses).toEqual([expect.objectContaining({ value: 'new@example.com', verified: true, status: 'completed', verifiedAt: f.clock.now() })]);
  });

  it('refuses a wrong code, a code of another flow, and a code whose state the completed flow dropped', async () => {
    const f = setup();
    const sent = await updated<RegistrationFlow>(f.strategy.register(ctx, f.registrationFlow(), { method: 'code', traits: { email: 'r@example.com' } }, { requester }));
    const code = f.courier.queued[0].model.registration_code as string;
    const wrong = await updated<RegistrationFlow>(f.strategy.register(ctx, sent, { method: 'code', code: code === '00000000' ? '11111111' : '00000000' }, { requester }));
    expect(ids(wrong)).toEqual([4040003]);
    expect(ids(await updated<RegistrationFlow>(f.strategy.register(ctx, f.registrationFlow(), { method: 'code', code }, { requester })))).toEqual([4040003]);
    expect((await f.strategy.register(ctx, wrong, { method: 'code', code }, { requester })).kind).toBe('registered');
    // The registration service drops the method's state from the stored flow once it completed.
    const { code: _dropped, ...rest } = sent.internalContext;
    await f.flowStore.update(ctx, { ...sent, internalContext: rest });
    expect(ids(await updated<RegistrationFlow>(f.strategy.register(ctx, sent, { method: 'code', code }, { requester })))).toEqual([4040003]);
  });

  it(`dies after ${MAX_CODE_ATTEMPTS} wrong codes and forgets the pending registration`, async () => {
    const f = setup();
    let flow = await updated<RegistrationFlow>(f.strategy.register(ctx, f.registrationFlow(), { method: 'code', traits: { email: 'r@example.com' } }, { requester }));
    const code = f.courier.queued[0].model.registration_code as string;
    const wrong = code === '00000000' ? '11111111' : '00000000';
    for (let i = 0; i < MAX_CODE_ATTEMPTS; i++) flow = await updated<RegistrationFlow>(f.strategy.register(ctx, flow, { method: 'code', code: wrong }, { requester }));
    expect(flow.internalContext.code).toEqual({ attempts: MAX_CODE_ATTEMPTS });
    expect((await validationError(f.strategy.register(ctx, flow, { method: 'code', code }, { requester }))).global[0].id).toBe(4000001);
  });

  it('needs a code identifier in the traits', async () => {
    const f = setup({ identity: { default_schema_id: 'customer', schemas: [{ id: 'customer', url: `file://${SCHEMAS}/identity.username-phone.schema.json` }] } });
    const e = await validationError(f.strategy.register(ctx, f.registrationFlow(), { method: 'code', traits: { username: 'nophone' } }, { requester }));
    expect(e.global.map((m) => m.id)).toEqual([4000009]);
  });
});
