import type { SelfServiceLoginFlow, UiNode, UiNodeInputAttributes, V0alpha2Api } from '@ory/client';
import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import { bootApps } from '../../helpers/boot-apps';
import { databaseFactories, type TestDatabase } from '../../helpers/databases';
import { oryClient } from '../../helpers/ory-client';
import { type CreationOptions, type RequestOptions, SoftAuthenticator, onclickOptions } from '../../helpers/soft-authenticator';

jest.setTimeout(180_000);

const PARALLEL = 20;
const ORIGIN = 'http://localhost:4455';

const attrs = (n: UiNode): UiNodeInputAttributes => n.attributes as UiNodeInputAttributes;
const trigger = <T>(flow: { ui: { nodes: UiNode[] } }, name: string): T => onclickOptions<T>(attrs(flow.ui.nodes.find((n) => attrs(n).name === name)!).onclick);

/**
 * One passkey assertion submitted many times at once on one login flow signs in exactly once: the
 * challenge is spent and the signature counter compared under row locks (SQLite and MariaDB/MySQL).
 */
describe.each(databaseFactories().map((f) => [f.label, f] as const))('parallel passkey assertions on %s', (_label, factory) => {
  let db: TestDatabase;
  let server: RunningServer;
  let ory: V0alpha2Api;

  beforeAll(async () => {
    db = await factory.create();
    server = await bootApps({
      DSN: db.dsn,
      SELFSERVICE_METHODS_WEBAUTHN_ENABLED: 'true',
      SELFSERVICE_METHODS_WEBAUTHN_CONFIG_RP_ID: 'localhost',
      SELFSERVICE_METHODS_WEBAUTHN_CONFIG_RP_DISPLAY_NAME: 'Tessera tests',
      SELFSERVICE_METHODS_WEBAUTHN_CONFIG_RP_ORIGINS: ORIGIN,
      SELFSERVICE_METHODS_WEBAUTHN_CONFIG_PASSWORDLESS: 'true',
    });
    ory = oryClient(server.publicUrl);
  });
  afterAll(async () => {
    await server.close();
    await db.drop();
  });

  async function signUp(authenticator: SoftAuthenticator, email: string): Promise<string> {
    const { data: flow } = await ory.initializeSelfServiceRegistrationFlowWithoutBrowser();
    const res = await ory.submitSelfServiceRegistrationFlow(flow.id, { method: 'webauthn', traits: { email }, webauthn_register: JSON.stringify(authenticator.create(trigger<CreationOptions>(flow, 'webauthn_register_trigger'))) });
    return res.data.identity.id;
  }

  async function sessionsOf(identityId: string): Promise<number> {
    const rows: { n: number | string }[] = await server.registry.persistence.dataSource.query('SELECT COUNT(*) AS n FROM sessions WHERE identity_id = ?', [identityId]);
    return Number(rows[0].n);
  }

  for (const [what, counter] of [
    ['a counting authenticator', undefined],
    ['an authenticator whose counter stays 0', 0],
  ] as const) {
    it(`${PARALLEL} parallel submissions of one assertion from ${what}: one session`, async () => {
      const phone = new SoftAuthenticator({ origin: ORIGIN, attestation: 'packed' });
      const identityId = await signUp(phone, `race-passkey-${counter ?? 'n'}@example.com`);
      const before = await sessionsOf(identityId);
      const { data: flow } = await ory.initializeSelfServiceLoginFlowWithoutBrowser();
      const assertion = JSON.stringify(phone.get(trigger<RequestOptions>(flow, 'webauthn_login_trigger'), counter === undefined ? {} : { counter }));
      const answers = await Promise.all(
        Array.from({ length: PARALLEL }, () => request(server.publicUrl).post(`/self-service/login?flow=${flow.id}`).send({ method: 'webauthn', identifier: '', webauthn_login: assertion })),
      );
      expect(answers.map((r) => r.status).sort()).toEqual([200, ...Array<number>(PARALLEL - 1).fill(400)]);
      for (const lost of answers.filter((r) => r.status === 400)) expect(((lost.body as SelfServiceLoginFlow).ui.messages ?? []).map((m) => m.id)).toEqual([4000006]);
      expect(await sessionsOf(identityId)).toBe(before + 1);
    });
  }
});
