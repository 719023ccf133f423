// Why a sample was drawn, as tags: mis-routed and reopened stand out from the random ones.
import { useTranslation } from 'react-i18next';
import { TONES, ToneTag } from '../../../shared/tone-tag';
import type { Review } from '../api/reviews';

const TONE = { random: TONES.neutral, misrouted: TONES.danger, reopened: TONES.warning } as const;

export function ReasonTags({ reasons }: { reasons: Review['reasons'] }) {
  const { t } = useTranslation();
  return <>{reasons.map((r) => <ToneTag key={r} tone={TONE[r]}>{t(`quality.reasons.${r}`)}</ToneTag>)}</>;
}

/** A review's score as "75.5 / 100 · 75.5%"; '—' before it is scored. */
export function ScoreText({ review }: { review: Pick<Review, 'score' | 'maxScore' | 'percent'> }) {
  if (review.score === null || review.maxScore === null) return <>—</>;
  return <>{review.score} / {review.maxScore} · {review.percent}%</>;
}
