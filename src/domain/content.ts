import type { Moment, Observance, Source } from './observance.js';
import type { PostLabels } from './post-labels.js';

/** Everything the domain needs from data/, already validated. */
export interface Content {
  observances: readonly Observance[];
  sources: ReadonlyMap<string, Source>;
  postLabels: ReadonlyMap<string, PostLabels>;
  /** The languages a server can choose: complete for every observance, with labels. */
  locales: readonly string[];
}

export class UnknownObservanceError extends Error {
  constructor(
    readonly id: string,
    readonly known: readonly string[],
  ) {
    super(`Unknown observance "${id}". Known observances: ${known.join(', ')}.`);
  }
}

export function findObservance(content: Content, id: string): Observance {
  const observance = content.observances.find((o) => o.id === id);
  if (!observance) {
    throw new UnknownObservanceError(
      id,
      content.observances.map((o) => o.id),
    );
  }
  return observance;
}

export function findMoment(observance: Observance, momentId: string | undefined): Moment {
  const moment =
    momentId === undefined
      ? observance.moments[0]
      : observance.moments.find((m) => m.id === momentId);
  if (!moment) {
    const known = observance.moments.map((m) => m.id);
    throw new Error(
      known.length === 0
        ? `The observance "${observance.id}" has no moments, so it has no moment post.`
        : `The observance "${observance.id}" has no moment "${momentId}". Its moments: ${known.join(', ')}.`,
    );
  }
  return moment;
}
