import { CardFactory, type Attachment, type MessagingExtensionAttachment } from 'botbuilder';
import type { SharedAnswer } from '../../advisorQuestions/sharedAnswers';
import { OSLO_ZONE } from '../../core/osloTime';
import { advisorQuestionTexts, followUpTexts, type ReplyLanguage } from '../../i18n';
import { renderCard } from '../cards/renderCard';
import sharedAnswerTemplate from './templates/sharedAnswer.json';

interface SharedAnswerCardData {
  title: string;
  answer: string;
  answeredBy: string;
  hint: string;
  /** «Spør prosessrådgiveren» with what the user asked; an empty label leaves it out (a card inserted in a conversation). */
  ask: { label: string; process: string; question: string; lang: ReplyLanguage };
}

/** The day an answer was given, in the reader's language and Norwegian time. */
/** "Fast svar" for a standing answer, else "Dette er besvart før". */
function sharedTitle(shared: SharedAnswer, language: ReplyLanguage): string {
  const t = advisorQuestionTexts(language).shared;
  return shared.standing ? t.standingTitle(shared.question) : t.title(shared.question);
}

function answerDate(iso: string, language: ReplyLanguage): string {
  return new Intl.DateTimeFormat(followUpTexts(language).locale, { dateStyle: 'long', timeZone: OSLO_ZONE }).format(new Date(iso));
}

/**
 * "Dette er besvart før": a colleague's shared answer, with who answered and when (never who asked). `asked`: what
 * the user asked in chat, which the card then offers to put to the advisors themselves.
 */
export function sharedAnswerCard(shared: SharedAnswer, language: ReplyLanguage, asked: string | null = null): Attachment {
  const t = advisorQuestionTexts(language);
  return renderCard<SharedAnswerCardData>(sharedAnswerTemplate, {
    title: sharedTitle(shared, language),
    answer: shared.answer,
    answeredBy: t.shared.answeredBy(shared.answeredBy, answerDate(shared.answeredAt, language)),
    hint: t.shared.hint,
    ask: { label: asked === null ? '' : t.askButton, process: shared.process, question: asked ?? '', lang: language },
  });
}

/** The card's text, for clients that show no cards and for the activity's summary. */
export function sharedAnswerText(shared: SharedAnswer, language: ReplyLanguage): string {
  const t = advisorQuestionTexts(language).shared;
  return `${sharedTitle(shared, language)}\n${shared.answer}\n${t.answeredBy(shared.answeredBy, answerDate(shared.answeredAt, language))}`;
}

/** A message extension result: the preview says it was answered before, the card inserted is the answer. */
export function sharedAnswerResult(shared: SharedAnswer, language: ReplyLanguage): MessagingExtensionAttachment {
  const t = advisorQuestionTexts(language).shared;
  const preview = CardFactory.thumbnailCard(shared.question, shared.answer, undefined, undefined, {
    subtitle: `${t.preview} · ${t.answeredBy(shared.answeredBy, answerDate(shared.answeredAt, language))}`,
  });
  return { ...sharedAnswerCard(shared, language), preview };
}

/** A chat message with the shared answer; its text goes where a client without cards looks (as the reply cards do). */
export function sharedAnswerActivity(shared: SharedAnswer, language: ReplyLanguage, asked: string | null): { summary: string; attachments: Attachment[] } {
  const text = sharedAnswerText(shared, language);
  const card = sharedAnswerCard(shared, language, asked);
  return { summary: text, attachments: [{ ...card, content: { ...(card.content as object), fallbackText: text } }] };
}
