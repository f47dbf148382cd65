import type { OutboxStore } from './outbox';

/** A message the outbox gave up on (never delivered, no longer tried), as the coordinators see it. */
export interface DeadLetter {
  /** The message's id, which says what it was, e.g. `route:FF-2026-0042:0:ola.nordmann@ntnu.no`. */
  id: string;
  kind: string;
  /** Why it was given up on, as the delivery reported it. */
  reason: string;
  attempts: number;
  createdAt: string;
}

export type DeadLetterListingResult = { kind: 'listed'; letters: DeadLetter[] } | { kind: 'refused' };

/**
 * The outbox's dead letters, for the coordinators only: they span every
 * capability and name the people a message was for ("vis uleverte meldinger"
 * in chat, and the Forvaltning tab).
 */
export class DeadLetterListing<Viewer> {
  constructor(
    private readonly deps: {
      outbox: Pick<OutboxStore, 'list'>;
      isCoordinator: (viewer: Viewer) => boolean;
    },
  ) {}

  /** Newest first. */
  async visibleTo(viewer: Viewer): Promise<DeadLetterListingResult> {
    if (!this.deps.isCoordinator(viewer)) return { kind: 'refused' };
    const failed = await this.deps.outbox.list({ status: 'failed' });
    return {
      kind: 'listed',
      letters: failed.reverse().map((message) => ({
        id: message.id,
        kind: message.kind,
        reason: message.lastError ?? '',
        attempts: message.attempts,
        createdAt: message.createdAt,
      })),
    };
  }
}
