import type { Config } from '../../config';
import { validateReturnTo as validate } from './return-to';

describe('validateReturnTo', () => {
  const allowed = ['https://app.example.com/dashboard'];
  const def = 'https://www.example.com/';
  const config = { selfservice: { allowed_return_urls: allowed, default_browser_return_url: def }, serve: { public: { base_url: 'https://auth.example.com/' } } } as unknown as Config;
  const validateReturnTo = (url: string | undefined, _allowed: unknown, _def: unknown): string | undefined => validate(url, config);

  it('always allows the public self-service URLs', () => {
    expect(validate('https://auth.example.com/self-service/settings/browser', config)).toBe('https://auth.example.com/self-service/settings/browser');
    expect(() => validate('https://auth.example.com/admin', config)).toThrow();
  });

  it('accepts the default, allowed prefixes and relative paths', () => {
    expect(validateReturnTo(undefined, allowed, def)).toBeUndefined();
    expect(validateReturnTo('https://app.example.com/dashboard/settings', allowed, def)).toBe('https://app.example.com/dashboard/settings');
    expect(validateReturnTo('https://www.example.com/anything', allowed, def)).toBe('https://www.example.com/anything');
    expect(validateReturnTo('/welcome', allowed, def)).toBe('https://www.example.com/welcome');
  });

  it.each(['https://evil.example/', 'https://app.example.com/other', 'javascript:alert(1)', 'https://app.example.com.evil.io/dashboard', '//evil.example/x'])(
    'refuses %s',
    (url) => {
      expect(() => validateReturnTo(url, allowed, def)).toThrow(expect.objectContaining({ id: 'self_service_flow_return_to_forbidden', code: 400 }));
    },
  );
});
