import { TableBroadcastStore } from '../broadcast/broadcastStore';
import { CONTEXT_LIFETIME_MS } from '../conversations/conversationContextStore';
import { PersonalDataService } from '../privacy/personalData';
import { privacyIntentRules } from '../privacy/privacyIntents';
import { DeliveryRetention } from '../privacy/retention';
import { registerPrivacyHandlers } from '../teams/privacy/privacyHandlers';
import { chatIntents } from '../teams/intents';
import type { Capability } from './capability';
import type { SharedInfrastructure } from './infrastructure';

export interface PrivacyCapability extends Capability {
  /** "slett mine data" over every holder of personal data. */
  service: PersonalDataService;
}

/**
 * "slett mine data" and retention (delivery records, quiet conversation contexts). Deletion cannot miss a table: it goes through the holders of
 * the shared stores and of every other capability, so it is opened after them.
 */
export async function openPrivacy(shared: SharedInfrastructure, others: readonly Capability[]): Promise<PrivacyCapability> {
  const { logger, memory } = shared;
  const service = new PersonalDataService([...shared.personalData, ...others.flatMap((capability) => capability.personalData ?? [])]);
  const retention = new DeliveryRetention({
    broadcasts: await TableBroadcastStore.open(shared.storage, shared.table('broadcasts')),
    outbox: shared.outboxStore,
    conversationContexts: shared.conversationContexts,
    contextLifetimeMs: CONTEXT_LIFETIME_MS,
    maxAgeDays: shared.config.deliveryRetentionDays,
    logger,
  });
  return {
    name: 'privacy',
    service,
    registerTeams: (bot) => {
      const handlers = registerPrivacyHandlers(bot, { service, memory, logger });
      return chatIntents(privacyIntentRules, ({ context, language }) => handlers.handleIntent(context, language));
    },
    start: () => retention.start(),
    stop: () => retention.stop(),
  };
}
