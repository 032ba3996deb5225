import { REST } from '@discordjs/rest';
import { type FakeDiscord, startFakeDiscord } from '@remembrance-bot/fake-discord';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscordPublisher } from '../../src/discord/discord-publisher.js';
import type { MessagePayload } from '../../src/domain/message-payload.js';

const GUILD = '950000000000000001';
const CHANNEL = '950000000000000010';

describe('DiscordPublisher against the fake Discord', () => {
  let fake: FakeDiscord | undefined;
  afterEach(async () => {
    await fake?.close();
  });

  it('records a resend whose first message a moderator deleted as deleted, not as a lost channel', async () => {
    fake = await startFakeDiscord({ guilds: [{ id: GUILD, channels: [{ id: CHANNEL }] }] });
    const rest = new REST({ api: fake.apiBaseUrl, retries: 0 }).setToken(fake.token);
    const publisher = new DiscordPublisher(rest, () => fake?.botUserId);
    const payload: MessagePayload = {
      content: 'Khojaly',
      embeds: [],
      allowed_mentions: { parse: [] },
    };

    const first = await publisher.publish(CHANNEL, payload, 'delivery-1');
    expect(first).toMatchObject({ ok: true });
    fake.deleteMessage(first.ok ? (first.messageId ?? '') : '');

    // The same delivery again (a restart after a crash): Discord answers 10008 for the nonce.
    const again = await publisher.publish(CHANNEL, payload, 'delivery-1');

    expect(again).toMatchObject({ ok: false, retry: false, reason: 'message-deleted' });
    expect(fake.messages).toHaveLength(1);
  });
});
