// Every visible text goes through here: Simplified Chinese first, English one click away. The
// choice is kept in the browser and sent to the API, whose messages follow it. Dates (antd's
// pickers read month and weekday names from dayjs) follow it too.
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setLanguage } from '../api/client';
import { en } from './en';
import { zh } from './zh';

const STORED = 'minsheng.language';
export type Language = 'zh' | 'en';

export function initialLanguage(): Language {
  return localStorage.getItem(STORED) === 'en' ? 'en' : 'zh';
}

void i18n.use(initReactI18next).init({
  resources: { zh: { translation: zh }, en: { translation: en } },
  lng: initialLanguage(),
  fallbackLng: 'zh',
  interpolation: { escapeValue: false },
});
setLanguage(i18n.language);
dayjs.locale(dayjsLocaleOf(i18n.language));

function dayjsLocaleOf(language: string): string {
  return language === 'en' ? 'en' : 'zh-cn';
}

export function changeLanguage(language: Language): void {
  localStorage.setItem(STORED, language);
  setLanguage(language);
  // before i18next re-renders: the pickers drawn then read the new locale
  dayjs.locale(dayjsLocaleOf(language));
  void i18n.changeLanguage(language);
  document.documentElement.lang = language === 'en' ? 'en' : 'zh-CN';
}

export { i18n };
