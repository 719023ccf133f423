// PLACEHOLDER, replaced by the section's implementation.
import { useTranslation } from 'react-i18next';

export function ApiKeysSection() {
  const { t } = useTranslation();
  return <p>{t('admin.people.placeholder')}</p>;
}
