const startedAt = performance.now();

/**
 * Progress lines go to stderr: stdout carries only the final report, so `npm run bench > out.md`
 * captures exactly the tables.
 */
export function progress(message: string): void {
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${seconds}s] ${message}\n`);
}
