// PLACEHOLDER, replaced by the section's implementation.
import { useTranslation } from 'react-i18next';

export function UnitsSection() {
  const { t } = useTranslation();
  return <p>{t('admin.people.placeholder')}</p>;
}
