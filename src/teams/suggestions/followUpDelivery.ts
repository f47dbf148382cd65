import { ActivityTypes, type ConversationReference } from 'botbuilder';
import type { ConversationStore } from '../../conversations/conversationStore';
import type { OutboxJob, OutboxJobs } from '../../delivery/outboxJobs';
import type { DirectoryService } from '../../directory/directoryService';
import { followUpTexts } from '../../i18n';
import { availableActions } from '../../suggestions/lifecycle';
import { FOLLOW_UP_MESSAGES, awaitsAction, quietSince, type DigestPayload, type FollowUpMessagePayloads, type ReminderPayload } from '../../suggestions/followUp';
import { inOslo } from '../../core/osloTime';
import type { SuggestionService } from '../../suggestions/suggestionService';
import { botReference } from '../proactive';
import type { ProactiveMessaging } from '../routedCards';
import { digestCard } from './followUpCards';
import { suggestionCard } from './suggestionCards';

export interface FollowUpDeliveryDependencies {
  service: SuggestionService;
  directory: DirectoryService;
  conversations: ConversationStore;
  messaging: ProactiveMessaging;
}

/** Reminders and digests go to the organisation's people and teams, in its language. */
const TEAM_LANGUAGE = 'nb';
const DAY_MS = 24 * 60 * 60 * 1000;

/** Delivers the follow-up messages of the outbox: reminders about waiting suggestions and the coordinators' weekly digest. */
export function followUpDeliveryJobs(deps: FollowUpDeliveryDependencies): OutboxJobs<FollowUpMessagePayloads> {
  const reminder: OutboxJob<ReminderPayload>['deliver'] = async (message) => {
    const payload = message.payload;
    const suggestion = await deps.service.get(payload.suggestionId);
    if (!suggestion) return { kind: 'failed', error: `suggestion ${payload.suggestionId} does not exist` };
    // Someone acted (or it was decided) after the reminder was found: the quiet period is over.
    if (!awaitsAction(suggestion) || quietSince(suggestion) !== payload.quietSince) return { kind: 'delivered', result: 'no longer waiting' };

    const { recipient } = payload;
    let reference: ConversationReference | null;
    if (recipient.kind === 'channel') {
      reference = await deps.messaging.referenceFor(recipient.conversationId);
      if (!reference) return { kind: 'retry', error: `no conversation reference for channel ${recipient.conversationId}` };
    } else {
      const chat = await deps.conversations.personalChatOf(recipient.kind === 'assignee' ? { id: recipient.id, email: recipient.email ?? undefined } : { email: recipient.email });
      // Like the routed card: the bot can write only to people who have it installed, so it waits until they do.
      if (!chat) return { kind: 'retry', error: `no personal chat with ${recipient.kind === 'assignee' ? recipient.id : recipient.email}` };
      reference = botReference(chat.reference);
    }

    const t = followUpTexts(TEAM_LANGUAGE).reminder;
    // Delivered late (the recipient installed the bot days later), it tells the wait as it is now.
    const days = Math.floor((Math.max(Date.now(), Date.parse(payload.foundAt)) - Date.parse(payload.quietSince)) / DAY_MS);
    const since = inOslo(payload.quietSince).setLocale(followUpTexts(TEAM_LANGUAGE).locale).toLocaleString({ dateStyle: 'medium' });
    const intro = [t.waited(suggestion.id, days, since), recipient.kind === 'assignee' ? t.toAssignee : t.toRoute];
    const localProcess = deps.directory.index.process(suggestion.process)?.advisorModel === 'local';
    const card = suggestionCard(suggestion, deps.directory.index, TEAM_LANGUAGE, {
      view: 'handler',
      actions: availableActions(suggestion, { handler: true, submitter: false }, localProcess),
      intro,
    });
    const target: ConversationReference = reference;
    return deps.messaging.attempt(() => deps.messaging.send(target, { type: ActivityTypes.Message, text: intro[0], attachments: [card] }));
  };

  const digest: OutboxJob<DigestPayload>['deliver'] = async (message) => {
    const payload = message.payload;
    const chat = await deps.conversations.personalChatOf({ email: payload.coordinator });
    // A coordinator who has not installed the bot yet gets the digest when they do.
    if (!chat) return { kind: 'retry', error: `no personal chat with coordinator ${payload.coordinator}` };
    const card = digestCard(payload.digest, deps.directory.index, TEAM_LANGUAGE);
    return deps.messaging.attempt(() => deps.messaging.send(botReference(chat.reference), { type: ActivityTypes.Message, attachments: [card] }));
  };

  return { [FOLLOW_UP_MESSAGES.reminder]: { deliver: reminder }, [FOLLOW_UP_MESSAGES.digest]: { deliver: digest } };
}
