import type { FakeDiscord, FakeGuildSpec } from '@remembrance-bot/fake-discord';

export interface Server {
  guildId: string;
  channelId: string;
}

/** N servers with a channel for posts each, with realistic snowflake ids. */
export function makeServers(count: number, offset = 0): Server[] {
  return Array.from({ length: count }, (_, i) => ({
    guildId: String(400000000000000000n + (BigInt(offset + i) << 22n)),
    channelId: String(600000000000000000n + (BigInt(offset + i) << 22n)),
  }));
}

/** Each server also has a #general, where members run commands. */
export function toGuildSpecs(servers: readonly Server[]): FakeGuildSpec[] {
  return servers.map((s) => ({
    id: s.guildId,
    channels: [
      { id: s.channelId, name: 'remembrance' },
      { id: String(BigInt(s.channelId) + 1n), name: 'general' },
    ],
  }));
}

/** Configures every server as `/commemoration setup` would, straight into the database file. */
/** Messages per channel: exactly-once means every count is 1. */
export function countPosts(
  fake: FakeDiscord,
  servers: readonly Server[],
): { lost: number; duplicated: number; total: number } {
  const counts = new Map<string, number>();
  for (const message of fake.messages)
    counts.set(message.channelId, (counts.get(message.channelId) ?? 0) + 1);
  let lost = 0;
  let duplicated = 0;
  for (const server of servers) {
    const count = counts.get(server.channelId) ?? 0;
    if (count === 0) lost += 1;
    if (count > 1) duplicated += 1;
  }
  return { lost, duplicated, total: fake.messages.length };
}
