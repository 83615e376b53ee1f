import request from 'supertest';
import type { RunningServer } from '../../../apps/cli/src/server';
import { bootOAuth2 } from '../../helpers/oauth2';
import { oryClient } from '../../helpers/ory-client';

/** `POST /admin/oauth2/introspect` is served before express: the same contract as every admin route. */
describe('admin token introspection endpoint', () => {
  let server: RunningServer;
  let token: string;

  beforeAll(async () => {
    server = await bootOAuth2();
    const created = await oryClient(server.adminUrl).adminCreateOAuth2Client({ grant_types: ['client_credentials'], scope: 'api' });
    const res = await request(server.publicUrl)
      .post('/oauth2/token')
      .auth(created.data.client_id!, created.data.client_secret!)
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'api' });
    token = res.body.access_token;
  });
  afterAll(() => server.close());

  it('answers RFC 7662 JSON with the request id, also with a query string on the URL', async () => {
    const res = await request(server.adminUrl).post('/admin/oauth2/introspect?x=1').set('X-Request-Id', 'rs-1').type('form').send({ token, scope: 'api' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(res.headers['x-request-id']).toBe('rs-1');
    expect(res.headers['cache-control']).toBe('private, no-cache, no-store, must-revalidate');
    expect(res.body).toMatchObject({ active: true, scope: 'api', token_use: 'access_token' });
    expect((await request(server.adminUrl).post('/admin/oauth2/introspect').type('form').send({ token, scope: 'other' })).body).toEqual({ active: false });
    expect((await request(server.adminUrl).post('/admin/oauth2/introspect').type('form').send({ token: 'nope' })).body).toEqual({ active: false });
    for (const path of ['/admin/oauth2/introspect/', '/Admin/OAuth2/Introspect']) {
      expect((await request(server.adminUrl).post(path).type('form').send({ token })).body).toMatchObject({ active: true });
    }
  });

  it("answers Hydra's flat errors: no token, a JSON body, a malformed or oversized form", async () => {
    const empty = await request(server.adminUrl).post('/admin/oauth2/introspect').type('form').send('');
    expect(empty.status).toBe(400);
    expect(empty.body).toEqual({ error: 'invalid_request', error_description: 'The POST body can not be empty.', status_code: 400 });
    const json = await request(server.adminUrl).post('/admin/oauth2/introspect').send({ token });
    expect(json.status).toBe(400);
    expect(json.body.error).toBe('invalid_request');
    const big = await request(server.adminUrl).post('/admin/oauth2/introspect').type('form').send(`token=${'a'.repeat(70_000)}`);
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ status_code: 413 });
    expect(JSON.stringify(big.body)).not.toMatch(/at .*\.js/);
  });

  it('leaves other methods and paths to the admin app', async () => {
    const get = await request(server.adminUrl).get('/admin/oauth2/introspect');
    expect(get.status).toBe(404);
    expect(get.body).toMatchObject({ error: 'Not Found', status_code: 404 });
    const del = await request(server.adminUrl).delete('/admin/oauth2/tokens');
    expect(del.status).toBe(400);
    expect(del.body.error_description).toContain('client_id');
  });
});
