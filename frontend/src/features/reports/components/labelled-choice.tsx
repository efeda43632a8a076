import { SegmentedControl, Stack, Text } from '@mantine/core';

/** A small visible label over a segmented choice, tied to it for screen readers. */
export function LabelledChoice<T extends string>({
  id,
  label,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  value: T;
  options: { value: T; label: string }[];
  onChange: (value: T) => void;
}) {
  return (
    <Stack gap={2}>
      <Text size="sm" fw={500} id={id}>
        {label}
      </Text>
      <SegmentedControl
        size="xs"
        aria-labelledby={id}
        value={value}
        onChange={(v) => {
          const chosen = options.find((o) => o.value === v);
          if (chosen) onChange(chosen.value);
        }}
        data={options}
      />
    </Stack>
  );
}
