import {
  type APIGatewaySessionStartLimit,
  type APIUser,
  ApplicationIntegrationType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import type { ChannelMessages } from './channel-messages.js';
import type { CommandRegistry } from './commands.js';
import type { Crossposts } from './crossposts.js';
import type { RouteDef } from './fake-rest.js';
import type { FakeGuild, FakeState } from './fake-state.js';
import type { ForumThreads } from './forum-threads.js';
import type { InteractionStore } from './interactions.js';
import type { MessageThreads } from './message-threads.js';
import { apiBotMember, apiChannel, apiGuild, apiRole } from './payloads.js';
import { errors, ok, type RestRequest, type RestResult } from './rest-types.js';
import type { ScheduledEvents } from './scheduled-events.js';

export interface RouteContext {
  state: FakeState;
  bot: APIUser;
  applicationId: string;
  shardCount: number;
  gatewayUrl: () => string;
  sessionStartLimit: () => APIGatewaySessionStartLimit;
  commands: CommandRegistry;
  installationContexts: readonly ApplicationIntegrationType[];
  messages: ChannelMessages;
  interactions: InteractionStore;
  scheduledEvents: ScheduledEvents;
  threads: ForumThreads;
  crossposts: Crossposts;
  messageThreads: MessageThreads;
}

/** Everything discord.js calls during normal bot operation; anything else lands in unhandledRequests. */
export function buildRoutes(ctx: RouteContext): RouteDef[] {
  const { state, bot, applicationId, commands, interactions } = ctx;
  const param = (request: RestRequest, name: string): string => request.params[name] ?? '';
  const application = () => applicationObject(ctx);

  const sameApp = (request: RestRequest, run: () => RestResult): RestResult =>
    param(request, 'applicationId') === applicationId ? run() : errors.unknownApplication();
  const withGuild = (request: RestRequest, run: (guild: FakeGuild) => RestResult): RestResult => {
    const guild = state.guild(param(request, 'guildId'));
    return guild ? run(guild) : errors.unknownGuild();
  };

  return [
    {
      method: 'GET',
      pattern: '/gateway/bot',
      handle: () =>
        ok({
          url: ctx.gatewayUrl(),
          shards: ctx.shardCount,
          session_start_limit: ctx.sessionStartLimit(),
        }),
    },
    { method: 'GET', pattern: '/gateway', handle: () => ok({ url: ctx.gatewayUrl() }) },
    { method: 'GET', pattern: '/users/@me', handle: () => ok(bot) },
    { method: 'GET', pattern: '/applications/@me', handle: () => ok(application()) },
    { method: 'GET', pattern: '/oauth2/applications/@me', handle: () => ok(application()) },

    ...commandRoutes('/applications/:applicationId/commands', (request, run) =>
      sameApp(request, () => run(null)),
    ),
    ...commandRoutes('/applications/:applicationId/guilds/:guildId/commands', (request, run) =>
      sameApp(request, () => withGuild(request, (guild) => run(guild.id))),
    ),

    {
      method: 'GET',
      pattern: '/channels/:channelId',
      handle: (request) => {
        const found = state.channel(param(request, 'channelId'));
        if (!found)
          return ctx.messageThreads.get(param(request, 'channelId')) ?? errors.unknownChannel();
        const canView =
          (state.botPermissionsIn(found.guild, found.channel) & PermissionFlagsBits.ViewChannel) !==
          0n;
        return canView ? ok(apiChannel(found.channel, true)) : errors.missingAccess();
      },
    },
    {
      method: 'POST',
      pattern: '/channels/:channelId/messages',
      commitsBeforeFailure: true,
      handle: (request) => ctx.messages.create(param(request, 'channelId'), request),
    },
    {
      method: 'GET',
      pattern: '/channels/:channelId/messages',
      handle: (request) => ctx.messages.list(param(request, 'channelId'), request),
    },
    {
      method: 'GET',
      pattern: '/channels/:channelId/messages/:messageId',
      handle: (request) =>
        ctx.messages.get(param(request, 'channelId'), param(request, 'messageId')),
    },
    {
      method: 'DELETE',
      pattern: '/channels/:channelId/messages/:messageId',
      handle: (request) =>
        ctx.messages.delete(param(request, 'channelId'), param(request, 'messageId')),
    },
    {
      method: 'POST',
      pattern: '/channels/:channelId/threads',
      commitsBeforeFailure: true,
      handle: (request) => ctx.threads.create(param(request, 'channelId'), request),
    },
    {
      method: 'GET',
      pattern: '/channels/:channelId/threads/archived/public',
      handle: (request) => ctx.threads.listArchivedPublic(param(request, 'channelId'), request),
    },
    {
      method: 'GET',
      pattern: '/guilds/:guildId/threads/active',
      handle: (request) => withGuild(request, (guild) => ctx.threads.listActive(guild)),
    },
    {
      method: 'POST',
      pattern: '/channels/:channelId/messages/:messageId/crosspost',
      commitsBeforeFailure: true,
      handle: (request) =>
        ctx.crossposts.crosspost(param(request, 'channelId'), param(request, 'messageId')),
    },
    {
      method: 'POST',
      pattern: '/channels/:channelId/messages/:messageId/threads',
      commitsBeforeFailure: true,
      handle: (request) =>
        ctx.messageThreads.start(param(request, 'channelId'), param(request, 'messageId'), request),
    },
    {
      method: 'GET',
      pattern: '/guilds/:guildId',
      handle: (request) =>
        withGuild(request, (guild) => {
          const counts =
            request.query.get('with_counts') === 'true'
              ? { approximate_member_count: guild.memberCount, approximate_presence_count: 1 }
              : {};
          return ok({ ...apiGuild(guild), ...counts });
        }),
    },
    {
      method: 'GET',
      pattern: '/guilds/:guildId/channels',
      handle: (request) =>
        withGuild(request, (guild) => ok(guild.channels.map((c) => apiChannel(c, true)))),
    },
    {
      method: 'GET',
      pattern: '/guilds/:guildId/roles',
      handle: (request) => withGuild(request, (guild) => ok(guild.roles.map(apiRole))),
    },
    {
      method: 'GET',
      pattern: '/guilds/:guildId/members/:userId',
      handle: (request) =>
        withGuild(request, (guild) => {
          const userId = param(request, 'userId');
          // Only the bot is a known member; other users exist only inside injected interactions.
          return userId === bot.id || userId === '@me'
            ? ok(apiBotMember(guild, bot))
            : errors.unknownMember();
        }),
    },
    ...scheduledEventRoutes(ctx.scheduledEvents, withGuild, param),

    {
      method: 'POST',
      pattern: '/interactions/:interactionId/:token/callback',
      interaction: true,
      handle: (request) =>
        interactions.callback(param(request, 'interactionId'), param(request, 'token'), request),
    },
    {
      method: 'POST',
      pattern: '/webhooks/:applicationId/:token',
      interaction: true,
      handle: (request) =>
        interactions.followup(param(request, 'applicationId'), param(request, 'token'), request),
    },
    {
      method: 'GET',
      pattern: '/webhooks/:applicationId/:token/messages/:messageId',
      interaction: true,
      handle: (request) =>
        interactions.getMessage(
          param(request, 'applicationId'),
          param(request, 'token'),
          param(request, 'messageId'),
        ),
    },
    {
      method: 'PATCH',
      pattern: '/webhooks/:applicationId/:token/messages/:messageId',
      interaction: true,
      handle: (request) =>
        interactions.editMessage(
          param(request, 'applicationId'),
          param(request, 'token'),
          param(request, 'messageId'),
          request,
        ),
    },
    {
      method: 'DELETE',
      pattern: '/webhooks/:applicationId/:token/messages/:messageId',
      interaction: true,
      handle: (request) =>
        interactions.deleteMessage(
          param(request, 'applicationId'),
          param(request, 'token'),
          param(request, 'messageId'),
        ),
    },
  ];

  function commandRoutes(
    pattern: string,
    scope: (request: RestRequest, run: (guildId: string | null) => RestResult) => RestResult,
  ): RouteDef[] {
    return [
      { method: 'GET', pattern, handle: (r) => scope(r, (g) => commands.list(g)) },
      { method: 'PUT', pattern, handle: (r) => scope(r, (g) => commands.overwrite(g, r.body)) },
      { method: 'POST', pattern, handle: (r) => scope(r, (g) => commands.create(g, r.body)) },
    ];
  }
}

function scheduledEventRoutes(
  events: ScheduledEvents,
  withGuild: (request: RestRequest, run: (guild: FakeGuild) => RestResult) => RestResult,
  param: (request: RestRequest, name: string) => string,
): RouteDef[] {
  const list = '/guilds/:guildId/scheduled-events';
  const one = '/guilds/:guildId/scheduled-events/:eventId';
  const id = (request: RestRequest) => param(request, 'eventId');
  return [
    { method: 'GET', pattern: list, handle: (r) => withGuild(r, (g) => events.list(g, r)) },
    {
      method: 'POST',
      pattern: list,
      commitsBeforeFailure: true,
      handle: (r) => withGuild(r, (g) => events.create(g, r)),
    },
    { method: 'GET', pattern: one, handle: (r) => withGuild(r, (g) => events.get(g, id(r), r)) },
    {
      method: 'PATCH',
      pattern: one,
      handle: (r) => withGuild(r, (g) => events.modify(g, id(r), r)),
    },
    { method: 'DELETE', pattern: one, handle: (r) => withGuild(r, (g) => events.delete(g, id(r))) },
  ];
}

function applicationObject(ctx: RouteContext): Record<string, unknown> {
  return {
    id: ctx.applicationId,
    name: ctx.bot.username,
    icon: null,
    description: '',
    summary: '',
    type: null,
    bot_public: false,
    bot_require_code_grant: false,
    verify_key: '0'.repeat(64),
    flags: 0,
    team: null,
    owner: {
      id: '100000000000000000',
      username: 'owner',
      discriminator: '0',
      global_name: null,
      avatar: null,
    },
    bot: ctx.bot,
    approximate_guild_count: ctx.state.guilds.size,
    install_params: { scopes: ['bot', 'applications.commands'], permissions: '0' },
    // One key per installation context the application supports.
    integration_types_config: Object.fromEntries(
      ctx.installationContexts.map((type) => [
        type,
        {
          oauth2_install_params:
            type === ApplicationIntegrationType.GuildInstall
              ? { scopes: ['applications.commands', 'bot'], permissions: '0' }
              : { scopes: ['applications.commands'], permissions: '0' },
        },
      ]),
    ),
  };
}
