import { PermissionFlagsBits } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import {
  ALERT_PERMISSIONS,
  FORUM_POST_PERMISSIONS,
  findMissing,
  listChannelNeeds,
  listServerNeeds,
  POST_PERMISSIONS,
} from '../../src/discord/required-permissions.js';

const OFF = { publish: false, events: false, thread: false };

describe('what a server’s settings need', () => {
  it.each([
    ['posts only, text channel', OFF, 'text', [...POST_PERMISSIONS]],
    [
      'threads in a text channel',
      { ...OFF, thread: true },
      'text',
      [...POST_PERMISSIONS, 'createPublicThreads'],
    ],
    [
      'threads in an announcement channel',
      { ...OFF, thread: true },
      'announcement',
      [...POST_PERMISSIONS, 'createPublicThreads'],
    ],
    [
      'forum posts: Send Messages, Embed Links, and Read Message History to find them again',
      OFF,
      'forum',
      ['viewChannel', 'sendMessages', 'embedLinks', 'readMessageHistory'],
    ],
    [
      'forum posts with threads on: a forum post is a thread already',
      { ...OFF, thread: true },
      'forum',
      [...FORUM_POST_PERMISSIONS],
    ],
    [
      'publishing needs nothing more for the bot’s own posts',
      { ...OFF, publish: true },
      'announcement',
      [...POST_PERMISSIONS],
    ],
  ] as const)('%s', (_, settings, type, expected) => {
    expect(listChannelNeeds(settings, type)).toEqual(expected);
  });

  it('asks for Create Events across the server only when events are on', () => {
    expect(listServerNeeds(OFF)).toEqual([]);
    expect(listServerNeeds({ ...OFF, events: true })).toEqual(['createEvents']);
  });

  it('names what is missing, in the order asked', () => {
    const granted = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.EmbedLinks;
    expect(findMissing(granted, POST_PERMISSIONS)).toEqual(['sendMessages', 'readMessageHistory']);
    expect(
      findMissing(
        granted | PermissionFlagsBits.SendMessages | PermissionFlagsBits.ReadMessageHistory,
        POST_PERMISSIONS,
      ),
    ).toEqual([]);
  });

  it('asks only View Channel and Send Messages where an alert goes: it is plain text', () => {
    expect(ALERT_PERMISSIONS).toEqual(['viewChannel', 'sendMessages']);
  });
});
