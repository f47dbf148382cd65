/**
 * The coordinators' tab "Forvaltning": suggestions by process and state with
 * filters and export, the questions to the process advisors, announcements with delivery figures, the directory
 * and role-holder imports with a preview, whom an audience reaches, the channel registrations, and the messages that
 * could not be delivered. The server checks
 * the coordinator list on every request; a refusal is shown as it comes.
 */
import { act, ApiError, fill, h, section, showFailure, startTab, table, type TabSession } from './common.js';

interface Option {
  code: string;
  name: string;
}

interface SuggestionList {
  processes: Option[];
  states: Option[];
  counts: Array<{ process: string; byState: Record<string, number> }>;
  suggestions: Array<{ id: string; title: string; process: string; unit: string; state: string; stateLabel: string; assignee: string | null; created: string; updated: string }>;
}

interface QuestionList {
  questions: Array<{ id: string; text: string; process: string; unit: string; stateLabel: string; asker: string; answer: { text: string; by: string } | null; created: string }>;
}

interface Progress {
  total: number;
  sent: number;
  failed: number;
  skipped: number;
  remaining: number;
}

interface AnnouncementList {
  announcements: Array<{ id: string; title: string; kind: string; stateLabel: string; starts: string; delivery: Progress | null; update: Progress | null; unavailable: boolean }>;
}

interface UndeliveredList {
  messages: Array<{ message: string; reason: string; attempts: number; created: string }>;
}

interface ChannelList {
  channels: Array<{ process: string; unit: string | null; channel: string; by: string; at: string }>;
}

type Preview =
  | { ok: false; problems: Array<{ file: string; line: number | null; message: string }> }
  | { ok: true; digest: string; baseVersion: string | null; unchanged: boolean; changes: { people: { added: string[]; removed: string[]; changed: string[] }; counts: string[] } };

interface RoleHolderState {
  current: { version: string; importedAt: string; people: number; rows: number } | null;
  choices: { roles: Option[]; processes: Option[]; units: Option[] };
}

interface AudienceReach {
  people: number;
  reachable: number;
  needsInstallation: number;
  unreachable: number;
  installationEnabled: boolean;
}

void startTab(
  (texts) => texts.admin.title,
  async (session) => {
    session.main.replaceChildren(h('p', {}, session.texts.common.loading));
    let first: SuggestionList;
    try {
      // The first call also tells whether the user may see this page at all.
      first = await session.api<SuggestionList>('GET', '/tabs/api/admin/suggestions');
    } catch (error) {
      showFailure(session.main, session.texts, error);
      return;
    }
    const t = session.texts.admin;
    const suggestions = section('suggestions', t.suggestions.heading);
    const questions = section('questions', t.questions.heading);
    const announcements = section('announcements', t.announcements.heading);
    const directory = section('directory', t.directory.heading);
    const roleHolders = section('role-holders', t.roleHolders.heading);
    const audience = section('audience', t.audience.heading);
    const channels = section('channels', t.channels.heading);
    const undelivered = section('undelivered', t.undelivered.heading);
    session.main.replaceChildren(
      h(
        'nav',
        { 'aria-label': t.sections },
        h(
          'ul',
          { class: 'section-links' },
          ...[suggestions, questions, announcements, directory, roleHolders, audience, channels, undelivered].map((part) =>
            h('li', {}, h('a', { href: `#${part.id}` }, part.querySelector('h2')?.textContent ?? '')),
          ),
        ),
      ),
      suggestions,
      questions,
      announcements,
      directory,
      roleHolders,
      audience,
      channels,
      undelivered,
    );
    renderSuggestions(session, suggestions, first);
    renderDirectoryImport(session, directory);
    await Promise.all([
      loadQuestions(session, questions),
      loadAnnouncements(session, announcements),
      loadRoleHolders(session, roleHolders, audience),
      loadChannels(session, channels),
      loadUndelivered(session, undelivered),
    ]);
  },
);

function select(id: string, label: string, all: string, options: Option[]): [HTMLLabelElement, HTMLSelectElement] {
  return [
    h('label', { for: id }, label),
    h('select', { id, name: id }, h('option', { value: '' }, all), ...options.map((option) => h('option', { value: option.code }, option.name))),
  ];
}

function renderSuggestions(session: TabSession, container: HTMLElement, list: SuggestionList): void {
  const t = session.texts.admin.suggestions;
  const [processLabel, process] = select('filter-process', t.process, t.all, list.processes);
  const [stateLabel, state] = select('filter-state', t.state, t.all, list.states);
  const from = h('input', { id: 'filter-from', name: 'from', type: 'date' });
  const to = h('input', { id: 'filter-to', name: 'to', type: 'date' });
  const show = h('button', { type: 'submit' }, t.show);
  const exportButton = h('button', { type: 'button', class: 'secondary' }, t.export);
  const results = h('div', { id: 'suggestion-results' });
  const exportLinks = h('div', { id: 'export-links' });
  const filter = () => ({ processes: process.value ? [process.value] : [], states: state.value ? [state.value] : [], from: from.value, to: to.value });

  const form = h(
    'form',
    { class: 'card filters', 'aria-label': t.filters },
    h('div', { class: 'field' }, processLabel, process),
    h('div', { class: 'field' }, stateLabel, state),
    h('div', { class: 'field' }, h('label', { for: 'filter-from' }, t.from), from),
    h('div', { class: 'field' }, h('label', { for: 'filter-to' }, t.to), to),
    h('div', { class: 'actions' }, show, exportButton),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void act(session, show, async () => {
      const query = new URLSearchParams(Object.entries(filter()).map(([key, value]) => [key, Array.isArray(value) ? value.join(',') : value]));
      const next = await session.api<SuggestionList>('GET', `/tabs/api/admin/suggestions?${query}`);
      showResults(next);
      return { shownOnPage: fill(t.count, { count: next.suggestions.length }) };
    });
  });
  exportButton.addEventListener('click', () => {
    void act(session, exportButton, async () => {
      const links = await session.api<{ csv: string; xlsx: string }>('POST', '/tabs/api/admin/suggestions/export', filter());
      // A new window: Teams opens it in the browser, which downloads the file (the link itself is the short-lived permission).
      exportLinks.replaceChildren(
        h('p', {}, t.exportReady),
        h(
          'div',
          { class: 'actions' },
          h('a', { href: links.csv, class: 'button-link', target: '_blank', rel: 'noopener' }, t.csv),
          h('a', { href: links.xlsx, class: 'button-link', target: '_blank', rel: 'noopener' }, t.xlsx),
        ),
      );
      return { shownOnPage: t.exportReady };
    });
  });

  const showResults = (current: SuggestionList) => {
    if (current.suggestions.length === 0) {
      results.replaceChildren(h('p', {}, t.none));
      return;
    }
    const stateNames = new Map(current.states.map((option) => [option.code, option.name]));
    const statesUsed = current.states.filter((option) => current.counts.some((row) => row.byState[option.code]));
    results.replaceChildren(
      h('p', {}, fill(t.count, { count: current.suggestions.length })),
      table(
        session.texts,
        t.counts,
        [t.process, ...statesUsed.map((option) => option.name)],
        current.counts.map((row) => [row.process, ...statesUsed.map((option) => String(row.byState[option.code] ?? 0))]),
      ),
      table(
        session.texts,
        t.heading,
        [t.columns.id, t.columns.title, t.columns.process, t.columns.unit, t.columns.state, t.columns.assignee, t.columns.created, t.columns.updated],
        current.suggestions.map((row) => [
          h('span', { class: 'nowrap' }, row.id),
          row.title,
          row.process,
          row.unit,
          h('span', { class: `badge state-${row.state}` }, stateNames.get(row.state) ?? row.stateLabel),
          row.assignee ?? session.texts.common.none,
          row.created,
          row.updated,
        ]),
      ),
    );
  };
  container.append(form, exportLinks, results);
  showResults(list);
}

async function loadAnnouncements(session: TabSession, container: HTMLElement): Promise<void> {
  const t = session.texts.admin.announcements;
  try {
    const { announcements } = await session.api<AnnouncementList>('GET', '/tabs/api/admin/announcements');
    if (announcements.length === 0) {
      container.append(h('p', {}, t.none));
      return;
    }
    const figures = (progress: Progress | null, unavailable: boolean) =>
      unavailable
        ? t.unavailable
        : progress
          ? h('span', {}, h('meter', { min: 0, max: Math.max(progress.total, 1), value: progress.sent, 'aria-hidden': 'true' }), ' ', fill(t.progress, { ...progress }))
          : t.notStarted;
    container.append(
      table(
        session.texts,
        t.heading,
        [t.columns.id, t.columns.title, t.columns.kind, t.columns.state, t.columns.starts, t.columns.delivery, t.columns.update],
        announcements.map((row) => [
          h('span', { class: 'nowrap' }, row.id),
          row.title,
          row.kind,
          row.stateLabel,
          row.starts,
          figures(row.delivery, row.unavailable),
          row.update ? figures(row.update, row.unavailable) : session.texts.common.none,
        ]),
      ),
    );
  } catch (error) {
    container.append(h('p', { class: 'error' }, error instanceof ApiError ? error.message : session.texts.common.errors.server));
  }
}

async function loadRoleHolders(session: TabSession, roleHolders: HTMLElement, audience: HTMLElement): Promise<void> {
  try {
    const state = await session.api<RoleHolderState>('GET', '/tabs/api/admin/role-holders');
    renderRoleHolderImport(session, roleHolders, state.current);
    renderAudience(session, audience, state.choices);
  } catch (error) {
    const message = error instanceof ApiError ? error.message : session.texts.common.errors.server;
    for (const container of [roleHolders, audience]) container.append(h('p', { class: 'error' }, message));
  }
}

async function loadChannels(session: TabSession, container: HTMLElement): Promise<void> {
  const t = session.texts.admin.channels;
  await loadList(session, container, t, async () => (await session.api<ChannelList>('GET', '/tabs/api/admin/channels')).channels, {
    columns: [t.columns.process, t.columns.unit, t.columns.channel, t.columns.by, t.columns.at],
    cells: (row) => [row.process, row.unit ?? t.wholeProcess, row.channel, row.by, row.at],
  });
}

async function loadQuestions(session: TabSession, container: HTMLElement): Promise<void> {
  const t = session.texts.admin.questions;
  await loadList(session, container, t, async () => (await session.api<QuestionList>('GET', '/tabs/api/admin/questions')).questions, {
    columns: [t.columns.id, t.columns.question, t.columns.process, t.columns.unit, t.columns.state, t.columns.asker, t.columns.answer, t.columns.created],
    cells: (row) => [row.id, row.text, row.process, row.unit, row.stateLabel, row.asker, row.answer ? `${row.answer.text} (${row.answer.by})` : '', row.created],
  });
}

async function loadUndelivered(session: TabSession, container: HTMLElement): Promise<void> {
  const t = session.texts.admin.undelivered;
  await loadList(session, container, t, async () => (await session.api<UndeliveredList>('GET', '/tabs/api/admin/undelivered')).messages, {
    columns: [t.columns.message, t.columns.reason, t.columns.attempts, t.columns.created],
    cells: (row) => [row.message, row.reason, String(row.attempts), row.created],
  });
}

/** A read-only section: its intro, then the rows as a table, "none" when there are none, or the error. */
async function loadList<Row>(
  session: TabSession,
  container: HTMLElement,
  texts: { intro: string; none: string; heading: string },
  load: () => Promise<Row[]>,
  layout: { columns: string[]; cells: (row: Row) => string[] },
): Promise<void> {
  container.append(h('p', {}, texts.intro));
  try {
    const rows = await load();
    if (rows.length === 0) {
      container.append(h('p', {}, texts.none));
      return;
    }
    container.append(table(session.texts, texts.heading, layout.columns, rows.map(layout.cells)));
  } catch (error) {
    container.append(h('p', { class: 'error' }, error instanceof ApiError ? error.message : session.texts.common.errors.server));
  }
}

async function encodeFiles(files: FileList): Promise<Array<{ name: string; contentBase64: string }>> {
  return Promise.all(
    [...files].map(async (file) => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return { name: file.name, contentBase64: btoa(binary) };
    }),
  );
}

function renderDirectoryImport(session: TabSession, container: HTMLElement): void {
  const t = session.texts.admin.directory;
  renderImport(session, container, { id: 'directory', intro: t.intro, label: t.files, multiple: true, path: '/tabs/api/admin/directory', valid: t.valid, noChanges: t.noChanges });
}

/** The role-holder list: its stored size, then the same preview-then-apply as the directory, for one file. */
function renderRoleHolderImport(session: TabSession, container: HTMLElement, current: RoleHolderState['current']): void {
  const t = session.texts.admin.roleHolders;
  container.append(
    h('p', {}, current === null ? t.none : fill(t.current, { people: current.people, rows: current.rows, importedAt: current.importedAt.slice(0, 16).replace('T', ' ') })),
  );
  renderImport(session, container, {
    id: 'role-holders',
    intro: t.intro,
    label: t.file,
    multiple: false,
    path: '/tabs/api/admin/role-holders',
    valid: t.valid,
    noChanges: t.noChanges,
  });
}

/**
 * Upload, preview (problems with file, line and reason, or the changes), then
 * "apply" exactly the files previewed: the server checks their digest and that
 * nobody imported in between.
 */
function renderImport(
  session: TabSession,
  container: HTMLElement,
  options: { id: string; intro: string; label: string; multiple: boolean; path: string; valid: string; noChanges: string },
): void {
  const t = session.texts.admin.directory;
  const { id } = options;
  const input = h('input', { id: `${id}-files`, name: 'files', type: 'file', multiple: options.multiple, accept: '.csv,.xlsx', 'aria-describedby': `${id}-intro` });
  const previewButton = h('button', { type: 'submit' }, t.preview);
  const result = h('div', { id: `${id}-result` });
  const form = h(
    'form',
    { class: 'card' },
    h('p', { id: `${id}-intro` }, options.intro),
    h('label', { for: `${id}-files` }, options.label),
    input,
    h('div', { class: 'actions' }, previewButton),
  );
  // A new choice of files makes an earlier preview worthless.
  input.addEventListener('change', () => result.replaceChildren());

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void act(session, previewButton, async () => {
      result.replaceChildren();
      if (!input.files || input.files.length === 0) throw new ApiError(400, 'no-files', t.noFiles);
      const files = await encodeFiles(input.files);
      const preview = await session.api<Preview>('POST', `${options.path}/preview`, { files });
      if (!preview.ok) {
        const summary = preview.problems.length === 1 ? t.problemsOne : fill(t.problems, { count: preview.problems.length });
        result.replaceChildren(
          h('p', { class: 'error', id: `${id}-problems-summary` }, summary),
          table(
            session.texts,
            t.problemsCaption,
            [t.problemColumns.file, t.problemColumns.line, t.problemColumns.message],
            preview.problems.map((problem) => [problem.file, problem.line === null ? '' : String(problem.line), problem.message]),
          ),
        );
        return { shownOnPage: summary };
      }
      const applyButton = h('button', { type: 'button' }, t.apply);
      const people = preview.changes.people;
      const list = (title: string, items: string[]) =>
        items.length === 0 ? null : h('div', {}, h('h3', {}, `${title} (${items.length})`), h('ul', { class: 'changes' }, ...items.map((item) => h('li', {}, item))));
      result.replaceChildren(
        h('p', { class: 'ok' }, preview.unchanged ? options.noChanges : options.valid),
        h('ul', {}, ...preview.changes.counts.map((line) => h('li', {}, line))),
        h('div', {}, list(t.added, people.added), list(t.removed, people.removed), list(t.changed, people.changed)),
        h('div', { class: 'actions' }, preview.unchanged ? null : applyButton),
      );
      applyButton.addEventListener('click', () => {
        void act(session, applyButton, async () => {
          const applied = await session.api<{ ok: boolean; message: string }>('POST', `${options.path}/apply`, { files, digest: preview.digest, baseVersion: preview.baseVersion });
          result.replaceChildren(h('p', { class: 'ok' }, applied.message));
          return { shownOnPage: applied.message };
        });
      });
      return { shownOnPage: preview.unchanged ? options.noChanges : options.valid };
    });
  });
  container.append(form, result);
}

/** Whom an audience reaches, from the roles people declared and the role-holder list: the figures and the list as CSV. */
function renderAudience(session: TabSession, container: HTMLElement, choices: RoleHolderState['choices']): void {
  const t = session.texts.admin.audience;
  const everyone = h('input', { id: 'audience-everyone', type: 'checkbox' });
  const multiple = (id: string, label: string, options: Option[]): [HTMLLabelElement, HTMLSelectElement] => [
    h('label', { for: id }, label),
    h(
      'select',
      { id, multiple: true, size: Math.min(options.length, 7), 'aria-describedby': 'audience-hint' },
      ...options.map((option) => h('option', { value: option.code }, option.name)),
    ),
  ];
  const [rolesLabel, roles] = multiple('audience-roles', t.choose.roles, choices.roles);
  const [processesLabel, processes] = multiple('audience-processes', t.choose.processes, choices.processes);
  const [unitsLabel, units] = multiple('audience-units', t.choose.units, choices.units);
  const showButton = h('button', { type: 'submit' }, t.show);
  const result = h('div', { id: 'audience-result' });
  const form = h(
    'form',
    { class: 'card' },
    h('p', {}, t.intro),
    h('label', {}, everyone, ' ', t.choose.everyone),
    rolesLabel,
    roles,
    processesLabel,
    processes,
    unitsLabel,
    units,
    h('p', { id: 'audience-hint', class: 'hint' }, t.choose.hint),
    h('div', { class: 'actions' }, showButton),
  );
  const chosen = (select: HTMLSelectElement) => [...select.selectedOptions].map((option) => option.value);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void act(session, showButton, async () => {
      const audience = { everyone: everyone.checked, roles: chosen(roles), processes: chosen(processes), units: chosen(units) };
      const reach = await session.api<AudienceReach>('POST', '/tabs/api/admin/audience', audience);
      const downloadButton = h('button', { type: 'button' }, t.download);
      downloadButton.addEventListener('click', () => {
        void act(session, downloadButton, async () => {
          const blob = await session.download('/tabs/api/admin/audience/csv', audience);
          const link = h('a', { href: URL.createObjectURL(blob), download: `${t.fileName}.csv` });
          link.click();
          URL.revokeObjectURL(link.href);
          return null;
        });
      });
      result.replaceChildren(
        table(
          session.texts,
          t.heading,
          [t.people, t.reachable, t.needsInstallation, t.unreachable],
          [[String(reach.people), String(reach.reachable), String(reach.needsInstallation), String(reach.unreachable)]],
        ),
        h('p', { class: reach.installationEnabled ? 'ok' : 'notice' }, reach.installationEnabled ? t.installationOn : t.installationOff),
        h('div', { class: 'actions' }, downloadButton),
      );
      return { shownOnPage: `${t.people}: ${reach.people}` };
    });
  });
  container.append(form, result);
}
