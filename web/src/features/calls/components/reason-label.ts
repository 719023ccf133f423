// Why an agent is not ready, as the seat bar stores it (features/intake/seat-bar.tsx) in the user's
// language; a reason the telephony sent, or another written one, shows as it is.
import { useTranslation } from 'react-i18next';

const REASONS = ['break', 'meal', 'training', 'meeting'];

export function useReasonLabel(): (reason: string | null) => string | null {
  const { t } = useTranslation();
  return (reason) => (reason !== null && REASONS.includes(reason) ? t(`seat.reasons.${reason}`) : reason);
}
