import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V0alpha2Api } from '@ory/client';
import { createLocalJWKSet, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import type { RunningServer } from '../../../apps/cli/src/server';
import { generateSigningKey, toPublicJwk } from '../../../libs/keys';
import { FixedClock, newId } from '../../../libs/x';
import { bootApps } from '../../helpers/boot-apps';
import { oryClient, oryFailure } from '../../helpers/ory-client';

const KEY_SET = 'tessera.session.backend';

/** Kratos session-to-JWT: `GET /sessions/whoami?tokenize_as=<template>`. */
describe('GET /sessions/whoami?tokenize_as=', () => {
  let server: RunningServer;
  let pub: V0alpha2Api;
  let admin: V0alpha2Api;
  let dir: string;
  let fileKey: Awaited<ReturnType<typeof generateSigningKey>>;
  const clock = new FixedClock(new Date());

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-jwks-'));
    fileKey = await generateSigningKey('EdDSA', 'file-key');
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [fileKey] }));
    const templates = {
      backend: {
        key_set: KEY_SET,
        ttl: '10m',
        audience: ['https://api.example.com'],
        claims: { email: 'identity.traits.email', schema: 'identity.schema_id', aal: 'authenticator_assurance_level', first_name: 'identity.traits.name.first' },
      },
      from_file: { jwks_url: `file://${join(dir, 'jwks.json')}`, subject_source: 'identity.traits.email' },
    };
    server = await bootApps({ SESSION_WHOAMI_TOKENIZER_TEMPLATES: JSON.stringify(templates) }, { clock });
    pub = oryClient(server.publicUrl);
    admin = oryClient(server.adminUrl);
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Registers through the API flow and returns the session token and the new identity. */
  const register = async () => {
    const email = `tok-${newId().slice(0, 8)}@example.com`;
    const { data: flow } = await pub.initializeSelfServiceRegistrationFlowWithoutBrowser();
    const { data } = await pub.submitSelfServiceRegistrationFlow(flow.id, { method: 'password', password: `pw-${newId()}`, traits: { email, name: { first: 'Ada' } } });
    return { token: data.session_token!, identityId: data.identity.id, sessionId: data.session!.id, email };
  };
  const tokenize = (token: string, template: string) => pub.toSession(token, undefined, { params: { tokenize_as: template } });

  it('returns the session plus a JWT signed by the template key set, with the mapped claims and the TTL', async () => {
    const { token, identityId, sessionId, email } = await register();
    const res = await tokenize(token, 'backend');
    expect(res.status).toBe(200);
    const plain = (await pub.toSession(token)).data;
    expect(plain).not.toHaveProperty('tokenized');
    const { tokenized, ...session } = res.data as unknown as { tokenized: string };
    expect(session).toEqual(plain);

    // Verify with jose against the public part of the set (read through the admin API, private parts dropped).
    const { data: set } = await admin.adminGetJsonWebKeySet(KEY_SET);
    expect(set.keys!.map((k) => k.alg)).toEqual(['ES256']);
    const jwks = createLocalJWKSet({ keys: set.keys!.map((k) => toPublicJwk(k as never)) } as Parameters<typeof createLocalJWKSet>[0]);
    expect(decodeProtectedHeader(tokenized)).toEqual({ alg: 'ES256', kid: set.keys![0].kid, typ: 'JWT' });
    const { payload } = await jwtVerify(tokenized, jwks, { issuer: server.registry.config.serve.public.base_url, audience: 'https://api.example.com', currentDate: clock.now() });
    const now = Math.floor(clock.now().getTime() / 1000);
    expect(payload).toEqual({
      jti: expect.any(String),
      iss: server.registry.config.serve.public.base_url,
      aud: 'https://api.example.com',
      sub: identityId,
      sid: sessionId,
      iat: now,
      nbf: now,
      exp: now + 600,
      email,
      schema: 'default',
      aal: 'aal1',
      first_name: 'Ada',
    });
    // Past the TTL the JWT no longer verifies.
    await expect(jwtVerify(tokenized, jwks, { currentDate: new Date((now + 601) * 1000) })).rejects.toThrow(/exp/);
  });

  it('signs with a key rotated in through the admin API', async () => {
    const { token } = await register();
    await tokenize(token, 'backend');
    clock.advance(1000);
    await admin.adminCreateJsonWebKeySet(KEY_SET, { alg: 'EdDSA', kid: 'tokenizer-rotated', use: 'sig' });
    const { data } = await tokenize(token, 'backend');
    expect(decodeProtectedHeader((data as unknown as { tokenized: string }).tokenized)).toMatchObject({ alg: 'EdDSA', kid: 'tokenizer-rotated' });
  });

  it('signs with the JWKS file of a jwks_url template, the subject taken from a trait', async () => {
    const { token, email } = await register();
    const { data } = await tokenize(token, 'from_file');
    const jwt = (data as unknown as { tokenized: string }).tokenized;
    const { payload, protectedHeader } = await jwtVerify(jwt, await importJWK(toPublicJwk(fileKey), 'EdDSA'), { currentDate: clock.now() });
    expect(protectedHeader.kid).toBe('file-key');
    expect(payload.sub).toBe(email);
    expect(payload.exp! - payload.iat!).toBe(60);
  });

  it('answers 400 for an unknown template, and 401 without a session before looking at the template', async () => {
    const { token } = await register();
    const unknown = await oryFailure(tokenize(token, 'nope'));
    expect(unknown.status).toBe(400);
    expect(unknown.data).toMatchObject({ error: { code: 400, status: 'Bad Request', reason: 'Unable to find tokenizer template "nope".' } });
    expect((await oryFailure(tokenize('not-a-session-token', 'nope'))).status).toBe(401);
  });
});
