import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { useAskedSearchParams } from './use-asked-search-params';

const wrapper = ({ children }: { children: ReactNode }) => <MemoryRouter initialEntries={['/queues?view=table']}>{children}</MemoryRouter>;

const adding = (key: string, value: string) => (current: URLSearchParams) => {
  current.set(key, value);
  return current;
};

describe('useAskedSearchParams', () => {
  it('builds a change made before the address is shown on the one asked before it', () => {
    const { result } = renderHook(() => useAskedSearchParams(), { wrapper });
    // Both changes start from the same rendered address, as two quick clicks would.
    const [, setAsked] = result.current;
    act(() => {
      setAsked(adding('f_status', 'open'));
      setAsked(adding('f_priority', 'high'));
    });
    const [params] = result.current;
    expect(params.get('view')).toBe('table');
    expect(params.get('f_status')).toBe('open');
    expect(params.get('f_priority')).toBe('high');
  });

  it('starts from the address shown once the router caught up', () => {
    const { result } = renderHook(() => useAskedSearchParams(), { wrapper });
    act(() => result.current[1](adding('f_status', 'open')));
    act(() => result.current[1]((current) => (current.delete('f_status'), current)));
    act(() => result.current[1](adding('f_priority', 'low')));
    expect(result.current[0].toString()).toBe('view=table&f_priority=low');
  });
});
