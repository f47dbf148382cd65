import { instanceId } from '../core/ids';
import { retryDelayMs } from '../core/retry';
import type { Logger } from '../logger';
import { AppRateLimit } from './appRateLimit';
import type { BroadcastStore, RecipientChange } from './broadcastStore';
import { failedRecipients } from './failuresCsv';
import { InstallationError, type RecipientInstaller } from './installation';
import { DeliveryError, type BroadcastMessenger } from './messenger';
import {
  type ActivityPayload,
  type BroadcastKind,
  type BroadcastRecipient,
  type BroadcastProgress,
  type BroadcastSummary,
  type ConversationReferenceJson,
  type InstallationFailure,
  type NewBroadcast,
  type RecipientRecord,
  type RecipientState,
} from './model';
import { countRecipients, progressOf, progressSpacingMs, RateMeter, type RecipientCounts } from './progress';
import type { BroadcastRateLimiter, RateLimits, ThrottleResponse } from './rateLimiter';
import { RecipientWriter } from './recipientWriter';
import type { SenderLease } from './senderLease';

export interface RetryPolicy {
  /** Attempts a recipient gets while they fail with 412, 502, 503, 504 or a network error (default 6). */
  maxAttempts: number;
  /** Attempts answered 429 before a recipient is given up (default 20); they wait for Retry-After. */
  maxThrottledAttempts: number;
  /** Backoff: full jitter under a ceiling that doubles from this (default 1 s)… */
  baseDelayMs: number;
  /** …up to this (default 60 s). */
  maxDelayMs: number;
}

export interface BroadcastEngineOptions {
  store: BroadcastStore;
  lease: SenderLease;
  messenger: BroadcastMessenger;
  logger: Logger;
  /** Names this instance in the lease; unique per running process (default: host, pid and a random suffix). */
  instanceId?: string;
  /**
   * The app's rate limit, shared with everything else the app sends (which goes first when it waits); its clock is
   * then the engine's. Without it the engine keeps a limit of its own, from `limits` and `throttle`.
   */
  rateLimit?: AppRateLimit;
  limits?: Partial<RateLimits>;
  throttle?: Partial<ThrottleResponse>;
  retry?: Partial<RetryPolicy>;
  /** Requests out at once (default 100: 50 a second with answers taking up to 2 s). */
  maxInFlight?: number;
  /**
   * Has the app installed for recipients it has no chat with (BroadcastRecipient.installFor). Without it (proactive
   * installation off) they are listed as not reached, reason 'off'. Installations run beside the sends, on the
   * installer's own limits: they never take a send's slot.
   */
  installer?: RecipientInstaller;
  /** Installations under way at once (default 16). */
  maxInstallsInFlight?: number;
  /**
   * How long the lease lasts unless renewed (default 5 s). The holder renews it
   * every sixth of that, and the other instances ask for it every fifth: a dead
   * sender's broadcasts are taken over within 1.2 times this (and the app's
   * one-second window), not after a long lease runs out.
   */
  leaseMs?: number;
  /**
   * How often the sender looks for new broadcasts (default 0.5 s: one made on
   * another instance starts within a second; create() on the sending instance
   * starts at once), and for more recipients of a broadcast still being written.
   */
  pollMs?: number;
  /**
   * How long a recipient's outcome may wait to be written with others (default
   * 100 ms). Longer means fewer storage transactions, and more recipients taken
   * for possible duplicates after a crash (about the rate times this).
   */
  writeLingerMs?: number;
  /**
   * How often onProgress is called per broadcast while it is sent (default 5 s: the coordinator's card follows it,
   * and each update of it is a request in the app's budget that a recipient does not get meanwhile).
   */
  progressIntervalMs?: number;
  /**
   * Turns a broadcast's stored activity into what goes out now, or null when the
   * message is no longer to be sent (its recipients left are then skipped). Asked
   * for each batch of recipients as they are claimed, so a message reflects
   * changes made while its broadcast runs. Default: the stored activity as it is.
   */
  prepare?: (activity: ActivityPayload, kind: BroadcastKind) => Promise<ActivityPayload | null>;
  /** Called on the sending instance: while sending, throttled, and once with `done` for the final report. */
  onProgress?: (progress: BroadcastProgress) => void | Promise<void>;
  /**
   * For an active send found with none of its recipient rows (storage lost them: embedded Azurite killed before
   * writing them to disk, say): its recipients worked out again, or null when they cannot be. With them it is sent
   * anew; without, it is ended. Either way onRecipientsLost is told, once: afterwards the broadcast has rows again or is done.
   */
  restoreRecipients?: (broadcast: BroadcastSummary) => Promise<readonly BroadcastRecipient[] | null>;
  onRecipientsLost?: (report: LostRecipientsReport) => void | Promise<void>;
  /** Milliseconds since the epoch, never going back (default: see steadyClock); injectable for tests. */
  clock?: () => number;
  /** In [0, 1), for the backoff jitter. */
  random?: () => number;
}

/** A broadcast found without its recipients: how many it had, and how many it was given again (0: ended unsent). */
export interface LostRecipientsReport {
  broadcastId: string;
  kind: BroadcastKind;
  lost: number;
  restored: number;
  /** Whether a sender had begun it: then some of the restored recipients may have had it already. */
  hadStarted: boolean;
}

/**
 * A failed send (503, a dropped connection) is tried again after up to half a second at first, doubling after: a
 * retry takes its slot within the rate limits like any send, so retrying soon adds no load beyond them, and the last
 * recipients of a large send do not wait a second each for a passing failure. A 429's Retry-After is the floor.
 */
const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, maxThrottledAttempts: 20, baseDelayMs: 500, maxDelayMs: 60_000 };
const DEFAULT_MAX_IN_FLIGHT = 100;
/** Graph's pace (GraphClient) is what limits installations; this only bounds the work out at once. */
const DEFAULT_MAX_INSTALLS_IN_FLIGHT = 16;
const DEFAULT_LEASE_MS = 5000;
const DEFAULT_POLL_MS = 500;
/**
 * The holder renews its lease every sixth of it, so a renewal may take most of
 * the lease (slow storage) before it has to stop; the others ask every fifth,
 * so one of them takes over soon after it runs out.
 */
const RENEW_SHARE = 1 / 6;
const ASK_SHARE = 1 / 5;
const DEFAULT_PROGRESS_INTERVAL_MS = 5000;
const DEFAULT_WRITE_LINGER_MS = 100;
/** The holder stops sending this far into its lease if it could not renew: well before anyone else may take over. */
const LEASE_USABLE_SHARE = 0.75;
/**
 * Recipients are marked as started (in storage, before the request goes out)
 * ahead of their turn, several in one transaction, so that storage latency
 * neither delays nor bunches the requests. Every claimed and unsent recipient
 * counts as a possible duplicate after a crash, so the lead is kept short: at
 * least this far ahead (a few requests at 50 a second)…
 */
const MIN_CLAIM_AHEAD_MS = 60;
/** …or three times as long as claims take to store lately, when storage is slow… */
const CLAIM_AHEAD_LATENCIES = 3;
/**
 * …but no further: all claimed and unsent recipients count as possible
 * duplicates after a crash, and the count the app reports should be close to
 * the requests really out. Storage slower than a third of this slows sending.
 */
const MAX_CLAIM_AHEAD_MS = 500;
/** How fast the remembered claim latency forgets a slow one (per claim). */
const CLAIM_LATENCY_DECAY = 0.9;

/** A pending recipient in memory. */
interface Item {
  conversationId: string;
  reference: ConversationReferenceJson;
  /** The e-mail to install the app for before it can be sent; null once it is (or when it never had to be). */
  installFor: string | null;
  label: string | null;
  targetActivityId: string | null;
  attempts: number;
  failures: number;
  throttles: number;
  /** Not to be sent before this time. */
  readyAt: number;
  /** Its next attempt is already recorded as started (claimed but not yet sent). */
  claimed: boolean;
  /** What it is sent when claimed: the broadcast's activity as prepared for its claim. */
  activity: ActivityPayload | null;
}

/** A broadcast this instance is sending. */
class Run {
  /** Ready now; a stack, so it is filled in reverse. */
  ready: Item[] = [];
  /** Waiting for a retry or for their conversation's limit, soonest first. */
  readonly waiting: Item[] = [];
  /** Waiting to have the app installed for them, first come first. */
  readonly toInstall: Item[] = [];
  inFlight = 0;
  claiming = 0;
  nextProgressAt = 0;
  /** When this instance first reported on it (progress reports are spaced from then). */
  firstProgressAt: number | null = null;
  progressReporting = false;
  /** Batches of recipients taken up so far, while the broadcast's recipients are still being written (else null). */
  loadedBatches: number | null = null;
  /** When to look for more batches; a batch stored on this instance brings it forward. */
  nextLoadAt = 0;
  loadingMore = false;

  constructor(
    public summary: BroadcastSummary,
    readonly activity: ActivityPayload,
    readonly counts: RecipientCounts,
    readonly writer: RecipientWriter,
    readonly meter: RateMeter,
  ) {}

  get complete(): boolean {
    return (
      this.loadedBatches === null &&
      this.counts.sent + this.counts.failed + this.counts.unreachable + this.counts.skipped === this.counts.total &&
      this.inFlight === 0 &&
      this.claiming === 0
    );
  }

  /** Recipients of a later batch: they go after those already here (those needing the app installed, to that first). */
  addLater(items: readonly Item[], now: number): void {
    this.toInstall.push(...items.filter((item) => item.installFor !== null));
    const sendable = items.filter((item) => item.installFor === null);
    const ready = sendable.filter((item) => item.readyAt <= now);
    for (const item of sendable) if (item.readyAt > now) this.wait(item);
    this.ready = [...ready.reverse(), ...this.ready];
  }

  wait(item: Item): void {
    let low = 0;
    let high = this.waiting.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.waiting[middle] as Item).readyAt <= item.readyAt) low = middle + 1;
      else high = middle;
    }
    this.waiting.splice(low, 0, item);
  }

  /** The next recipient that may go now, or null; those whose conversation must wait are set aside. */
  takeReady(now: number, conversationFreeAt: (conversationId: string) => number): Item | null {
    while (this.waiting.length > 0 && (this.waiting[0] as Item).readyAt <= now) this.ready.push(this.waiting.shift() as Item);
    for (let item = this.ready.pop(); item !== undefined; item = this.ready.pop()) {
      const freeAt = conversationFreeAt(item.conversationId);
      if (freeAt <= now) return item;
      item.readyAt = freeAt;
      this.wait(item);
    }
    return null;
  }

  *pending(): Iterable<Item> {
    yield* this.ready;
    yield* this.waiting;
  }
}

interface Armed {
  run: Run;
  item: Item;
}

/**
 * Delivers broadcasts at the rate Teams allows, durably: every recipient's state
 * is in storage, and one instance at a time (the holder of the lease) sends.
 *
 * For each recipient: its attempt is recorded as started (`attempts`) before the
 * request goes out, and its outcome (`settled`, the state) after. A sender that
 * dies leaves `attempts` > `settled` on the requests it had out; the next sender
 * sends those again and counts them as possible duplicates. Nobody else is sent
 * twice, and nobody is lost.
 */
export class BroadcastEngine {
  readonly instanceId: string;
  private readonly store: BroadcastStore;
  private readonly lease: SenderLease;
  private readonly messenger: BroadcastMessenger;
  private readonly logger: Logger;
  private readonly limiter: BroadcastRateLimiter;
  private readonly rateLimit: AppRateLimit;
  private readonly retry: RetryPolicy;
  private readonly maxInFlight: number;
  private readonly installer: RecipientInstaller | null;
  private readonly maxInstallsInFlight: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly progressIntervalMs: number;
  private readonly writeLingerMs: number;
  private readonly onProgress: BroadcastEngineOptions['onProgress'];
  private readonly prepare: BroadcastEngineOptions['prepare'];
  private readonly restoreLostRecipients: BroadcastEngineOptions['restoreRecipients'];
  private readonly onRecipientsLost: BroadcastEngineOptions['onRecipientsLost'];
  private readonly clock: () => number;
  private readonly random: () => number;

  private started = false;
  private loopDone: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private holding = false;
  private renewal: Promise<void> | null = null;
  /** A look for new broadcasts under way, in the background (see step). */
  private polling: Promise<void> | null = null;
  /** Broadcasts finished while that look is under way: it may have listed them as active still. */
  private readonly finishedWhilePolling = new Set<string>();
  /** Until when (this instance's clock) it may send on its lease. */
  private leaseUsableUntil = Number.NEGATIVE_INFINITY;
  private nextLeaseAt = 0;
  private nextPollAt = 0;
  private runs: Run[] = [];
  private armed: Armed[] = [];
  private claiming = 0;
  /** How long claims take to store, lately (a decaying maximum). */
  private claimLatencyMs = 0;
  private inFlight = 0;
  private turn = 0;
  /** Installations under way, each with what stops it when this instance stands down. */
  private readonly installing = new Map<Promise<void>, AbortController>();
  /** A write that failed outside the loop; the loop stands down and starts again from storage. */
  private failure: { error: unknown } | null = null;
  private idleWaiters: (() => void)[] = [];
  private readonly reports = new Set<Promise<void>>();

  constructor(options: BroadcastEngineOptions) {
    this.store = options.store;
    this.lease = options.lease;
    this.messenger = options.messenger;
    this.logger = options.logger;
    this.instanceId = options.instanceId ?? instanceId();
    this.rateLimit = options.rateLimit ?? new AppRateLimit({ limits: options.limits, throttle: options.throttle, clock: options.clock });
    this.limiter = this.rateLimit.limiter;
    // Requests that waited for the app's limit went: the engine may have the next slot (if it has anything to send:
    // with none, waking it for every reply of every chat turn costs CPU for nothing).
    this.rateLimit.onServed(() => {
      if (this.runs.length > 0) this.wake();
    });
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.maxInFlight = Math.max(1, options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT);
    this.installer = options.installer ?? null;
    this.maxInstallsInFlight = Math.max(1, options.maxInstallsInFlight ?? DEFAULT_MAX_INSTALLS_IN_FLIGHT);
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.progressIntervalMs = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
    this.writeLingerMs = options.writeLingerMs ?? DEFAULT_WRITE_LINGER_MS;
    this.onProgress = options.onProgress;
    this.prepare = options.prepare;
    this.restoreLostRecipients = options.restoreRecipients;
    this.onRecipientsLost = options.onRecipientsLost;
    this.clock = options.clock ?? this.rateLimit.clock;
    this.random = options.random ?? Math.random;
  }

  /** Stores a broadcast (idempotent by id) for whichever instance sends; starts it at once if that is this one. */
  /**
   * Stores a broadcast (idempotent by id) for whichever instance sends. On the sending instance it starts as soon
   * as its first recipients are stored, while the rest are written; resolves once all are.
   */
  async create(request: NewBroadcast): Promise<BroadcastSummary> {
    const { broadcast, created } = await this.store.create(request, new Date(this.clock()), {
      visible: (stored) => this.visible(stored),
      batchStored: (id) => this.moreRecipientsOf(id),
    });
    if (created) this.logger.info({ broadcastId: broadcast.id, kind: broadcast.kind, total: broadcast.total }, 'broadcast created');
    this.kick();
    return broadcast;
  }

  /** Competes for the lease and, while holding it, sends; in the background until stop(). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.loopDone = this.loop();
  }

  /** Stops sending, waits for the requests out, records where every recipient stands and gives the lease up. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.wake();
    await this.loopDone;
    await Promise.all(this.reports);
  }

  /** Looks for new broadcasts now rather than at the next poll. */
  kick(): void {
    this.nextPollAt = 0;
    this.wake();
  }

  /** A broadcast being sent here has more recipients stored: they are taken up now rather than at the next poll. */
  private moreRecipientsOf(id: string): void {
    const run = this.runs.find((candidate) => candidate.summary.id === id);
    if (run === undefined) return;
    run.nextLoadAt = 0;
    this.wake();
  }

  /** Whether this instance holds the lease (and so sends). */
  get sending(): boolean {
    return this.holding && this.clock() < this.leaseUsableUntil;
  }

  /** Live figures when this instance sends it; otherwise from storage (no rate or ETA). Null for an unknown id. */
  async progress(id: string): Promise<BroadcastProgress | null> {
    const run = this.runs.find((candidate) => candidate.summary.id === id);
    if (run !== undefined) return this.progressOf(run, this.clock());
    const summary = await this.store.get(id);
    if (summary === null) return null;
    return progressOf(summary, countRecipients(await this.store.recipientStates(id)), null);
  }

  /** The recipients it did not reach (failed, then unreachable), with the reasons. */
  async failures(id: string): Promise<RecipientRecord[]> {
    return failedRecipients(await this.store.recipients(id, ['failed', 'unreachable']));
  }

  private async loop(): Promise<void> {
    while (this.started) {
      try {
        await this.step();
      } catch (error) {
        this.logger.error({ err: error, instanceId: this.instanceId }, 'broadcast sender failed; resuming from storage');
        await this.standDown();
        this.nextPollAt = this.clock() + this.pollMs;
      }
      if (this.started) await this.sleepUntil(this.nextWakeAt());
    }
    await this.standDown();
    // A renewal under way must not take the lease again after it is given up.
    await this.renewal;
    if (this.holding) {
      this.holding = false;
      await this.lease.release(this.instanceId).catch((error: unknown) => this.logger.warn({ err: error }, 'could not release the broadcast lease'));
    }
  }

  private async step(): Promise<void> {
    if (this.failure !== null) {
      const { error } = this.failure;
      this.failure = null;
      throw error;
    }
    if (this.clock() >= this.nextLeaseAt && this.renewal === null) {
      // The holder renews in the background: slow storage must not hold up its requests meanwhile.
      if (this.holding) this.renewal = this.keepLease().finally(() => ((this.renewal = null), this.wake()));
      else await this.keepLease();
    }
    if (this.clock() >= this.leaseUsableUntil) {
      if (this.holding) {
        this.logger.warn({ instanceId: this.instanceId }, 'could not renew the broadcast lease in time: stopped sending');
        this.holding = false;
      }
      if (this.runs.length > 0) await this.standDown();
      return;
    }
    if (this.clock() >= this.nextPollAt && this.polling === null) {
      this.nextPollAt = this.clock() + this.pollMs;
      this.poll(null);
    }
    const now = this.clock();
    this.loadMore(now);
    this.startInstalls();
    this.fire(now);
    this.arm(now);
    this.reportProgress(now);
    await this.finishRuns();
  }

  private async keepLease(): Promise<void> {
    const askedAt = this.clock();
    this.nextLeaseAt = askedAt + this.leaseMs * (this.holding ? RENEW_SHARE : ASK_SHARE);
    try {
      // Who had it before, if this instance is about to take it: they may have sent until their lease ended.
      const previous = this.holding ? null : await this.lease.current();
      const expiresAt = await this.lease.acquire(this.instanceId, this.leaseMs);
      if (expiresAt === null) {
        if (this.holding) this.logger.warn({ instanceId: this.instanceId }, 'lost the broadcast lease to another instance');
        this.holding = false;
        this.leaseUsableUntil = Number.NEGATIVE_INFINITY;
        return;
      }
      if (!this.holding) {
        this.logger.info({ instanceId: this.instanceId }, 'took the broadcast lease: this instance sends');
        this.nextPollAt = 0;
        if (previous !== null && previous.holder !== this.instanceId) this.limiter.afterOtherSender(previous.expiresAt.getTime());
      }
      this.holding = true;
      this.nextLeaseAt = askedAt + this.leaseMs * RENEW_SHARE;
      this.leaseUsableUntil = askedAt + this.leaseMs * LEASE_USABLE_SHARE;
    } catch (error) {
      // Keep sending while the lease lasts; the next renewal may work.
      this.logger.warn({ err: error, instanceId: this.instanceId }, 'could not renew the broadcast lease');
    }
  }

  /**
   * Takes up the active broadcasts (listed, or those given), in the background like the renewal: listing them takes a
   * while when storage is busy (with a large send's recipients being written, say), and the requests due meanwhile
   * must not wait for it. One look at a time.
   */
  private poll(given: readonly BroadcastSummary[] | null): void {
    this.polling = this.takeUpBroadcasts(given)
      .catch((error: unknown) => this.storageFailed(error))
      .finally(() => {
        this.polling = null;
        this.finishedWhilePolling.clear();
        this.wake();
      });
  }

  /** A broadcast made here has its first recipients stored: a send is taken up at once if this instance sends, without listing it first. */
  private visible(broadcast: BroadcastSummary): void {
    // An update waits for the broadcasts before it, which only the listing shows; a look under way may take it up itself.
    if (broadcast.kind !== 'send' || !this.started || !this.sending || this.polling !== null) return this.kick();
    this.poll([broadcast]);
  }

  private async takeUpBroadcasts(given: readonly BroadcastSummary[] | null): Promise<void> {
    const active = given ?? (await this.store.listActive());
    for (const [index, summary] of active.entries()) {
      if (this.runs.some((run) => run.summary.id === summary.id) || this.finishedWhilePolling.has(summary.id)) continue;
      // An update waits for its send to finish, and for the updates before it, so the last word is the last one made.
      if (summary.kind === 'update' && (active.some((other) => other.id === summary.updates) || active.slice(0, index).some((other) => other.updates === summary.updates)))
        continue;
      let run: Run | null;
      try {
        run = await this.load(summary);
      } catch (error) {
        // One broadcast that cannot be read (damaged rows, say) must not hold up the others; it is tried again next poll.
        this.logger.error({ err: error, broadcastId: summary.id }, 'could not take up a broadcast');
        continue;
      }
      if (run === null) continue;
      this.runs.push(run);
      this.logger.info(
        {
          broadcastId: summary.id,
          kind: summary.kind,
          total: run.counts.total,
          remaining: run.counts.total - run.counts.sent - run.counts.failed - run.counts.unreachable,
          possibleDuplicates: run.summary.possibleDuplicates,
        },
        'sending broadcast',
      );
    }
  }

  /** A broadcast as a run to send; null when it turned out to have nothing left to send (its recipients were lost). */
  private async load(stored: BroadcastSummary): Promise<Run | null> {
    const id = stored.id;
    if (stored.kind === 'update' && stored.total === null) await this.store.materializeUpdate(id);
    // Read together: the first card waits for both. Still being written: only the complete batches (a batch being
    // written may be there in part).
    const [activity, storedRecords] = await Promise.all([
      this.store.activity(id),
      stored.loading === null ? this.store.recipients(id) : this.store.recipientsInBatches(id, 0, stored.loading.stored),
    ]);
    let records = storedRecords;
    if (records.length === 0 && (stored.total ?? 0) > 0) {
      const restored = await this.restoreRecipientsOf(stored);
      if (restored === null) return null;
      records = restored;
    }
    const now = this.clock();
    const items = pendingItems(records, now);
    const unconfirmed: RecipientChange[] = [];
    for (const record of records) {
      if (record.state === 'pending' && record.attempts > record.settled)
        unconfirmed.push({ conversationId: record.conversationId, settled: record.attempts, updatedAt: new Date(now).toISOString() });
    }
    const change: { startedAt?: string; possibleDuplicates?: number } = {};
    if (stored.startedAt === null) change.startedAt = new Date(now).toISOString();
    if (unconfirmed.length > 0) {
      // Counted before the rows are settled: a crash in between counts them twice, never not at all.
      change.possibleDuplicates = stored.possibleDuplicates + unconfirmed.length;
      this.logger.warn({ broadcastId: id, unconfirmed: unconfirmed.length }, 'resuming a broadcast whose last sender stopped with requests out: sending those again');
    }
    if (Object.keys(change).length > 0) await this.store.updateBroadcast(id, change);
    if (unconfirmed.length > 0) await this.store.writeRecipients(id, unconfirmed);

    const counts = countRecipients(records.map((record) => record.state));
    if (stored.loading !== null) counts.total = stored.total ?? counts.total;
    const summary = { ...stored, ...change, total: counts.total };
    const run = new Run(summary, activity, counts, new RecipientWriter(this.store, id, this.writeLingerMs), new RateMeter(now));
    if (stored.loading !== null) {
      run.loadedBatches = stored.loading.stored;
      run.nextLoadAt = now + this.pollMs;
    }
    run.addLater(items, now);
    return run;
  }

  /** Takes up the further batches of recipients of broadcasts still being written, in the background. */
  private loadMore(now: number): void {
    for (const run of this.runs) {
      if (run.loadedBatches === null || run.loadingMore || now < run.nextLoadAt) continue;
      run.loadingMore = true;
      run.nextLoadAt = now + this.pollMs;
      const from = run.loadedBatches;
      this.moreBatches(run.summary.id, from)
        .then(
          (more) => {
            if (more === null || !this.runs.includes(run)) return;
            run.addLater(pendingItems(more.records, this.clock()), this.clock());
            for (const record of more.records) if (record.state !== 'pending') run.counts[record.state] += 1;
            run.counts.total = more.total;
            run.summary = { ...run.summary, total: more.total };
            run.loadedBatches = more.loadedBatches;
          },
          (error: unknown) => this.logger.warn({ err: error, broadcastId: run.summary.id }, 'could not read more recipients of a broadcast; trying again'),
        )
        .finally(() => {
          run.loadingMore = false;
          this.wake();
        });
    }
  }

  /** The recipients stored since batch `from`; loadedBatches null once all are; null when nothing is new. */
  private async moreBatches(id: string, from: number): Promise<{ records: RecipientRecord[]; total: number; loadedBatches: number | null } | null> {
    const summary = await this.store.get(id);
    if (summary === null) return null;
    const to = summary.loading === null ? Number.MAX_SAFE_INTEGER : summary.loading.stored;
    if (to <= from) return null;
    const records = await this.store.recipientsInBatches(id, from, to);
    return { records, total: summary.total ?? 0, loadedBatches: summary.loading === null ? null : to };
  }

  /**
   * A broadcast whose summary counts recipients but has no recipient rows: the rows were lost. Gives it its
   * recipients again when they can be worked out, else ends it; reports it either way (after the change, so a crash
   * in between leaves it unreported rather than reported twice).
   */
  private async restoreRecipientsOf(stored: BroadcastSummary): Promise<RecipientRecord[] | null> {
    const lost = stored.total ?? 0;
    const recipients = stored.kind === 'send' && this.restoreLostRecipients ? await this.restoreLostRecipients(stored) : null;
    const now = new Date(this.clock());
    const report: LostRecipientsReport = { broadcastId: stored.id, kind: stored.kind, lost, restored: 0, hadStarted: stored.startedAt !== null };
    if (recipients === null || recipients.length === 0) {
      await this.store.updateBroadcast(stored.id, { status: 'done', finishedAt: now.toISOString() });
      this.logger.error({ broadcastId: stored.id, lost }, 'a broadcast lost its recipients, and they cannot be worked out again: ended unsent');
      this.reportLost(report);
      return null;
    }
    report.restored = await this.store.restoreRecipients(stored.id, recipients, now);
    this.logger.warn({ broadcastId: stored.id, lost, restored: report.restored }, 'a broadcast lost its recipients: sending it anew to its recipients worked out again');
    this.reportLost(report);
    return this.store.recipients(stored.id);
  }

  private reportLost(report: LostRecipientsReport): void {
    const onRecipientsLost = this.onRecipientsLost;
    if (onRecipientsLost === undefined) return;
    const reported = (async () => onRecipientsLost(report))()
      .then(
        () => undefined,
        (error: unknown) => this.logger.error({ err: error, broadcastId: report.broadcastId }, 'could not report a broadcast that lost its recipients'),
      )
      .finally(() => this.reports.delete(reported));
    this.reports.add(reported);
  }

  /**
   * Has the app installed for the next recipients who need it, the oldest broadcast's first, while fewer than the
   * most are under way. An installed recipient's reference is written with its claim at the latest (the writer merges
   * them), so it is stored before anything is sent to it; a failure settles the recipient with its reason.
   */
  private startInstalls(): void {
    for (let run = this.nextToInstall(); run !== null && this.installing.size < this.maxInstallsInFlight; run = this.nextToInstall()) {
      const item = run.toInstall.shift() as Item;
      const installer = this.installer;
      if (installer === null) {
        this.installFailed(run, item, new InstallationError('off', 'proactive installation is off', null));
        continue;
      }
      const abort = new AbortController();
      const installing: Promise<void> = installer
        .install({ email: item.installFor as string, label: item.label, signal: abort.signal })
        .then(
          (reference) => this.installed(run, item, reference),
          (error: unknown) => {
            // Stopped because this instance stood down: whoever sends next installs again (no harm: it gives the same chat).
            if (!abort.signal.aborted) this.installFailed(run, item, error);
          },
        )
        .finally(() => {
          this.installing.delete(installing);
          this.wake();
        });
      this.installing.set(installing, abort);
    }
  }

  private nextToInstall(): Run | null {
    return this.runs.find((run) => run.toInstall.length > 0) ?? null;
  }

  private installed(run: Run, item: Item, reference: ConversationReferenceJson): void {
    if (!this.runs.includes(run)) return;
    item.reference = reference;
    item.installFor = null;
    run.writer
      .write({ conversationId: item.conversationId, reference, installation: 'done', updatedAt: new Date(this.clock()).toISOString() }, false)
      .catch((error: unknown) => this.storageFailed(error));
    // Next to send: the person has waited for the installation already.
    item.readyAt = this.clock();
    run.ready.push(item);
  }

  private installFailed(run: Run, item: Item, error: unknown): void {
    if (!this.runs.includes(run)) return;
    const now = this.clock();
    const failure = error instanceof InstallationError ? error : new InstallationError('graph-error', error instanceof Error ? error.message || error.name : String(error), null);
    // Unreachable: no such person, the organisation does not allow it, or installation is off; failed: Graph kept failing.
    const state: RecipientState = failure.reason === 'not-found' || failure.reason === 'blocked' || failure.reason === 'off' ? 'unreachable' : 'failed';
    run.counts[state] += 1;
    run.meter.record(now);
    this.logger.info({ broadcastId: run.summary.id, recipient: item.label, reason: failure.reason, status: failure.status }, 'could not install the app for a recipient');
    run.writer
      .write(
        {
          conversationId: item.conversationId,
          state,
          installation: failure.reason satisfies InstallationFailure,
          lastError: failure.message,
          lastStatus: failure.status,
          updatedAt: new Date(now).toISOString(),
        },
        false,
      )
      .catch((writeError: unknown) => this.storageFailed(writeError));
    this.settledOne();
  }

  /** Sends the armed recipients whose turn it is. */
  private fire(now: number): void {
    while (this.armed.length > 0 && this.inFlight < this.maxInFlight && this.limiter.appNextAllowedAt(now) <= now && !this.othersWaiting(now)) {
      const { run, item } = this.armed.shift() as Armed;
      if (!this.runs.includes(run)) continue;
      const freeAt = this.limiter.conversationNextAllowedAt(item.conversationId, now);
      if (freeAt > now) {
        // Another broadcast got to this conversation first; this one stays claimed and waits.
        item.readyAt = freeAt;
        run.wait(item);
        continue;
      }
      this.limiter.record(item.conversationId, now);
      this.dispatch(run, item, now);
    }
  }

  /** Claims the next few recipients (one transaction per broadcast) so they are ready when their turn comes. */
  private arm(now: number): void {
    let wanted = this.claimsWanted(now);
    const claims = new Map<Run, Item[]>();
    while (wanted > 0) {
      const next = this.nextReady(now);
      if (next === null) break;
      wanted -= 1;
      if (next.item.claimed) this.armed.push(next);
      else claims.set(next.run, [...(claims.get(next.run) ?? []), next.item]);
    }
    const updatedAt = new Date(now).toISOString();
    const claimedAt = this.clock();
    for (const [run, items] of claims) {
      this.claiming += items.length;
      run.claiming += items.length;
      for (const item of items) {
        item.attempts += 1;
        item.claimed = true;
      }
      const prepared = this.prepare === undefined ? Promise.resolve(run.activity) : this.prepare(run.activity, run.summary.kind);
      Promise.all([prepared, ...items.map((item) => run.writer.write({ conversationId: item.conversationId, attempts: item.attempts, updatedAt }, true))])
        .then(
          ([activity]) => {
            this.claimLatencyMs = Math.max(this.clock() - claimedAt, this.claimLatencyMs * CLAIM_LATENCY_DECAY);
            for (const item of items) item.activity = activity;
            if (activity === null) for (const item of items) this.skip(run, item);
            else this.armed.push(...items.map((item) => ({ run, item })));
          },
          (error: unknown) => {
            // Parked, still claimed, where standing down finds them: they are recorded as not sent, not as possible duplicates.
            for (const item of items) {
              item.readyAt = Number.POSITIVE_INFINITY;
              run.wait(item);
            }
            this.storageFailed(error);
          },
        )
        .finally(() => {
          this.claiming -= items.length;
          run.claiming -= items.length;
          this.settledOne();
        });
    }
  }

  /**
   * None until the armed ones run down to half; then enough for the claim-ahead
   * time, so claims go several to a transaction and half the buffer outlasts a claim's write.
   */
  private claimsWanted(now: number): number {
    const aheadMs = Math.min(MAX_CLAIM_AHEAD_MS, Math.max(MIN_CLAIM_AHEAD_MS, CLAIM_AHEAD_LATENCIES * this.claimLatencyMs));
    const target = Math.ceil((this.limiter.ratePerSecond(now) * aheadMs) / 1000) + 1;
    const held = this.armed.length + this.claiming;
    return held > target / 2 ? 0 : target - held;
  }

  /** The next recipient to claim, taking the broadcasts in turn. */
  private nextReady(now: number): Armed | null {
    const freeAt = (conversationId: string) => this.limiter.conversationNextAllowedAt(conversationId, now);
    for (let offset = 0; offset < this.runs.length; offset += 1) {
      const index = (this.turn + offset) % this.runs.length;
      const run = this.runs[index] as Run;
      const item = run.takeReady(now, freeAt);
      if (item !== null) {
        this.turn = index + 1;
        return { run, item };
      }
    }
    return null;
  }

  private dispatch(run: Run, item: Item, sentAt: number): void {
    item.claimed = false;
    this.inFlight += 1;
    run.inFlight += 1;
    const activity = item.activity ?? run.activity;
    const request = async (): Promise<string | null> => {
      if (run.summary.kind === 'send') return this.messenger.send(item.reference, activity);
      if (item.targetActivityId === null) throw new DeliveryError('rejected', 'nothing to update: Teams gave the original message no id', null);
      await this.messenger.update(item.reference, item.targetActivityId, activity);
      return item.targetActivityId;
    };
    // Counted in the app's windows until answered (before settle, so the engine goes on with the slot already counted).
    this.rateLimit.paced(item.conversationId, sentAt, request).then(
      (activityId) => this.settle(run, item, sentAt, { activityId }),
      (error: unknown) => this.settle(run, item, sentAt, { error }),
    );
  }

  private settle(run: Run, item: Item, sentAt: number, outcome: { activityId: string | null } | { error: unknown }): void {
    const now = this.clock();
    this.inFlight -= 1;
    run.inFlight -= 1;
    const change: RecipientChange = { conversationId: item.conversationId, settled: item.attempts, updatedAt: new Date(now).toISOString() };
    let retryAt: number | null = null;
    if ('activityId' in outcome) {
      change.state = 'sent';
      if (outcome.activityId) change.activityId = outcome.activityId;
    } else {
      const error = asDeliveryError(outcome.error);
      change.lastError = error.message;
      change.lastStatus = error.status;
      switch (error.kind) {
        case 'unreachable':
          change.state = 'unreachable';
          break;
        case 'rejected':
          change.state = 'failed';
          break;
        case 'throttled': {
          item.throttles += 1;
          change.throttles = item.throttles;
          if (this.limiter.throttled(item.conversationId, sentAt, now, error.retryAfterMs)) {
            this.logger.info(
              { broadcastId: run.summary.id, ratePerSecond: this.limiter.ratePerSecond(now), retryAfterMs: error.retryAfterMs },
              'throttled (429) beyond the odd one: slowing down',
            );
          }
          if (item.throttles >= this.retry.maxThrottledAttempts) {
            change.state = 'failed';
            change.lastError = `Gave up after ${item.throttles} throttled attempts: ${error.message}`;
          } else {
            retryAt = now + (error.retryAfterMs ?? retryDelayMs(item.throttles, this.retry, this.random));
          }
          break;
        }
        case 'transient':
          item.failures += 1;
          change.failures = item.failures;
          if (item.failures >= this.retry.maxAttempts) {
            change.state = 'failed';
            change.lastError = `Gave up after ${item.failures} failed attempts: ${error.message}`;
          } else {
            retryAt = now + retryDelayMs(item.failures, this.retry, this.random, error.retryAfterMs ?? undefined);
          }
          break;
      }
    }
    if (retryAt !== null) {
      change.nextAttemptAt = new Date(retryAt).toISOString();
      item.readyAt = retryAt;
      run.wait(item);
    } else if (change.state !== undefined && change.state !== 'pending') {
      run.counts[change.state] += 1;
      run.meter.record(now);
    }
    run.writer.write(change, false).catch((error: unknown) => this.storageFailed(error));
    this.settledOne();
  }

  /** Settles a claimed recipient whose message was withdrawn: nothing is sent, and nothing is left to send them. */
  private skip(run: Run, item: Item): void {
    const now = this.clock();
    item.claimed = false;
    run.counts.skipped += 1;
    run.meter.record(now);
    run.writer
      .write({ conversationId: item.conversationId, settled: item.attempts, state: 'skipped', updatedAt: new Date(now).toISOString() }, false)
      .catch((error: unknown) => this.storageFailed(error));
  }

  private reportProgress(now: number): void {
    for (const run of this.runs) {
      if (now < run.nextProgressAt || run.progressReporting) continue;
      run.firstProgressAt ??= now;
      run.nextProgressAt = now + progressSpacingMs(this.progressIntervalMs, now - run.firstProgressAt);
      run.progressReporting = true;
      this.report(this.progressOf(run, now), () => (run.progressReporting = false));
    }
  }

  private async finishRuns(): Promise<void> {
    for (const run of this.runs.filter((candidate) => candidate.complete)) {
      await run.writer.idle();
      // A recipient's outcome that did not get stored must not be left pending under a finished broadcast.
      if (this.failure !== null) return;
      const finishedAt = new Date(this.clock()).toISOString();
      await this.store.updateBroadcast(run.summary.id, { status: 'done', finishedAt });
      this.runs = this.runs.filter((candidate) => candidate !== run);
      if (this.polling !== null) this.finishedWhilePolling.add(run.summary.id);
      run.summary = { ...run.summary, status: 'done', finishedAt };
      // Updates of it may have been waiting for it to finish: look for them now, not at the next poll.
      this.nextPollAt = 0;
      const report = this.progressOf(run, this.clock());
      this.logger.info({ ...report }, 'broadcast finished');
      this.report(report);
    }
  }

  private progressOf(run: Run, now: number): BroadcastProgress {
    return progressOf(run.summary, run.counts, { inFlight: run.inFlight, ratePerSecond: run.meter.perSecond(now) });
  }

  /** Hands progress to the callback; a failing or slow callback never holds up delivery. */
  private report(progress: BroadcastProgress, done: () => void = () => undefined): void {
    const onProgress = this.onProgress;
    if (onProgress === undefined) return done();
    const reported = (async () => onProgress(progress))()
      .then(
        () => undefined,
        (error: unknown) => this.logger.warn({ err: error, broadcastId: progress.broadcastId }, 'broadcast progress callback failed'),
      )
      .finally(() => {
        this.reports.delete(reported);
        done();
      });
    this.reports.add(reported);
  }

  /**
   * Stops sending: waits for the requests out and their outcomes to be stored,
   * marks the claimed-but-unsent recipients as not started (so they are not
   * taken for possible duplicates), and forgets the broadcasts; whoever holds
   * the lease next takes them up from storage.
   */
  private async standDown(): Promise<void> {
    // A look under way may still add broadcasts: they are forgotten with the others.
    await this.polling;
    // Nothing is fired meanwhile: the loop is here, not in fire().
    while (this.inFlight > 0 || this.claiming > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    for (const abort of this.installing.values()) abort.abort();
    await Promise.all(this.installing.keys());
    const armed = this.armed;
    const runs = this.runs;
    this.armed = [];
    this.runs = [];
    for (const run of runs) {
      const unsent = [...run.pending(), ...armed.filter((entry) => entry.run === run).map((entry) => entry.item)].filter((item) => item.claimed);
      const updatedAt = new Date(this.clock()).toISOString();
      for (const item of unsent) void run.writer.write({ conversationId: item.conversationId, settled: item.attempts, updatedAt }, false).catch(() => undefined);
      await run.writer.idle();
    }
    this.failure = null;
  }

  /** Another request of the app waits for a slot it could take now: it goes before the broadcast's next. */
  private othersWaiting(now: number): boolean {
    return this.rateLimit.hasWaiting(now);
  }

  private storageFailed(error: unknown): void {
    this.failure ??= { error };
    this.wake();
  }

  private settledOne(): void {
    if (this.inFlight === 0 && this.claiming === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    this.wake();
  }

  private nextWakeAt(): number {
    const now = this.clock();
    let at = Math.min(this.nextLeaseAt, now + this.pollMs);
    if (!this.holding) return at;
    at = Math.min(at, this.leaseUsableUntil);
    if (this.polling === null) at = Math.min(at, this.nextPollAt);
    // While others wait for the app's limit, the engine is woken once they have gone.
    if (this.armed.length > 0 && this.inFlight < this.maxInFlight && !this.othersWaiting(now)) at = Math.min(at, this.limiter.appNextAllowedAt(now));
    const armable = this.claimsWanted(now) > 0;
    if (this.installing.size < this.maxInstallsInFlight && this.nextToInstall() !== null) return now;
    for (const run of this.runs) {
      if (armable && run.ready.length > 0) return now;
      const soonest = run.waiting[0];
      if (soonest !== undefined) at = Math.min(at, soonest.readyAt);
      at = Math.min(at, run.nextProgressAt);
      if (run.loadedBatches !== null && !run.loadingMore) at = Math.min(at, run.nextLoadAt);
    }
    return at;
  }

  private sleepUntil(at: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, at - this.clock()));
      // Like the outbox's timer: the engine alone does not keep the process alive.
      timer.unref();
      this.wakeUp = wake;
    });
  }

  private wake(): void {
    if (this.wakeUp !== null) this.wakeUp();
    else this.woken = true;
  }
}

/** The recipients still to be sent, ready now or waiting for their retry. */
function pendingItems(records: readonly RecipientRecord[], now: number): Item[] {
  return records
    .filter((record) => record.state === 'pending')
    .map((record) => ({
      conversationId: record.conversationId,
      reference: record.reference,
      installFor: record.installation === 'needed' ? record.installFor : null,
      label: record.label,
      targetActivityId: record.targetActivityId,
      attempts: record.attempts,
      failures: record.failures,
      throttles: record.throttles,
      readyAt: record.nextAttemptAt === null ? now : Date.parse(record.nextAttemptAt),
      claimed: false,
      activity: null,
    }));
}

/** A messenger's error as the engine treats it; anything not classified is taken for a network-like failure. */
function asDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const message = error instanceof Error ? error.message || error.name : String(error);
  return new DeliveryError('transient', message, null);
}
