// The texts of the administration's rules sections.
import type { Texts } from '../../../shared/i18n/en';

export const rulesZh = {
  placeholder: '建设中',
};

export const rulesEn: Texts<typeof rulesZh> = {
  placeholder: 'Being built',
};
