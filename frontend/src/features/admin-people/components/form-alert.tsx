import { Alert, Anchor, List, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { fieldCode, generalCode, type FormOutcome } from '../lib/problems';
import { useStrings } from '../lib/strings';

/** The message of a field's problem code. */
export function useFieldMessage() {
  const { t } = useStrings();
  return (code: string | undefined): string | undefined =>
    code === undefined ? undefined : t(`errors.field.${fieldCode(code)}`);
}

/**
 * What stopped a form, focused when it appears: the form's own problem and, for each input with
 * one, a link that moves the focus to that input (where the same message is shown).
 */
export function FormAlert({
  outcome,
  inputs,
}: {
  outcome: FormOutcome | null;
  /** The form's inputs by API field name: their label and element id. */
  inputs: Record<string, { label: string; id: string }>;
}) {
  const { t } = useStrings();
  const message = useFieldMessage();
  const ref = useRef<HTMLDivElement>(null);
  const previous = useRef<FormOutcome | null>(null);
  useEffect(() => {
    // Focus on news only: not when fixing an input clears its problem.
    const before = previous.current;
    previous.current = outcome;
    if (!outcome) return;
    const news =
      before === null ||
      (outcome.general !== null && outcome.general !== before.general) ||
      Object.keys(outcome.fields).some((name) => before.fields[name] !== outcome.fields[name]);
    if (news) ref.current?.focus();
  }, [outcome]);
  if (!outcome) return null;
  const names = Object.keys(outcome.fields).filter((name) => inputs[name]);
  if (names.length === 0 && outcome.general === null) return null;
  return (
    <Alert
      ref={ref}
      tabIndex={-1}
      color="red"
      variant="light"
      role="alert"
      title={names.length > 0 ? t('errors.summary', { count: names.length }) : t('errors.not_saved')}
    >
      {outcome.general !== null && <Text size="sm">{t(`errors.general.${generalCode(outcome.general)}`)}</Text>}
      {names.length > 0 && (
        <List size="sm">
          {names.map((name) => {
            const input = inputs[name]!;
            return (
              <List.Item key={name}>
                <Anchor
                  href={`#${input.id}`}
                  size="sm"
                  c="red.9"
                  onClick={(event) => {
                    event.preventDefault();
                    document.getElementById(input.id)?.focus();
                  }}
                >
                  {`${input.label}: ${message(outcome.fields[name])}`}
                </Anchor>
              </List.Item>
            );
          })}
        </List>
      )}
    </Alert>
  );
}
