/** When the benchmark's servers were set up: days before the post, so every post is owed. */
export const CONFIGURED_AT = new Date('2027-02-20T12:00:00Z');

/** Khojaly Genocide Remembrance Day, 26 February 2027, day post at the default 09:00 Baku (UTC+4). */
export const DAY_POST_AT = '2027-02-26T05:00:00Z';

/** A minute before the post: the bot is up and idle, with nothing owed yet. */
export const BEFORE_DAY_POST = '2027-02-26T04:59:00Z';
