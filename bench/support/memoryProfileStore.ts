import type { UserProfile, UserProfileStore } from '../../src/profiles/userProfileStore';

/** The UserProfileStore contract in a Map, so a benchmark times the assistant and not storage. */
export class InMemoryUserProfileStore implements UserProfileStore {
  private readonly profiles = new Map<string, UserProfile>();

  async get(userId: string): Promise<UserProfile | null> {
    const profile = this.profiles.get(userId);
    return profile ? { ...profile } : null;
  }

  async setUnit(userId: string, unitCode: string): Promise<void> {
    this.profiles.set(userId, { userId, unitCode, pendingQuestion: null, updatedAt: new Date().toISOString() });
  }

  async setPendingQuestion(userId: string, question: string | null): Promise<void> {
    const previous = this.profiles.get(userId);
    this.profiles.set(userId, {
      userId,
      unitCode: previous?.unitCode ?? null,
      pendingQuestion: question,
      updatedAt: new Date().toISOString(),
    });
  }

  async delete(userId: string): Promise<boolean> {
    return this.profiles.delete(userId);
  }
}
