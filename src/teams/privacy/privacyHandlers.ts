import type { TurnContext } from 'botbuilder';
import type { AdaptiveCard, Application, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import { privacyTexts } from '../../i18n';
import type { ReplyLanguage } from '../../language/detectLanguage';
import type { Logger } from '../../logger';
import type { PersonalDataService } from '../../privacy/personalData';
import { notice } from '../cards/replyCards';
import { renderCard } from '../cards/renderCard';
import { cardActions, cardLanguage } from '../cardActions';
import type { ConversationMemory } from '../conversationMemory';
import deleteMyDataTemplate from './templates/deleteMyData.json';

export const PRIVACY_VERB = {
  confirmDeletion: 'privacy.deleteMyData.confirm',
  cancelDeletion: 'privacy.deleteMyData.cancel',
} as const;

export interface PrivacyTeamsDependencies {
  service: Pick<PersonalDataService, 'deleteFor'>;
  memory: Pick<ConversationMemory, 'actorOf' | 'forget'>;
  logger: Logger;
}

const deletionData = z.object({
  lang: cardLanguage,
  requester: z.string().min(1),
});

/** "slett mine data": a confirmation card in the personal chat, then the deletion for whoever asked. */
export function registerPrivacyHandlers(app: Application<TurnState>, deps: PrivacyTeamsDependencies) {
  const noticeCard = (title: string, body: string) => notice(title, body).attachments[0]?.content as AdaptiveCard;

  const onCardAction = cardActions(app, deps.memory);
  const cancelled = (lang: ReplyLanguage) => {
    const t = privacyTexts(lang);
    return noticeCard(t.cancelled.title, t.cancelled.body);
  };

  onCardAction(PRIVACY_VERB.confirmDeletion, {
    data: deletionData,
    invalid: (lang) => privacyTexts(lang).cardError,
    handle: async ({ context, data, language: lang, actor: actorOf }) => {
      const t = privacyTexts(lang);
      const actor = await actorOf();
      // The card carries who asked; anyone else's click (a forwarded card, say) deletes nothing.
      if (actor.id !== data.requester) return t.notRequester;
      try {
        const report = await deps.service.deleteFor({ id: actor.id, email: actor.email });
        deps.memory.forget(context);
        deps.logger.info({ removed: Object.fromEntries(Object.entries(report).map(([kind, ids]) => [kind, ids.length])) }, 'personal data deleted on request');
        const { title, body } = t.deleted(report);
        return noticeCard(title, body);
      } catch (error) {
        deps.logger.error({ err: error }, 'deleting personal data failed');
        return t.failed;
      }
    },
  });

  onCardAction(PRIVACY_VERB.cancelDeletion, {
    data: deletionData,
    invalid: cancelled,
    handle: async ({ language }) => cancelled(language),
  });

  /** Answers "slett mine data": a confirmation card, in the personal chat only. */
  async function handleIntent(context: TurnContext, language: ReplyLanguage): Promise<void> {
    const t = privacyTexts(language);
    if (context.activity.conversation?.conversationType !== 'personal') {
      await context.sendActivity(t.personalChatOnly);
      return;
    }
    const actor = await deps.memory.actorOf(context);
    const card = renderCard(deleteMyDataTemplate, {
      title: t.confirm.title,
      body: t.confirm.body,
      keep: t.confirm.keep,
      deleteLabel: t.confirm.delete,
      cancelLabel: t.confirm.cancel,
      confirmVerb: PRIVACY_VERB.confirmDeletion,
      cancelVerb: PRIVACY_VERB.cancelDeletion,
      lang: language,
      requester: actor.id,
    });
    await context.sendActivity({ text: t.confirm.title, attachments: [card] });
  }

  return { handleIntent };
}
