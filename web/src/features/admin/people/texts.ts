// The texts of the administration's people sections.
import type { Texts } from '../../../shared/i18n/en';

export const peopleZh = {
  placeholder: '建设中',
};

export const peopleEn: Texts<typeof peopleZh> = {
  placeholder: 'Being built',
};
