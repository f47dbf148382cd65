import { describe, expect, it } from 'vitest';
import {
  CONTEXT_CACHE_MS,
  CONTEXT_LIFETIME_MS,
  CONTEXT_WRITE_DELAY_MS,
  CONTEXT_REFRESH_MS,
  TableConversationContextStore,
  needsSaving,
  type ConversationContext,
} from '../../src/conversations/conversationContextStore';
import { testConnectionString, uniqueTablePrefix } from '../support/storage';

const at = new Date('2026-12-03T10:00:00Z');
const context = (userId: string, conversationId: string, updatedAt = at): ConversationContext => ({
  userId,
  conversationId,
  language: 'nn',
  process: 'PBO',
  role: null,
  unit: 'IFY',
  updatedAt: updatedAt.toISOString(),
});

describe('TableConversationContextStore', () => {
  it('keeps the last question and language per user and conversation, and forgets it after 30 quiet minutes', async () => {
    const store = await TableConversationContextStore.open(testConnectionString(), `${uniqueTablePrefix('ctx')}contexts`);
    await store.save(context('aad-1', 'a:1'));
    await store.save({ ...context('aad-1', '19:channel@thread.tacv2'), process: 'BTB', unit: null, role: 'prosessansvarlig', language: 'en' });

    expect(await store.get('aad-1', 'a:1', at)).toEqual(context('aad-1', 'a:1'));
    expect(await store.get('aad-1', '19:channel@thread.tacv2', at)).toMatchObject({ process: 'BTB', unit: null, role: 'prosessansvarlig', language: 'en' });
    expect(await store.get('aad-2', 'a:1', at)).toBeNull();
    expect(await store.get('aad-1', 'a:1', new Date(at.getTime() + CONTEXT_LIFETIME_MS))).not.toBeNull();
    expect(await store.get('aad-1', 'a:1', new Date(at.getTime() + CONTEXT_LIFETIME_MS + 1000))).toBeNull();
    // A new message keeps it alive for another 30 minutes.
    const later = new Date(at.getTime() + 25 * 60 * 1000);
    await store.save(context('aad-1', 'a:1', later));
    expect(await store.get('aad-1', 'a:1', new Date(later.getTime() + 20 * 60 * 1000))).not.toBeNull();
  });

  it('finds and deletes every context of a user, and only theirs', async () => {
    const store = await TableConversationContextStore.open(testConnectionString(), `${uniqueTablePrefix('ctx')}contexts`);
    await store.save(context('aad-1', 'a:1'));
    await store.save(context('aad-1', '19:channel@thread.tacv2'));
    await store.save(context('aad-10', 'a:10'));

    const holder = store.personalData();
    expect((await holder.findForUser({ id: 'aad-1' })).map((found) => found.conversationId).sort()).toEqual(['19:channel@thread.tacv2', 'a:1']);
    expect((await holder.deleteForUser({ id: 'aad-1' })).sort()).toEqual(['19:channel@thread.tacv2', 'a:1']);
    expect(await store.listForUser('aad-1')).toEqual([]);
    expect(await holder.deleteForUser({ id: 'aad-1' })).toEqual([]);
    expect(await store.listForUser('aad-10')).toHaveLength(1);
  });

  it('finds and deletes a context handed over just before, not yet written, and lets none land after the deletion', async () => {
    const store = await TableConversationContextStore.open(testConnectionString(), `${uniqueTablePrefix('ctx')}contexts`);
    await store.save(context('aad-1', 'a:1'));
    const unwritten = store.save(context('aad-1', 'a:2'));
    const others = store.save(context('aad-10', 'a:10'));
    expect((await store.personalData().findForUser({ id: 'aad-1' })).map((found) => found.conversationId).sort()).toEqual(['a:1', 'a:2']);
    void store.save(context('aad-1', 'a:3'));
    expect((await store.personalData().deleteForUser({ id: 'aad-1' })).sort()).toEqual(['a:1', 'a:2', 'a:3']);
    // Answered while the deletion runs: dropped, not written after it.
    const late = store.save(context('aad-1', 'a:4'));
    await store.personalData().deleteForUser({ id: 'aad-1' });
    await unwritten;
    await others;
    await late;
    await store.close();
    expect(await store.listForUser('aad-1')).toEqual([]);
    expect(await store.listForUser('aad-10')).toHaveLength(1);
  });

  it('is written a moment after it is handed over, together with the others of that moment', async () => {
    const tableName = `${uniqueTablePrefix('ctx')}contexts`;
    const store = await TableConversationContextStore.open(testConnectionString(), tableName);
    const reader = await TableConversationContextStore.open(testConnectionString(), tableName, { cacheMs: 0 });
    const started = Date.now();
    const saving = Array.from({ length: 40 }, (_, n) => store.save(context(`aad-${n}`, `a:${n}`)));
    // This instance has them at once; storage a moment later.
    expect(await store.get('aad-7', 'a:7', at)).toMatchObject({ unit: 'IFY' });
    expect(await reader.get('aad-7', 'a:7', at)).toBeNull();
    await Promise.all(saving);
    expect(Date.now() - started).toBeGreaterThanOrEqual(CONTEXT_WRITE_DELAY_MS - 5);
    expect(await reader.get('aad-7', 'a:7', at)).toMatchObject({ unit: 'IFY' });
  });
});

describe('when a context is written again', () => {
  it('writes a change at once, and an unchanged context only once it is a minute old', () => {
    const saved = context('aad-1', 'a:1');
    const { updatedAt: _updatedAt, ...same } = saved;
    expect(needsSaving(null, same, at)).toBe(true);
    expect(needsSaving(saved, same, new Date(at.getTime() + 10_000))).toBe(false);
    expect(needsSaving(saved, same, new Date(at.getTime() + CONTEXT_REFRESH_MS))).toBe(true);
    expect(needsSaving(saved, { ...same, unit: 'IIK' }, new Date(at.getTime() + 10_000))).toBe(true);
    expect(needsSaving(saved, { ...same, language: 'en' }, new Date(at.getTime() + 10_000))).toBe(true);
  });
});

describe('what an instance holds of a context', () => {
  it('is read once and trusted for CONTEXT_CACHE_MS; a change by another instance is seen after that, and its own writes at once', async () => {
    const tableName = `${uniqueTablePrefix('ctx')}contexts`;
    let now = 0;
    const first = await TableConversationContextStore.open(testConnectionString(), tableName, { clock: () => now });
    const second = await TableConversationContextStore.open(testConnectionString(), tableName, { clock: () => now });
    await first.save(context('aad-1', 'a:1'));
    expect(await second.get('aad-1', 'a:1', at)).toMatchObject({ process: 'PBO' });

    await first.save({ ...context('aad-1', 'a:1'), process: 'BTB' });
    expect(await first.get('aad-1', 'a:1', at)).toMatchObject({ process: 'BTB' });
    // The bound of what a conversation whose messages alternate between instances can see: the other instance's read.
    now = CONTEXT_CACHE_MS - 1;
    expect(await second.get('aad-1', 'a:1', at)).toMatchObject({ process: 'PBO' });
    now = CONTEXT_CACHE_MS;
    expect(await second.get('aad-1', 'a:1', at)).toMatchObject({ process: 'BTB' });
  });

  // The replies go out while the context is written: a follow-up that reaches this instance before the write has
  // finished must still find the question it follows.
  it('gives its own context at once while the write to storage is still under way', async () => {
    const store = await TableConversationContextStore.open(testConnectionString(), `${uniqueTablePrefix('ctx')}contexts`);
    await store.save(context('aad-2', 'a:2'));
    const writing = store.save({ ...context('aad-2', 'a:2'), process: 'BTB' });
    expect(await store.get('aad-2', 'a:2', at)).toMatchObject({ process: 'BTB' });
    await writing;
  });

  it('holds that a conversation has no context too, and still forgets the context after 30 quiet minutes', async () => {
    const tableName = `${uniqueTablePrefix('ctx')}contexts`;
    const store = await TableConversationContextStore.open(testConnectionString(), tableName);
    const other = await TableConversationContextStore.open(testConnectionString(), tableName, { cacheMs: 0 });
    expect(await store.get('aad-1', 'a:1', at)).toBeNull();
    await other.save(context('aad-1', 'a:1'));
    expect(await store.get('aad-1', 'a:1', at)).toBeNull();
    await store.save(context('aad-1', 'a:1'));
    expect(await store.get('aad-1', 'a:1', new Date(at.getTime() + CONTEXT_LIFETIME_MS + 1000))).toBeNull();
  });
});
