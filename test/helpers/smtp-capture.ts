import { startSmtpSink } from './smtp-sink';

/** A delivered mail as flow tests see it: envelope recipients, subject and decoded text + HTML. */
export interface CapturedMail {
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
}

/** A real SMTP server on a loopback port that keeps every message it accepts (a view over `smtp-sink`). */
export interface SmtpCapture {
  readonly url: string;
  readonly mails: readonly CapturedMail[];
  /** The newest mail to `to`. */
  last(to: string): CapturedMail | undefined;
  close(): Promise<void>;
}

/** Starts an in-process SMTP server (no TLS, no auth) and returns its smtp:// URL. */
export async function startSmtpCapture(): Promise<SmtpCapture> {
  const sink = await startSmtpSink();
  const view = (): CapturedMail[] =>
    sink.mails.map((m) => ({ to: m.envelopeTo.map((a) => a.toLowerCase()), subject: m.subject, text: `${m.text}\n${m.html}` }));
  return {
    url: sink.uri('?disable_starttls=true'),
    get mails() {
      return view();
    },
    last: (to) => [...view()].reverse().find((m) => m.to.includes(to.toLowerCase())),
    close: () => sink.close(),
  };
}
