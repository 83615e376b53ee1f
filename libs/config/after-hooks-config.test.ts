import { ConfigError, loadConfig } from '.';

describe('after-hooks in the configuration', () => {
  it('accepts every implemented hook where it is implemented', () => {
    const config = loadConfig({
      env: {
        SELFSERVICE_FLOWS_LOGIN_AFTER_HOOKS: '[{"hook":"revoke_active_sessions"},{"hook":"require_verified_address"}]',
        SELFSERVICE_FLOWS_LOGIN_AFTER_PASSWORD_HOOKS: '[{"hook":"require_verified_address"}]',
        SELFSERVICE_FLOWS_REGISTRATION_AFTER_PASSWORD_HOOKS: '[{"hook":"session"},{"hook":"show_verification_ui"}]',
        SELFSERVICE_FLOWS_RECOVERY_AFTER_HOOKS: '[{"hook":"revoke_active_sessions"}]',
      },
    });
    expect(config.selfservice.flows.login.after.password.hooks).toEqual([{ hook: 'require_verified_address' }]);
    expect(config.selfservice.flows.registration.after.password.hooks.map((h) => h.hook)).toEqual(['session', 'show_verification_ui']);
  });

  it.each([
    ['SELFSERVICE_FLOWS_LOGIN_AFTER_HOOKS', 'web_hook', /selfservice\.flows\.login\.after\.hooks: hook "web_hook" is not implemented \(login supports: revoke_active_sessions, require_verified_address\)/],
    ['SELFSERVICE_FLOWS_LOGIN_AFTER_CODE_HOOKS', 'session', /selfservice\.flows\.login\.after\.code\.hooks: hook "session" is not implemented/],
    ['SELFSERVICE_FLOWS_REGISTRATION_AFTER_WEBAUTHN_HOOKS', 'require_verified_address', /registration\.after\.webauthn\.hooks: hook "require_verified_address" is not implemented \(registration supports: session, show_verification_ui\)/],
    ['SELFSERVICE_FLOWS_SETTINGS_AFTER_HOOKS', 'revoke_active_sessions', /settings\.after\.hooks: hook "revoke_active_sessions" is not implemented \(settings supports: none\)/],
    ['SELFSERVICE_FLOWS_VERIFICATION_AFTER_HOOKS', 'show_verification_ui', /verification\.after\.hooks: hook "show_verification_ui" is not implemented/],
    ['SELFSERVICE_FLOWS_RECOVERY_AFTER_HOOKS', 'session', /recovery\.after\.hooks: hook "session" is not implemented \(recovery supports: revoke_active_sessions\)/],
  ])('refuses %s with %s', (key, hook, message) => {
    const load = () => loadConfig({ env: { [key]: JSON.stringify([{ hook }]) } });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
  });
});
