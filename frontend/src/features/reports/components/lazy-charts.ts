import { lazy } from 'react';

/** The charts, each loaded on first use from the one chunk that holds the chart library. */
export const VolumeChart = lazy(async () => ({ default: (await import('./charts')).VolumeChart }));
export const Bars = lazy(async () => ({ default: (await import('./charts')).Bars }));
