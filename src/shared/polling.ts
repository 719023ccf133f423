// A background round run again `pollMs` after each one ends (never two at once), until stopped;
// a round's error is logged, not thrown; a round that loops asks `stopped()` between its steps.
// The senders (the outbox's, the webhooks') run on it.
export function startPolling(round: (stopped: () => boolean) => Promise<void>, options: { pollMs: number; log: (error: unknown) => void }): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const next = async () => {
    try {
      await round(() => stopped);
    } catch (error) {
      options.log(error);
    }
    if (!stopped) timer = setTimeout(() => { running = next(); }, options.pollMs);
  };
  running = next();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
