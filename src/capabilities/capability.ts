import type { Application, TurnState } from '@microsoft/teams-ai';
import type restify from 'restify';
import type { OutboxJob } from '../delivery/outboxJobs';
import type { PersonalDataHolder } from '../privacy/personalDataHolder';
import type { ChatIntents } from '../teams/intents';

/**
 * What one capability adds to the app. startApp (src/app.ts) opens each
 * capability from the shared infrastructure (src/capabilities/infrastructure.ts),
 * registers what it declares here, starts it, and stops it again in reverse
 * order. A capability's own folders hold its domain (src/<capability>/), its
 * Teams handlers and cards (src/teams/<capability>/) and its module here
 * (src/capabilities/<capability>.ts), which builds its domain objects and
 * returns this.
 */
export interface Capability {
  /** For logs and errors. */
  readonly name: string;
  /**
   * Registers its card actions and invokes on the bot, and returns the chat intents it recognises and answers:
   * chatIntents(its domain's intent rules, its answer). Every capability's rules join one order of priority.
   */
  registerTeams?(bot: Application<TurnState>): ChatIntents;
  /** Its outbox jobs by message kind (typed per kind where they are made: OutboxJobs<Payloads>). */
  readonly outboxJobs?: Readonly<Record<string, OutboxJob<unknown>>>;
  /** Registers its HTTP routes (downloads, calendar files, the tabs' API). */
  registerRoutes?(server: restify.Server): void;
  /** The stores holding personal data it owns, for "slett mine data" (src/privacy/personalDataHolder.ts). */
  readonly personalData?: readonly PersonalDataHolder[];
  /** Starts its background work (schedulers, senders); called once everything is registered. */
  start?(): void | Promise<void>;
  /** Stops its background work and waits for what is under way. */
  stop?(): Promise<void>;
}
