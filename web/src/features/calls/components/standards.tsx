// The call centre's standards, and a rate shown against its standard: green when met, red when not,
// in colours readable on white (contrast ≥ 4.5), with the words too (colour is not the only sign).
import { Typography } from 'antd';
import { percent } from '../../../shared/format';
import { GREEN, RED } from '../../../shared/tone-tag';

/** Local standards: at least 80 % answered within 15 s; GB/T 33358-2016: at least 95 % of the calls connected. */
export const STANDARDS = { serviceLevel: 0.8, connectionRate: 0.95 } as const;
/** A call waiting longer than this (s) has already missed the service level (GB/T 33358-2016: answered within 15 s). */
export const ANSWER_WITHIN_SECONDS = 15;

export const OK_COLOUR = GREEN[0]!;
export const BAD_COLOUR = RED[0]!;

/** The colour of a rate against its standard; none without a rate (nothing offered is neither). */
export const colourOf = (rate: number | null | undefined, standard: number) =>
  rate == null ? undefined : rate >= standard ? OK_COLOUR : BAD_COLOUR;

/** A rate as a percentage, coloured against `standard`. */
export function RateText({ rate, standard, strong = false }: { rate: number | null | undefined; standard: number; strong?: boolean }) {
  return <Typography.Text strong={strong} style={{ color: colourOf(rate, standard) }}>{percent(rate)}</Typography.Text>;
}

/** A duration in seconds as a clock reads it: 0:07, 12:30, 1:02:03 (with `hours: 'always'`, 0:00:07). */
export function clock(seconds: number, options: { hours?: 'always' } = {}): string {
  const s = Math.max(0, Math.floor(seconds));
  const [h, m, r] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const two = (n: number) => String(n).padStart(2, '0');
  return h || options.hours === 'always' ? `${h}:${two(m)}:${two(r)}` : `${m}:${two(r)}`;
}
