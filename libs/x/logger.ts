import pino from 'pino';

/** The structured logger every service writes to (pino; JSON lines on stdout). */
export type Logger = pino.Logger;

/** Gives the service its logger. */
export interface LoggerProvider {
  readonly logger: Logger;
}

/**
 * Creates the process logger. Known secret-bearing keys are redacted wherever they appear one or two
 * levels deep, so a careless `logger.info({ body })` still writes no password or token.
 */
export function createLogger(level: string, name = 'tessera'): Logger {
  return pino({
    name,
    level,
    base: { service: name },
    redact: {
      paths: [
        'password', '*.password', '*.*.password', 'secret', '*.secret', '*.client_secret', 'token', '*.token',
        '*.authorization', '*.cookie', '*.headers.authorization', '*.headers.cookie', 'dsn', '*.dsn',
      ],
      censor: '[redacted]',
    },
  });
}
