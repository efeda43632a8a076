import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** "<page> · Mesa de servicios" while the page is shown. */
export function usePageTitle(title: string | null | undefined) {
  const { t } = useTranslation();
  const app = t('app.title');
  useEffect(() => {
    if (!title) return;
    document.title = `${title} · ${app}`;
    return () => {
      document.title = app;
    };
  }, [title, app]);
}
