import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** One mail the sink accepted, decoded enough for assertions. */
export interface ReceivedMail {
  readonly envelopeTo: string[];
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly raw: string;
  readonly user?: string;
  readonly secure: boolean;
}

export interface SmtpSink {
  readonly port: number;
  readonly mails: ReceivedMail[];
  /** `smtp://127.0.0.1:<port>/` plus `query`. */
  uri(query?: string, credentials?: string): string;
  /** Resolves once `count` mails arrived (or rejects after `timeoutMs`, default 30 s: the CI box is busy). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** Recipients whose RCPT TO is refused with 550. */
  readonly refuse?: (recipient: string) => boolean;
  /** Required user and password (AUTH is then mandatory). */
  readonly auth?: { readonly user: string; readonly pass: string };
  /** Offer STARTTLS (smtp-server's built-in self-signed certificate). Default false. */
  readonly starttls?: boolean;
}

/** A real SMTP server (smtp-server) on an ephemeral loopback port that keeps what it accepts. */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const waiters: (() => void)[] = [];
  const serverOptions: SMTPServerOptions = {
    logger: false,
    disabledCommands: options.starttls ? [] : ['STARTTLS'],
    authOptional: !options.auth,
    allowInsecureAuth: false,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) return callback(null, { user: auth.username });
      return callback(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, callback) {
      if (options.refuse?.(address.address)) {
        const error = new Error(`Mailbox ${address.address} unavailable`) as Error & { responseCode: number };
        error.responseCode = 550;
        return callback(error);
      }
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        mails.push({
          ...parseMail(raw),
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          raw,
          user: typeof session.user === 'string' ? session.user : undefined,
          secure: session.secure,
        });
        waiters.splice(0).forEach((w) => w());
        callback();
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    uri: (query = '', credentials = '') => `smtp://${credentials ? `${credentials}@` : ''}127.0.0.1:${port}/${query}`,
    waitFor: async (count, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (mails.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} mails, got ${mails.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return mails;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Splits RFC 5322 headers (unfolded, lower-case names) from the body. */
function splitHeaders(part: string): { headers: Record<string, string>; body: string } {
  const index = part.search(/\r?\n\r?\n/);
  const head = index < 0 ? part : part.slice(0, index);
  const body = index < 0 ? '' : part.slice(index).replace(/^\r?\n\r?\n/, '');
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function decodeBody(body: string, encoding: string | undefined): string {
  const enc = (encoding ?? '7bit').toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** RFC 2047 encoded words (`=?UTF-8?Q?...?=` / `=?UTF-8?B?...?=`). */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?[^?]+\?([QqBb])\?([^?]*)\?=/g, (_m, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_n, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
    );
}

/** Collects the text/plain and text/html parts of a (possibly multipart) message. */
function parseMail(raw: string): Omit<ReceivedMail, 'envelopeTo' | 'raw' | 'user' | 'secure'> {
  const { headers, body } = splitHeaders(raw);
  const found = { text: '', html: '' };
  const walk = (h: Record<string, string>, b: string): void => {
    const type = (h['content-type'] ?? 'text/plain').toLowerCase();
    const boundary = /boundary="?([^";]+)"?/i.exec(h['content-type'] ?? '')?.[1];
    if (type.startsWith('multipart/') && boundary) {
      for (const part of b.split(`--${boundary}`).slice(1)) {
        if (part.startsWith('--')) break;
        // The line break before a boundary belongs to the boundary (RFC 2046).
        const sub = splitHeaders(part.replace(/^\r?\n/, '').replace(/\r?\n$/, ''));
        walk(sub.headers, sub.body);
      }
    } else if (type.startsWith('text/html')) {
      found.html = decodeBody(b, h['content-transfer-encoding']);
    } else if (type.startsWith('text/plain')) {
      found.text = decodeBody(b, h['content-transfer-encoding']);
    }
  };
  walk(headers, body);
  return {
    from: decodeWords(headers.from ?? ''),
    to: headers.to ?? '',
    subject: decodeWords(headers.subject ?? ''),
    text: found.text.replace(/\r\n/g, '\n'),
    html: found.html.replace(/\r\n/g, '\n'),
    headers,
  };
}
