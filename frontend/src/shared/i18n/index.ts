import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import es from './locales/es.json';
import { isOneOf } from '@/shared/lib/one-of';

export const LANGUAGES = ['es', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'es';

/** Where the chosen language is remembered across visits. */
export const LANGUAGE_STORAGE_KEY = 'mesa.language';

/** BCP 47 tag for <html lang> and Accept-Language: Colombian Spanish by default. */
export const HTML_LANG: Record<Language, string> = { es: 'es-CO', en: 'en' };

export const resources = {
  es: { translation: es },
  en: { translation: en },
} as const;

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && isOneOf(LANGUAGES, value);
}

export function storedLanguage(): Language {
  try {
    const value = localStorage.getItem(LANGUAGE_STORAGE_KEY);
    if (isLanguage(value)) return value;
  } catch {
    // Storage disabled: fall back to the default.
  }
  return DEFAULT_LANGUAGE;
}

function applyToDocument(instance: I18n) {
  const lng = isLanguage(instance.language) ? instance.language : DEFAULT_LANGUAGE;
  document.documentElement.lang = HTML_LANG[lng];
  document.title = instance.t('app.title');
}

/** A fresh i18next instance (one per app, one per test) in the remembered language. */
export function createI18n(lng: Language = storedLanguage()): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    resources,
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  instance.on('languageChanged', () => applyToDocument(instance));
  applyToDocument(instance);
  return instance;
}

/** Switch the language and remember the choice. */
export async function setLanguage(instance: I18n, lng: Language): Promise<void> {
  try {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, lng);
  } catch {
    // Not remembered, but still switched.
  }
  await instance.changeLanguage(lng);
}
