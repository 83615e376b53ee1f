#!/usr/bin/env node
import type { Registry } from '../../../libs/registry';
import { runCli } from './cli';

/** SIGTERM/SIGINT: finish in-flight work (requests, the courier pass), close, exit. */
function stopOnSignals(running: { readonly registry: Registry; close(): Promise<void> }): void {
  const stop = (signal: string): void => {
    running.registry.logger.info({ signal }, 'shutting down: draining in-flight work');
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/** The `tessera` binary: runs the command; for `serve` and `courier watch`, SIGTERM/SIGINT drain and close. */
runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  onServe: stopOnSignals,
  onCourierWatch: stopOnSignals,
}).then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`tessera: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
