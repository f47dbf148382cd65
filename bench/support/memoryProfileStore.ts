import type { UserProfile, UserProfileStore } from '../../src/profiles/userProfileStore';

/** The UserProfileStore contract in a Map, so a benchmark times the assistant and not storage. */
export class InMemoryUserProfileStore implements UserProfileStore {
  private readonly profiles = new Map<string, UserProfile>();

  async get(userId: string): Promise<UserProfile | null> {
    const profile = this.profiles.get(userId);
    return profile ? { ...profile } : null;
  }

  async setUnit(userId: string, unitCode: string): Promise<UserProfile> {
    const profile: UserProfile = {
      userId,
      unitCode,
      pendingQuestion: this.profiles.get(userId)?.pendingQuestion ?? null,
      updatedAt: new Date().toISOString(),
    };
    this.profiles.set(userId, profile);
    return { ...profile };
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
}
