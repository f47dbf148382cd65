import { randomBytes } from 'node:crypto';
import { TableChannelRegistrationStore } from '../conversations/channelRegistrations';
import { DeadLetterListing } from '../delivery/deadLetters';
import { FollowUpScheduler } from '../suggestions/followUpScheduler';
import type { Actor } from '../core/actor';
import { ChannelRegistrationService } from '../suggestions/channelRegistrationService';
import { SuggestionService } from '../suggestions/suggestionService';
import { suggestionIntentRules } from '../suggestions/suggestionIntents';
import { TableSuggestionStore } from '../suggestions/suggestionStore';
import { SupportTokens } from '../suggestions/supportTokens';
import { suggestionsPersonalData } from '../privacy/personalData';
import { chatIntents } from '../teams/intents';
import { suggestionDeliveryJobs } from '../teams/suggestions/suggestionDelivery';
import { registerSuggestionHandlers, suggestionForms, type SuggestionForms } from '../teams/suggestions/suggestionHandlers';
import type { Capability } from './capability';
import type { SharedInfrastructure } from './infrastructure';

export interface SuggestionsCapability extends Capability {
  service: SuggestionService;
  store: TableSuggestionStore;
  /** The channels registered for processes (and units), which the questions to the advisors are routed by too. */
  registrations: TableChannelRegistrationStore;
  /** The form and its submission, which the message extension's dialog shares with the chat. */
  forms: SuggestionForms;
  /** Which channels receive which suggestions: who sees, registers and removes them (chat, the Forvaltning tab). */
  channelRegistrations: ChannelRegistrationService;
  /** The outbox's dead letters ("vis uleverte meldinger", the Forvaltning tab). */
  deadLetters: DeadLetterListing<Actor>;
  /** The reminder and digest scheduler. */
  followUp: FollowUpScheduler;
}

/** Improvement suggestions ("forbedringsforslag"): the form, routing to the process team, handling, follow-up, export. */
export async function openSuggestions(shared: SharedInfrastructure): Promise<SuggestionsCapability> {
  const { config, logger, directory, outbox } = shared;
  const registrations = await TableChannelRegistrationStore.open(shared.storage, shared.table('channelregistrations'));
  const store = await TableSuggestionStore.open(shared.storage, shared.table('suggestions'));
  if (!config.supportTokenSecret && !config.localMode)
    logger.warn('SUPPORT_TOKEN_SECRET is not set: "support this suggestion" buttons work only on this instance, until it restarts');
  const service = new SuggestionService({
    directory: () => directory.index,
    store,
    registrations,
    coordinators: config.coordinators,
    supportTokens: new SupportTokens({ secret: config.supportTokenSecret ? Buffer.from(config.supportTokenSecret, 'utf8') : randomBytes(32) }),
    outbox,
  });
  const deadLetters = new DeadLetterListing({ outbox: shared.outboxStore, isCoordinator: (actor: Actor) => service.isCoordinator(actor) });
  const channelRegistrations = new ChannelRegistrationService({ store: registrations, coordinators: config.coordinators, directory: () => directory.index });
  const teams = {
    service,
    directory,
    profiles: shared.profiles,
    registrations: channelRegistrations,
    memory: shared.memory,
    exports: { links: shared.exportLinks, listSuggestions: () => store.list() },
    deadLetters,
  };
  const forms = suggestionForms(teams);
  // Every instance runs it; the outbox ids (quiet period, ISO week) keep reminders and digests from going out twice.
  const followUp = new FollowUpScheduler({
    suggestions: store,
    directory: () => directory.index,
    outbox,
    coordinators: config.coordinators,
    reminderDays: config.reminderDays,
    logger,
  });

  return {
    name: 'suggestions',
    service,
    store,
    registrations,
    forms,
    channelRegistrations,
    deadLetters,
    followUp,
    registerTeams: (bot) => {
      const handlers = registerSuggestionHandlers(bot, teams, forms);
      return chatIntents(suggestionIntentRules, ({ context, intent, language }) => handlers.handleIntent(context, intent.command, language));
    },
    outboxJobs: suggestionDeliveryJobs({ adapter: shared.adapter, botAppId: config.bot?.id ?? '', service, directory, conversations: shared.conversations, registrations, logger }),
    personalData: [registrations.personalData(), suggestionsPersonalData(store)],
    start: async () => {
      // Whatever was stored but not routed when the last instance stopped goes out now.
      const resumed = await service.resumeUndelivered();
      if (resumed > 0) logger.info({ resumed }, 'resuming delivery of suggestions');
      followUp.start(config.followUpIntervalMs);
    },
    stop: () => followUp.stop(),
  };
}
