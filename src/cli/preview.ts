import { loadContent } from '../content/load-content.js';
import { findObservance } from '../domain/content.js';
import { POST_KINDS, type PostKind } from '../domain/observance.js';
import { findNextOccurrence } from '../domain/occurrence.js';
import { renderPost } from '../domain/render-post.js';
import { formatPayloadText } from './format-payload-text.js';
import { parseCliArgs, runCli, UsageError } from './run-cli.js';

const USAGE =
  'npm run preview -- <observance-id> [--kind eve|day|moment] [--locale en|az|ru|tr] [--year YYYY] [--json]';

runCli(USAGE, () => {
  const { values, positionals } = parseCliArgs({
    allowPositionals: true,
    options: {
      kind: { type: 'string', default: 'day' },
      locale: { type: 'string', default: 'en' },
      year: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const content = loadContent();
  const [id, ...extra] = positionals;
  const known = content.observances.map((o) => o.id).join(', ');
  if (!id) throw new UsageError(`name an observance: ${known}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const observance = findObservance(content, id);
  const kind = values.kind as PostKind;
  if (!POST_KINDS.includes(kind)) {
    throw new UsageError(`--kind must be one of ${POST_KINDS.join(', ')}, not "${values.kind}"`);
  }
  if (!content.locales.includes(values.locale)) {
    throw new UsageError(
      `--locale must be one of ${content.locales.join(', ')}, not "${values.locale}"`,
    );
  }
  let year = findNextOccurrence(observance, new Date()).year;
  if (values.year !== undefined) {
    if (!/^\d{4}$/.test(values.year) || Number(values.year) < observance.eventYear) {
      throw new UsageError(
        `--year must be a four-digit year from ${observance.eventYear}, not "${values.year}"`,
      );
    }
    year = Number(values.year);
  }
  const payload = renderPost(content, { observanceId: id, kind, locale: values.locale, year });
  process.stdout.write(values.json ? `${JSON.stringify(payload)}\n` : formatPayloadText(payload));
});
