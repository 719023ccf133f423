// A select whose options the server finds for what is typed (a place, a unit): the question follows
// the typing (React defers it), the chosen options keep their labels when the list moves on, and
// `initial` options (the suggested units) show before anything is typed.
import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useDeferredValue, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

export interface Option { value: string; label: string }

interface Props<V extends string | string[]> {
  id?: string;
  value?: V;
  onChange?: (value: V | undefined) => void;
  /** what to ask the server for a text typed (trimmed, not empty) */
  find: (q: string, signal: AbortSignal) => Promise<Option[]>;
  /** the query key's first part: one cache per kind of thing found */
  kind: string;
  multiple?: boolean;
  initial?: Option[];
  /** the labels of values chosen before this list was opened */
  known?: Option[];
  placeholder?: string;
  'aria-label'?: string;
  style?: React.CSSProperties;
  /** said when the server found nothing */
  nothing: string;
}

/** A select's value as a list, whether it takes one or several. */
export const asList = (value: string | readonly string[] | null | undefined): string[] => (value == null ? [] : typeof value === 'string' ? [value] : [...value]);

export function SearchSelect<V extends string | string[]>({ value, onChange, find, kind, multiple, initial = [], known = [], placeholder, nothing, ...rest }: Props<V>) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const q = useDeferredValue(typed.trim());
  const found = useQuery({ queryKey: [kind, 'search', q], enabled: q.length > 0, staleTime: 600_000, queryFn: ({ signal }) => find(q, signal) });
  const labels = useRef(new Map<string, string>());
  const options = q ? [...(found.data ?? [])] : [...initial];
  const chosen = asList(value);
  for (const v of chosen) {
    const label = labels.current.get(v) ?? [...initial, ...known].find((o) => o.value === v)?.label;
    if (label && !options.some((o) => o.value === v)) options.unshift({ value: v, label });
  }
  return (
    <Select {...rest} value={value} allowClear placeholder={placeholder} options={options} loading={found.isFetching}
      mode={multiple ? 'multiple' : undefined} showSearch={{ filterOption: false, onSearch: setTyped }}
      onOpenChange={(open) => { if (!open) setTyped(''); }}
      notFoundContent={q ? (found.isFetching ? t('common.loading') : nothing) : placeholder}
      onChange={(next: V | undefined) => {
        for (const v of asList(next)) {
          const label = options.find((o) => o.value === v)?.label;
          if (label) labels.current.set(v, label);
        }
        if (multiple) setTyped('');
        onChange?.(next);
      }} />
  );
}
