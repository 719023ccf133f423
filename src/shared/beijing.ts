// Beijing time: the hotline's days, months and clock. China has kept UTC+8 without daylight saving
// since 1991, so a fixed offset is exact and needs no time-zone database.

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const BEIJING_OFFSET_MS = 8 * HOUR_MS;

/** 'YYYY-MM-DD' of a UTC midnight given in ms (date arithmetic on plain dates). */
export const dateOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** ms of a plain date's UTC midnight: the inverse of `dateOf`. */
export const dayOf = (date: string): number => Date.parse(`${date}T00:00:00Z`);

/** The date `days` after (or before, if negative) a plain date. */
export const addDays = (date: string, days: number): string => dateOf(dayOf(date) + days * DAY_MS);

/** 'YYYY-MM-DD' of the Beijing day an instant falls on. */
export const beijingDate = (at: Date | number): string => dateOf(+at + BEIJING_OFFSET_MS);

/** 'YYYY-MM' of the Beijing month an instant falls on. */
export const beijingMonth = (at: Date | number): string => beijingDate(at).slice(0, 7);

/** 'YYYY-MM-DD HH:mm' in Beijing time, as people read it in notices and reports. */
export const beijingMinute = (at: Date | number | string): string =>
  new Date((typeof at === 'string' ? Date.parse(at) : +at) + BEIJING_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');

/** The instant a Beijing day begins (its midnight, 16:00 UTC the day before). */
export const beijingMidnight = (date: string): Date => new Date(dayOf(date) - BEIJING_OFFSET_MS);
