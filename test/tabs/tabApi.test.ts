import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TableAnnouncementStore } from '../../src/announcements/announcementStore';
import { TableSubscriptionStore } from '../../src/announcements/subscriptionStore';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { TableChannelRegistrationStore } from '../../src/conversations/channelRegistrations';
import { TableDirectoryStore } from '../../src/directory/directoryStore';
import { createLogger } from '../../src/logger';
import { TableUserProfileStore } from '../../src/profiles/userProfileStore';
import { TableSuggestionStore } from '../../src/suggestions/suggestionStore';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { startAppWithBotIdentity, startLocalIdentityProvider, type LocalIdentityProvider } from '../support/tabTokens';

/**
 * The tabs' HTTP API on the real app (with a bot identity, so not in local
 * mode) against Azurite, with Teams SSO tokens from a local stand-in for
 * Entra ID whose keys the app reads from TAB_JWKS_URL.
 */

const sampleFolder = path.resolve(__dirname, '../../data/sample-directory');
const COORDINATOR = { id: randomUUID(), name: 'Ida Koordinator', email: 'ida.koordinator@ntnu.example' };
const EMPLOYEE = { id: randomUUID(), name: 'Kari Ansatt', email: 'kari.ansatt@ntnu.example' };

/** The parts of the API's answers that the tests look inside. */
type Overview = {
  suggestions: { history: unknown[] }[];
  events: { id: string; title: string; reminders: unknown[] }[];
  unit: { code: string } | null;
  roles: { held: boolean }[];
  kinds: unknown[];
};
type DirectoryPreview = { ok: boolean; digest: string; problems: { file: string; line: number; message: string }[]; changes: { counts: string[]; people: { added: string[] } } };

describe('the tab API', () => {
  let idp: LocalIdentityProvider;
  let app: RunningApp;
  let prefix: string;
  let suggestionId: string;

  // The body has the shape a test names where it looks inside; otherwise only its top-level fields are read.
  const call = async <Body = Record<string, unknown>>(method: string, url: string, options: { token?: string; body?: unknown; language?: string } = {}) => {
    const response = await fetch(`${app.url}${url}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        'accept-language': options.language ?? 'nb',
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text.startsWith('{') ? JSON.parse(text) : text) as Body };
  };
  const tokenOf = (user: typeof EMPLOYEE) => idp.token(user);

  const csvFiles = async (change: (name: string, text: string) => string = (_name, text) => text) =>
    Promise.all(
      ['units', 'processes', 'roles', 'people', 'contact-points'].map(async (name) => ({
        name: `${name}.csv`,
        contentBase64: Buffer.from(change(name, await readFile(path.join(sampleFolder, `${name}.csv`), 'utf8'))).toString('base64'),
      })),
    );

  beforeAll(async () => {
    idp = await startLocalIdentityProvider();
    prefix = uniqueTablePrefix('tabs');
    app = await startAppWithBotIdentity({ tablePrefix: prefix, identityProvider: idp, environment: { COORDINATORS: COORDINATOR.email, TAB_TENANT_ID: idp.tenantId } });

    const suggestions = await TableSuggestionStore.open(testConnectionString(), `${prefix}suggestions`);
    const { stored } = await suggestions.create({
      draft: {
        process: 'BTB',
        unit: 'IDI',
        title: 'Enklere innkjøpsmaler',
        description: 'Malene bør fylles ut automatisk.',
        potential: 'Sparer tid',
        system: 'unit4',
        mayContact: true,
      },
      submitter: EMPLOYEE,
      route: {
        target: { kind: 'people', people: [{ name: 'Ane Hovde', email: 'ane.hovde@ntnu.example' }], label: 'Prosessrådgiverne for Btb ved IE' },
        level: 'local',
        unitCode: 'IE',
      },
      now: new Date(),
      language: 'nb',
      idempotencyKey: randomUUID(),
    });
    suggestionId = stored.suggestion.id;

    const announcements = await TableAnnouncementStore.open(testConnectionString(), `${prefix}announcements`);
    const start = new Date(Date.now() + 5 * 86_400_000);
    const { stored: draft } = await announcements.createDraft({
      details: {
        kind: 'fagkafe',
        title: 'Fagkafé om EU-søknader',
        description: 'Spørsmål og svar.',
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 3_600_000).toISOString(),
        place: 'Gløshaugen',
        meetingUrl: null,
        registrationUrl: null,
      },
      distribution: { audience: { everyone: true, roles: [], processes: [], units: [] }, channels: [], sendAt: null },
      createdBy: COORDINATOR,
      now: new Date(),
      formId: randomUUID(),
    });
    await announcements.update({ ...draft.announcement, state: 'sent' }, draft.etag);
  });

  afterAll(async () => {
    await app?.close();
    await idp?.stop();
  });

  describe('refuses', () => {
    it('a request without a token', async () => {
      const response = await call('GET', '/tabs/api/me');
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ error: 'no-token', message: 'Du er ikke logget inn.' });
      expect((await call('GET', '/tabs/api/admin/suggestions')).status).toBe(401);
    });

    it('a token that is not a JWT, and one signed with a key Entra ID never published', async () => {
      expect((await call('GET', '/tabs/api/me', { token: 'not.a.token' })).body).toMatchObject({ error: 'invalid-token' });
      const forged = await idp.token(EMPLOYEE, {}, { key: await idp.foreignKey() });
      const response = await call('GET', '/tabs/api/me', { token: forged });
      expect(response.status).toBe(401);
      expect(response.body.error).toBe('invalid-token');
    });

    it('an expired token, in the language asked for', async () => {
      const expired = await idp.token(EMPLOYEE, {}, { expiresInSeconds: -3600 });
      const response = await call('GET', '/tabs/api/me', { token: expired, language: 'en-GB' });
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ error: 'expired', message: 'Your sign-in has expired. Reload the tab.' });
    });

    it('a token for another app, from another tenant or issuer, or without the tab scope', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ aud: 'api://someone-else.example/00000000-0000-0000-0000-000000000000' }, 'wrong-audience'],
        [{ iss: 'https://evil.example/' }, 'wrong-issuer'],
        [{ tid: randomUUID(), iss: 'https://sts.windows.net/other/' }, 'wrong-issuer'],
        [{ scp: 'User.Read' }, 'invalid-token'],
      ];
      for (const [claims, reason] of cases) {
        const response = await call('GET', '/tabs/api/me', { token: await idp.token(EMPLOYEE, claims) });
        expect(response.status, reason).toBe(401);
        expect(response.body.error, JSON.stringify(claims)).toBe(reason);
      }
    });

    it('the development sign-in and its tokens outside local mode', async () => {
      const session = await call('GET', '/tabs/api/session');
      expect(session.body).toEqual({ developmentSignIn: false, people: [] });
      const signIn = await call('POST', '/tabs/api/dev-sign-in', { body: { name: 'Ida Koordinator', email: COORDINATOR.email } });
      expect(signIn.status).toBe(403);
      expect(signIn.body.error).toBe('dev-sign-in-unavailable');
      // A token of the development kind (HMAC-signed) is never accepted here, whatever key signed it.
      const { SignJWT } = await import('jose');
      const devLike = await new SignJWT({ name: 'Ida' }).setProtectedHeader({ alg: 'HS256' }).setSubject(COORDINATOR.id).setExpirationTime('1h').sign(new Uint8Array(32));
      expect((await call('GET', '/tabs/api/me', { token: devLike })).body.error).toBe('invalid-token');
    });

    it('a non-coordinator on every coordinator endpoint, and before reading any upload', async () => {
      const token = await tokenOf(EMPLOYEE);
      const requests: Array<[string, string, unknown?]> = [
        ['GET', '/tabs/api/admin/suggestions'],
        ['POST', '/tabs/api/admin/suggestions/export', {}],
        ['GET', '/tabs/api/admin/announcements'],
        ['POST', '/tabs/api/admin/directory/preview', { files: await csvFiles() }],
        ['POST', '/tabs/api/admin/directory/apply', { files: await csvFiles(), digest: '0'.repeat(64), baseVersion: null }],
      ];
      for (const [method, url, body] of requests) {
        const response = await call(method, url, { token, body });
        expect(response.status, url).toBe(403);
        expect(response.body.error, url).toBe('not-coordinator');
      }
    });
  });

  describe('Mine saker', () => {
    it('identifies the user by the Entra object id, as the bot does', async () => {
      const response = await call('GET', '/tabs/api/me', { token: await tokenOf(EMPLOYEE) });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.body).toEqual({ user: EMPLOYEE, coordinator: false });
      expect((await call('GET', '/tabs/api/me', { token: await tokenOf(COORDINATOR) })).body.coordinator).toBe(true);
    });

    it("shows the user's suggestions with their history and the upcoming events", async () => {
      const response = await call<Overview>('GET', '/tabs/api/me/overview', { token: await tokenOf(EMPLOYEE) });
      expect(response.status).toBe(200);
      const { suggestions, events, unit, roles, kinds } = response.body;
      expect(suggestions).toHaveLength(1);
      expect(suggestions[0]).toMatchObject({ id: suggestionId, title: 'Enklere innkjøpsmaler', state: 'ny', stateLabel: 'Ny', process: 'Behov til betaling' });
      expect(suggestions[0]?.history[0]).toMatchObject({ by: 'Kari Ansatt', stateLabel: 'Ny' });
      expect(events.map((event: { title: string }) => event.title)).toContain('Fagkafé om EU-søknader');
      expect(unit).toBeNull();
      expect(roles.every((role: { held: boolean }) => !role.held)).toBe(true);
      expect(kinds.length).toBeGreaterThan(0);
      // Someone else sees none of it.
      const other = await call('GET', '/tabs/api/me/overview', { token: await tokenOf(COORDINATOR) });
      expect(other.body.suggestions).toEqual([]);
    });

    it('changes the unit through the profile store the chat uses, and refuses an unknown unit', async () => {
      const token = await tokenOf(EMPLOYEE);
      const unknown = await call('PUT', '/tabs/api/me/unit', { token, body: { unitCode: 'NOPE' } });
      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toBe('Velg en enhet fra listen.');
      const saved = await call('PUT', '/tabs/api/me/unit', { token, body: { unitCode: 'IDI' } });
      expect(saved.status).toBe(200);
      const profiles = await TableUserProfileStore.open(testConnectionString(), `${prefix}userprofiles`);
      expect((await profiles.get(EMPLOYEE.id))?.unitCode).toBe('IDI');
      expect((await call<Overview>('GET', '/tabs/api/me/overview', { token })).body.unit?.code).toBe('IDI');
    });

    it('changes roles and topics through the subscription rules the chat uses', async () => {
      const token = await tokenOf(EMPLOYEE);
      const saved = await call('PUT', '/tabs/api/me/subscriptions', { token, body: { roles: ['prosjektokonom'], keepTopics: [], addKinds: ['fagkafe'], addProcesses: ['BTB'] } });
      expect(saved.status).toBe(200);
      expect(saved.body.topics).toEqual([{ key: 'fagkafe|BTB|*', label: expect.stringContaining('Behov til betaling') }]);
      const store = await TableSubscriptionStore.open(testConnectionString(), `${prefix}subscriptions`);
      expect(await store.get(EMPLOYEE.id)).toMatchObject({ roles: ['prosjektokonom'], topics: [{ kind: 'fagkafe', process: 'BTB', role: null }] });
      // Unticking the topic ends it; the role stays.
      await call('PUT', '/tabs/api/me/subscriptions', { token, body: { roles: ['prosjektokonom'], keepTopics: [], addKinds: [], addProcesses: [] } });
      expect(await store.get(EMPLOYEE.id)).toMatchObject({ roles: ['prosjektokonom'], topics: [] });
      const invalid = await call('PUT', '/tabs/api/me/subscriptions', { token, body: { roles: ['astronaut'], keepTopics: [], addKinds: [], addProcesses: [] } });
      expect(invalid.status).toBe(400);
      expect(await store.get(EMPLOYEE.id)).toMatchObject({ roles: ['prosjektokonom'] });
    });

    it('sets a reminder of an upcoming event and shows it', async () => {
      const token = await tokenOf(EMPLOYEE);
      const overview = await call<Overview>('GET', '/tabs/api/me/overview', { token });
      const event = overview.body.events.find((candidate: { title: string }) => candidate.title === 'Fagkafé om EU-søknader');
      const set = await call('POST', '/tabs/api/me/reminders', { token, body: { announcementId: event?.id, choice: 'day-before' } });
      expect(set.status).toBe(200);
      const after = await call<Overview>('GET', '/tabs/api/me/overview', { token });
      const reminded = after.body.events.find((candidate: { id: string }) => candidate.id === event?.id);
      expect(reminded?.reminders).toEqual([expect.objectContaining({ choice: 'day-before', label: 'dagen før' })]);
      expect((await call('POST', '/tabs/api/me/reminders', { token, body: { announcementId: 'KU-1999-0001', choice: 'day-before' } })).status).toBe(404);
    });
  });

  describe('Forvaltning', () => {
    it('lists suggestions by process and state, filters them and exports through signed links', async () => {
      const token = await tokenOf(COORDINATOR);
      const all = await call<{ suggestions: { id: string }[]; counts: unknown }>('GET', '/tabs/api/admin/suggestions', { token });
      expect(all.status).toBe(200);
      expect(all.body.suggestions.map((row: { id: string }) => row.id)).toEqual([suggestionId]);
      expect(all.body.counts).toEqual([{ process: 'Behov til betaling', byState: { ny: 1 } }]);
      expect((await call('GET', '/tabs/api/admin/suggestions?states=avslatt', { token })).body.suggestions).toEqual([]);
      expect((await call('GET', '/tabs/api/admin/suggestions?processes=BTB&states=ny', { token })).body.suggestions).toHaveLength(1);
      expect((await call('GET', '/tabs/api/admin/suggestions?from=yesterday', { token })).status).toBe(400);

      const links = await call<{ csv: string }>('POST', '/tabs/api/admin/suggestions/export', { token, body: { processes: ['BTB'], states: [], from: '', to: '' } });
      expect(links.status).toBe(200);
      const csv = await fetch(links.body.csv);
      expect(csv.status).toBe(200);
      expect(await csv.text()).toContain(suggestionId);
    });

    it('lists announcements with their delivery figures (none before sending began)', async () => {
      const response = await call('GET', '/tabs/api/admin/announcements', { token: await tokenOf(COORDINATOR) });
      expect(response.status).toBe(200);
      expect(response.body.announcements).toEqual([expect.objectContaining({ title: 'Fagkafé om EU-søknader', stateLabel: 'Sendt', delivery: null, unavailable: false })]);
    });

    it('lists the channel registrations', async () => {
      const response = await call('GET', '/tabs/api/admin/channels', { token: await tokenOf(COORDINATOR) });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ channels: [] });
    });

    it('lists channel registrations by the rule of "vis kanaler": all to coordinators, their processes to process managers, none to others', async () => {
      const registrations = await TableChannelRegistrationStore.open(testConnectionString(), `${prefix}channelregistrations`);
      const registration = (process: string, unit: string | null, channelName: string) => ({
        process,
        unit,
        conversationId: `19:${randomUUID()}@thread.tacv2`,
        reference: {},
        channelName,
        registeredBy: COORDINATOR.email,
        registeredAt: new Date().toISOString(),
      });
      await registrations.save(registration('BTB', 'IE', 'Btb-teamet IE'));
      await registrations.save(registration('FTI', null, 'Fti-teamet'));
      const channelsFor = async (user: typeof EMPLOYEE) => call<{ channels: { channel: string }[] }>('GET', '/tabs/api/admin/channels', { token: await tokenOf(user) });

      const refused = await channelsFor(EMPLOYEE);
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({
        error: 'not-coordinator-or-process-manager',
        message: 'Bare forvaltningskoordinatorene og prosessansvarlige kan se de registrerte kanalene.',
      });
      const manager = await channelsFor({ id: randomUUID(), name: 'Lene Kristiansen', email: 'lene.kristiansen@ntnu.example' });
      expect(manager.status).toBe(200);
      expect(manager.body.channels.map((row: { channel: string }) => row.channel)).toEqual(['Btb-teamet IE']);
      const coordinator = await channelsFor(COORDINATOR);
      expect(coordinator.body.channels.map((row: { channel: string }) => row.channel)).toEqual(['Btb-teamet IE', 'Fti-teamet']);
      await registrations.remove('BTB', 'IE');
      await registrations.remove('FTI', null);
    });

    it('previews a bad directory with its problems and applies nothing, not even when asked to', async () => {
      const token = await tokenOf(COORDINATOR);
      const directoryStore = await TableDirectoryStore.open(testConnectionString(), `${prefix}directory`);
      const before = await directoryStore.currentVersion();
      const bad = await csvFiles((name, text) => (name === 'people' ? `${text.trimEnd()}\nprosessradgiver,BTB,NOWHERE,Feil Person,ikke-en-epost,,\n` : text));
      const preview = await call<DirectoryPreview>('POST', '/tabs/api/admin/directory/preview', { token, body: { files: bad } });
      expect(preview.status).toBe(200);
      expect(preview.body.ok).toBe(false);
      const messages = preview.body.problems.map((problem: { file: string; line: number; message: string }) => `${problem.file}:${problem.line} ${problem.message}`);
      expect(messages.some((message: string) => message.startsWith('people.csv:') && message.includes('NOWHERE'))).toBe(true);
      expect(messages.some((message: string) => message.includes('ikke-en-epost'))).toBe(true);
      const applied = await call('POST', '/tabs/api/admin/directory/apply', { token, body: { files: bad, digest: 'a'.repeat(64), baseVersion: before } });
      expect(applied.status).toBe(409);
      expect(await directoryStore.currentVersion()).toBe(before);
      // Files that are not a directory at all are refused by name.
      const wrong = await call('POST', '/tabs/api/admin/directory/preview', { token, body: { files: [{ name: 'notes.txt', contentBase64: 'aGVp' }] } });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error).toBe('file-names');
    });

    it('counts a changed description as a changed process in the preview, and shows a too long one as a problem', async () => {
      const token = await tokenOf(COORDINATOR);
      const editDescription = (description: string) => (name: string, text: string) =>
        name === 'processes' ? text.replace(/^(ANL,Anleggsmidler,Fixed assets,central,)"[^"]*"/m, `$1"${description}"`) : text;
      const changed = await csvFiles(editDescription('Anleggsmidler: registrering, avskrivning og kassasjon.'));
      const preview = await call<DirectoryPreview>('POST', '/tabs/api/admin/directory/preview', { token, body: { files: changed } });
      expect(preview.body).toMatchObject({ ok: true, unchanged: false });
      expect(preview.body.changes.counts).toContain('Prosesser: 0 lagt til, 0 fjernet, 1 endret');

      const tooLong = await csvFiles(editDescription('x'.repeat(601)));
      const refused = await call('POST', '/tabs/api/admin/directory/preview', { token, body: { files: tooLong }, language: 'en' });
      expect(refused.body.ok).toBe(false);
      expect(refused.body.problems).toEqual([{ file: 'processes.csv', line: 8, message: 'the text in "description_nb" has 601 characters; at most 600 are allowed' }]);
    });

    it('previews the changes of a good directory, and applies exactly what was previewed', async () => {
      const token = await tokenOf(COORDINATOR);
      const directoryStore = await TableDirectoryStore.open(testConnectionString(), `${prefix}directory`);
      const before = await directoryStore.currentVersion();
      const good = await csvFiles((name, text) => (name === 'people' ? `${text.trimEnd()}\nprosessradgiver,BTB,IDI,Nora Ny,nora.ny@ntnu.example,,\n` : text));
      const preview = await call<DirectoryPreview>('POST', '/tabs/api/admin/directory/preview', { token, body: { files: good } });
      expect(preview.body).toMatchObject({ ok: true, baseVersion: before, unchanged: false });
      expect(preview.body.changes.people.added).toEqual(['Nora Ny <nora.ny@ntnu.example>']);
      expect(await directoryStore.currentVersion()).toBe(before);

      const other = await csvFiles();
      const mismatch = await call('POST', '/tabs/api/admin/directory/apply', { token, body: { files: other, digest: preview.body.digest, baseVersion: before } });
      expect(mismatch.status).toBe(409);
      expect(mismatch.body.error).toBe('changed-files');

      const applied = await call('POST', '/tabs/api/admin/directory/apply', { token, body: { files: good, digest: preview.body.digest, baseVersion: before } });
      expect(applied.status).toBe(200);
      expect(await directoryStore.currentVersion()).not.toBe(before);
      expect(app.directory.index.directory.people.some((person) => person.email === 'nora.ny@ntnu.example')).toBe(true);

      // The same preview applied again is based on a version that is gone.
      const stale = await call('POST', '/tabs/api/admin/directory/apply', { token, body: { files: good, digest: preview.body.digest, baseVersion: before } });
      expect(stale.status).toBe(409);
      expect(stale.body.error).toBe('conflict');
    });
  });
});

describe('the tab API in local mode (no bot identity)', () => {
  let app: RunningApp;

  beforeAll(async () => {
    const config = loadConfig({
      PORT: '0',
      STORAGE_CONNECTION_STRING: testConnectionString(),
      TABLE_PREFIX: uniqueTablePrefix('tabslocal'),
      LOG_LEVEL: 'silent',
      COORDINATORS: COORDINATOR.email,
    });
    app = await startApp(config, createLogger(config.logLevel));
  });
  afterAll(async () => app?.close());

  const post = (url: string, body: unknown) => fetch(`${app.url}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('offers the development sign-in, with the people of the directory to choose from', async () => {
    const session = (await (await fetch(`${app.url}/tabs/api/session`)).json()) as { developmentSignIn: boolean; people: Array<{ email: string }> };
    expect(session.developmentSignIn).toBe(true);
    expect(session.people.some((person) => person.email === 'ane.hovde@ntnu.example')).toBe(true);
  });

  it('signs in for development and knows the coordinator by e-mail; refuses a sign-in without a valid e-mail', async () => {
    const signIn = await post('/tabs/api/dev-sign-in', { name: 'Ida Koordinator', email: 'Ida.Koordinator@ntnu.example', id: COORDINATOR.id });
    expect(signIn.status).toBe(200);
    const { token } = (await signIn.json()) as { token: string };
    const me = await fetch(`${app.url}/tabs/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await me.json()).toEqual({ user: { id: COORDINATOR.id, name: 'Ida Koordinator', email: COORDINATOR.email }, coordinator: true });
    expect((await fetch(`${app.url}/tabs/api/admin/channels`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

    const invalid = await post('/tabs/api/dev-sign-in', { name: 'Ida', email: 'not-an-address' });
    expect(invalid.status).toBe(400);
    // A session token altered by one character is refused.
    const altered = `${token.slice(0, -2)}${token.endsWith('A') ? 'B' : 'A'}${token.slice(-1)}`;
    expect((await fetch(`${app.url}/tabs/api/me`, { headers: { authorization: `Bearer ${altered}` } })).status).toBe(401);
  });

  it('serves the pages, their scripts and the Teams library, and nothing else from disk', async () => {
    const page = await fetch(`${app.url}/tabs/mine-saker`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'self' https://teams.microsoft.com");
    expect(await page.text()).toContain('/tabs/assets/mine-saker.js');
    for (const asset of ['common.js', 'mine-saker.js', 'forvaltning.js', 'tabs.css', 'teams-js.js']) {
      expect((await fetch(`${app.url}/tabs/assets/${asset}`)).status, asset).toBe(200);
    }
    expect((await fetch(`${app.url}/tabs/assets/..%2F..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${app.url}/tabs/unknown`)).status).toBe(404);
  });

  it('answers 404 for page and asset names that are properties of every object', async () => {
    for (const name of ['constructor', '__proto__', 'hasOwnProperty', 'toString']) {
      for (const address of [`/tabs/${name}`, `/tabs/assets/${name}`]) {
        const response = await fetch(`${app.url}${address}`);
        expect(response.status, address).toBe(404);
        expect(await response.text(), address).not.toMatch(/TypeError|argument/);
      }
    }
  });
});

describe('the tab API when Entra ID cannot be reached', () => {
  it('answers 503, not that the token is bad', async () => {
    const idp = await startLocalIdentityProvider();
    const token = await idp.token(EMPLOYEE);
    await idp.stop();
    const app = await startAppWithBotIdentity({ tablePrefix: uniqueTablePrefix('tabsnokeys'), identityProvider: idp });
    try {
      const response = await fetch(`${app.url}/tabs/api/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(503);
      expect(((await response.json()) as { error: string }).error).toBe('server');
    } finally {
      await app.close();
    }
  });
});

describe('the tab API with a bot identity but no tab app', () => {
  it('cannot sign anyone in, and says so with 503', async () => {
    const idp = await startLocalIdentityProvider();
    const app = await startAppWithBotIdentity({ tablePrefix: uniqueTablePrefix('tabsnone') });
    try {
      const response = await fetch(`${app.url}/tabs/api/me`, { headers: { authorization: `Bearer ${await idp.token(EMPLOYEE)}` } });
      expect(response.status).toBe(503);
      expect(((await response.json()) as { error: string }).error).toBe('not-configured');
    } finally {
      await app.close();
      await idp.stop();
    }
  });
});
