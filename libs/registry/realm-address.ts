import { type Config, type ProcessConfig, type RealmConfig, oauth2Urls } from '../config';

/**
 * The URL a non-default realm is reached at, from the process's base URL of that app: with a
 * `realm_host_suffix`, the host `{realm}{suffix}` (same scheme, port and path); without one, the base
 * URL plus `realms/{realm}/`. Always ends with a slash.
 */
export function realmBaseUrl(app: { readonly base_url: string; readonly realm_host_suffix?: string }, realm: string): string {
  const url = new URL(app.base_url);
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  if (app.realm_host_suffix) {
    url.hostname = `${realm}${app.realm_host_suffix.startsWith('.') ? '' : '.'}${app.realm_host_suffix}`;
    return url.href;
  }
  url.pathname = `${url.pathname}realms/${encodeURIComponent(realm)}/`;
  return url.href;
}

/**
 * A stored realm's configuration as the process serves it: the read-only host facts (`dev`, both base
 * URLs) come from the process, never from the stored config; the issuer is the realm's public base URL
 * without its trailing slash (`<public base URL>realms/{realm}`), and its public/admin OAuth2 URLs are
 * derived from the base URLs. Cookies are the realm's own: the session cookie's name gets the suffix
 * `_{realm}` (the CSRF cookie's name already derives from the base URL; the engine's cookies are
 * suffixed in the engine), so a browser signed in to one realm is not signed in to another, even when
 * both share a cookie domain and path. The default realm is never passed through here.
 */
export function addressRealm(process: ProcessConfig, name: string, config: RealmConfig): RealmConfig {
  const publicBase = realmBaseUrl(process.serve.public, name);
  const adminBase = realmBaseUrl(process.serve.admin, name);
  const { public: _public, admin: _admin, issuer: _issuer, ...self } = config.urls.self;
  return {
    ...config,
    dev: process.dev,
    serve: { public: { base_url: publicBase }, admin: { base_url: adminBase } },
    urls: { ...config.urls, self: { ...self, issuer: publicBase.slice(0, -1) } },
    session: { ...config.session, cookie: { ...config.session.cookie, name: realmCookieName(config.session.cookie.name, name) } },
  };
}

/** `name` for the default realm, `{name}_{realm}` for any other. */
export function realmCookieName(cookie: string, realm: string): string {
  return realm === 'default' ? cookie : `${cookie}_${realm}`;
}

/**
 * The whole configuration as the apps of a realm read it (`deps.config`): the process's keys with the
 * realm's base URLs, and the realm's keys.
 */
export function realmFileConfig(file: Config, realm: RealmConfig): Config {
  return {
    ...file,
    ...realm,
    serve: {
      ...file.serve,
      public: { ...file.serve.public, base_url: realm.serve.public.base_url },
      admin: { ...file.serve.admin, base_url: realm.serve.admin.base_url },
    },
    courier: {
      ...file.courier,
      ...(realm.courier.template_override_path === undefined ? {} : { template_override_path: realm.courier.template_override_path }),
      templates: realm.courier.templates,
      smtp: { ...file.courier.smtp, ...realm.courier.smtp },
      sms: { ...file.courier.sms, from: realm.courier.sms.from },
    },
  };
}

/** The path prefix under which the default realm has its own, Keycloak-style issuer. */
export const DEFAULT_REALM_PREFIX = '/realms/default';

/**
 * The default realm's configuration as its engine under `/realms/default` reads it: the issuer is the
 * default realm's issuer plus `/realms/default` (`https://auth.example.com/realms/default`) and the
 * public OAuth2 URLs are under that prefix, so the discovery document at `<issuer>/.well-known/openid-configuration`
 * names the URL it is served at; everything else (login/consent/logout UIs, lifetimes, keys) is the default realm's.
 */
export function underDefaultRealmPrefix(config: RealmConfig): RealmConfig {
  const urls = oauth2Urls(config);
  return {
    ...config,
    urls: { ...config.urls, self: { ...config.urls.self, issuer: `${urls.issuer.replace(/\/$/, '')}${DEFAULT_REALM_PREFIX}`, public: `${urls.public}${DEFAULT_REALM_PREFIX.slice(1)}/` } },
  };
}
