import type { EnqueueRequest, OutboxMessage, OutboxStore } from './outbox';
import type { DeliveryAttempt, DeliveryOutcome, OutboxWorker } from './outboxWorker';

/**
 * The outbox as a capability sees it: the kinds of messages it puts in, each with its own payload type (a payload map
 * such as `{ 'suggestion-route': RoutePayload }`), and a kick that starts a delivery pass now.
 */
export interface Outbox<Payloads> {
  /** Idempotent by id: enqueuing an id again leaves the message as it is. */
  enqueue<K extends keyof Payloads & string>(message: { id: string; kind: K; payload: Payloads[K]; notBefore?: Date }): Promise<unknown>;
  /** Runs a delivery pass now rather than at the next poll; resolves when a pass that began after the kick has ended, never rejects. */
  kick(): Promise<void>;
}

/** How the messages of one kind go out, with the payload type the capability enqueues them with. */
export interface OutboxJob<P> {
  /** Sends one message; a thrown error counts as a retry. */
  deliver(message: OutboxMessage<P>, attempt: DeliveryAttempt): Promise<DeliveryOutcome>;
  /** Told when a message of this kind becomes a dead letter, e.g. to show it where people look for the message. */
  deadLetter?(message: OutboxMessage<P>, reason: string): Promise<void>;
}

/** A capability's outbox jobs: one per kind of its payload map, so a job reads the payload its kind is enqueued with. */
export type OutboxJobs<Payloads> = { readonly [K in keyof Payloads]: OutboxJob<Payloads[K]> };

/** The outbox every capability enqueues through, whatever its payloads: the store, and the worker that delivers. */
export interface SharedOutbox {
  enqueue<P>(message: EnqueueRequest<P>): Promise<OutboxMessage<P>>;
  /** As Outbox.kick; before the worker starts it does nothing (the worker's first pass finds the message). */
  kick(): Promise<void>;
}

/** The one adapter from the outbox's store and worker to the capabilities' Outbox ports. */
export function sharedOutbox(store: Pick<OutboxStore, 'enqueue'>, worker: Pick<OutboxWorker, 'kick'>): SharedOutbox {
  return {
    enqueue: (message) => store.enqueue(message),
    kick: () => worker.kick(),
  };
}
