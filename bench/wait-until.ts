/** Polls `condition` until it holds; the error names what was awaited, plus optional context. */
export async function waitUntil(
  condition: () => boolean,
  timeoutMs: number,
  what: string,
  context: () => string = () => '',
  pollMs = 20,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) {
      const extra = context();
      throw new Error(
        `timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${extra ? `\n${extra}` : ''}`,
      );
    }
    await sleep(pollMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects with a clear message if `promise` has not settled within `timeoutMs`. */
export async function withTimeout<T>(
  promise: Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
