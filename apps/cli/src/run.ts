import { ConfigError } from '@duban/config';

/** Runs a one-shot command: a clear message and a non-zero exit code on any failure. */
export function runCommand(name: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (err: unknown) => {
      const message = err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
      process.stderr.write(`${name}: ${message}\n`);
      process.exit(1);
    },
  );
}
