import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs on stdout. Every line passes through a filter that blanks the secrets
 * (the bot token), so no error message or stack trace can ever leak them.
 */
export function createLogger(
  level: string,
  secrets: readonly string[] = [],
  output: (line: string) => void = (line) => process.stdout.write(line),
): Logger {
  const hidden = secrets.filter((secret) => secret.length >= 8);
  const destination = {
    write(line: string) {
      let safe = line;
      for (const secret of hidden) safe = safe.replaceAll(secret, '[redacted]');
      output(safe);
    },
  };
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: {
        paths: ['token', '*.token', 'headers.authorization', '*.headers.authorization'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
