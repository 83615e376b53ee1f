import { createHash } from 'node:crypto';
import { pairwiseSubject, sectorIdentifier } from './pairwise-subject';

describe('pairwise subjects', () => {
  it('uses the whole sector_identifier_uri, else the host (with port) of the only redirect URI', () => {
    expect(sectorIdentifier({ sector_identifier_uri: 'https://sector.example/uris.json', redirect_uris: ['https://a.example/cb', 'https://b.example/cb'] })).toBe('https://sector.example/uris.json');
    expect(sectorIdentifier({ redirect_uris: ['https://rp.example:8443/cb'] })).toBe('rp.example:8443');
    expect(sectorIdentifier({ redirect_uris: ['https://a.example/cb', 'https://a.example/other'] })).toBeUndefined();
    expect(sectorIdentifier({ redirect_uris: [] })).toBeUndefined();
  });

  it("is Hydra's lowercase hex SHA-256 of sector + subject + salt, different per sector and salt", () => {
    const sub = pairwiseSubject('rp.example', 'alice', 'salt-1234');
    expect(sub).toBe(createHash('sha256').update('rp.examplealicesalt-1234').digest('hex'));
    expect(sub).toMatch(/^[0-9a-f]{64}$/);
    expect(pairwiseSubject('other.example', 'alice', 'salt-1234')).not.toBe(sub);
    expect(pairwiseSubject('rp.example', 'alice', 'salt-5678')).not.toBe(sub);
  });
});
