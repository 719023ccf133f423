// Units by name as the user types (the network has hundreds), and a unit's name from its id.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useState } from 'react';
import { api, data } from '../../../shared/api/client';

/** One unit, kept a minute: tables show many rows of the same few units. */
export function useUnit(id: string | null | undefined) {
  return useQuery({ queryKey: ['units', 'one', id], enabled: !!id, staleTime: 60_000,
    queryFn: async () => data(await api.GET('/api/v1/units/{id}', { params: { path: { id: id! } } })) });
}

/** A unit's name ('…' while it loads). */
export function UnitName({ id }: { id: string }) {
  return <>{useUnit(id).data?.name ?? '…'}</>;
}

interface UnitPickerProps {
  id?: string;
  value?: string | null;
  onChange?: (value: string | undefined) => void;
  placeholder?: string;
  'aria-label'?: string;
  style?: React.CSSProperties;
}

/** A type-ahead over the units' names; the chosen unit's id is the value. */
export function UnitPicker({ value, onChange, ...rest }: UnitPickerProps) {
  const [q, setQ] = useState('');
  const found = useQuery({ queryKey: ['units', 'pick', q], placeholderData: keepPreviousData,
    queryFn: async () => data(await api.GET('/api/v1/units', { params: { query: { q: q || undefined, limit: 20 } } })) });
  const current = useUnit(value);
  const units = [...(current.data ? [current.data] : []), ...(found.data?.items ?? []).filter((u) => u.id !== value)];
  return (
    <Select {...rest} value={value ?? undefined} onChange={(v?: string) => onChange?.(v)} allowClear loading={found.isFetching}
      showSearch={{ filterOption: false, onSearch: setQ }} onOpenChange={(open) => { if (!open) setQ(''); }}
      options={units.map((u) => ({ value: u.id, label: u.name }))} />
  );
}
