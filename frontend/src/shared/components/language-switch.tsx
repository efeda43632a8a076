import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { HTML_LANG, isLanguage, setLanguage } from '@/shared/i18n';

/** One button naming the other language in that language ("English" / "Español"). */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const current = isLanguage(i18n.language) ? i18n.language : 'es';
  const next = current === 'es' ? 'en' : 'es';
  return (
    <Button
      variant="default"
      size="sm"
      lang={HTML_LANG[next]}
      onClick={() => void setLanguage(i18n, next)}
    >
      {t('language.switch')}
    </Button>
  );
}
