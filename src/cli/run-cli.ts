import { type ParseArgsConfig, parseArgs } from 'node:util';

/** A mistake in what the user typed: reported as one line, without a stack trace. */
export class UsageError extends Error {}

/**
 * Runs a command-line tool: any failure becomes one line on stderr and a non-zero exit, so that a
 * typo never looks like a crash and scripts can rely on the exit code.
 */
export function runCli(usage: string, main: () => void): void {
  try {
    main();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const hint = error instanceof UsageError ? ` (usage: ${usage})` : '';
    process.stderr.write(`error: ${message}${hint}\n`);
    process.exitCode = 1;
  }
}

export function parseCliArgs<T extends ParseArgsConfig>(config: T) {
  try {
    return parseArgs({ ...config, strict: true });
  } catch (error) {
    // node:util's messages are clear but long; keep the first sentence.
    const message = error instanceof Error ? error.message.split('. ')[0] : String(error);
    throw new UsageError(message ?? 'invalid arguments');
  }
}
