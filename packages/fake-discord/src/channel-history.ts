import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { FakeState } from './fake-state.js';
import type { FakeMessage } from './messages.js';
import { errors, ok, type RestRequest, type RestResult } from './rest-types.js';

/**
 * GET /channels/:id/messages with `after`, `before` and `limit` (1–100, default 50), newest first,
 * as Discord answers it. Without Read Message History Discord returns an empty list, not an error:
 * a bot that reads an empty list as "not there" is wrong, and this fake lets tests show it.
 */
export function listChannelMessages(
  state: FakeState,
  messages: readonly FakeMessage[],
  channelId: string,
  request: RestRequest,
): RestResult {
  const found = state.wasDeleted(channelId) ? undefined : state.channel(channelId);
  if (!found) return errors.unknownChannel();
  const permissions = state.botPermissionsIn(found.guild, found.channel);
  if ((permissions & PermissionFlagsBits.ViewChannel) === 0n) return errors.missingAccess();
  if ((permissions & PermissionFlagsBits.ReadMessageHistory) === 0n) return ok([]);
  const limit = Math.min(100, Math.max(1, Number(request.query.get('limit') ?? 50) || 50));
  const after = request.query.get('after');
  const before = request.query.get('before');
  const inChannel = messages
    .filter((m) => m.channelId === channelId)
    .filter((m) => (after ? BigInt(m.id) > BigInt(after) : true))
    .filter((m) => (before ? BigInt(m.id) < BigInt(before) : true))
    .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  // With `after`, Discord returns the messages closest to it; otherwise the newest.
  const page = after ? inChannel.slice(0, limit) : inChannel.slice(-limit);
  return ok(page.reverse().map((m) => m.response));
}
