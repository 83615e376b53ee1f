import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A delivered mail as the test sees it: envelope recipients, subject and decoded text. */
export interface CapturedMail {
  readonly to: string[];
  readonly subject: string;
  /** The whole message with quoted-printable soft breaks and escapes decoded. */
  readonly text: string;
}

/** A real SMTP server on a loopback port that keeps every message it accepts. */
export interface SmtpCapture {
  readonly url: string;
  readonly mails: CapturedMail[];
  /** The newest mail to `to`. */
  last(to: string): CapturedMail | undefined;
  close(): Promise<void>;
}

function decodeQuotedPrintable(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Starts an in-process SMTP server (no TLS, no auth) and returns its smtp:// URL. */
export async function startSmtpCapture(): Promise<SmtpCapture> {
  const mails: CapturedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const text = decodeQuotedPrintable(raw);
        const subject = /^Subject: (.*)$/m.exec(raw)?.[1]?.trim() ?? '';
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), subject, text });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}/?disable_starttls=true`,
    mails,
    last: (to) => [...mails].reverse().find((m) => m.to.includes(to.toLowerCase())),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
