import type { ConversationReferenceJson, InstallationFailure } from './model';

/** Whom the app is to be installed for: a broadcast recipient it has no chat with yet. */
export interface InstallationRequest {
  email: string;
  /** Their name or e-mail as the broadcast lists them (for logs). */
  label: string | null;
  /** Aborted when the sender stands down: the installation stops (whoever sends next starts it again). */
  signal?: AbortSignal;
}

/**
 * Has the app installed for a person it has no chat with (Microsoft Graph's proactive installation, see
 * src/graph/), and gives the reference of the personal chat that makes. Installing again for someone who has the
 * app already gives the same chat: the engine may ask twice for one person (after a crash) without harm.
 * Waiting for the platform's limits and retrying its passing failures is the installer's own business, on its
 * own limit: the engine's Teams sends never wait for it.
 */
export interface RecipientInstaller {
  /** The personal chat's reference; throws an InstallationError when it cannot be had (anything else counts as 'graph-error'). */
  install(request: InstallationRequest): Promise<ConversationReferenceJson>;
}

/** Why the app could not be installed for a recipient; the broadcast lists them as not reached, with this reason. */
export class InstallationError extends Error {
  constructor(
    readonly reason: InstallationFailure,
    message: string,
    /** The HTTP status of the answer that settled it; null for none (network, or not asked). */
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'InstallationError';
  }
}
