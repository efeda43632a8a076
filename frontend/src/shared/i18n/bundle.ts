import { useTranslation } from 'react-i18next';

type Plural = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';
type Leaf<K extends string> = K extends `${infer Base}_${Plural}` ? Base | K : K;

/** The keys of a bundle: `a.b.c` paths to its strings (plural forms also by their base). */
export type BundleKey<T> = {
  [K in keyof T & string]: T[K] extends string ? Leaf<K> : `${K}.${BundleKey<T[K]>}`;
}[keyof T & string];

/** A feature's own strings, one JSON file per language with the same keys. */
export type Bundle<T> = { es: T; en: T };

export type BundleT<T> = (key: BundleKey<T>, options?: Record<string, unknown>) => string;

/**
 * The translations of a feature that ships in its own chunk (the administration screens):
 * its strings load with its code, not in the entry bundle, under their own namespace; `t` is
 * typed by the Spanish file's keys.
 */
export function useBundle<T extends Record<string, unknown>>(namespace: string, bundle: Bundle<T>): { t: BundleT<T> } {
  const { i18n } = useTranslation();
  for (const [lng, strings] of Object.entries(bundle)) {
    // Synchronous and idempotent: the first render already has its strings.
    if (!i18n.hasResourceBundle(lng, namespace)) i18n.addResourceBundle(lng, namespace, strings, true, false);
  }
  // The app's own namespace is the only one i18next's types know.
  const { t } = useTranslation(namespace as never);
  return { t: t as unknown as BundleT<T> };
}
