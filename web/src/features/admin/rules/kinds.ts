// Unit kinds and time limits in words: a category names the kind of unit that takes it (units.kind).
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { rulesZh } from './texts';

/** The kinds with a name in words, to choose from. */
export const KNOWN_KINDS = Object.keys(rulesZh.unitKinds).filter((k) => k !== 'none');

/** A unit kind in the user's language (its code when the texts have no name for it). */
export function useKindLabel(): (kind: string | null) => string {
  const { t } = useTranslation();
  return useCallback((kind: string | null) => t(`admin.rules.unitKinds.${kind ?? 'none'}`, { defaultValue: kind ?? '' }), [t]);
}

/** A category's time limit in words: so many working days, or the deadline settings' default. */
export function useLimitLabel(): (days: number | null) => string {
  const { t } = useTranslation();
  return useCallback((days: number | null) => (days === null ? t('admin.rules.taxonomy.defaultLimit') : t('admin.rules.taxonomy.days', { count: days })), [t]);
}
