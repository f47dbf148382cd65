import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_ROLE_HOLDERS } from '../../scripts/generate-role-holders';
import { TableSubscriptionStore } from '../../src/announcements/subscriptionStore';
import type { RunningApp } from '../../src/app';
import { TableConversationStore } from '../../src/conversations/conversationStore';
import { TableRoleHolderStore } from '../../src/roleHolders/roleHolderStore';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';
import { startAppWithBotIdentity, startLocalIdentityProvider, type LocalIdentityProvider } from '../support/tabTokens';

/**
 * The Forvaltning tab's role-holder import and audience figures over HTTP, on
 * the real app against Azurite, with Teams SSO tokens from a local stand-in
 * for Entra ID.
 */

const COORDINATOR = { id: randomUUID(), name: 'Ida Koordinator', email: 'ida.koordinator@ntnu.example' };
const EMPLOYEE = { id: randomUUID(), name: 'Kari Ansatt', email: 'kari.ansatt@ntnu.example' };
/** In the sample list as prosjektøkonom at IHB (under IV); she has a chat with the bot. */
const LIVE = { id: randomUUID(), name: 'Live Hagen', email: 'live.hagen@ntnu.example' };

describe('the Forvaltning tab: role holders and audiences', () => {
  let idp: LocalIdentityProvider;
  let app: RunningApp;
  let prefix: string;
  let store: TableRoleHolderStore;

  // The body has the shape a test names where it looks inside; otherwise only its top-level fields are read.
  const call = async <Body = Record<string, unknown>>(method: string, url: string, options: { user?: typeof EMPLOYEE; body?: unknown; language?: string } = {}) => {
    const response = await fetch(`${app.url}${url}`, {
      method,
      headers: {
        ...(options.user ? { authorization: `Bearer ${await idp.token(options.user)}` } : {}),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        'accept-language': options.language ?? 'nb',
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: (text.startsWith('{') ? JSON.parse(text) : {}) as Body };
  };
  const file = (name: string, text: string) => [{ name, contentBase64: Buffer.from(text).toString('base64') }];

  beforeAll(async () => {
    idp = await startLocalIdentityProvider();
    prefix = uniqueTablePrefix('rhtab');
    app = await startAppWithBotIdentity({ tablePrefix: prefix, identityProvider: idp, environment: { COORDINATORS: COORDINATOR.email, TAB_TENANT_ID: idp.tenantId } });
    store = await TableRoleHolderStore.open(testConnectionString(), `${prefix}roleholders`);
    const conversations = await TableConversationStore.open(testConnectionString(), `${prefix}conversations`);
    for (const user of [EMPLOYEE, LIVE]) {
      await conversations.remember({ conversationId: `a:${user.id}`, kind: 'personal', reference: { user: { id: user.id } }, user, updatedAt: new Date().toISOString() });
    }
    // Kari said "jeg er prosjektøkonom" in chat; she is not in the list.
    await (await TableSubscriptionStore.open(testConnectionString(), `${prefix}subscriptions`)).update(EMPLOYEE.id, (current) => ({ ...current, roles: ['prosjektokonom'] }));
  });

  afterAll(async () => {
    await app?.close();
    await idp?.stop();
  });

  it('is for coordinators only', async () => {
    expect((await call('GET', '/tabs/api/admin/role-holders', { user: EMPLOYEE })).status).toBe(403);
    expect((await call('POST', '/tabs/api/admin/audience', { user: EMPLOYEE, body: { everyone: true, roles: [], processes: [], units: [] } })).status).toBe(403);
    expect((await call('POST', '/tabs/api/admin/role-holders/preview', { body: { files: file('roller.csv', 'email') } })).status).toBe(401);
    expect((await call('POST', '/tabs/api/admin/audience/csv', { user: EMPLOYEE, body: { everyone: true, roles: [], processes: [], units: [] } })).status).toBe(403);
  });

  it('previews a list with problems, file, line and reason, and applies nothing, not even when asked to', async () => {
    const bad = file('roller.csv', 'email,name,role,unit,process\nkari@ntnu.example,Kari,innkjoper,IDI,BTB\nfeil,Per,sjef,NOWHERE,\n');
    const preview = await call('POST', '/tabs/api/admin/role-holders/preview', { user: COORDINATOR, body: { files: bad }, language: 'en' });
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      ok: false,
      problems: [
        { file: 'roller.csv', line: 3, message: '"feil" in "email" is not a valid e-mail address' },
        {
          file: 'roller.csv',
          line: 3,
          message:
            'unknown process role "sjef"; valid roles are prosjektokonom, soknadsregistrerer, kostnadsgodkjenner, innkjoper, fagrekvirent, fakturaansvarlig, salgsordreoppretter',
        },
        { file: 'roller.csv', line: 3, message: 'the unit "NOWHERE" is not among the units' },
      ],
    });
    const applied = await call('POST', '/tabs/api/admin/role-holders/apply', { user: COORDINATOR, body: { files: bad, digest: 'a'.repeat(64), baseVersion: null } });
    expect(applied.status).toBe(409);
    expect(await store.current()).toBeNull();
    const wrong = await call('POST', '/tabs/api/admin/role-holders/preview', { user: COORDINATOR, body: { files: file('roller.txt', 'x') } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('file-names');
  });

  it('previews the sample list, applies exactly what was previewed, and shows the audience figures and list', async () => {
    const sample = file('sample-role-holders.csv', await readFile(SAMPLE_ROLE_HOLDERS, 'utf8'));
    const preview = await call<{ ok: boolean; digest: string; changes: { counts: string[] } }>('POST', '/tabs/api/admin/role-holders/preview', {
      user: COORDINATOR,
      body: { files: sample },
    });
    expect(preview.body).toMatchObject({ ok: true, baseVersion: null, unchanged: false });
    expect(preview.body.changes.counts).toEqual(['Personer: 240 lagt til, 0 fjernet, 0 endret']);
    expect(await store.current()).toBeNull();

    const mismatch = await call('POST', '/tabs/api/admin/role-holders/apply', {
      user: COORDINATOR,
      body: { files: file('sample-role-holders.csv', 'email'), digest: preview.body.digest, baseVersion: null },
    });
    expect(mismatch.body.error).toBe('changed-files');
    const applied = await call('POST', '/tabs/api/admin/role-holders/apply', { user: COORDINATOR, body: { files: sample, digest: preview.body.digest, baseVersion: null } });
    expect(applied.status).toBe(200);
    expect((await store.current())?.holders).toHaveLength(354);
    const state = (
      await call<{ current: unknown; choices: Record<'roles' | 'units', { code: string; name: string }[]> }>('GET', '/tabs/api/admin/role-holders', {
        user: COORDINATOR,
        language: 'en',
      })
    ).body;
    expect(state.current).toMatchObject({ people: 240, rows: 354 });
    // The audience form's choices, as the announcement form offers them.
    expect(state.choices.roles).toContainEqual({ code: 'innkjoper', name: 'Buyer' });
    expect(state.choices.roles).toHaveLength(7);
    expect(state.choices.units.map((unit) => unit.code)).toContain('IDI');
    const stale = await call('POST', '/tabs/api/admin/role-holders/apply', { user: COORDINATOR, body: { files: sample, digest: preview.body.digest, baseVersion: null } });
    expect(stale.body.error).toBe('conflict');

    // Prosjektøkonomer at IV: the list's (Live among them, with a chat) and Kari, who declared the role in chat.
    const holders = (await store.current())?.holders ?? [];
    const listed = new Set(
      holders.filter((holder) => holder.role === 'prosjektokonom' && app.directory.index.unitChain(holder.unit).some((unit) => unit.code === 'IV')).map((holder) => holder.email),
    );
    expect(listed.has(LIVE.email)).toBe(true);
    const chosen = { everyone: false, roles: ['prosjektokonom'], processes: [], units: ['IV'] };
    const figures = await call('POST', '/tabs/api/admin/audience', { user: COORDINATOR, body: chosen });
    expect(figures.status).toBe(200);
    expect(figures.body).toMatchObject({ people: listed.size + 1, reachable: 2, needsInstallation: listed.size - 1, unreachable: listed.size - 1, installationEnabled: false });

    const csv = await call('POST', '/tabs/api/admin/audience/csv', { user: COORDINATOR, body: chosen, language: 'en' });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="audience.csv"');
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('Name;E-mail;Found in;Status');
    expect(lines).toHaveLength(listed.size + 2);
    expect(lines).toContain('Live Hagen;live.hagen@ntnu.example;role-holder list;reached now');
    expect(lines).toContain('Kari Ansatt;kari.ansatt@ntnu.example;own roles;reached now');

    const unknown = await call('POST', '/tabs/api/admin/audience', { user: COORDINATOR, body: { ...chosen, units: ['NOWHERE'] } });
    expect(unknown.status).toBe(400);
  });
});
