import type restify from 'restify';
import { z } from 'zod';
import type { AdvisorQuestionService } from '../advisorQuestions/advisorQuestionService';
import { QUESTION_TEXT_LIMIT } from '../advisorQuestions/validateQuestion';
import type { AnnouncementDelivery, AnnouncementStatus } from '../announcements/announcementPorts';
import type { AnnouncementReader } from '../announcements/archive';
import { EVENT_KINDS, PROCESS_ROLES, type Announcement, type Audience, type EventKind } from '../announcements/model';
import type { AudienceReach } from '../announcements/announcementPorts';
import { audienceCsv } from '../announcements/audienceCsv';
import { countPeople } from '../roleHolders/diffRoleHolders';
import type { RoleHolderImport } from '../roleHolders/roleHolderImport';
import type { RoleHolderStore } from '../roleHolders/roleHolderStore';
import { readUploadedRoleHolders } from './roleHolderUpload';
import type { EventService } from '../announcements/eventService';
import { REMINDER_CHOICES, type ReminderStore } from '../announcements/reminders';
import { MAX_TOPICS, type Subscriptions } from '../announcements/subscriptions';
import { upcomingEvents } from '../announcements/upcoming';
import type { ChannelRegistrationListing } from '../conversations/registrationListing';
import type { DirectoryIndex } from '../directory/directoryIndex';
import type { DirectoryImport } from '../directory/import/directoryImport';
import { advisorQuestionTexts, announcementTexts, eventTexts, localName, suggestionTexts, tabTexts, type ReplyLanguage } from '../i18n';
import { filterQuestions } from '../advisorQuestions/exportQuestions';
import { QUESTION_STATES, type AdvisorQuestion } from '../advisorQuestions/model';
import { localeLanguage } from '../language/detectLanguage';
import type { Logger } from '../logger';
import type { UserProfileStore } from '../profiles/userProfileStore';
import type { ExportLinks } from '../suggestions/exportLinks';
import { filterSuggestions, type ExportFilter } from '../suggestions/exportSuggestions';
import { SUGGESTION_STATES, type Suggestion } from '../suggestions/model';
import { answerUnreadBody, readJsonBody, sendBodyRefusal, TAB_REQUEST_LIMIT_BYTES } from '../httpBody';
import { DIRECTORY_UPLOAD_LIMIT_BYTES, readUploadedDirectory } from './directoryUpload';
import type { AuthResult, TabAuthenticator, TabUser } from './tabAuth';
import type { DeadLetterListing } from '../delivery/deadLetters';
import {
  announcementView,
  deadLetterView,
  diffView,
  eventView,
  roleHolderDiffView,
  problemView,
  processName,
  questionView,
  registrationView,
  subscriptionsView,
  suggestionView,
  unitName,
} from './tabViews';

export interface TabApiDependencies {
  auth: TabAuthenticator;
  directory: { readonly index: DirectoryIndex; readonly version: string };
  /** Publishing a new directory: the same preview and apply as the import command. */
  directoryImport: Pick<DirectoryImport, 'preview' | 'apply'>;
  /** Publishing a new role-holder list: the same preview and apply as the import command. */
  roleHolderImport: Pick<RoleHolderImport, 'preview' | 'apply'>;
  profiles: Pick<UserProfileStore, 'get' | 'setUnit'>;
  /** The events' use cases: the same settings and reminders as the chat. */
  events: Pick<EventService, 'subscriptionsOf' | 'saveSettings' | 'requestReminder'>;
  suggestions: { list(): Promise<Suggestion[]> };
  /** The questions to the advisors, for the coordinators' read-only list. */
  advisorQuestions: { list(): Promise<AdvisorQuestion[]>; curate: AdvisorQuestionService['curate'] };
  /** Announced and archived events, for the user's upcoming ones. */
  eventCatalog: Pick<AnnouncementReader, 'list'>;
  /** Every announcement the coordinators made, for the delivery figures. */
  announcements: { list(): Promise<Announcement[]> };
  delivery: Pick<AnnouncementDelivery, 'progress'>;
  reminderStore: Pick<ReminderStore, 'forAnnouncement'>;
  /** Who sees which channel registrations: the same rule as "vis kanaler" in chat. */
  registrations: Pick<ChannelRegistrationListing, 'visibleTo'>;
  /** The outbox's dead letters: the same list as "vis uleverte meldinger" in chat. */
  deadLetters: Pick<DeadLetterListing<TabUser>, 'visibleTo'>;
  exportLinks: Pick<ExportLinks, 'create'>;
  /** The coordinator's list of who holds process roles (Forvaltning: import it, see whom an audience reaches). */
  roleHolders: Pick<RoleHolderStore, 'current'>;
  /** Whom an audience reaches: the announcements' own resolver, so the figures are the preview's. */
  audience: { reach(audience: Audience, kind: EventKind | null): Promise<AudienceReach> };
  isCoordinator: (user: TabUser) => boolean;
  calendarUrl: (announcementId: string) => string;
  logger: Logger;
  clock?: () => Date;
}

/** `body` is the JSON body when the route takes one (read after authentication), else undefined. */
type Handler = (req: restify.Request, res: restify.Response, user: TabUser, language: ReplyLanguage, body: unknown) => Promise<void>;
interface RouteOptions {
  coordinatorOnly?: boolean;
  /** The route takes a JSON body of at most this many bytes. */
  bodyLimit?: number;
  /** The body must declare its length (large limits; the tab pages send strings, which always do). */
  lengthRequired?: boolean;
}
type ErrorCode = keyof ReturnType<typeof tabTexts>['common']['errors'];

/** Personal data: never cached, never sniffed. */
const PRIVATE_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * The tabs' HTTP API under /tabs/api/. Every route but the texts and the
 * development sign-in needs a signed-in user; the /tabs/api/admin/ routes also
 * need a coordinator (COORDINATORS or the directory's management
 * coordinator), checked here on every request whatever the page showed;
 * the channel list also answers process managers, for their processes.
 * Changes go through the same domain functions and stores as the chat.
 */
export function registerTabApi(server: restify.Server, deps: TabApiDependencies): void {
  const now = deps.clock ?? (() => new Date());

  server.get('/tabs/api/texts', async (req, res) => {
    send(res, 200, tabTexts(languageOf(req)));
  });

  server.get('/tabs/api/session', async (_req, res) => {
    const index = deps.directory.index;
    // The people of the directory make choosing a development identity quick; only offered locally.
    const people = deps.auth.developmentSignIn
      ? [...new Map(index.directory.people.map((person) => [person.email, { name: person.name, email: person.email }])).values()].sort((a, b) => a.name.localeCompare(b.name, 'nb'))
      : [];
    send(res, 200, { developmentSignIn: deps.auth.developmentSignIn, people });
  });

  server.post('/tabs/api/dev-sign-in', async (req, res) => {
    const language = languageOf(req);
    if (!deps.auth.developmentSignIn) return refuse(res, 403, 'dev-sign-in-unavailable', language);
    const read = await readJsonBody(req, TAB_REQUEST_LIMIT_BYTES);
    if (read.kind === 'refused') return sendBodyRefusal(res, read, PRIVATE_HEADERS);
    const result = await deps.auth.signInForDevelopment(read.body);
    if (result === null) return refuse(res, 403, 'dev-sign-in-unavailable', language);
    if ('invalid' in result) return send(res, 400, { error: 'bad-request', message: tabTexts(language).common.dev.invalid });
    deps.logger.warn({ user: result.user.email }, 'development sign-in to the tabs (local mode)');
    send(res, 200, result);
  });

  /**
   * A route for signed-in users. A body is read only after the token (and the
   * coordinator role) is checked: an outsider's upload is not read at all.
   */
  const signedIn =
    (handler: Handler, { coordinatorOnly = false, bodyLimit, lengthRequired = false }: RouteOptions = {}) =>
    async (req: restify.Request, res: restify.Response) => {
      const language = languageOf(req);
      let auth: AuthResult;
      try {
        auth = await deps.auth.authenticate(req.header('authorization'));
      } catch (error) {
        deps.logger.error({ err: error }, 'could not check a tab token (TAB_JWKS_URL out of reach?)');
        return refuse(res, 503, 'server', language);
      }
      if (auth.kind === 'refused') {
        // Missing configuration is the operator's problem, not the user's: 503, and said in the log.
        if (auth.reason === 'not-configured') deps.logger.error('a tab request came with a Teams token, but TAB_APP_CLIENT_ID is not set');
        return refuse(res, auth.reason === 'not-configured' ? 503 : 401, auth.reason, language);
      }
      if (coordinatorOnly && !deps.isCoordinator(auth.user)) return refuse(res, 403, 'not-coordinator', language);
      let body: unknown;
      if (bodyLimit !== undefined) {
        const read = await readJsonBody(req, bodyLimit, { lengthRequired });
        if (read.kind === 'refused') return sendBodyRefusal(res, read, PRIVATE_HEADERS);
        body = read.body;
      }
      try {
        await handler(req, res, auth.user, language, body);
      } catch (error) {
        deps.logger.error({ err: error, url: req.url }, 'tab request failed');
        if (!res.headersSent) refuse(res, 500, 'server', language);
      }
    };

  server.get(
    '/tabs/api/me',
    signedIn(async (_req, res, user) => {
      send(res, 200, { user, coordinator: deps.isCoordinator(user) });
    }),
  );

  // ---- Mine saker ----

  server.get(
    '/tabs/api/me/overview',
    signedIn(async (_req, res, user, language) => {
      const index = deps.directory.index;
      const [profile, subscriptions, suggestions, events] = await Promise.all([
        deps.profiles.get(user.id),
        deps.events.subscriptionsOf(user),
        deps.suggestions.list(),
        deps.eventCatalog.list(),
      ]);
      const upcoming = upcomingEvents(events, { kinds: [], processes: [], roles: [] }, now());
      const reminders = await Promise.all(upcoming.map(async (event) => (await deps.reminderStore.forAnnouncement(event.id)).filter((reminder) => reminder.userId === user.id)));
      const mine = suggestions.filter((suggestion) => suggestion.submitter.id === user.id).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      send(res, 200, {
        user,
        coordinator: deps.isCoordinator(user),
        unit: profile?.unitCode ? { code: profile.unitCode, name: unitName(index, profile.unitCode, language) } : null,
        units: index.directory.units
          .map((unit) => ({ code: unit.code, name: `${localName(unit, language)} (${unit.code})` }))
          .sort((a, b) => a.name.localeCompare(b.name, tabTexts(language).locale)),
        ...settingsOptions(subscriptions, index, language),
        suggestions: mine.map((suggestion) => suggestionView(suggestion, index, language)),
        events: upcoming.map((event, i) => eventView(event, reminders[i] ?? [], deps.calendarUrl(event.id), language)),
      });
    }),
  );

  server.put(
    '/tabs/api/me/unit',
    signedIn(
      async (_req, res, user, language, body) => {
        const code = z.object({ unitCode: z.string().trim().min(1).max(50) }).safeParse(body);
        const unit = code.success ? deps.directory.index.unit(code.data.unitCode) : undefined;
        if (!unit) return send(res, 400, { error: 'bad-request', message: tabTexts(language).mine.unit.invalid });
        await deps.profiles.setUnit(user.id, unit.code);
        send(res, 200, { unit: { code: unit.code, name: unitName(deps.directory.index, unit.code, language) } });
      },
      { bodyLimit: TAB_REQUEST_LIMIT_BYTES },
    ),
  );

  const settingsBody = z.object({
    roles: z.array(z.enum(PROCESS_ROLES)).max(PROCESS_ROLES.length),
    keepTopics: z.array(z.string().max(200)).max(MAX_TOPICS),
    addKinds: z.array(z.enum(EVENT_KINDS)).max(EVENT_KINDS.length),
    addProcesses: z.array(z.string().max(50)).max(50),
  });
  server.put(
    '/tabs/api/me/subscriptions',
    signedIn(
      async (_req, res, user, language, body) => {
        const t = tabTexts(language).mine.subscriptions;
        const parsed = settingsBody.safeParse(body);
        if (!parsed.success) return send(res, 400, { error: 'bad-request', message: t.invalid });
        // The same use case as the chat's settings card.
        const result = await deps.events.saveSettings(user, parsed.data);
        if (result.kind === 'invalid') return send(res, 400, { error: 'bad-request', message: t.invalid });
        if (result.kind === 'refused') return send(res, 400, { error: 'too-many', message: t.tooMany.replace('{max}', String(MAX_TOPICS)) });
        send(res, 200, settingsOptions(result.subscriptions, deps.directory.index, language));
      },
      { bodyLimit: TAB_REQUEST_LIMIT_BYTES },
    ),
  );

  server.post(
    '/tabs/api/me/reminders',
    signedIn(
      async (_req, res, user, language, body) => {
        const t = tabTexts(language).mine.events;
        const parsed = z.object({ announcementId: z.string().max(40), choice: z.enum(REMINDER_CHOICES) }).safeParse(body);
        if (!parsed.success) return refuse(res, 400, 'bad-request', language);
        const result = await deps.events.requestReminder(user, parsed.data.announcementId, parsed.data.choice, language);
        if (result.kind === 'scheduled') return send(res, 200, { message: t.reminderSet });
        switch (result.code) {
          case 'not-found':
            return refuse(res, 404, 'not-found', language);
          case 'cancelled':
            return send(res, 409, { error: 'cancelled', message: t.cancelled });
          case 'started':
            return send(res, 409, { error: 'started', message: t.started });
        }
      },
      { bodyLimit: TAB_REQUEST_LIMIT_BYTES },
    ),
  );

  // ---- Forvaltning (coordinators only) ----

  server.get(
    '/tabs/api/admin/suggestions',
    signedIn(
      async (req, res, _user, language) => {
        const filter = filterFrom(queryOf(req));
        if (!filter) return send(res, 400, { error: 'bad-request', message: tabTexts(language).admin.suggestions.invalidFilter });
        const index = deps.directory.index;
        const all = await deps.suggestions.list();
        const selected = filterSuggestions(all, filter).reverse();
        const counts = new Map<string, Record<string, number>>();
        for (const suggestion of selected) {
          const row = counts.get(suggestion.process) ?? {};
          row[suggestion.state] = (row[suggestion.state] ?? 0) + 1;
          counts.set(suggestion.process, row);
        }
        const states = suggestionTexts(language).states;
        send(res, 200, {
          processes: index.directory.processes.map((process) => ({ code: process.code, name: localName(process, language) })),
          states: SUGGESTION_STATES.map((state) => ({ code: state, name: states[state] })),
          counts: [...counts].map(([process, byState]) => ({ process: processName(index, process, language), byState })),
          suggestions: selected.map((suggestion) => suggestionView(suggestion, index, language)),
        });
      },
      { coordinatorOnly: true },
    ),
  );

  server.get(
    '/tabs/api/admin/questions',
    signedIn(
      async (req, res, _user, language) => {
        // The suggestions' filter: its processes and period select questions too (its states are the suggestions').
        const filter = filterFrom(queryOf(req));
        if (!filter) return send(res, 400, { error: 'bad-request', message: tabTexts(language).admin.suggestions.invalidFilter });
        const index = deps.directory.index;
        const selected = filterQuestions(await deps.advisorQuestions.list(), filter).reverse();
        const states = advisorQuestionTexts(language).states;
        send(res, 200, {
          states: QUESTION_STATES.map((state) => ({ code: state, name: states[state] })),
          questions: selected.map((question) => questionView(question, index, language)),
        });
      },
      { coordinatorOnly: true },
    ),
  );

  const curationBody = z.object({
    action: z.enum(['edit', 'hide', 'unhide', 'promote', 'demote']),
    text: z.string().max(QUESTION_TEXT_LIMIT).optional(),
    basedOn: z.string().max(40).optional(),
  });
  /** A coordinator curates a shared answer: edits its shared text, hides or unhides it, promotes or demotes it as a standing answer. */
  server.patch(
    '/tabs/api/admin/questions/:id',
    signedIn(
      async (req, res, user, language, body) => {
        const parsed = curationBody.safeParse(body);
        if (!parsed.success) return refuse(res, 400, 'bad-request', language);
        const { action, text, basedOn } = parsed.data;
        const change = action === 'edit' ? { action, text: text ?? '' } : { action };
        const result = await deps.advisorQuestions.curate((req.params as { id?: string } | undefined)?.id ?? '', change, user, basedOn);
        switch (result.kind) {
          case 'applied':
            return send(res, 200, { question: questionView(result.question, deps.directory.index, language) });
          case 'not-found':
            return refuse(res, 404, 'not-found', language);
          case 'invalid':
            return refuse(res, 400, 'bad-request', language);
          case 'refused':
            return result.reason === 'not-coordinator' ? refuse(res, 403, 'not-coordinator', language) : send(res, 409, { error: 'not-shareable' });
          case 'conflict':
            return send(res, 409, { error: 'conflict', question: questionView(result.question, deps.directory.index, language) });
        }
      },
      { coordinatorOnly: true, bodyLimit: TAB_REQUEST_LIMIT_BYTES },
    ),
  );

  server.post(
    '/tabs/api/admin/suggestions/export',
    signedIn(
      async (_req, res, user, language, body) => {
        const filter = filterFrom(body);
        if (!filter) return send(res, 400, { error: 'bad-request', message: tabTexts(language).admin.suggestions.invalidFilter });
        // The same signed, short-lived links as "eksporter forslag" in chat, served by /exports/.
        const links = deps.exportLinks.create({ id: user.id, name: user.name, email: user.email }, filter, language);
        send(res, 200, { csv: links.urls.csv, xlsx: links.urls.xlsx, expiresAt: links.expiresAt.toISOString() });
      },
      { coordinatorOnly: true, bodyLimit: TAB_REQUEST_LIMIT_BYTES },
    ),
  );

  server.get(
    '/tabs/api/admin/announcements',
    signedIn(
      async (_req, res, _user, language) => {
        const announcements = (await deps.announcements.list()).sort((a, b) => b.startsAt.localeCompare(a.startsAt));
        const statuses = await Promise.all(announcements.map((announcement) => statusOf(announcement, deps.delivery, deps.logger)));
        send(res, 200, { announcements: statuses.map((status) => announcementView(status, language)) });
      },
      { coordinatorOnly: true },
    ),
  );

  server.post(
    '/tabs/api/admin/directory/preview',
    signedIn(
      async (_req, res, user, language, body) => {
        const upload = await readUploadedDirectory(body);
        if (upload.kind === 'bad-request') return uploadRefused(res, upload.problem, language);
        const preview = await deps.directoryImport.preview(user, upload.source);
        switch (preview.kind) {
          case 'refused':
            return refuse(res, 403, 'not-coordinator', language);
          case 'invalid':
            return send(res, 200, { ok: false, problems: upload.named(preview.problems).map((problem) => problemView(problem, language)) });
          case 'preview':
            return send(res, 200, { ok: true, digest: upload.digest, baseVersion: preview.baseVersion, unchanged: preview.unchanged, changes: diffView(preview.diff, language) });
        }
      },
      { coordinatorOnly: true, bodyLimit: DIRECTORY_UPLOAD_LIMIT_BYTES, lengthRequired: true },
    ),
  );

  const applyBody = z.object({ digest: z.string().regex(/^[0-9a-f]{64}$/), baseVersion: z.string().nullable() });
  server.post(
    '/tabs/api/admin/directory/apply',
    signedIn(
      async (_req, res, user, language, body) => {
        const t = tabTexts(language).admin.directory;
        const confirmed = applyBody.safeParse(body);
        if (!confirmed.success) return refuse(res, 400, 'bad-request', language);
        const upload = await readUploadedDirectory(body);
        if (upload.kind === 'bad-request') return uploadRefused(res, upload.problem, language);
        if (upload.digest !== confirmed.data.digest) return send(res, 409, { error: 'changed-files', message: t.changedFiles });
        const result = await deps.directoryImport.apply(user, upload.source, confirmed.data.baseVersion, `tab upload by ${user.email ?? user.id}`);
        switch (result.kind) {
          case 'refused':
            return result.code === 'conflict' ? send(res, 409, { error: 'conflict', message: t.conflict }) : refuse(res, 403, 'not-coordinator', language);
          case 'invalid':
            return send(res, 200, { ok: false, problems: upload.named(result.problems).map((problem) => problemView(problem, language)) });
          case 'applied': {
            const { version } = result.snapshot;
            deps.logger.info({ coordinator: user.email ?? user.id, version }, 'directory imported from the tab');
            return send(res, 200, { ok: true, version, message: t.applied.replace('{version}', version) });
          }
        }
      },
      { coordinatorOnly: true, bodyLimit: DIRECTORY_UPLOAD_LIMIT_BYTES, lengthRequired: true },
    ),
  );

  // ---- The role-holder list and audiences (issue 14) ----

  /** The stored list's size, and the choices of the audience form (as the announcement form offers them). */
  server.get(
    '/tabs/api/admin/role-holders',
    signedIn(
      async (_req, res, _user, language) => {
        const current = await deps.roleHolders.current();
        const index = deps.directory.index;
        const roleNames = announcementTexts(language).roles;
        send(res, 200, {
          current: current === null ? null : { version: current.version, importedAt: current.importedAt, people: countPeople(current.holders), rows: current.holders.length },
          choices: {
            roles: PROCESS_ROLES.map((role) => ({ code: role, name: roleNames[role] })),
            processes: index.directory.processes.map((process) => ({ code: process.code, name: localName(process, language) })),
            units: index.directory.units
              .map((unit) => ({ code: unit.code, name: `${localName(unit, language)} (${unit.code})` }))
              .sort((a, b) => a.name.localeCompare(b.name, tabTexts(language).locale)),
          },
        });
      },
      { coordinatorOnly: true },
    ),
  );

  server.post(
    '/tabs/api/admin/role-holders/preview',
    signedIn(
      async (_req, res, user, language, body) => {
        const upload = await readUploadedRoleHolders(body);
        if (upload.kind === 'bad-request') return roleHolderUploadRefused(res, upload.problem, language);
        const preview = await deps.roleHolderImport.preview(user, upload.source);
        switch (preview.kind) {
          case 'refused':
            return refuse(res, preview.code === 'no-directory' ? 503 : 403, preview.code === 'no-directory' ? 'server' : 'not-coordinator', language);
          case 'invalid':
            return send(res, 200, { ok: false, problems: upload.named(preview.problems).map((problem) => problemView(problem, language)) });
          case 'preview':
            return send(res, 200, {
              ok: true,
              digest: upload.digest,
              baseVersion: preview.baseVersion,
              unchanged: preview.unchanged,
              changes: roleHolderDiffView(preview.diff, language),
            });
        }
      },
      { coordinatorOnly: true, bodyLimit: DIRECTORY_UPLOAD_LIMIT_BYTES, lengthRequired: true },
    ),
  );

  server.post(
    '/tabs/api/admin/role-holders/apply',
    signedIn(
      async (_req, res, user, language, body) => {
        const t = tabTexts(language).admin;
        const confirmed = applyBody.safeParse(body);
        if (!confirmed.success) return refuse(res, 400, 'bad-request', language);
        const upload = await readUploadedRoleHolders(body);
        if (upload.kind === 'bad-request') return roleHolderUploadRefused(res, upload.problem, language);
        if (upload.digest !== confirmed.data.digest) return send(res, 409, { error: 'changed-files', message: t.directory.changedFiles });
        const result = await deps.roleHolderImport.apply(user, upload.source, confirmed.data.baseVersion, `tab upload by ${user.email ?? user.id}`);
        switch (result.kind) {
          case 'refused':
            if (result.code === 'conflict') return send(res, 409, { error: 'conflict', message: t.roleHolders.conflict });
            return refuse(res, result.code === 'no-directory' ? 503 : 403, result.code === 'no-directory' ? 'server' : 'not-coordinator', language);
          case 'invalid':
            return send(res, 200, { ok: false, problems: upload.named(result.problems).map((problem) => problemView(problem, language)) });
          case 'applied': {
            const { version, holders } = result.snapshot;
            deps.logger.info({ coordinator: user.email ?? user.id, version, rows: holders.length }, 'role-holder list imported from the tab');
            return send(res, 200, { ok: true, version, message: t.roleHolders.applied.replace('{version}', version) });
          }
        }
      },
      { coordinatorOnly: true, bodyLimit: DIRECTORY_UPLOAD_LIMIT_BYTES, lengthRequired: true },
    ),
  );

  /** The audience as the announcement form chooses it; null when it names a role, process or unit that does not exist. */
  const audienceFrom = (body: unknown): { audience: Audience; kind: EventKind | null } | null => {
    const parsed = audienceBody.safeParse(body);
    if (!parsed.success) return null;
    const { everyone, roles, processes, units, kind } = parsed.data;
    const index = deps.directory.index;
    if (processes.some((code) => !index.process(code)) || units.some((code) => !index.unit(code))) return null;
    return { audience: everyone ? { everyone, roles: [], processes: [], units: [] } : { everyone, roles, processes, units }, kind: kind ?? null };
  };

  server.post(
    '/tabs/api/admin/audience',
    signedIn(
      async (_req, res, _user, language, body) => {
        const chosen = audienceFrom(body);
        if (chosen === null) return send(res, 400, { error: 'bad-request', message: tabTexts(language).admin.audience.invalid });
        const reach = await deps.audience.reach(chosen.audience, chosen.kind);
        send(res, 200, reach);
      },
      { coordinatorOnly: true, bodyLimit: TAB_REQUEST_LIMIT_BYTES },
    ),
  );

  server.post(
    '/tabs/api/admin/audience/csv',
    signedIn(
      async (_req, res, _user, language, body) => {
        const t = tabTexts(language).admin.audience;
        const chosen = audienceFrom(body);
        if (chosen === null) return send(res, 400, { error: 'bad-request', message: t.invalid });
        const reach = await deps.audience.reach(chosen.audience, chosen.kind);
        answerUnreadBody(
          res,
          200,
          {
            ...PRIVATE_HEADERS,
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="${t.fileName}.csv"`,
          },
          audienceCsv(reach.entries, { headers: t.columns, sources: t.sources, statuses: t.statuses }).toString('utf8'),
        );
      },
      { coordinatorOnly: true, bodyLimit: TAB_REQUEST_LIMIT_BYTES },
    ),
  );

  server.get(
    '/tabs/api/admin/undelivered',
    signedIn(
      async (_req, res, user, language) => {
        const listing = await deps.deadLetters.visibleTo(user);
        if (listing.kind === 'refused') return refuse(res, 403, 'not-coordinator', language);
        send(res, 200, { messages: listing.letters.map((letter) => deadLetterView(letter, language)) });
      },
      { coordinatorOnly: true },
    ),
  );

  // Not coordinators only: process managers see their processes' channels, as in chat.
  server.get(
    '/tabs/api/admin/channels',
    signedIn(async (_req, res, user, language) => {
      const listing = await deps.registrations.visibleTo(user);
      if (listing.kind === 'refused') return refuse(res, 403, 'not-coordinator-or-process-manager', language);
      const index = deps.directory.index;
      send(res, 200, { channels: listing.registrations.map((registration) => registrationView(registration, index, language)) });
    }),
  );
}

/** The roles, topics and the choices for adding more, as the settings form shows them. */
function settingsOptions(subscriptions: Subscriptions, index: DirectoryIndex, language: ReplyLanguage) {
  const e = eventTexts(language);
  return {
    ...subscriptionsView(subscriptions, index, language),
    kinds: EVENT_KINDS.map((kind) => ({ code: kind, name: capitalise(e.kindsPlural[kind]) })),
    processes: index.directory.processes.map((process) => ({ code: process.code, name: localName(process, language) })),
  };
}

/** Delivery figures through the delivery port only: the first broadcast delivered it, the newest updated it. */
async function statusOf(
  announcement: Announcement,
  delivery: Pick<AnnouncementDelivery, 'progress'>,
  logger: Logger,
): Promise<AnnouncementStatus | { announcement: Announcement; unavailable: true }> {
  const [first, ...updates] = announcement.broadcastIds;
  const latest = updates.at(-1);
  try {
    return {
      announcement,
      delivery: first ? await delivery.progress(first) : null,
      update: latest ? await delivery.progress(latest) : null,
    };
  } catch (error) {
    logger.warn({ err: error, announcementId: announcement.id }, 'delivery figures unavailable');
    return { announcement, unavailable: true };
  }
}

/** A filter from a query string (comma-separated lists) or a JSON body (arrays); null when invalid. */
function filterFrom(source: unknown): ExportFilter | null {
  const list = z.union([z.array(z.string()), z.string().transform((value) => value.split(',').filter(Boolean))]).optional();
  const parsed = z.object({ processes: list, states: list, from: date.or(z.literal('')).optional(), to: date.or(z.literal('')).optional() }).safeParse(source ?? {});
  if (!parsed.success) return null;
  const states = parsed.data.states ?? [];
  if (!states.every((state) => (SUGGESTION_STATES as readonly string[]).includes(state))) return null;
  return {
    processes: parsed.data.processes ?? [],
    states: states as ExportFilter['states'],
    createdFrom: parsed.data.from || null,
    createdTo: parsed.data.to || null,
  };
}

const audienceBody = z.object({
  everyone: z.boolean(),
  roles: z.array(z.enum(PROCESS_ROLES)).max(PROCESS_ROLES.length),
  processes: z.array(z.string().max(50)).max(50),
  units: z.array(z.string().max(50)).max(500),
  kind: z.enum(EVENT_KINDS).optional(),
});

function roleHolderUploadRefused(res: restify.Response, problem: 'malformed' | 'too-large' | 'file-names', language: ReplyLanguage): void {
  const t = tabTexts(language).admin;
  send(res, problem === 'too-large' ? 413 : 400, {
    error: problem,
    message: problem === 'malformed' ? t.directory.noFiles : problem === 'too-large' ? t.directory.tooLarge : t.roleHolders.fileNames,
  });
}

function uploadRefused(res: restify.Response, problem: 'malformed' | 'too-large' | 'file-names', language: ReplyLanguage): void {
  const t = tabTexts(language).admin.directory;
  send(res, problem === 'too-large' ? 413 : 400, { error: problem, message: problem === 'malformed' ? t.noFiles : problem === 'too-large' ? t.tooLarge : t.fileNames });
}

/** The query string as lists by name; the server parses no query strings itself. */
function queryOf(req: restify.Request): Record<string, string> {
  return Object.fromEntries(new URL(req.url ?? '/', 'http://localhost').searchParams);
}

/** The page says which language it shows (Accept-Language, from the Teams locale); bokmål unless English or nynorsk is asked for. */
function languageOf(req: restify.Request): ReplyLanguage {
  return localeLanguage(req.header('accept-language'));
}

function refuse(res: restify.Response, status: number, code: ErrorCode, language: ReplyLanguage): void {
  send(res, status, { error: code, message: tabTexts(language).common.errors[code] });
}

function send(res: restify.Response, status: number, body: unknown): void {
  answerUnreadBody(res, status, { ...PRIVATE_HEADERS, 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(body));
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
