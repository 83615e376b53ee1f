import type { AfterConfig } from '../../config';
import { completedReturnUrl } from './return-to';

describe('completedReturnUrl (Kratos precedence after a completed flow)', () => {
  const after = {
    default_browser_return_url: 'https://app.example.com/flow',
    hooks: [],
    password: { default_browser_return_url: 'https://app.example.com/password', hooks: [] },
    code: { hooks: [] },
  } as unknown as AfterConfig;
  const global = 'https://app.example.com/';

  it('return_to wins', () => {
    expect(completedReturnUrl(after, 'password', 'https://app.example.com/to', global)).toBe('https://app.example.com/to');
  });
  it('then the completing method’s URL', () => {
    expect(completedReturnUrl(after, 'password', undefined, global)).toBe('https://app.example.com/password');
  });
  it('then the flow’s URL, when the method has none or no block at all', () => {
    expect(completedReturnUrl(after, 'code', undefined, global)).toBe('https://app.example.com/flow');
    expect(completedReturnUrl(after, 'totp', undefined, global)).toBe('https://app.example.com/flow');
    expect(completedReturnUrl(after, 'hooks', undefined, global)).toBe('https://app.example.com/flow');
  });
  it('then the fallback', () => {
    expect(completedReturnUrl({ hooks: [] }, 'password', undefined, global)).toBe(global);
  });
});
