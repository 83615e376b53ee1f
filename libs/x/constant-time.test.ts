import { constantTimeEqual } from './constant-time';

describe('constantTimeEqual', () => {
  it('is true only for identical strings', () => {
    expect(constantTimeEqual('secret', 'secret')).toBe(true);
    expect(constantTimeEqual('secret', 'secreT')).toBe(false);
    expect(constantTimeEqual('secret', 'secret2')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});
