import type { Config, ProcessConfig, RealmConfig } from './config';

/** The configuration file cut along the realm line. Both halves are deep-frozen. */
export interface SplitConfig {
  readonly process: ProcessConfig;
  /** The default realm's configuration (today's keys), with the read-only `RealmHost` facts. */
  readonly realm: RealmConfig;
}

/**
 * Splits a loaded configuration file into the process configuration and the default realm's
 * configuration. Each key goes to the side its schema part declares (`processConfigSchema`,
 * `realmConfigSchema`); `courier` is cut in two (transport and worker / templates and sender). The realm
 * also receives the `RealmHost` facts: `dev`, `serve.{public,admin}.base_url` and `courier.sms.enabled`.
 * Values are shared, not copied: a consumer of either half sees the same frozen objects as the file.
 */
export function splitConfig(config: Config): SplitConfig {
  const { dev, dsn, database, log, admin, realms, cache, serve, secrets, hashers, courier } = config;
  const process: ProcessConfig = {
    dev,
    dsn,
    database,
    log,
    admin,
    realms,
    cache,
    serve,
    secrets,
    hashers,
    courier: {
      message_retries: courier.message_retries,
      smtp: { connection_uri: courier.smtp.connection_uri, headers: courier.smtp.headers, local_name: courier.smtp.local_name },
      sms: { enabled: courier.sms.enabled, request_config: courier.sms.request_config },
      worker: courier.worker,
    },
  };
  const { session, cookies, selfservice, identity, urls, ttl, strategies, oauth2, webfinger, oidc } = config;
  const realm: RealmConfig = {
    dev,
    serve: { public: { base_url: serve.public.base_url }, admin: { base_url: serve.admin.base_url } },
    session,
    cookies,
    selfservice,
    identity,
    urls,
    ttl,
    strategies,
    oauth2,
    webfinger,
    oidc,
    courier: {
      ...(courier.template_override_path === undefined ? {} : { template_override_path: courier.template_override_path }),
      templates: courier.templates,
      smtp: { from_address: courier.smtp.from_address, ...(courier.smtp.from_name === undefined ? {} : { from_name: courier.smtp.from_name }) },
      sms: { from: courier.sms.from, enabled: courier.sms.enabled },
    },
  };
  return { process: deepFreeze(withoutUndefined(process)), realm: deepFreeze(realm) };
}

/** Drops `connection_uri: undefined` and the like, so a half has exactly the keys the file had. */
function withoutUndefined<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.isFrozen(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, withoutUndefined(v)])) as T;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
