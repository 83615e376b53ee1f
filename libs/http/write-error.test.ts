import express from 'express';
import request from 'supertest';
import { createLogger } from '../x';
import { jsonBody } from './body-parsers';
import { badRequest, notFound, OryError } from './errors';
import { requestId } from './request-id';
import { routeNotFound } from './not-found';
import { type ErrorSurface, writeError } from './write-error';

const logger = createLogger('silent');

function app(surface: ErrorSurface, dev = false): express.Application {
  const a = express();
  a.use(requestId());
  a.post('/echo', jsonBody({ limit: '1kb' }), (req, res) => {
    res.json(req.body);
  });
  a.get('/bad', () => {
    throw badRequest('The thing is wrong.').withId('thing_invalid').withDetails({ field: 'x' }).withDebug('internal detail');
  });
  a.get('/crash', () => {
    throw new Error('database password is hunter2');
  });
  a.get('/async-crash', async () => {
    await Promise.resolve();
    throw new TypeError('boom');
  });
  a.get('/expired', () => {
    throw new OryError(410).withId('self_service_flow_expired').withExtra({ use_flow_id: 'abc' });
  });
  a.get('/missing', () => {
    throw notFound('Unable to locate the resource').withOAuth2Error('not_found');
  });
  a.use(routeNotFound());
  a.use(writeError(surface, { logger, dev }));
  return a;
}

describe('writeError (ory surface)', () => {
  it('writes the herodot envelope with id, reason, details and request id', async () => {
    const res = await request(app('ory')).get('/bad').set('X-Request-Id', 'req-1');
    expect(res.status).toBe(400);
    expect(res.headers['ory-error-id']).toBe('thing_invalid');
    expect(res.body).toEqual({
      error: {
        id: 'thing_invalid',
        code: 400,
        status: 'Bad Request',
        reason: 'The thing is wrong.',
        details: { field: 'x' },
        request: 'req-1',
        message: 'The request was malformed or contained invalid parameters',
      },
    });
  });

  it('includes debug only in dev mode', async () => {
    const res = await request(app('ory', true)).get('/bad');
    expect(res.body.error.debug).toBe('internal detail');
  });

  it('answers malformed JSON with 400 and an oversized body with 413', async () => {
    const bad = await request(app('ory')).post('/echo').set('content-type', 'application/json').send('{bad');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 400, status: 'Bad Request' });
    const big = await request(app('ory'))
      .post('/echo')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ a: 'x'.repeat(5000) }));
    expect(big.status).toBe(413);
    expect(big.body.error).toMatchObject({ code: 413 });
  });

  it('scrubs unexpected exceptions to id/code/status/message/request', async () => {
    for (const path of ['/crash', '/async-crash']) {
      const res = await request(app('ory', true)).get(path).set('X-Request-Id', 'r2');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({
        error: {
          code: 500,
          status: 'Internal Server Error',
          request: 'r2',
          message: 'An internal server error occurred, please contact the system administrator',
        },
      });
      expect(JSON.stringify(res.body)).not.toContain('hunter2');
    }
  });

  it('puts extra keys next to error', async () => {
    const res = await request(app('ory')).get('/expired');
    expect(res.status).toBe(410);
    expect(res.body.use_flow_id).toBe('abc');
    expect(res.body.error.id).toBe('self_service_flow_expired');
  });

  it('answers unknown routes with a 404 envelope', async () => {
    const res = await request(app('ory')).post('/nowhere').set('content-type', 'application/json').send('{bad');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 404, status: 'Not Found' });
  });
});

describe('writeError (oauth2 surface)', () => {
  it('writes Hydra flat errors', async () => {
    const res = await request(app('oauth2')).get('/missing');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'not_found', error_description: 'Unable to locate the resource', status_code: 404 });
  });

  it('uses the reason phrase when no OAuth2 name is set, and hides 5xx causes', async () => {
    const res = await request(app('oauth2')).get('/bad');
    expect(res.body).toEqual({ error: 'Bad Request', error_description: 'The thing is wrong.', status_code: 400 });
    const crash = await request(app('oauth2')).get('/crash');
    expect(crash.body).toEqual({ error: 'error', error_description: 'The error is unrecognizable', status_code: 500 });
  });
});

describe('requestId', () => {
  it('echoes a safe id and replaces an unsafe one', async () => {
    const echoed = await request(app('ory')).get('/bad').set('X-Request-Id', 'abc-123');
    expect(echoed.headers['x-request-id']).toBe('abc-123');
    const replaced = await request(app('ory')).get('/bad').set('X-Request-Id', 'bad id\twith tabs');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const generated = await request(app('ory')).get('/bad');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
