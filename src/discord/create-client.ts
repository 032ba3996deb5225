import { Client, GatewayIntentBits, Options } from 'discord.js';

export interface ClientSettings {
  apiBaseUrl: string;
}

/**
 * The gateway client: the Guilds intent only (no privileged intents), and caches limited to what
 * the bot reads (servers, their channels and roles, and its own member, to check permissions),
 * so memory grows with the number of servers and nothing else.
 */
export function createClient({ apiBaseUrl }: ClientSettings): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    // One connection per shard Discord recommends (GET /gateway/bot), all in this process.
    shards: 'auto',
    rest: { api: apiBaseUrl, timeout: 15_000, retries: 3 },
    makeCache: Options.cacheWithLimits({
      ApplicationCommandManager: 0,
      ApplicationEmojiManager: 0,
      AutoModerationRuleManager: 0,
      BaseGuildEmojiManager: 0,
      DMMessageManager: 0,
      EntitlementManager: 0,
      GuildBanManager: 0,
      GuildEmojiManager: 0,
      GuildForumThreadManager: 0,
      GuildInviteManager: 0,
      GuildMessageManager: 0,
      GuildScheduledEventManager: 0,
      GuildStickerManager: 0,
      GuildTextThreadManager: 0,
      MessageManager: 0,
      PresenceManager: 0,
      ReactionManager: 0,
      ReactionUserManager: 0,
      StageInstanceManager: 0,
      ThreadManager: 0,
      ThreadMemberManager: 0,
      UserManager: { maxSize: 0, keepOverLimit: (user) => user.id === user.client.user.id },
      VoiceStateManager: 0,
      GuildMemberManager: {
        maxSize: 0,
        keepOverLimit: (member) => member.id === member.client.user.id,
      },
    }),
    sweepers: Options.DefaultSweeperSettings,
    allowedMentions: { parse: [] },
    enforceNonce: true,
  });
}
