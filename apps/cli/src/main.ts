#!/usr/bin/env node
import { runCli } from './cli';

/** The `tessera` binary: runs the command; for `serve`, SIGTERM/SIGINT drain and close. */
runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  onServe: (server) => {
    const stop = (signal: string): void => {
      server.registry.logger.info({ signal }, 'shutting down: draining in-flight requests');
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  },
}).then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`tessera: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
