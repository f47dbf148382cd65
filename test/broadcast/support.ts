import { AppRateLimit, steadyClock } from '../../src/broadcast/appRateLimit';
import { TableBroadcastStore, type BroadcastStore } from '../../src/broadcast/broadcastStore';
import { BroadcastEngine, type BroadcastEngineOptions } from '../../src/broadcast/broadcastEngine';
import { DeliveryError, deliveryErrorFor, type BroadcastMessenger } from '../../src/broadcast/messenger';
import type { ActivityPayload, BroadcastProgress, BroadcastRecipient, ConversationReferenceJson, RecipientRecord } from '../../src/broadcast/model';
import { TableSenderLease, type SenderLease } from '../../src/broadcast/senderLease';
import { createLogger } from '../../src/logger';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

export const logger = createLogger('silent');

/**
 * The clock of every engine (and app rate limit) these tests make, the kind the engine uses by default: one clock, so
 * the times of two instances compare. The engine decides on it; the tests check those decisions (see MessengerCall.at).
 */
export const testClock = steadyClock();

export function referenceFor(conversationId: string): ConversationReferenceJson {
  return {
    channelId: 'msteams',
    serviceUrl: 'https://smba.example/emea/',
    conversation: { id: conversationId, conversationType: 'personal', tenantId: 'tenant' },
    bot: { id: '28:bot', name: 'Økonomi og lønn' },
    user: { id: `29:${conversationId}` },
  };
}

/** A recipient's stored state, failed by default. */
export function recipientRecord(overrides: Partial<RecipientRecord>): RecipientRecord {
  const conversationId = overrides.conversationId ?? 'a:x';
  return {
    conversationId,
    reference: referenceFor(conversationId),
    label: null,
    installFor: null,
    installation: null,
    state: 'failed',
    attempts: 1,
    settled: 1,
    failures: 0,
    throttles: 0,
    activityId: null,
    targetActivityId: null,
    lastError: null,
    lastStatus: null,
    nextAttemptAt: null,
    updatedAt: '2026-03-02T08:00:00.000Z',
    ...overrides,
  };
}

export function recipients(count: number, prefix = 'a:person'): BroadcastRecipient[] {
  return Array.from({ length: count }, (_, index) => {
    const conversationId = `${prefix}-${String(index).padStart(4, '0')}`;
    return { conversationId, reference: referenceFor(conversationId), label: `Person ${index}` };
  });
}

export const announcement: ActivityPayload = { type: 'message', text: 'Fagkafé om EU-søknader torsdag kl. 12' };

export interface MessengerCall {
  kind: 'send' | 'update';
  conversationId: string;
  /** For an update: the message it replaced. */
  activityId: string | null;
  activity: ActivityPayload;
  /**
   * When the engine sent it, on its clock: the slot it took on the app's rate limit, as the Teams pipeline asks for
   * it (AppRateLimit.leaving). The limits hold for these times exactly, however late a busy machine runs the request.
   */
  at: number;
}

type Scripted = DeliveryError | Error | 'hang';

/**
 * Stands in for Teams: records every request and answers as scripted per
 * conversation (each scripted answer used once, in order), otherwise with success.
 */
export class FakeMessenger implements BroadcastMessenger {
  readonly calls: MessengerCall[] = [];
  private readonly scripts = new Map<string, Scripted[]>();
  private nextId = 1;
  /** Once set, every request fails as if the process had died (nothing is answered to anyone). */
  dead = false;
  /** The rate limit of the engine sending through it (engineOn sets it). */
  rateLimit: AppRateLimit | null = null;

  constructor(private readonly latencyMs = 0) {}

  /** The next answers for a conversation. */
  answer(conversationId: string, ...answers: Scripted[]): void {
    this.scripts.set(conversationId, [...(this.scripts.get(conversationId) ?? []), ...answers]);
  }

  async send(reference: ConversationReferenceJson, activity: ActivityPayload): Promise<string> {
    await this.respond('send', reference, null, activity);
    return `activity-${this.nextId++}`;
  }

  async update(reference: ConversationReferenceJson, activityId: string, activity: ActivityPayload): Promise<void> {
    await this.respond('update', reference, activityId, activity);
  }

  callsTo(conversationId: string): MessengerCall[] {
    return this.calls.filter((call) => call.conversationId === conversationId);
  }

  /** Conversations that got more than one successful send. */
  countsByConversation(kind: 'send' | 'update' = 'send'): Map<string, number> {
    const counts = new Map<string, number>();
    for (const call of this.calls) if (call.kind === kind) counts.set(call.conversationId, (counts.get(call.conversationId) ?? 0) + 1);
    return counts;
  }

  private async respond(kind: 'send' | 'update', reference: ConversationReferenceJson, activityId: string | null, activity: ActivityPayload): Promise<void> {
    if (this.rateLimit === null) throw new Error('A FakeMessenger sends for an engine made by engineOn.');
    const conversationId = conversationIdOf(reference);
    const at = await this.rateLimit.leaving(conversationId);
    if (this.dead) throw new Error('the sending process is gone');
    this.calls.push({ kind, conversationId, activityId, activity, at });
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const answer = this.scripts.get(conversationId)?.shift();
    if (answer === 'hang') return new Promise<void>(() => undefined);
    if (answer !== undefined) throw answer;
  }
}

export function conversationIdOf(reference: ConversationReferenceJson): string {
  const conversation = reference.conversation;
  if (typeof conversation !== 'object' || conversation === null || !('id' in conversation) || typeof conversation.id !== 'string') {
    throw new Error('reference without a conversation id');
  }
  return conversation.id;
}

export const throttled = (retryAfterMs: number | null) => deliveryErrorFor(429, 'Too Many Requests', retryAfterMs);
export const unavailable = () => deliveryErrorFor(503, 'Service Unavailable');

export interface Tables {
  tableName: string;
  store: BroadcastStore;
  lease: SenderLease;
}

export async function openTables(tableName = uniqueTablePrefix('broadcast')): Promise<Tables> {
  return {
    tableName,
    store: await TableBroadcastStore.open(testConnectionString(), tableName),
    lease: await TableSenderLease.open(testConnectionString(), tableName),
  };
}

/**
 * An engine on the tables, quick to poll and with fast retries, recording its progress reports. It runs on testClock
 * (unless given its own rate limit), and the messenger takes its send times from its rate limit.
 */
export function engineOn(tables: Tables, messenger: FakeMessenger, options: Partial<BroadcastEngineOptions> = {}) {
  const reports: BroadcastProgress[] = [];
  const rateLimit = options.rateLimit ?? new AppRateLimit({ limits: options.limits, throttle: options.throttle, clock: options.clock ?? testClock });
  messenger.rateLimit = rateLimit;
  const engine = new BroadcastEngine({
    store: tables.store,
    lease: tables.lease,
    messenger,
    logger,
    pollMs: 100,
    leaseMs: 3000,
    progressIntervalMs: 200,
    retry: { baseDelayMs: 20, maxDelayMs: 200 },
    onProgress: (progress) => {
      reports.push(progress);
    },
    random: () => 0.5,
    ...options,
    rateLimit,
  });
  return { engine, reports };
}

export async function waitFor<T>(check: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 15_000, what = 'the condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Resolves with the final report of a broadcast once the engine made it. */
export function finalReport(reports: readonly BroadcastProgress[], broadcastId: string, timeoutMs = 20_000): Promise<BroadcastProgress> {
  return waitFor(() => reports.find((report) => report.broadcastId === broadcastId && report.done), timeoutMs, `the final report of ${broadcastId}`);
}

/** The most calls in any window of `windowMs` that ends at a call. */
export function mostInAnyWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last += 1) {
    while ((sorted[first] as number) <= (sorted[last] as number) - windowMs) first += 1;
    most = Math.max(most, last - first + 1);
  }
  return most;
}
