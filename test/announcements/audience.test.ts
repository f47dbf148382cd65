import { beforeAll, describe, expect, it } from 'vitest';
import type { AudienceReachEntry } from '../../src/announcements/announcementPorts';
import { SubscriberAudience } from '../../src/announcements/audience';
import { audienceCsv } from '../../src/announcements/audienceCsv';
import type { Audience } from '../../src/announcements/model';
import { TableSubscriptionStore } from '../../src/announcements/subscriptionStore';
import { TableConversationStore } from '../../src/conversations/conversationStore';
import type { DirectoryIndex } from '../../src/directory/directoryIndex';
import { announcementTexts, tabTexts } from '../../src/i18n';
import { TableUserProfileStore } from '../../src/profiles/userProfileStore';
import type { RoleHolder } from '../../src/roleHolders/model';
import { TableRoleHolderStore } from '../../src/roleHolders/roleHolderStore';
import { seededDirectoryIndex } from '../support/seededDirectory';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

/**
 * Audiences from both sources against Azurite: the roles people declared in
 * chat (subscriptions) and the coordinator's role-holder list, once per person.
 */

const person = (id: string, name: string, email: string) => ({ id, name, email });
const KARI = person('aad-kari', 'Kari Nord', 'kari@ntnu.example');
const OLA = person('aad-ola', 'Ola Nord', 'ola@ntnu.example');
const PER = person('aad-per', 'Per Sør', 'per@ntnu.example');

const holder = (email: string, name: string, role: RoleHolder['role'], unit: string, process: string | null = null): RoleHolder => ({ email, name, role, unit, process });
const LIST: RoleHolder[] = [
  holder('kari@ntnu.example', 'Kari Nord', 'innkjoper', 'IDI', 'BTB'),
  // The list spells Ola's address otherwise than Teams does: still one person.
  holder('Ola@NTNU.example', 'Ola Nord', 'innkjoper', 'IDI', 'BTB'),
  holder('Ola@NTNU.example', 'Ola Nord', 'fagrekvirent', 'IDI', 'BTB'),
  holder('eva@ntnu.example', 'Eva Uten Chat', 'innkjoper', 'IDI', 'BTB'),
  holder('lise@ntnu.example', 'Lise Annensted', 'innkjoper', 'AD', 'BTB'),
  holder('nora@ntnu.example', 'Nora Godkjenner', 'kostnadsgodkjenner', 'IDI'),
  holder('bjorn@ntnu.example', 'Bjørn Prosjekt', 'kostnadsgodkjenner', 'IDI', 'PROSJ'),
];

const audience = (choices: Partial<Audience>): Audience => ({ everyone: false, roles: [], processes: [], units: [], ...choices });
const emails = (entries: readonly { email: string | null }[]) => entries.map((entry) => entry.email?.toLowerCase()).sort();

describe('audiences from self-declared roles and the role-holder list', () => {
  let index: DirectoryIndex;
  let resolver: (options?: { installationEnabled?: boolean; withList?: boolean }) => SubscriberAudience;

  beforeAll(async () => {
    const prefix = uniqueTablePrefix('aud');
    const storage = testConnectionString();
    index = await seededDirectoryIndex();
    const conversations = await TableConversationStore.open(storage, `${prefix}conversations`);
    for (const user of [KARI, OLA, PER]) {
      await conversations.remember({ conversationId: `a:${user.id}`, kind: 'personal', reference: { user: { id: user.id } }, user, updatedAt: new Date().toISOString() });
    }
    // Ola's second chat with the bot: the one a proactive installation got from Graph, beside the one Teams reported.
    await conversations.remember({
      conversationId: `19:${OLA.id}@unq.gbl.spaces`,
      kind: 'personal',
      reference: { user: { id: OLA.id } },
      user: OLA,
      updatedAt: new Date().toISOString(),
    });
    const subscriptions = await TableSubscriptionStore.open(storage, `${prefix}subscriptions`);
    await subscriptions.update(KARI.id, (current) => ({ ...current, roles: ['innkjoper'] }));
    await subscriptions.update(PER.id, (current) => ({ ...current, roles: ['prosjektokonom'] }));
    const profiles = await TableUserProfileStore.open(storage, `${prefix}userprofiles`);
    const roleHolders = await TableRoleHolderStore.open(storage, `${prefix}roleholders`);
    await roleHolders.replace(LIST, 'roller.csv');
    resolver = ({ installationEnabled = false, withList = true } = {}) =>
      new SubscriberAudience({
        personalChats: () => conversations.list('personal'),
        personalChatPages: () => conversations.listPages('personal'),
        profiles,
        subscriptions,
        directory: () => index,
        ...(withList ? { roleHolders: async () => (await roleHolders.current())?.holders ?? [] } : {}),
        installationEnabled: () => installationEnabled,
      });
  });

  it("reaches people in the list by role within the audience's units, beside those who declared the role, each chat once", async () => {
    const innkjopereAtIe = audience({ roles: ['innkjoper'], units: ['IE'] });
    // Without the list: only Kari, who said she is an innkjøper.
    expect((await resolver({ withList: false }).resolve(innkjopereAtIe)).map((recipient) => recipient.label)).toEqual([KARI.email]);
    // With it: Ola too (IDI is under IE); Kari, found both ways, once. Lise is at AD, Eva has no chat.
    const recipients = await resolver().resolve(innkjopereAtIe);
    expect(recipients.map((recipient) => recipient.label).sort()).toEqual([KARI.email, OLA.email]);
    expect(await resolver().count(innkjopereAtIe)).toBe(2);
    const paged: string[] = [];
    for await (const page of resolver().resolvePages(innkjopereAtIe)) paged.push(...page.map((recipient) => recipient.conversationId));
    expect(paged.sort()).toEqual(recipients.map((recipient) => recipient.conversationId).sort());
  });

  it('with installation on, also gives the people of the list it has no chat with, to install the app for (paged: last), and reaches a person with two chats once', async () => {
    const innkjopereAtIe = audience({ roles: ['innkjoper'], units: ['IE'] });
    const recipients = await resolver({ installationEnabled: true }).resolve(innkjopereAtIe);
    expect(recipients.map((recipient) => [recipient.label, recipient.installFor ?? null]).sort()).toEqual([
      ['eva@ntnu.example', 'eva@ntnu.example'],
      [KARI.email, null],
      [OLA.email, null],
    ]);
    expect(recipients.find((recipient) => recipient.installFor)).toEqual({
      conversationId: 'install:eva@ntnu.example',
      reference: {},
      label: 'eva@ntnu.example',
      installFor: 'eva@ntnu.example',
    });
    const pages: string[][] = [];
    for await (const page of resolver({ installationEnabled: true }).resolvePages(innkjopereAtIe)) pages.push(page.map((recipient) => recipient.conversationId));
    expect(pages.at(-1)).toEqual(['install:eva@ntnu.example']);
    expect(pages.flat().sort()).toEqual(recipients.map((recipient) => recipient.conversationId).sort());
  });

  it("gives the preview's figures: people, reachable now, needing installation, and unreachable while installation is off", async () => {
    const innkjopere = audience({ roles: ['innkjoper'] });
    const off = await resolver().reach(innkjopere);
    expect(off).toMatchObject({ people: 4, reachable: 2, needsInstallation: 2, unreachable: 2, installationEnabled: false });
    const byEmail = new Map(off.entries.map((entry) => [entry.email?.toLowerCase(), entry]));
    expect(byEmail.get('kari@ntnu.example')).toEqual({
      name: 'Kari Nord',
      email: 'kari@ntnu.example',
      userId: KARI.id,
      sources: ['self-declared', 'role-list'],
      status: 'reachable',
    });
    expect(byEmail.get('ola@ntnu.example')).toMatchObject({ userId: OLA.id, sources: ['role-list'], status: 'reachable' });
    expect(byEmail.get('eva@ntnu.example')).toEqual({ name: 'Eva Uten Chat', email: 'eva@ntnu.example', userId: null, sources: ['role-list'], status: 'installation-off' });
    expect(byEmail.get('lise@ntnu.example')?.status).toBe('installation-off');

    const on = await resolver({ installationEnabled: true }).reach(innkjopere);
    expect(on).toMatchObject({ people: 4, reachable: 2, needsInstallation: 2, unreachable: 0, installationEnabled: true });
    expect(
      on.entries
        .filter((entry) => entry.status === 'needs-installation')
        .map((entry) => entry.email)
        .sort(),
    ).toEqual(['eva@ntnu.example', 'lise@ntnu.example']);
  });

  it('applies a process choice to the list: a row for the process or for every process matches, another process does not', async () => {
    const reach = await resolver().reach(audience({ roles: ['kostnadsgodkjenner'], processes: ['BTB'] }));
    expect(emails(reach.entries)).toEqual(['nora@ntnu.example']);
  });

  it('reaches everyone in the list and every chat for "everyone", and nobody in the list for channels only', async () => {
    const everyone = await resolver().reach(audience({ everyone: true }));
    expect(emails(everyone.entries)).toEqual([
      'bjorn@ntnu.example',
      'eva@ntnu.example',
      'kari@ntnu.example',
      'lise@ntnu.example',
      'nora@ntnu.example',
      'ola@ntnu.example',
      'per@ntnu.example',
    ]);
    expect(everyone).toMatchObject({ people: 7, reachable: 3 });
    expect((await resolver().reach(audience({}))).people).toBe(0);
  });

  it("downloads the people as CSV for Excel: those not reached first, in the coordinator's words", async () => {
    const t = tabTexts('nb').admin.audience;
    const entries: AudienceReachEntry[] = [
      { name: 'Kari Nord', email: 'kari@ntnu.example', userId: KARI.id, sources: ['self-declared', 'role-list'], status: 'reachable' },
      { name: '=Eva', email: 'eva@ntnu.example', userId: null, sources: ['role-list'], status: 'installation-off' },
    ];
    const text = audienceCsv(entries, { headers: t.columns, sources: t.sources, statuses: t.statuses }).toString('utf8');
    expect(text).toBe(
      '\uFEFFNavn;E-post;Funnet i;Status\r\n' +
        "'=Eva;eva@ntnu.example;rolleinnehaverlista;nås ikke: installasjon er slått av\r\n" +
        'Kari Nord;kari@ntnu.example;egne roller, rolleinnehaverlista;nås nå\r\n',
    );
    expect(announcementTexts('en').preview.withoutChatCount(2, false)).toBe('2 people need the app installed, but automatic installation is off, so they are not reached');
  });
});
