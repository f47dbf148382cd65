interface KeyState {
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
  /** Asked for again while running: run once more afterwards. */
  again: boolean;
  task: () => Promise<void>;
}

/**
 * Runs a task per key at most once per interval, however often it is asked
 * for. Requests while a run waits are folded into it; a request while it runs
 * brings one more run after it, so the last request is always followed by a
 * run that sees its effect. Used for the coordinator's card, which thousands
 * of deliveries would otherwise update one by one.
 */
export class CoalescingRunner {
  private readonly keys = new Map<string, KeyState>();
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    private readonly onError: (key: string, error: unknown) => void,
  ) {}

  request(key: string, task: () => Promise<void>): void {
    if (this.stopped) return;
    const state = this.keys.get(key);
    if (!state) {
      this.schedule(key, { timer: null, running: null, again: false, task });
      return;
    }
    state.task = task;
    if (state.running) state.again = true;
  }

  /** Drops waiting runs and waits for those in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    const running: Promise<void>[] = [];
    for (const state of this.keys.values()) {
      if (state.timer) clearTimeout(state.timer);
      if (state.running) running.push(state.running);
    }
    await Promise.all(running);
    this.keys.clear();
  }

  private schedule(key: string, state: KeyState): void {
    this.keys.set(key, state);
    state.timer = setTimeout(() => {
      state.timer = null;
      state.running = state
        .task()
        .catch((error: unknown) => this.onError(key, error))
        .finally(() => {
          state.running = null;
          this.keys.delete(key);
          if (state.again && !this.stopped) this.schedule(key, { timer: null, running: null, again: false, task: state.task });
        });
    }, this.intervalMs);
    state.timer.unref();
  }
}
