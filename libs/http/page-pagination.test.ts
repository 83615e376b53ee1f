import express from 'express';
import request from 'supertest';
import { parsePageRequest, setPageHeaders } from './page-pagination';

function appWith(total: number): express.Application {
  const a = express();
  a.get('/list', (req, res) => {
    setPageHeaders(res, 'http://127.0.0.1:4434/identities', total, parsePageRequest(req.query as Record<string, unknown>));
    res.json([]);
  });
  return a;
}

describe('parsePageRequest', () => {
  it('defaults garbage and clamps per_page', () => {
    expect(parsePageRequest({})).toEqual({ page: 0, perPage: 250 });
    expect(parsePageRequest({ page: 'x', per_page: '-3' })).toEqual({ page: 0, perPage: 250 });
    expect(parsePageRequest({ page: '2', per_page: '5000' })).toEqual({ page: 2, perPage: 1000 });
  });
});

describe('setPageHeaders', () => {
  const link = (page: number, perPage: number, rel: string): string =>
    `<http://127.0.0.1:4434/identities?page=${page}&per_page=${perPage}>; rel="${rel}"`;

  it('gives next and last on the first page (the Kratos example)', async () => {
    const res = await request(appWith(5)).get('/list?page=0&per_page=2');
    expect(res.headers['x-total-count']).toBe('5');
    expect(res.headers.link).toBe([link(1, 2, 'next'), link(2, 2, 'last')].join(','));
  });

  it('gives first, next, prev and last in the middle', async () => {
    const res = await request(appWith(7)).get('/list?page=1&per_page=2');
    expect(res.headers.link).toBe([link(0, 2, 'first'), link(2, 2, 'next'), link(0, 2, 'prev'), link(3, 2, 'last')].join(','));
  });

  it('gives first and prev on the last page', async () => {
    const res = await request(appWith(5)).get('/list?page=2&per_page=2');
    expect(res.headers.link).toBe([link(0, 2, 'first'), link(1, 2, 'prev')].join(','));
  });

  it('gives only first with per_page=total when everything fits', async () => {
    const res = await request(appWith(3)).get('/list');
    expect(res.headers.link).toBe(link(0, 3, 'first'));
  });

  it('gives first, next and prev when empty', async () => {
    const res = await request(appWith(0)).get('/list?per_page=2');
    expect(res.headers['x-total-count']).toBe('0');
    expect(res.headers.link).toBe([link(0, 2, 'first'), link(1, 2, 'next'), link(-1, 2, 'prev')].join(','));
  });
});
