import { type Content, findMoment, findObservance } from './content.js';
import { fillTemplate } from './fill-template.js';
import { formatBakuTime } from './format-post-parts.js';
import { findLabels, type PostRequest } from './render-post.js';

/** Discord's limit for a thread's name. */
export const FORUM_TITLE_LIMIT = 100;

/**
 * The title of a forum post: the day's name and the year ("Day of the Khojaly Genocide 2027"), with
 * "tomorrow" for the eve post and the moment for a moment post, in the post's language. Each
 * delivery has its own title, so members tell the posts apart in the forum's list.
 */
export function formatForumPostTitle(content: Content, request: PostRequest): string {
  const observance = findObservance(content, request.observanceId);
  const labels = findLabels(content, request.locale);
  const name = observance.text[request.locale]?.name ?? observance.id;
  const values = { name, year: String(request.year) };
  switch (request.kind) {
    case 'day':
      return shorten(fillTemplate(labels.forum.dayTitle, values));
    case 'eve':
      return shorten(fillTemplate(labels.forum.eveTitle, values));
    case 'moment': {
      const moment = findMoment(observance, request.momentId);
      return shorten(
        fillTemplate(labels.forum.momentTitle, {
          ...values,
          title: moment.text[request.locale]?.title ?? moment.id,
          time: formatBakuTime(labels, moment),
        }),
      );
    }
  }
}

/** The title of the labelled test post of `/commemoration test` in a forum. */
export function formatForumTestTitle(content: Content, locale: string): string {
  return shorten(findLabels(content, locale).testTitle);
}

/** Within Discord's limit (counted in UTF-16 units, as its schema does), cut at a character. */
function shorten(title: string): string {
  if (title.length <= FORUM_TITLE_LIMIT) return title;
  const chars = [...title];
  while (chars.join('').length > FORUM_TITLE_LIMIT - 1) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}
