import { mergeInternalContext } from './save-flow-update';

describe('mergeInternalContext', () => {
  const code = { attempts: 1 };
  const webauthn = { challenge: 'old' };

  it('keeps what a parallel request stored in entries this update did not touch', () => {
    const loaded = { code, webauthn };
    const updated = { ...loaded, webauthn: { challenge: 'new' } };
    const stored = { code: { attempts: 4 }, webauthn };
    expect(mergeInternalContext(loaded, updated, stored)).toEqual({ code: { attempts: 4 }, webauthn: { challenge: 'new' } });
  });

  it('applies entries the update removed or added, and keeps entries only the stored flow has', () => {
    const loaded = { code, webauthn };
    const { webauthn: _spent, ...withoutChallenge } = loaded;
    const updated = { ...withoutChallenge, totp: { url: 'x' } };
    const stored = { code: { attempts: 2 }, webauthn, lookup_secret: { pending: true } };
    expect(mergeInternalContext(loaded, updated, stored)).toEqual({ code: { attempts: 2 }, totp: { url: 'x' }, lookup_secret: { pending: true } });
  });

  it('is the update itself when nothing changed in between', () => {
    const loaded = { code, webauthn };
    const updated = { ...loaded, code: { attempts: 2 } };
    expect(mergeInternalContext(loaded, updated, loaded)).toEqual(updated);
  });
});
