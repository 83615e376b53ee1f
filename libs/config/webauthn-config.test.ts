import { webAuthnRelyingParty } from './webauthn-config';
import type { WebAuthnMethodConfig } from './webauthn-config';

const config = (rp: WebAuthnMethodConfig['config']['rp']) => ({
  serve: { public: { base_url: 'https://auth.example.com:4433/' } },
  selfservice: { methods: { webauthn: { enabled: true, config: { passwordless: false, rp } } } },
});

describe('webAuthnRelyingParty', () => {
  it('defaults the RP id to the public host, the name to the id and the origin to <public scheme>://<id> (Kratos)', () => {
    expect(webAuthnRelyingParty(config({}))).toEqual({ id: 'auth.example.com', displayName: 'auth.example.com', origins: ['https://auth.example.com'] });
    expect(webAuthnRelyingParty(config({ id: 'example.com', display_name: 'Example' }))).toEqual({ id: 'example.com', displayName: 'Example', origins: ['https://example.com'] });
  });

  it('prefers origins over the deprecated origin and keeps only scheme://host[:port]', () => {
    expect(webAuthnRelyingParty(config({ id: 'example.com', origin: 'https://login.example.com/path' })).origins).toEqual(['https://login.example.com']);
    expect(webAuthnRelyingParty(config({ id: 'localhost', origin: 'http://x', origins: ['http://localhost:4455/', 'https://app.example.com'] })).origins).toEqual([
      'http://localhost:4455',
      'https://app.example.com',
    ]);
  });
});
