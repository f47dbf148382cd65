/**
 * Runs a pass now and then every interval in the background, never two at
 * once (a pass still running on slow storage is not doubled up); the timer
 * does not keep the process alive. A failed pass is reported and the next one
 * runs as usual.
 */
export class PeriodicPass {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(intervalMs: number): void {
    if (this.timer !== null) return;
    const tick = () => {
      this.running = this.pass()
        .catch(this.onError)
        .finally(() => (this.running = null));
    };
    tick();
    this.timer = setInterval(() => {
      if (this.running === null) tick();
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for the pass in flight. */
  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
