import express from 'express';
import request from 'supertest';
import { encodePageToken, parseTokenPageRequest, setTokenPageHeaders } from './token-pagination';

describe('parseTokenPageRequest', () => {
  it('defaults to 250, clamps to 1000 and decodes Hydra-style page tokens', () => {
    expect(parseTokenPageRequest({})).toEqual({ offset: 0, size: 250 });
    expect(parseTokenPageRequest({ page_size: '5000', page_token: encodePageToken(40) })).toEqual({ offset: 40, size: 1000 });
    expect(parseTokenPageRequest({ page_size: '0', page_token: 'garbage!' })).toEqual({ offset: 0, size: 250 });
    expect(JSON.parse(Buffer.from(encodePageToken(3), 'base64url').toString())).toEqual({ page: '3', v: 1 });
  });
});

describe('setTokenPageHeaders', () => {
  const app = (total: number) => {
    const a = express();
    a.get('/list', (req, res) => {
      setTokenPageHeaders(res, 'http://admin.test/admin/clients', total, parseTokenPageRequest(req.query as Record<string, unknown>), { owner: 'o' });
      res.json([]);
    });
    return a;
  };
  const rels = (link: string) => Object.fromEntries([...link.matchAll(/<([^>]+)>; rel="(\w+)"/g)].map((m) => [m[2], new URL(m[1])]));

  it('links first, next and last from the first page, keeping filters', async () => {
    const res = await request(app(5)).get('/list?page_size=2');
    expect(res.headers['x-total-count']).toBe('5');
    const r = rels(res.headers.link);
    expect(Object.keys(r)).toEqual(['first', 'next', 'last']);
    expect(parseTokenPageRequest(Object.fromEntries(r.next.searchParams))).toEqual({ offset: 2, size: 2 });
    expect(parseTokenPageRequest(Object.fromEntries(r.last.searchParams))).toEqual({ offset: 4, size: 2 });
    expect(r.next.searchParams.get('owner')).toBe('o');
  });

  it('links prev and no next on the last page', async () => {
    const res = await request(app(5)).get(`/list?page_size=2&page_token=${encodePageToken(4)}`);
    expect(Object.keys(rels(res.headers.link))).toEqual(['first', 'prev', 'last']);
  });
});
