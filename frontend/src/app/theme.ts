import { createTheme, type CSSVariablesResolver } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'blue',
  // Shade 8 (#1971c2) keeps white button text above 4.5:1; Mantine's default shade 6 does not.
  primaryShade: 8,
  focusRing: 'auto',
  defaultRadius: 'md',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
});

/**
 * Text colour of light variants (badges, alerts, nav links) per colour: Mantine draws shade 6–9
 * on a shade-1 tint, below 4.5:1 for the bright hues; these keep every pair above 5:1.
 */
const LIGHT_VARIANT_TEXT: Record<string, string> = {
  blue: 'var(--mantine-color-blue-9)',
  indigo: 'var(--mantine-color-indigo-9)',
  grape: 'var(--mantine-color-grape-9)',
  gray: 'var(--mantine-color-gray-9)',
  red: '#a51d1d',
  green: '#1b6130',
  teal: '#0b5f55',
  cyan: '#0a5a6b',
  orange: '#9a3800',
  yellow: 'var(--mantine-color-dark-9)',
};

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    ...Object.fromEntries(
      Object.entries(LIGHT_VARIANT_TEXT).map(([color, text]) => [`--mantine-color-${color}-light-color`, text]),
    ),
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    // Light variants (active nav link, badges) keep blue.9 text; blue.3 under the pointer
    // would drop it to 4:1, so hover stays at blue.1 (≈5.6:1).
    '--mantine-color-blue-light-hover': 'var(--mantine-color-blue-1)',
    // Error texts and borders: red.6 is 3.3:1 on white, red.9 is 5.6:1.
    '--mantine-color-error': 'var(--mantine-color-red-9)',
  },
  dark: {},
});
