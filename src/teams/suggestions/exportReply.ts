import type { Activity } from 'botbuilder';
import type { DirectoryService } from '../../directory/directoryService';
import { followUpTexts, type ReplyLanguage } from '../../i18n';
import type { ExportRequest } from '../../suggestions/exportCommand';
import type { ExportLinks } from '../../suggestions/exportLinks';
import { filterSuggestions, resolvePeriod, type ExportFilter } from '../../suggestions/exportSuggestions';
import type { Suggestion } from '../../suggestions/model';
import type { Actor } from '../../core/actor';
import type { SuggestionService } from '../../suggestions/suggestionService';
import { exportCard } from './followUpCards';

export interface SuggestionExportDependencies {
  links: ExportLinks;
  listSuggestions: () => Promise<Suggestion[]>;
}

/** "eksporter forslag …": for coordinators, a card with download links for the selection; for anyone else, a refusal. */
export async function exportReply(
  request: ExportRequest,
  actor: Actor,
  language: ReplyLanguage,
  deps: { service: SuggestionService; directory: DirectoryService; exports: SuggestionExportDependencies },
): Promise<Partial<Activity>> {
  if (!deps.service.isCoordinator(actor)) return { text: followUpTexts(language).export.refused };
  const filter: ExportFilter = { processes: request.processes, states: request.states, ...resolvePeriod(request.period, new Date()) };
  const count = filterSuggestions(await deps.exports.listSuggestions(), filter).length;
  const { urls, questionsCsvUrl, expiresAt } = deps.exports.links.create(actor, filter, language);
  return { attachments: [exportCard({ filter, count, urls, questionsCsvUrl, expiresAt }, deps.directory.index, language)] };
}
