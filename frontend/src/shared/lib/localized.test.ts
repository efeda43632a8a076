import { expect, test } from 'vitest';
import { localized } from './localized';

test('uses English when there is one, Spanish otherwise', () => {
  expect(localized({ es: 'Placa', en: 'Asset tag' }, 'en')).toBe('Asset tag');
  expect(localized({ es: 'Placa', en: null }, 'en')).toBe('Placa');
  expect(localized({ es: 'Placa', en: '  ' }, 'en')).toBe('Placa');
  expect(localized({ es: 'Placa', en: 'Asset tag' }, 'es')).toBe('Placa');
  expect(localized(null, 'es')).toBe('');
});
