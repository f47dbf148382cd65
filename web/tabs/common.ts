/**
 * What both tabs share: Teams context (language, theme), sign-in (the Teams
 * SSO token in Teams, the development sign-in in local mode), calls to the
 * tab API, a status line read by screen readers, and a small DOM builder.
 */
import type { TabTexts } from '../../src/i18n/nb/tabs';

declare global {
  // The Teams JavaScript client library's browser bundle (served as /tabs/assets/teams-js.js).
  const microsoftTeams: typeof import('@microsoft/teams-js');
}

export type { TabTexts };
export type Language = 'nb' | 'nn' | 'en';
type Theme = 'default' | 'dark' | 'contrast';

export interface TabSession {
  texts: TabTexts;
  language: Language;
  user: { id: string; name: string; email: string | null };
  api: <T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) => Promise<T>;
  /** A POST whose answer is a file (a CSV), signed in like `api`. */
  download: (path: string, body: unknown) => Promise<Blob>;
  /**
   * Says something in the status line (aria-live), e.g. "saved" or an error.
   * A message the page already shows is only told to screen readers, not shown twice.
   */
  announce: (message: string, kind?: 'info' | 'error', shownOnPage?: boolean) => void;
  main: HTMLElement;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const DEV_TOKEN_KEY = 'okonomi-og-lonn.dev-token';
/** How long to wait for the Teams client to answer before giving up. */
const TEAMS_TIMEOUT_MS = 10_000;

/** `{name}` in a text replaced by its value. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

type Child = Node | string | null | undefined | false;
type Attribute = string | number | boolean | null | undefined | ((event: Event) => void);

/** An element with attributes (on* functions become listeners) and children; text is never parsed as HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, Attribute> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

let tableCount = 0;

/**
 * A table that scrolls sideways on its own at narrow widths, reachable by
 * keyboard; while it is wider than its box, a hint says so and shadows show
 * the edges that hide columns.
 */
export function table(texts: TabTexts, caption: string, headers: string[], rows: Child[][]): HTMLElement {
  const hintId = `table-hint-${++tableCount}`;
  const hint = h('p', { id: hintId, class: 'scroll-hint', hidden: true }, texts.common.scrollSideways);
  const content = h(
    'table',
    {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...headers.map((header) => h('th', { scope: 'col' }, header)))),
    h('tbody', {}, ...rows.map((cells) => h('tr', {}, ...cells.map((cell) => h('td', {}, cell))))),
  );
  const region = h('div', { class: 'table-scroll', role: 'region', 'aria-label': caption, 'aria-describedby': hintId, tabindex: 0 }, content);
  const observer = new ResizeObserver(() => {
    hint.hidden = region.scrollWidth <= region.clientWidth;
  });
  observer.observe(region);
  observer.observe(content);
  return h('div', { class: 'table-block' }, hint, region);
}

export function section(id: string, heading: string, ...children: Child[]): HTMLElement {
  return h('section', { id, 'aria-labelledby': `${id}-heading` }, h('h2', { id: `${id}-heading` }, heading), ...children);
}

function inTeams(): boolean {
  // Teams shows a tab in an iframe (web) or a webview with a parent (desktop); a page opened on its own has neither.
  return window.parent !== window || window.opener !== null;
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer from Teams`)), TEAMS_TIMEOUT_MS))]);
}

function applyTheme(theme: string | undefined): void {
  const known: Theme = theme === 'dark' || theme === 'contrast' ? theme : 'default';
  document.documentElement.dataset.theme = known;
}

/** Bokmål unless the locale (Teams', "?lang=" or the browser's) is English or nynorsk. */
function languageOf(locale: string | undefined | null): Language {
  if (/^en\b/i.test(locale ?? '')) return 'en';
  return /^nn\b/i.test(locale ?? '') ? 'nn' : 'nb';
}

/**
 * Starts a tab page: finds the language and theme, signs the user in and
 * hands over to the page. In Teams everything comes from the Teams client;
 * opened on its own, the local development sign-in is offered when the app
 * says it runs locally, and otherwise the page asks to be opened in Teams.
 */
export async function startTab(titleOf: (texts: TabTexts) => string, render: (session: TabSession) => Promise<void>): Promise<void> {
  const main = document.getElementById('main') as HTMLElement;
  const status = document.getElementById('status') as HTMLElement;
  const params = new URLSearchParams(window.location.search);
  let language: Language;
  let teamsToken: (() => Promise<string>) | null = null;

  if (inTeams()) {
    await withTimeout(microsoftTeams.app.initialize(), 'initialize');
    const context = await withTimeout(microsoftTeams.app.getContext(), 'getContext');
    language = languageOf(context.app.locale);
    applyTheme(context.app.theme);
    microsoftTeams.app.registerOnThemeChangeHandler(applyTheme);
    // Teams caches the token and renews it when it is about to expire.
    teamsToken = () => microsoftTeams.authentication.getAuthToken();
    void microsoftTeams.app.notifySuccess();
  } else {
    language = languageOf(params.get('lang') ?? navigator.language);
    const dark = window.matchMedia('(prefers-color-scheme: dark)').matches;
    const contrast = window.matchMedia('(forced-colors: active)').matches;
    applyTheme(params.get('theme') ?? (contrast ? 'contrast' : dark ? 'dark' : 'default'));
  }
  document.documentElement.lang = language;

  const texts = (await (await fetch('/tabs/api/texts', { headers: { 'accept-language': language } })).json()) as TabTexts;
  document.title = `${titleOf(texts)} – ${texts.common.appName}`;
  const heading = document.getElementById('title') as HTMLElement;
  heading.textContent = titleOf(texts);
  (document.getElementById('skip') as HTMLElement).textContent = texts.common.skipToContent;

  const announce = (message: string, kind: 'info' | 'error' = 'info', shownOnPage = false) => {
    status.textContent = message;
    status.dataset.kind = kind;
    if (shownOnPage) status.dataset.shownOnPage = '';
    else delete status.dataset.shownOnPage;
  };

  let token: string;
  if (teamsToken) {
    try {
      token = await withTimeout(teamsToken(), 'getAuthToken');
    } catch (error) {
      main.replaceChildren(h('p', { class: 'error', role: 'alert' }, fill(texts.common.errors['sso-failed'], { detail: error instanceof Error ? error.message : String(error) })));
      return;
    }
  } else {
    const session = (await (await fetch('/tabs/api/session')).json()) as { developmentSignIn: boolean; people: Array<{ name: string; email: string }> };
    if (!session.developmentSignIn) {
      main.replaceChildren(h('p', { class: 'notice' }, texts.common.openInTeams));
      return;
    }
    showDevelopmentBanner(texts);
    const stored = sessionStorage.getItem(DEV_TOKEN_KEY);
    if (!stored) {
      developmentSignIn(main, texts, language, session.people, announce);
      return;
    }
    token = stored;
  }

  const request = async (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<Response> => {
    let response: Response;
    try {
      if (teamsToken) token = await withTimeout(teamsToken(), 'getAuthToken');
      response = await fetch(path, {
        method,
        headers: { authorization: `Bearer ${token}`, 'accept-language': language, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'network', texts.common.errors.network);
    }
    return response;
  };
  const api = async <T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> => {
    const response = await request(method, path, body);
    const payload = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
    if (response.status >= 400 || (payload.error && response.status >= 300)) {
      throw new ApiError(response.status, payload.error ?? 'server', payload.message ?? texts.common.errors.server);
    }
    return payload as T;
  };
  const download = async (path: string, body: unknown): Promise<Blob> => {
    const response = await request('POST', path, body);
    if (response.status >= 400) {
      const payload = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
      throw new ApiError(response.status, payload.error ?? 'server', payload.message ?? texts.common.errors.server);
    }
    return response.blob();
  };

  let me: { user: TabSession['user'] };
  try {
    me = await api<{ user: TabSession['user'] }>('GET', '/tabs/api/me');
  } catch (error) {
    // A development session from before a restart is signed with a key that no longer exists.
    if (!teamsToken && error instanceof ApiError && error.status === 401) {
      sessionStorage.removeItem(DEV_TOKEN_KEY);
      window.location.reload();
      return;
    }
    showFailure(main, texts, error);
    return;
  }
  const who = document.getElementById('who') as HTMLElement;
  who.replaceChildren(fill(texts.common.signedInAs, { name: me.user.email ? `${me.user.name} (${me.user.email})` : me.user.name }));
  if (!teamsToken) {
    who.append(
      ' ',
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          onclick: () => {
            sessionStorage.removeItem(DEV_TOKEN_KEY);
            window.location.reload();
          },
        },
        texts.common.dev.signOut,
      ),
    );
  }
  await render({ texts, language, user: me.user, api, download, announce, main });
}

export function showFailure(container: HTMLElement, texts: TabTexts, error: unknown): void {
  const message = error instanceof ApiError ? error.message : texts.common.errors.server;
  container.replaceChildren(h('p', { class: 'error', role: 'alert' }, message));
}

function showDevelopmentBanner(texts: TabTexts): void {
  const banner = document.getElementById('dev-banner') as HTMLElement;
  banner.textContent = texts.common.dev.banner;
  banner.hidden = false;
}

/** The local stand-in for Teams sign-in: choose a name and e-mail (people of the directory are offered). */
function developmentSignIn(main: HTMLElement, texts: TabTexts, language: Language, people: Array<{ name: string; email: string }>, announce: TabSession['announce']): void {
  const t = texts.common.dev;
  const name = h('input', { id: 'dev-name', name: 'name', autocomplete: 'off', required: true });
  const email = h('input', { id: 'dev-email', name: 'email', type: 'email', list: 'dev-people', autocomplete: 'off', required: true });
  const id = h('input', { id: 'dev-id', name: 'id', autocomplete: 'off', 'aria-describedby': 'dev-id-hint' });
  const byEmail = new Map(people.map((person) => [person.email, person.name]));
  // The directory's name goes into an empty name field as soon as the e-mail is known, and stands until the user
  // types there: then what is typed replaces it (it was appended when filled under the user's click).
  let nameFromDirectory = false;
  email.addEventListener('input', () => {
    const known = byEmail.get(email.value.trim().toLowerCase());
    if (known && (!name.value || nameFromDirectory)) {
      name.value = known;
      nameFromDirectory = true;
    }
  });
  name.addEventListener('focus', () => {
    if (nameFromDirectory) name.select();
  });
  name.addEventListener('beforeinput', (event) => {
    if (nameFromDirectory && event.inputType.startsWith('insert')) name.value = '';
    nameFromDirectory = false;
  });
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'dev-title' },
    h('h2', { id: 'dev-title' }, t.title),
    h('p', {}, t.intro),
    h('label', { for: 'dev-email' }, t.email),
    email,
    h('datalist', { id: 'dev-people' }, ...people.map((person) => h('option', { value: person.email }, person.name))),
    h('label', { for: 'dev-name' }, t.name),
    name,
    h('label', { for: 'dev-id' }, t.id),
    id,
    h('p', { id: 'dev-id-hint', class: 'hint' }, t.idHint),
    h('button', { type: 'submit' }, t.submit),
  );
  const signIn = async (): Promise<void> => {
    const response = await fetch('/tabs/api/dev-sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': language },
      body: JSON.stringify({ name: name.value, email: email.value, ...(id.value.trim() ? { id: id.value.trim() } : {}) }),
    });
    const payload = (await response.json()) as { token?: string; message?: string };
    if (!response.ok || !payload.token) {
      announce(payload.message ?? t.invalid, 'error');
      return;
    }
    sessionStorage.setItem(DEV_TOKEN_KEY, payload.token);
    window.location.reload();
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void signIn();
  });
  main.replaceChildren(form);
  email.focus();
}

/** An outcome the action has already put on the page: the status line only tells screen readers. */
export interface ShownOnPage {
  shownOnPage: string;
}

/** Runs an action from a button or form: busy while it runs, the outcome said in the status line. */
export async function act(session: TabSession, button: HTMLButtonElement | null, work: () => Promise<string | ShownOnPage | null>): Promise<void> {
  if (button) {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
  }
  session.announce(session.texts.common.saving);
  try {
    const outcome = await work();
    if (outcome !== null && typeof outcome === 'object') session.announce(outcome.shownOnPage, 'info', true);
    else session.announce(outcome ?? '');
  } catch (error) {
    session.announce(error instanceof ApiError ? error.message : session.texts.common.errors.server, 'error');
  } finally {
    if (button) {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  }
}
