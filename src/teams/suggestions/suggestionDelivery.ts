import { ActivityTypes } from 'botbuilder';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { ChannelRegistrationStore } from '../../conversations/channelRegistrations';
import type { ConversationStore } from '../../conversations/conversationStore';
import type { OutboxJob, OutboxJobs } from '../../delivery/outboxJobs';
import type { DirectoryService } from '../../directory/directoryService';
import { suggestionTexts } from '../../i18n';
import type { Logger } from '../../logger';
import { availableActions } from '../../suggestions/lifecycle';
import { FINAL_STATES, type Suggestion } from '../../suggestions/model';
import { isAnonymised } from '../../core/actor';
import type { FollowUpMessagePayloads } from '../../suggestions/followUp';
import {
  SUGGESTION_MESSAGES,
  type NotifyPayload,
  type RefreshPayload,
  type RoutePayload,
  type SuggestionMessagePayloads,
  type SuggestionService,
} from '../../suggestions/suggestionService';
import { followUpDeliveryJobs } from './followUpDelivery';
import { changeVerb, suggestionCard } from './suggestionCards';
import { botReference } from '../proactive';
import { proactiveMessaging, refreshPostedCards, routeFailureCause, routedCardJob } from '../routedCards';

export interface SuggestionDeliveryDependencies {
  adapter: TeamsAdapter;
  botAppId: string;
  service: SuggestionService;
  directory: DirectoryService;
  conversations: ConversationStore;
  registrations: ChannelRegistrationStore;
  logger: Logger;
}

/** Cards posted to process teams are in the organisation's language. */
const TEAM_LANGUAGE = 'nb';

/**
 * Delivers the suggestion messages of the outbox to Teams: the routed card,
 * the submitter's notifications and in-place updates of every posted card.
 */
export function suggestionDeliveryJobs(deps: SuggestionDeliveryDependencies): OutboxJobs<SuggestionMessagePayloads & FollowUpMessagePayloads> {
  const isLocal = (suggestion: Suggestion) => deps.directory.index.process(suggestion.process)?.advisorModel === 'local';

  /** The card as the people handling it see it; the server checks each click again. */
  const handlerCard = (suggestion: Suggestion) =>
    suggestionCard(suggestion, deps.directory.index, TEAM_LANGUAGE, {
      view: 'handler',
      actions: availableActions(suggestion, { handler: true, submitter: false }, isLocal(suggestion)),
    });

  const messaging = proactiveMessaging(deps);
  const { send, attempt } = messaging;

  const route = routedCardJob<Suggestion, RoutePayload>(messaging, deps.conversations, deps.logger, {
    label: 'suggestion',
    target: (payload) => ({ id: payload.suggestionId, recipient: payload.recipient }),
    get: (id) => deps.service.get(id),
    isFinal: (suggestion) => FINAL_STATES.has(suggestion.state),
    postings: (suggestion) => suggestion.postings,
    card: handlerCard,
    recordPosting: (id, posting) => deps.service.recordPosting(id, posting),
  });

  const notify: OutboxJob<NotifyPayload>['deliver'] = async (message) => {
    const { suggestionId, historyIndex } = message.payload;
    const suggestion = await deps.service.get(suggestionId);
    const entry = suggestion?.history[historyIndex];
    if (!suggestion || !entry) return { kind: 'failed', error: `no change ${historyIndex} on ${suggestionId}` };
    // Nobody needs telling about what they did themselves.
    if (entry.by.id === suggestion.submitter.id) return { kind: 'delivered', result: 'submitter acted' };
    if (isAnonymised(suggestion.submitter)) return { kind: 'delivered', result: 'the submitter deleted their data' };
    const chat = await deps.conversations.personalChatOf({ id: suggestion.submitter.id });
    if (!chat) return { kind: 'retry', error: `no personal chat with the submitter of ${suggestionId}` };
    const t = suggestionTexts(suggestion.language);
    const intro = [t.notification.title(suggestion.id, t.states[entry.to]), t.notification.by(entry.by.name, changeVerb(entry, suggestion.language))];
    if (entry.comment) intro.push(t.notification.comment(entry.comment));
    const card = suggestionCard(suggestion, deps.directory.index, suggestion.language, {
      view: 'submitter',
      actions: availableActions(suggestion, { handler: false, submitter: true }, isLocal(suggestion)),
      intro,
    });
    return attempt(() => send(botReference(chat.reference), { type: ActivityTypes.Message, text: intro.join(' '), attachments: [card] }));
  };

  const refresh: OutboxJob<RefreshPayload>['deliver'] = async (message) => {
    const { suggestionId } = message.payload;
    const suggestion = await deps.service.get(suggestionId);
    if (!suggestion) return { kind: 'failed', error: `suggestion ${suggestionId} does not exist` };
    return attempt(() => refreshPostedCards(messaging, suggestion.postings, handlerCard(suggestion)));
  };

  return {
    [SUGGESTION_MESSAGES.route]: {
      deliver: route,
      // A route given up on is shown on the suggestion, where its submitter and the coordinators look.
      deadLetter: (message, reason) => deps.service.recordUndeliverable(message.payload, reason, routeFailureCause(reason)),
    },
    [SUGGESTION_MESSAGES.notify]: { deliver: notify },
    [SUGGESTION_MESSAGES.refresh]: { deliver: refresh },
    ...followUpDeliveryJobs({ ...deps, messaging }),
  };
}
