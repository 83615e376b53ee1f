import { parseRealmConfig } from './realm-config';
import { realmConfigFileForm } from './realm-config-file-form';

const host = { dev: true, serve: { public: { base_url: 'http://127.0.0.1:4433/' }, admin: { base_url: 'http://127.0.0.1:4434/' } }, courier: { sms: { enabled: true } } };

describe('realmConfigFileForm', () => {
  it('writes durations back as text, leaves the host facts out, and parses back to the same configuration', () => {
    const config = parseRealmConfig({ session: { lifespan: '90m', whoami: { tokenizer: { templates: { t: { key_set: 'k', ttl: '500ms' } } } } } }, host);
    const form = realmConfigFileForm(config);
    expect(form.session).toMatchObject({ lifespan: '1h30m0s', whoami: { tokenizer: { templates: { t: { key_set: 'k', ttl: '0.5s' } } } } });
    expect((form.ttl as Record<string, unknown>).access_token).toBe('1h0m0s');
    expect(form.dev).toBeUndefined();
    expect(form.serve).toBeUndefined();
    expect((form.courier as { sms: Record<string, unknown> }).sms).toEqual({ from: 'Tessera' });
    expect(parseRealmConfig(form, host)).toEqual(config);
    expect(Object.isFrozen(form)).toBe(false);
  });
});
