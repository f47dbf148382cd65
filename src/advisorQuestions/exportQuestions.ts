import { osloDate } from '../core/osloTime';
import type { AdvisorQuestion } from './model';

/** Which questions go into the suggestions' export: its processes and period (empty or null: all). Its states are the suggestions'. */
export interface QuestionExportFilter {
  processes: readonly string[];
  /** Norwegian calendar dates (yyyy-MM-dd), inclusive. */
  createdFrom: string | null;
  createdTo: string | null;
}

/** The questions the export's filter selects, oldest first. */
export function filterQuestions(questions: readonly AdvisorQuestion[], filter: QuestionExportFilter): AdvisorQuestion[] {
  return questions
    .filter((question) => {
      if (filter.processes.length > 0 && !filter.processes.includes(question.process)) return false;
      const created = osloDate(question.createdAt);
      return (filter.createdFrom === null || created >= filter.createdFrom) && (filter.createdTo === null || created <= filter.createdTo);
    })
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}
