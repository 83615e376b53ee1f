import express from 'express';
import request from 'supertest';
import { encodePageToken } from '../x';
import { parseListRequest, setListLinks } from './list-pagination';
import { OryError } from './errors';

const ID = '0b6f2c1e-8f1d-4c3a-9e2b-5d7a1c9e0f42';
const AT = '2026-03-01T10:20:30.456Z';
const KEY = ['time', 'uuid'] as const;

describe('parseListRequest', () => {
  it('reads page_size and page_token (Kratos v1, Hydra v2): default 250, at most 1000', () => {
    expect(parseListRequest({}, KEY)).toEqual({ style: 'token', page: 0, size: 250 });
    expect(parseListRequest({ page_size: '1000', page_token: encodePageToken([AT, ID]) }, KEY)).toEqual({ style: 'token', page: 0, size: 1000, after: [AT, ID] });
    expect(parseListRequest({ page_size: '2', page_token: encodePageToken([]) }, KEY)).toEqual({ style: 'token', page: 0, size: 2 });
  });

  it.each(['0', '1001', '-1', 'abc', '2.5'])('refuses page_size=%s with 400', (size) => {
    expect(() => parseListRequest({ page_size: size }, KEY)).toThrow(OryError);
    try {
      parseListRequest({ page_size: size }, KEY);
    } catch (error) {
      expect((error as OryError).code).toBe(400);
      expect((error as OryError).oauth2Error).toBe('invalid_request');
    }
  });

  it('refuses a page token this list did not write with 400', () => {
    for (const token of ['garbage!', encodePageToken(['x']), encodePageToken([AT, 'nope'])]) {
      expect(() => parseListRequest({ page_token: token }, KEY)).toThrow(expect.objectContaining({ code: 400 }));
    }
  });

  it('keeps the old page/per_page: garbage falls back to the defaults, page N is an offset unless a page token is given', () => {
    expect(parseListRequest({ page: '2', per_page: '5' }, KEY)).toEqual({ style: 'page', page: 2, size: 5, offset: 10 });
    expect(parseListRequest({ page: 'x', per_page: '-3' }, KEY)).toEqual({ style: 'page', page: 0, size: 250, offset: 0 });
    expect(parseListRequest({ per_page: '5000' }, KEY)).toEqual({ style: 'page', page: 0, size: 1000, offset: 0 });
    expect(parseListRequest({ page: '3', per_page: '5', page_token: encodePageToken([AT, ID]) }, KEY)).toEqual({ style: 'page', page: 3, size: 5, after: [AT, ID] });
  });
});

describe('setListLinks', () => {
  const app = express();
  app.get('/admin/things', (req, res) => {
    const page = parseListRequest(req.query as Record<string, unknown>, KEY);
    setListLinks(res, req, 'http://admin.test/things', page, req.query.more === '1' ? [AT, ID] : undefined);
    res.json([]);
  });

  it('writes first and next as ory/x keysetpagination does: relative, every parameter kept, keys sorted', async () => {
    const res = await request(app).get('/admin/things').query({ more: '1', page_size: '2', zeta: 'z', active: 'true' });
    const start = encodePageToken([]);
    const next = encodePageToken([AT, ID]);
    expect(res.headers.link).toBe(
      `</admin/things?active=true&more=1&page_size=2&page_token=${start}&zeta=z>; rel="first",</admin/things?active=true&more=1&page_size=2&page_token=${next}&zeta=z>; rel="next"`,
    );
    expect(res.headers['x-total-count']).toBeUndefined();
    const last = await request(app).get('/admin/things').query({ page_token: next });
    expect(last.headers.link).toBe(`</admin/things?page_size=250&page_token=${start}>; rel="first"`);
  });

  it('writes first, next (with the next page token) and prev for the old page/per_page, absolute, without last', async () => {
    const next = encodePageToken([AT, ID]);
    const res = await request(app).get('/admin/things').query({ more: '1', page: '1', per_page: '2' });
    expect(res.headers.link).toBe(
      [
        '<http://admin.test/things?more=1&page=0&per_page=2>; rel="first"',
        `<http://admin.test/things?more=1&page=2&page_token=${next}&per_page=2>; rel="next"`,
        '<http://admin.test/things?more=1&page=0&per_page=2>; rel="prev"',
      ].join(','),
    );
    const only = await request(app).get('/admin/things').query({ per_page: '2' });
    expect(only.headers.link).toBe('<http://admin.test/things?page=0&per_page=2>; rel="first"');
  });
});
