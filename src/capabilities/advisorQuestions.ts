import type { SuggestionFromQuestion } from '../advisorQuestions/advisorQuestionService';
import { AdvisorQuestionService } from '../advisorQuestions/advisorQuestionService';
import { TableAdvisorQuestionStore } from '../advisorQuestions/advisorQuestionStore';
import { advisorQuestionIntentRules } from '../advisorQuestions/advisorQuestionIntents';
import { countQuestionsForDigest } from '../advisorQuestions/questionFollowUp';
import { QuestionReminderScheduler } from '../advisorQuestions/questionReminderScheduler';
import { sharedAnswersOrNone, type SharedAnswerLookup } from '../advisorQuestions/sharedAnswers';
import { advisorQuestionTexts } from '../i18n';
import { advisorQuestionsPersonalData } from '../privacy/advisorQuestionsPersonalData';
import { DRAFT_LIMITS } from '../suggestions/validateDraft';
import { advisorQuestionDeliveryJobs } from '../teams/advisorQuestions/advisorQuestionDelivery';
import { advisorQuestionForms, registerAdvisorQuestionHandlers, type AdvisorQuestionForms } from '../teams/advisorQuestions/advisorQuestionHandlers';
import { chatIntents } from '../teams/intents';
import type { Capability } from './capability';
import type { SharedInfrastructure } from './infrastructure';
import type { SuggestionsCapability } from './suggestions';

export interface AdvisorQuestionsCapability extends Capability {
  service: AdvisorQuestionService;
  store: TableAdvisorQuestionStore;
  /** Reminders about unanswered questions; a pass can be run for a chosen moment (tests). */
  reminders: QuestionReminderScheduler;
  /** The question form and its submission, shared by the chat and the message extension's dialog. */
  forms: AdvisorQuestionForms;
  /** "Dette er besvart før" for the chat and the message extension: a failed look-up costs the shared answer, never the reply. */
  sharedAnswers: SharedAnswerLookup;
}

/**
 * Questions to the process advisors ("Spør prosessrådgiveren"): the form behind the answer cards' button, routing by
 * the suggestions' process rules and channel registrations, handling, and conversion into an improvement suggestion.
 */
export async function openAdvisorQuestions(
  shared: SharedInfrastructure,
  suggestions: Pick<SuggestionsCapability, 'service' | 'store' | 'registrations' | 'followUp'>,
): Promise<AdvisorQuestionsCapability> {
  const { config, logger, directory, outbox } = shared;
  const store = await TableAdvisorQuestionStore.open(shared.storage, shared.table('advisorquestions'));

  // Filed by the handler who converts it, prefilled from the question; the question's id keys it, so it is filed once.
  const toSuggestion: SuggestionFromQuestion = async (question, by, potential, language) => {
    const t = advisorQuestionTexts(language).suggestion;
    const title = question.text.replace(/\s+/g, ' ');
    const raw = {
      process: question.process,
      unit: question.unit,
      title: title.length <= DRAFT_LIMITS.title ? title : `${title.slice(0, DRAFT_LIMITS.title - 1)}…`,
      description: t.description(question.id, question.text),
      potential: potential ?? t.potential,
      system: 'annet',
      mayContact: 'true',
    };
    const key = `question:${question.id}`;
    // Filed already (a conversion that lost a race to another action, by whoever converted it then): the same suggestion.
    const earlier = await suggestions.store.findBySubmission(key);
    if (earlier) return earlier.suggestion.id;
    const result = await suggestions.service.submit(raw, by, key, language, true);
    if (result.kind !== 'submitted') throw new Error(`Question ${question.id} could not become a suggestion: ${result.kind}`);
    return result.suggestion.id;
  };

  const service = new AdvisorQuestionService({
    directory: () => directory.index,
    store,
    registrations: suggestions.registrations,
    outbox,
    coordinators: config.coordinators,
    toSuggestion,
  });

  // Every instance runs it; the outbox ids (the step waited after) keep a reminder from going out twice.
  const reminders = new QuestionReminderScheduler({ questions: store, outbox, workingDays: config.questionReminderWorkingDays, logger });
  suggestions.followUp.includeQuestionsInDigest(async (now) => countQuestionsForDigest(await store.list(), now, config.questionReminderWorkingDays));

  const teams = { service, directory, profiles: shared.profiles, memory: shared.memory };
  const forms = advisorQuestionForms(teams);
  const questionsHolder = advisorQuestionsPersonalData(store);
  const sharedAnswers = sharedAnswersOrNone(
    (query, limit) => service.sharedAnswers(query, limit),
    (error) => logger.warn({ err: error }, 'could not look up shared answers'),
  );

  return {
    name: 'advisorQuestions',
    service,
    store,
    reminders,
    forms,
    sharedAnswers,
    registerTeams: (bot) => {
      const handlers = registerAdvisorQuestionHandlers(bot, teams, forms);
      return chatIntents(advisorQuestionIntentRules, ({ context, intent, language }) => handlers.handleIntent(context, intent.command, language));
    },
    outboxJobs: advisorQuestionDeliveryJobs({
      adapter: shared.adapter,
      botAppId: config.bot?.id ?? '',
      service,
      directory,
      conversations: shared.conversations,
      registrations: suggestions.registrations,
      logger,
    }),
    personalData: [
      {
        ...questionsHolder,
        // A question whose asker is gone is no longer shown as a shared answer, from this instance at once.
        deleteForUser: async (user) => {
          const done = await questionsHolder.deleteForUser(user);
          service.dropSharedAnswers();
          return done;
        },
      },
    ],
    start: async () => {
      // Whatever was stored but not routed when the last instance stopped goes out now.
      const resumed = await service.resumeUndelivered();
      if (resumed > 0) logger.info({ resumed }, 'resuming delivery of questions to the advisors');
      reminders.start(config.followUpIntervalMs);
    },
    stop: () => reminders.stop(),
  };
}
