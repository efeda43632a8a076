import { useRef } from 'react';
import { useSearchParams } from 'react-router';

/**
 * The address's query, and a setter whose changes build on the last query asked for.
 *
 * The router shows a new address a little after each change, passing through the ones before
 * it: two quick changes (a filter, then another) would otherwise both start from the address on
 * screen, and the second would undo the first. While the address shown is one of the chain of
 * queries asked for (and not its end, which means the router caught up), a change starts from
 * the chain's end; any other address (a link, the back button) starts a new chain.
 */
export function useAskedSearchParams(): [URLSearchParams, (change: (current: URLSearchParams) => URLSearchParams) => void] {
  const [params, setParams] = useSearchParams();
  const asked = useRef<{ last: URLSearchParams; chain: Set<string> } | null>(null);
  const setAsked = (change: (current: URLSearchParams) => URLSearchParams) => {
    const shown = params.toString();
    const a = asked.current;
    const behind = a !== null && a.chain.has(shown) && a.last.toString() !== shown;
    const next = change(new URLSearchParams(behind ? a.last : params));
    const chain = behind ? a.chain : new Set([shown]);
    chain.add(next.toString());
    asked.current = { last: next, chain };
    setParams(next, { replace: true });
  };
  return [params, setAsked];
}
