// PLACEHOLDER, replaced by the section's implementation.
import { useTranslation } from 'react-i18next';

export function TaxonomySection() {
  const { t } = useTranslation();
  return <p>{t('admin.rules.placeholder')}</p>;
}
