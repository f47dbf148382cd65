import { instanceId } from '../core/ids';
import { retryDelayMs, type BackoffOptions } from '../core/retry';
import type { Logger } from '../logger';
import type { OutboxMessage, OutboxStore } from './outbox';

export type DeliveryOutcome = { kind: 'delivered'; result?: unknown } | { kind: 'retry'; error: string; retryAfterMs?: number } | { kind: 'failed'; error: string };

/** What a handler may do during its attempt besides sending. */
export interface DeliveryAttempt {
  /** Stores how far the attempt got (see OutboxMessage.progress); the next attempt gets it on its message. */
  recordProgress(progress: unknown): Promise<void>;
}

/** Sends one message; a thrown error counts as `retry`. */
export type DeliveryHandler = (message: OutboxMessage, attempt: DeliveryAttempt) => Promise<DeliveryOutcome>;

/** Told when a message of its kind becomes a dead letter, e.g. to show it where people look for the message. */
export type DeadLetterHandler = (message: OutboxMessage, reason: string) => Promise<void>;

/** A kind's handler and dead-letter hook, as a capability registers them (see OutboxJob in outboxJobs.ts). */
export interface RegisteredJob {
  deliver(message: OutboxMessage, attempt: DeliveryAttempt): Promise<DeliveryOutcome>;
  deadLetter?(message: OutboxMessage, reason: string): Promise<void>;
}

export interface OutboxWorkerOptions {
  store: OutboxStore;
  /** By message kind (more come with register). A message of a kind no handler takes is marked failed. */
  handlers?: Record<string, DeliveryHandler>;
  logger: Logger;
  /** Names this worker in claims (default: host, process and a random suffix). */
  workerId?: string;
  /** Messages in flight at once (default 4). */
  concurrency?: number;
  /** Due messages read per pass (default 4 × concurrency). */
  batchSize?: number;
  /**
   * How long a claim keeps other workers off a message (default 2 minutes). Handlers
   * must finish well within it, or another worker may send the message again.
   */
  leaseMs?: number;
  /** Attempts before a message that keeps failing is marked failed (default 20). */
  maxAttempts?: number;
  /** Time from its first attempt after which a message that still fails is marked failed (default: no limit). */
  maxAgeMs?: number;
  /** By message kind: told when a message of that kind is marked failed. Their own failure is logged, not retried. */
  deadLetterHandlers?: Record<string, DeadLetterHandler>;
  /** Retry delays: exponential from base (default 1 s) up to max (default 5 minutes), with full jitter. */
  backoff?: Partial<BackoffOptions>;
  /** Should be the store's clock. */
  clock?: () => Date;
  /** In [0, 1), for the jitter. */
  random?: () => number;
}

export interface OutboxPassSummary {
  /** Due messages the pass read. */
  due: number;
  delivered: number;
  retried: number;
  failed: number;
  /** Claimed by another worker first. */
  skipped: number;
  /** Steps that threw (storage trouble); the message is retried once its lease runs out. */
  errors: number;
}

type Step = Exclude<keyof OutboxPassSummary, 'due'>;

const DEFAULT_CONCURRENCY = 4;
const DEFAULT_LEASE_MS = 2 * 60_000;
const DEFAULT_MAX_ATTEMPTS = 20;
const DEFAULT_BACKOFF: BackoffOptions = { baseDelayMs: 1000, maxDelayMs: 5 * 60_000 };
const DEFAULT_INTERVAL_MS = 10_000;

/**
 * Delivers outbox messages: each pass claims due messages and hands them to the
 * handler for their kind, then records the outcome. Several workers (instances)
 * can share one store; the claims keep each message with one of them at a time.
 * A plain timer suffices for polling: the schedule lives in the store, not here.
 */
export class OutboxWorker {
  private readonly store: OutboxStore;
  private readonly handlers: Map<string, DeliveryHandler>;
  private readonly logger: Logger;
  readonly workerId: string;
  private readonly concurrency: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly maxAgeMs: number;
  private readonly deadLetterHandlers: Map<string, DeadLetterHandler>;
  private readonly backoff: BackoffOptions;
  private readonly clock: () => Date;
  private readonly random: () => number;

  private started = false;
  private intervalMs = DEFAULT_INTERVAL_MS;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /** A kick arrived during a pass: run another as soon as it ends. */
  private rerun = false;
  private kickWaiters: (() => void)[] = [];

  constructor(options: OutboxWorkerOptions) {
    this.store = options.store;
    // A Map, so kinds like "constructor" do not find Object.prototype's members.
    this.handlers = new Map(Object.entries(options.handlers ?? {}));
    this.logger = options.logger;
    this.workerId = options.workerId ?? instanceId();
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
    this.batchSize = Math.max(1, options.batchSize ?? this.concurrency * 4);
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.maxAgeMs = options.maxAgeMs ?? Number.POSITIVE_INFINITY;
    this.deadLetterHandlers = new Map(Object.entries(options.deadLetterHandlers ?? {}));
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.clock = options.clock ?? (() => new Date());
    this.random = options.random ?? Math.random;
  }

  /**
   * Takes on a capability's jobs, before start: each kind's handler and dead-letter hook. A kind that already has a
   * handler is an error, so two capabilities cannot both claim it.
   */
  register(jobs: Readonly<Record<string, RegisteredJob>>): void {
    for (const [kind, job] of Object.entries(jobs)) {
      if (this.handlers.has(kind)) throw new Error(`The outbox message kind "${kind}" has a handler already.`);
      this.handlers.set(kind, (message, attempt) => job.deliver(message, attempt));
      if (job.deadLetter) this.deadLetterHandlers.set(kind, async (message, reason) => job.deadLetter?.(message, reason));
    }
  }

  /** One pass over the messages due at `now`: at most batchSize of them, concurrency at a time. */
  async runOnce(now: Date = this.clock()): Promise<OutboxPassSummary> {
    const due = await this.store.due(now, this.batchSize);
    const summary: OutboxPassSummary = { due: due.length, delivered: 0, retried: 0, failed: 0, skipped: 0, errors: 0 };
    let next = 0;
    const lane = async (): Promise<void> => {
      for (let message = due[next++]; message !== undefined; message = due[next++]) {
        summary[await this.process(message)] += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, due.length) }, lane));
    return summary;
  }

  /** Polls every `intervalMs` in the background, starting now; the timer does not keep the process alive. */
  start(intervalMs = DEFAULT_INTERVAL_MS): void {
    if (this.started) return;
    this.started = true;
    this.intervalMs = intervalMs;
    this.trigger();
  }

  /**
   * Runs a pass now instead of at the next poll, e.g. right after enqueuing, so the
   * message goes out at once. Resolves when a pass that began after the kick has
   * ended; never rejects. Does nothing unless started.
   */
  kick(): Promise<void> {
    if (!this.started) return Promise.resolve();
    return new Promise((resolve) => {
      this.kickWaiters.push(resolve);
      this.trigger();
    });
  }

  /** Stops polling and waits for the pass in flight. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    for (const resolve of this.kickWaiters.splice(0)) resolve();
  }

  private trigger(): void {
    if (this.running !== null) {
      this.rerun = true;
      return;
    }
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.loop();
  }

  private async loop(): Promise<void> {
    let again = true;
    while (this.started && again) {
      this.rerun = false;
      const waiters = this.kickWaiters.splice(0);
      let full = false;
      try {
        full = (await this.runOnce()).due === this.batchSize;
      } catch (error) {
        this.logger.error({ err: error, workerId: this.workerId }, 'outbox pass failed');
      }
      for (const resolve of waiters) resolve();
      // A full batch means more may be waiting: keep going rather than wait for the next poll.
      again = this.rerun || full;
    }
    this.running = null;
    if (this.started) {
      this.timer = setTimeout(() => this.trigger(), this.intervalMs);
      this.timer.unref();
    }
  }

  private async process(due: OutboxMessage): Promise<Step> {
    try {
      if (!(await this.store.claim(due.id, this.workerId, this.leaseMs))) return 'skipped';
      // Re-read: the attempt count may have moved since the due list was read.
      const message = await this.store.get(due.id);
      if (message === null) return 'skipped';
      if (message.attempts > this.maxAttempts) {
        // The previous attempts never finished (their workers died or overran the lease).
        return await this.fail(message, `Gave up after ${this.maxAttempts} attempts; the last did not finish.${lastErrorNote(message)}`);
      }
      const handler = this.handlers.get(message.kind);
      if (handler === undefined) return await this.fail(message, `No handler for outbox message kind "${message.kind}".`);

      const outcome = await settle(handler, message, { recordProgress: (progress) => this.store.recordProgress(message.id, progress) });
      switch (outcome.kind) {
        case 'delivered':
          await this.store.markDelivered(message.id, outcome.result ?? null);
          return 'delivered';
        case 'failed':
          return await this.fail(message, outcome.error);
        case 'retry': {
          if (message.attempts >= this.maxAttempts) {
            return await this.fail(message, `Gave up after ${message.attempts} attempts: ${outcome.error}`);
          }
          const age = this.clock().getTime() - Date.parse(message.firstAttemptAt ?? message.createdAt);
          if (age >= this.maxAgeMs) {
            return await this.fail(message, `Gave up after ${Math.round(age / 3_600_000)} hours and ${message.attempts} attempts: ${outcome.error}`);
          }
          const delay = retryDelayMs(message.attempts, this.backoff, this.random, outcome.retryAfterMs);
          await this.store.markRetry(message.id, outcome.error, new Date(this.clock().getTime() + delay));
          this.logger.info({ messageId: message.id, kind: message.kind, attempts: message.attempts, delayMs: delay, error: outcome.error }, 'outbox message will be retried');
          return 'retried';
        }
      }
    } catch (error) {
      this.logger.error({ err: error, messageId: due.id, workerId: this.workerId }, 'outbox delivery step failed');
      return 'errors';
    }
  }

  private async fail(message: OutboxMessage, error: string): Promise<Step> {
    await this.store.markFailed(message.id, error);
    this.logger.warn({ messageId: message.id, kind: message.kind, attempts: message.attempts, error }, 'outbox message failed for good');
    const onDeadLetter = this.deadLetterHandlers.get(message.kind);
    if (onDeadLetter) {
      // The message is a dead letter either way; a failure here only costs the mention of it elsewhere.
      await onDeadLetter(message, error).catch((hookError: unknown) =>
        this.logger.error({ err: hookError, messageId: message.id, kind: message.kind }, 'could not record a dead letter where it is shown'),
      );
    }
    return 'failed';
  }
}

async function settle(handler: DeliveryHandler, message: OutboxMessage, attempt: DeliveryAttempt): Promise<DeliveryOutcome> {
  try {
    return await handler(message, attempt);
  } catch (error) {
    return { kind: 'retry', error: describe(error) };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

function lastErrorNote(message: OutboxMessage): string {
  return message.lastError === null ? '' : ` Last error: ${message.lastError}`;
}
