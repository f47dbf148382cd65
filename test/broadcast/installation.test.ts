import { describe, expect, it } from 'vitest';
import { InstallationError, type InstallationRequest, type RecipientInstaller } from '../../src/broadcast/installation';
import type { BroadcastRecipient, ConversationReferenceJson } from '../../src/broadcast/model';
import { announcement, engineOn, FakeMessenger, finalReport, openTables, recipients, referenceFor, waitFor } from './support';

/** People the app has no chat with: a placeholder reference, and the e-mail to install it for. */
function withoutChat(count: number, prefix = 'person'): BroadcastRecipient[] {
  return Array.from({ length: count }, (_, index) => {
    const email = `${prefix}.${index}@ntnu.example`;
    return { conversationId: `install:${email}`, reference: {}, label: email, installFor: email };
  });
}

const chatOf = (email: string) => `19:${email}@unq.gbl.spaces`;

/** Stands in for Graph: installs (after `gate`, if set), or fails as scripted per e-mail; honours the abort signal. */
class FakeInstaller implements RecipientInstaller {
  readonly calls: string[] = [];
  readonly failures = new Map<string, InstallationError | Error>();
  /** Calls from this one on wait for the gate. */
  gate: Promise<void> | null = null;
  gateFrom = 0;

  async install(request: InstallationRequest): Promise<ConversationReferenceJson> {
    const index = this.calls.push(request.email) - 1;
    if (this.gate && index >= this.gateFrom) {
      const gate = this.gate;
      await new Promise<void>((resolve, reject) => {
        void gate.then(resolve);
        request.signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      });
    }
    const failure = this.failures.get(request.email);
    if (failure) throw failure;
    return referenceFor(chatOf(request.email));
  }
}

describe('BroadcastEngine with recipients it must have the app installed for', () => {
  it('installs for them, stores the chat it got, and sends there once; failures are listed per recipient with their reason', async () => {
    const tables = await openTables();
    const messenger = new FakeMessenger(1);
    const installer = new FakeInstaller();
    installer.failures.set('person.1@ntnu.example', new InstallationError('not-found', 'nobody with the e-mail person.1@ntnu.example', 404));
    installer.failures.set('person.2@ntnu.example', new InstallationError('blocked', '403: blocked by policy', 403));
    installer.failures.set('person.3@ntnu.example', new Error('socket hang up'));
    const { engine, reports } = engineOn(tables, messenger, { installer });
    engine.start();
    try {
      await engine.create({ id: 'install-1', kind: 'send', activity: announcement, recipients: [...recipients(10), ...withoutChat(10)] });
      const report = await finalReport(reports, 'install-1');
      expect(report).toMatchObject({ total: 20, sent: 17, failed: 1, unreachable: 2, remaining: 0, possibleDuplicates: 0 });

      const installedEmails = Array.from({ length: 10 }, (_, index) => `person.${index}@ntnu.example`).filter((email) => !/person\.[123]@/.test(email));
      const counts = messenger.countsByConversation();
      for (const email of installedEmails) expect(counts.get(chatOf(email))).toBe(1);
      expect([...counts.values()].every((count) => count === 1)).toBe(true);
      expect(installer.calls).toHaveLength(10);

      const stored = new Map((await tables.store.recipients('install-1')).map((recipient) => [recipient.conversationId, recipient]));
      expect(stored.get('install:person.0@ntnu.example')).toMatchObject({
        state: 'sent',
        installFor: 'person.0@ntnu.example',
        installation: 'done',
        reference: referenceFor(chatOf('person.0@ntnu.example')),
      });
      expect(stored.get('a:person-0000')).toMatchObject({ state: 'sent', installFor: null, installation: null });

      const failures = await engine.failures('install-1');
      expect(failures.map((recipient) => [recipient.label, recipient.state, recipient.installation, recipient.lastStatus])).toEqual([
        ['person.3@ntnu.example', 'failed', 'graph-error', null],
        ['person.1@ntnu.example', 'unreachable', 'not-found', 404],
        ['person.2@ntnu.example', 'unreachable', 'blocked', 403],
      ]);
      expect(failures[0]?.lastError).toBe('socket hang up');
    } finally {
      await engine.stop();
    }
  });

  it('sends to those it has a chat with while installations wait: they never hold up the Teams sends', async () => {
    const tables = await openTables();
    const messenger = new FakeMessenger(1);
    const installer = new FakeInstaller();
    let release = () => undefined as void;
    installer.gate = new Promise<void>((resolve) => (release = resolve));
    const { engine, reports } = engineOn(tables, messenger, { installer, maxInstallsInFlight: 2 });
    engine.start();
    try {
      await engine.create({ id: 'install-2', kind: 'send', activity: announcement, recipients: [...withoutChat(6), ...recipients(30)] });
      await waitFor(() => messenger.calls.length === 30, 10_000, 'every chat reached');
      expect(installer.calls).toHaveLength(2);
      expect(reports.some((report) => report.broadcastId === 'install-2' && report.done)).toBe(false);

      release();
      const report = await finalReport(reports, 'install-2');
      expect(report).toMatchObject({ total: 36, sent: 36, remaining: 0 });
      expect(installer.calls).toHaveLength(6);
    } finally {
      await engine.stop();
    }
  });

  it('lists them as not reached, reason off, when it has no installer (installation off)', async () => {
    const tables = await openTables();
    const messenger = new FakeMessenger();
    const { engine, reports } = engineOn(tables, messenger);
    engine.start();
    try {
      await engine.create({ id: 'install-3', kind: 'send', activity: announcement, recipients: [...recipients(2), ...withoutChat(2)] });
      expect(await finalReport(reports, 'install-3')).toMatchObject({ total: 4, sent: 2, unreachable: 2 });
      expect((await engine.failures('install-3')).map((recipient) => recipient.installation)).toEqual(['off', 'off']);
    } finally {
      await engine.stop();
    }
  });

  it('resumes on another instance: those installed for are not installed again, the rest are, and nobody is lost or sent twice', async () => {
    const tables = await openTables();
    const messenger = new FakeMessenger(1);
    const first = new FakeInstaller();
    let releaseFirst = () => undefined as void;
    first.gate = new Promise<void>((resolve) => (releaseFirst = resolve));
    first.gateFrom = 2;
    const one = engineOn(tables, messenger, { installer: first, maxInstallsInFlight: 2 });
    one.engine.start();
    await one.engine.create({ id: 'install-4', kind: 'send', activity: announcement, recipients: withoutChat(8) });
    // The first two install and are sent; the next two hang in Graph when the instance stops.
    await waitFor(() => messenger.calls.length === 2 && first.calls.length === 4, 10_000, 'two sent, two installing');
    await one.engine.stop();
    releaseFirst();

    const second = new FakeInstaller();
    const two = engineOn(tables, messenger, { installer: second });
    two.engine.start();
    try {
      expect(await finalReport(two.reports, 'install-4')).toMatchObject({ total: 8, sent: 8, remaining: 0, possibleDuplicates: 0 });
      expect(second.calls).toHaveLength(6);
      expect([...messenger.countsByConversation().values()]).toEqual(Array.from({ length: 8 }, () => 1));
    } finally {
      await two.engine.stop();
    }
  });
});
