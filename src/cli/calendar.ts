import { DateTime } from 'luxon';
import { loadContent } from '../content/load-content.js';
import { atBakuTime, formatBakuIso, parseBakuDate, toBakuDate } from '../domain/baku-calendar.js';
import { parseLocalTime } from '../domain/local-time.js';
import { BAKU_ZONE } from '../domain/observance.js';
import { DEFAULT_POST_TIME, listPostsBetween } from '../domain/post-schedule.js';
import { parseCliArgs, runCli, UsageError } from './run-cli.js';

const USAGE =
  'npm run calendar -- [--from YYYY-MM-DD] [--months N] [--time HH:MM] [--eve] [--no-moments] [--json]';

runCli(USAGE, () => {
  const { values } = parseCliArgs({
    options: {
      from: { type: 'string' },
      months: { type: 'string', default: '12' },
      time: { type: 'string' },
      eve: { type: 'boolean', default: false },
      'no-moments': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const from = values.from === undefined ? toBakuDate(new Date()) : parseBakuDate(values.from);
  if (!from) throw new UsageError(`--from must be a real date as YYYY-MM-DD, not "${values.from}"`);
  if (!/^\d{1,3}$/.test(values.months) || Number(values.months) < 1) {
    throw new UsageError(`--months must be a whole number from 1 to 999, not "${values.months}"`);
  }
  const postTime = values.time === undefined ? DEFAULT_POST_TIME : parseLocalTime(values.time);
  if (!postTime)
    throw new UsageError(`--time must be a 24-hour time as HH:MM, not "${values.time}"`);

  const content = loadContent();
  const start = atBakuTime(from, { hour: 0, minute: 0 });
  const end = DateTime.fromJSDate(start, { zone: BAKU_ZONE })
    .plus({ months: Number(values.months) })
    .toJSDate();
  const posts = listPostsBetween(content.observances, start, end, {
    postTime,
    eveReminder: values.eve,
    momentPosts: !values['no-moments'],
    enabledObservances: new Set(content.observances.map((o) => o.id)),
  });

  if (values.json) {
    const rows = posts.map((post) => ({
      observance: post.observanceId,
      kind: post.kind,
      local: formatBakuIso(post.at),
      utc: post.at.toISOString().replace('.000Z', 'Z'),
    }));
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const names = new Map(content.observances.map((o) => [o.id, o.text.en?.name ?? o.id]));
  const lines = posts.map((post) => {
    const local = DateTime.fromJSDate(post.at, { zone: BAKU_ZONE });
    return [
      local.toFormat('yyyy-MM-dd ccc HH:mm'),
      `(${post.at.toISOString().slice(11, 16)} UTC)`,
      post.kind.padEnd(6),
      names.get(post.observanceId) ?? post.observanceId,
    ].join('  ');
  });
  const header = `Posts from ${values.from ?? 'today'} for ${values.months} months, Baku time; post time ${values.time ?? '09:00'}, eve reminder ${values.eve ? 'on' : 'off'}, moment posts ${values['no-moments'] ? 'off' : 'on'}.`;
  process.stdout.write(
    `${header}\n\n${lines.length > 0 ? lines.join('\n') : 'No posts in this period.'}\n`,
  );
});
