import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { CourierConfigError } from '../courier-config-error';

const KEY = 'courier.smtp.connection_uri';
const FLAGS = ['requireTLS', 'disable_starttls', 'skip_ssl_verify'] as const;
const KNOWN = new Set<string>([...FLAGS, 'server_name']);

/**
 * Turns `courier.smtp.connection_uri` into nodemailer SMTP options:
 * `smtp://` upgrades with STARTTLS when the server offers it (`?requireTLS=true` insists,
 * `?disable_starttls=true` never tries: cleartext, for development only); `smtps://` is implicit TLS.
 * `?skip_ssl_verify=true` accepts any certificate (`tls.rejectUnauthorized=false`), `?server_name=`
 * sets the TLS SNI name. Default ports: 587 (smtp) and 465 (smtps). Timeouts are short so a hanging
 * server cannot outlive a dispatcher's lease.
 *
 * Invariant: error messages name the key and never contain the URI (it carries a password).
 * @throws CourierConfigError for another scheme, an unknown or non-boolean option, or conflicting options.
 */
export function smtpTransportOptions(uri: string, localName: string): SMTPTransport.Options {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new CourierConfigError(`${KEY}: not a valid URL`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new CourierConfigError(`${KEY}: scheme must be smtp:// or smtps://`);
  if (!url.hostname) throw new CourierConfigError(`${KEY}: needs a host`);
  const q = url.searchParams;
  for (const name of q.keys()) {
    if (!KNOWN.has(name)) throw new CourierConfigError(`${KEY}: unknown option ?${name} (known: ${[...KNOWN].join(', ')})`);
  }
  const flag = (name: (typeof FLAGS)[number]): boolean => {
    const value = q.get(name);
    if (value !== null && value !== 'true' && value !== 'false') throw new CourierConfigError(`${KEY}: ?${name} must be true or false`);
    return value === 'true';
  };
  const secure = url.protocol === 'smtps:';
  const requireTLS = flag('requireTLS');
  const ignoreTLS = flag('disable_starttls');
  if (requireTLS && ignoreTLS) throw new CourierConfigError(`${KEY}: ?requireTLS=true and ?disable_starttls=true contradict each other`);
  const serverName = q.get('server_name');
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    requireTLS: !secure && requireTLS,
    ignoreTLS: !secure && ignoreTLS,
    name: localName,
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    tls: { rejectUnauthorized: !flag('skip_ssl_verify'), ...(serverName ? { servername: serverName } : {}) },
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    logger: false,
    debug: false,
  };
}

/** The URI with its password replaced, for messages and logs. */
export function redactSmtpUri(uri: string): string {
  try {
    const url = new URL(uri);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '<invalid smtp uri>';
  }
}
