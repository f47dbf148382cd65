/** The personal tab "Mine saker": the user's suggestions, upcoming events and reminders, unit, roles and subscriptions. */
import { act, fill, h, section, showFailure, startTab, type TabSession } from './common.js';

interface Option {
  code: string;
  name: string;
}

interface Settings {
  roles: Array<{ code: string; name: string; held: boolean }>;
  topics: Array<{ key: string; label: string }>;
  kinds: Option[];
  processes: Option[];
}

interface Overview extends Settings {
  unit: Option | null;
  units: Option[];
  suggestions: Array<{
    id: string;
    title: string;
    process: string;
    unit: string;
    state: string;
    stateLabel: string;
    assignee: string | null;
    created: string;
    history: Array<{ at: string; by: string; what: string; stateLabel: string; comment: string | null }>;
  }>;
  events: Array<{
    id: string;
    title: string;
    kind: string;
    when: string;
    place: string | null;
    meetingUrl: string | null;
    calendarUrl: string;
    reminders: Array<{ choice: string; label: string; due: string }>;
  }>;
}

void startTab(
  (texts) => texts.mine.title,
  async (session) => {
    session.main.replaceChildren(h('p', {}, session.texts.common.loading));
    let overview: Overview;
    try {
      overview = await session.api<Overview>('GET', '/tabs/api/me/overview');
    } catch (error) {
      showFailure(session.main, session.texts, error);
      return;
    }
    render(session, overview);
  },
);

function render(session: TabSession, overview: Overview): void {
  session.main.replaceChildren(suggestionsSection(session, overview), eventsSection(session, overview), unitSection(session, overview), subscriptionsSection(session, overview));
}

function suggestionsSection(session: TabSession, overview: Overview): HTMLElement {
  const t = session.texts.mine.suggestions;
  if (overview.suggestions.length === 0) return section('suggestions', t.heading, h('p', {}, t.none));
  return section(
    'suggestions',
    t.heading,
    h(
      'ul',
      { class: 'cards' },
      ...overview.suggestions.map((suggestion) =>
        h(
          'li',
          { class: 'card' },
          h('h3', {}, `${suggestion.id}: ${suggestion.title}`),
          h(
            'dl',
            {},
            h('dt', {}, t.state),
            h('dd', {}, h('span', { class: `badge state-${suggestion.state}` }, suggestion.stateLabel)),
            h('dt', {}, t.process),
            h('dd', {}, `${suggestion.process} – ${suggestion.unit}`),
            h('dt', {}, t.created),
            h('dd', {}, suggestion.created),
            suggestion.assignee ? h('dt', {}, t.assignee) : null,
            suggestion.assignee ? h('dd', {}, suggestion.assignee) : null,
          ),
          h(
            'details',
            {},
            h('summary', {}, `${t.history} (${suggestion.history.length})`),
            h(
              'ol',
              { class: 'history' },
              ...suggestion.history.map((entry) => h('li', {}, `${entry.at}: ${entry.by} ${entry.what} → ${entry.stateLabel}`, entry.comment ? h('q', {}, entry.comment) : null)),
            ),
          ),
        ),
      ),
    ),
  );
}

function eventsSection(session: TabSession, overview: Overview): HTMLElement {
  const t = session.texts.mine.events;
  if (overview.events.length === 0) return section('events', t.heading, h('p', {}, t.none));
  return section(
    'events',
    t.heading,
    h(
      'ul',
      { class: 'cards' },
      ...overview.events.map((event) => {
        const have = new Set(event.reminders.map((reminder) => reminder.choice));
        const choices = Object.entries(t.choices).filter(([choice]) => !have.has(choice));
        return h(
          'li',
          { class: 'card' },
          h('h3', {}, event.title),
          h(
            'dl',
            {},
            h('dt', {}, t.when),
            h('dd', {}, `${event.kind}, ${event.when}`),
            event.place ? h('dt', {}, t.place) : null,
            event.place ? h('dd', {}, event.place) : null,
            h('dt', {}, t.reminders),
            h(
              'dd',
              {},
              event.reminders.length === 0 ? t.noReminders : event.reminders.map((reminder) => fill(t.reminderFor, { choice: reminder.label, when: reminder.due })).join(', '),
            ),
          ),
          h(
            'div',
            { class: 'actions' },
            event.meetingUrl ? h('a', { href: event.meetingUrl, target: '_blank', rel: 'noopener' }, t.meeting) : null,
            h('a', { href: event.calendarUrl, target: '_blank', rel: 'noopener' }, t.calendar),
            ...choices.map(([choice, label]) =>
              h(
                'button',
                {
                  type: 'button',
                  onclick: (click: Event) =>
                    void act(session, click.currentTarget as HTMLButtonElement, async () => {
                      const result = await session.api<{ message: string }>('POST', '/tabs/api/me/reminders', { announcementId: event.id, choice });
                      await reload(session, '#events-heading');
                      return result.message;
                    }),
                },
                fill(t.remindMe, { choice: label }),
              ),
            ),
          ),
        );
      }),
    ),
  );
}

function unitSection(session: TabSession, overview: Overview): HTMLElement {
  const t = session.texts.mine.unit;
  const select = h(
    'select',
    { id: 'unit-select', name: 'unit' },
    h('option', { value: '', selected: overview.unit === null }, t.none),
    ...overview.units.map((unit) => h('option', { value: unit.code, selected: overview.unit?.code === unit.code }, unit.name)),
  );
  const button = h('button', { type: 'submit' }, t.save);
  const form = h('form', { class: 'card' }, h('label', { for: 'unit-select' }, t.label), select, button);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void act(session, button, async () => {
      const result = await session.api<{ unit: Option }>('PUT', '/tabs/api/me/unit', { unitCode: select.value });
      return fill(t.saved, { unit: result.unit.name });
    });
  });
  return section('unit', t.heading, form);
}

function checkboxes(name: string, legend: string, options: Array<{ value: string; label: string; checked: boolean }>, empty?: string): HTMLElement {
  return h(
    'fieldset',
    {},
    h('legend', {}, legend),
    options.length === 0 && empty ? h('p', { class: 'hint' }, empty) : null,
    ...options.map((option, i) =>
      h(
        'div',
        { class: 'check' },
        h('input', { type: 'checkbox', id: `${name}-${i}`, name, value: option.value, checked: option.checked }),
        h('label', { for: `${name}-${i}` }, option.label),
      ),
    ),
  );
}

function subscriptionsSection(session: TabSession, settings: Settings): HTMLElement {
  const t = session.texts.mine.subscriptions;
  const button = h('button', { type: 'submit' }, t.save);
  const form = h(
    'form',
    { class: 'card' },
    h('p', {}, t.intro),
    checkboxes(
      'roles',
      t.roles,
      settings.roles.map((role) => ({ value: role.code, label: role.name, checked: role.held })),
    ),
    checkboxes(
      'topics',
      t.topics,
      settings.topics.map((topic) => ({ value: topic.key, label: topic.label, checked: true })),
      t.noTopics,
    ),
    checkboxes(
      'kinds',
      t.addKinds,
      settings.kinds.map((kind) => ({ value: kind.code, label: kind.name, checked: false })),
    ),
    checkboxes(
      'processes',
      t.addProcesses,
      settings.processes.map((process) => ({ value: process.code, label: process.name, checked: false })),
    ),
    button,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const ticked = (name: string) => [...form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map((input) => input.value);
    void act(session, button, async () => {
      const saved = await session.api<Settings>('PUT', '/tabs/api/me/subscriptions', {
        roles: ticked('roles'),
        keepTopics: ticked('topics'),
        addKinds: ticked('kinds'),
        addProcesses: ticked('processes'),
      });
      const replacement = subscriptionsSection(session, saved);
      form.closest('section')?.replaceWith(replacement);
      replacement.querySelector<HTMLElement>('h2')?.setAttribute('tabindex', '-1');
      replacement.querySelector<HTMLElement>('h2')?.focus();
      return t.saved;
    });
  });
  return section('subscriptions', t.heading, form);
}

/** Reads the overview again after a change, keeping the keyboard focus at the section acted in. */
async function reload(session: TabSession, focus: string): Promise<void> {
  const overview = await session.api<Overview>('GET', '/tabs/api/me/overview');
  render(session, overview);
  const target = session.main.querySelector<HTMLElement>(focus);
  target?.setAttribute('tabindex', '-1');
  target?.focus();
}
