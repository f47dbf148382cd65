import { ActivityTypes, type ConversationReference } from 'botbuilder';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import {
  QUESTION_MESSAGES,
  type AdvisorQuestionService,
  type QuestionMessagePayloads,
  type QuestionNotifyPayload,
  type QuestionRefreshPayload,
  type QuestionRoutePayload,
} from '../../advisorQuestions/advisorQuestionService';
import { availableQuestionActions } from '../../advisorQuestions/lifecycle';
import {
  QUESTION_FOLLOW_UP_MESSAGES,
  awaitsAnswer,
  questionQuietSince,
  type QuestionFollowUpPayloads,
  type QuestionReminderPayload,
} from '../../advisorQuestions/questionFollowUp';
import { FINAL_QUESTION_STATES, type AdvisorQuestion } from '../../advisorQuestions/model';
import type { ChannelRegistrationStore } from '../../conversations/channelRegistrations';
import type { ConversationStore } from '../../conversations/conversationStore';
import { isAnonymised } from '../../core/actor';
import { inOslo } from '../../core/osloTime';
import { norwegianWorkingDaysBetween } from '../../core/workingDays';
import type { OutboxJob, OutboxJobs } from '../../delivery/outboxJobs';
import type { DirectoryService } from '../../directory/directoryService';
import { advisorQuestionTexts, followUpTexts } from '../../i18n';
import type { Logger } from '../../logger';
import { botReference } from '../proactive';
import { proactiveMessaging, refreshPostedCards, routeFailureCause, routedCardJob } from '../routedCards';
import { advisorQuestionCard, questionChangeVerb } from './advisorQuestionCards';

export interface AdvisorQuestionDeliveryDependencies {
  adapter: TeamsAdapter;
  botAppId: string;
  service: AdvisorQuestionService;
  directory: DirectoryService;
  conversations: ConversationStore;
  registrations: ChannelRegistrationStore;
  logger: Logger;
}

/** Cards posted to process teams are in the organisation's language. */
const TEAM_LANGUAGE = 'nb';

/**
 * Delivers the questions' messages of the outbox to Teams: the routed card (as suggestions' cards are routed), the
 * asker's notifications (the answer among them, one to one), in-place updates of every posted card, and reminders
 * about questions left unanswered.
 */
export function advisorQuestionDeliveryJobs(deps: AdvisorQuestionDeliveryDependencies): OutboxJobs<QuestionMessagePayloads & QuestionFollowUpPayloads> {
  const messaging = proactiveMessaging(deps);

  /** The card as the people handling it see it; the server checks each click again. */
  const handlerCard = (question: AdvisorQuestion) =>
    advisorQuestionCard(question, deps.directory.index, TEAM_LANGUAGE, {
      view: 'handler',
      actions: availableQuestionActions(question, { handler: true, asker: false }).filter((action) => action !== 'withdraw'),
    });

  const route = routedCardJob<AdvisorQuestion, QuestionRoutePayload>(messaging, deps.conversations, deps.logger, {
    label: 'question',
    target: (payload) => ({ id: payload.questionId, recipient: payload.recipient }),
    get: (id) => deps.service.get(id),
    isFinal: (question) => FINAL_QUESTION_STATES.has(question.state),
    postings: (question) => question.postings,
    card: handlerCard,
    recordPosting: (id, posting) => deps.service.recordPosting(id, posting),
  });

  const notify: OutboxJob<QuestionNotifyPayload>['deliver'] = async (message) => {
    const { questionId, historyIndex } = message.payload;
    const question = await deps.service.get(questionId);
    const entry = question?.history[historyIndex];
    if (!question || !entry) return { kind: 'failed', error: `no change ${historyIndex} on ${questionId}` };
    // Nobody needs telling about what they did themselves.
    if (entry.by.id === question.asker.id) return { kind: 'delivered', result: 'asker acted' };
    if (isAnonymised(question.asker)) return { kind: 'delivered', result: 'the asker deleted their data' };
    const chat = await deps.conversations.personalChatOf({ id: question.asker.id });
    if (!chat) return { kind: 'retry', error: `no personal chat with the asker of ${questionId}` };
    const t = advisorQuestionTexts(question.language);
    const intro = [t.notification.title(question.id, t.states[entry.to]), t.notification.by(entry.by.name, questionChangeVerb(entry, question.language))];
    if (entry.comment) intro.push(entry.action === 'answer' ? t.notification.answer(entry.comment) : t.notification.comment(entry.comment));
    if (entry.suggestionId) intro.push(t.notification.suggestion(entry.suggestionId));
    const card = advisorQuestionCard(question, deps.directory.index, question.language, {
      view: 'asker',
      actions: availableQuestionActions(question, { handler: false, asker: true }),
      intro,
    });
    return messaging.attempt(() => messaging.send(botReference(chat.reference), { type: ActivityTypes.Message, text: intro.join(' '), attachments: [card] }));
  };

  const refresh: OutboxJob<QuestionRefreshPayload>['deliver'] = async (message) => {
    const question = await deps.service.get(message.payload.questionId);
    if (!question) return { kind: 'failed', error: `question ${message.payload.questionId} does not exist` };
    return messaging.attempt(() => refreshPostedCards(messaging, question.postings, handlerCard(question)));
  };

  const reminder: OutboxJob<QuestionReminderPayload>['deliver'] = async (message) => {
    const payload = message.payload;
    const question = await deps.service.get(payload.questionId);
    if (!question) return { kind: 'failed', error: `question ${payload.questionId} does not exist` };
    // Answered, forwarded, taken or withdrawn after the reminder was found: the wait it was about is over.
    if (!awaitsAnswer(question) || questionQuietSince(question) !== payload.quietSince) return { kind: 'delivered', result: 'no longer waiting' };

    const { recipient } = payload;
    let reference: ConversationReference | null;
    if (recipient.kind === 'channel') {
      reference = await messaging.referenceFor(recipient.conversationId);
      if (!reference) return { kind: 'retry', error: `no conversation reference for channel ${recipient.conversationId}` };
    } else {
      const chat = await deps.conversations.personalChatOf(recipient.kind === 'assignee' ? { id: recipient.id, email: recipient.email ?? undefined } : { email: recipient.email });
      // Like the routed card: the bot can write only to people who have it installed, so it waits until they do.
      if (!chat) return { kind: 'retry', error: `no personal chat with ${recipient.kind === 'assignee' ? recipient.id : recipient.email}` };
      reference = botReference(chat.reference);
    }
    const t = advisorQuestionTexts(TEAM_LANGUAGE).reminder;
    // Delivered late (the recipient installed the bot days later), it tells the wait as it is now.
    const waited = norwegianWorkingDaysBetween(payload.quietSince, new Date(Math.max(Date.now(), Date.parse(payload.foundAt))));
    const since = inOslo(payload.quietSince).setLocale(followUpTexts(TEAM_LANGUAGE).locale).toLocaleString({ dateStyle: 'medium' });
    const intro = [t.waited(question.id, waited, since), recipient.kind === 'assignee' ? t.toAssignee : t.toRoute];
    const card = advisorQuestionCard(question, deps.directory.index, TEAM_LANGUAGE, {
      view: 'handler',
      actions: availableQuestionActions(question, { handler: true, asker: false }).filter((action) => action !== 'withdraw'),
      intro,
    });
    const target: ConversationReference = reference;
    return messaging.attempt(() => messaging.send(target, { type: ActivityTypes.Message, text: intro[0], attachments: [card] }));
  };

  return {
    [QUESTION_FOLLOW_UP_MESSAGES.reminder]: { deliver: reminder },
    [QUESTION_MESSAGES.route]: {
      deliver: route,
      // A route given up on is shown on the question's card, where its asker and the coordinators look.
      deadLetter: (message, reason) => deps.service.recordUndeliverable(message.payload, reason, routeFailureCause(reason)),
    },
    [QUESTION_MESSAGES.notify]: { deliver: notify },
    [QUESTION_MESSAGES.refresh]: { deliver: refresh },
  };
}
