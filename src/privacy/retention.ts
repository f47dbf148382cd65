import type { Logger } from '../logger';
import { PeriodicPass } from '../core/periodicPass';

/** Once a day is plenty for an age counted in days; every instance runs it (deleting twice is harmless). */
export const RETENTION_INTERVAL_MS = 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionDependencies {
  /** The broadcast engine's delivery records (a recipient row each, with the chat reference). */
  broadcasts: { deleteSettledRecipientsBefore(cutoff: Date): Promise<number> };
  outbox: { deleteDeliveredBefore(cutoff: Date): Promise<number> };
  /** What each conversation asked last: kept only as long as a follow-up may refer to it. */
  conversationContexts: { deleteQuietBefore(cutoff: Date): Promise<number> };
  /** How long a context is of use (CONTEXT_LIFETIME_MS). */
  contextLifetimeMs: number;
  /** DELIVERY_RETENTION_DAYS. */
  maxAgeDays: number;
  logger: Logger;
  clock?: () => Date;
}

export interface RetentionResult {
  deliveryRecords: number;
  outboxMessages: number;
  conversationContexts: number;
}

/**
 * Removes what only records that something was delivered, once it is older
 * than the retention age: recipient rows of broadcasts that settled (sent,
 * failed, unreachable, skipped) and delivered outbox messages. What is still
 * under way (pending) or waits for a person (failed outbox messages) stays.
 * Conversation contexts go once no follow-up can use them.
 */
export class DeliveryRetention {
  private readonly pass: PeriodicPass;
  private readonly clock: () => Date;

  constructor(private readonly deps: RetentionDependencies) {
    this.clock = deps.clock ?? (() => new Date());
    this.pass = new PeriodicPass(
      () => this.runOnce(),
      (error) => deps.logger.error({ err: error }, 'the retention pass failed; it runs again at the next interval'),
    );
  }

  async runOnce(now = this.clock()): Promise<RetentionResult> {
    const cutoff = new Date(now.getTime() - this.deps.maxAgeDays * DAY_MS);
    const deliveryRecords = await this.deps.broadcasts.deleteSettledRecipientsBefore(cutoff);
    const outboxMessages = await this.deps.outbox.deleteDeliveredBefore(cutoff);
    const conversationContexts = await this.deps.conversationContexts.deleteQuietBefore(new Date(now.getTime() - this.deps.contextLifetimeMs));
    if (deliveryRecords + outboxMessages + conversationContexts > 0) {
      this.deps.logger.info({ deliveryRecords, outboxMessages, conversationContexts, cutoff: cutoff.toISOString() }, 'retention: old delivery records and quiet contexts removed');
    }
    return { deliveryRecords, outboxMessages, conversationContexts };
  }

  start(intervalMs = RETENTION_INTERVAL_MS): void {
    this.pass.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.pass.stop();
  }
}
