// The place of a request, typed: any district, street or community by a piece of its name, each
// shown with its path (历下区 › 泉城路街道 › 燕山社区), so that a caller's "燕山社区" is found at once.
import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useDeferredValue, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data } from './api/client';

export function AreaSearch({ id, value, onChange }: { id?: string; value?: string; onChange?: (code: string | undefined) => void }) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const q = useDeferredValue(typed.trim());
  const found = useQuery({
    queryKey: ['areas', 'search', q], enabled: q.length > 0, staleTime: 600_000,
    queryFn: async ({ signal }) => data(await api.GET('/api/v1/areas/search', { params: { query: { q } }, signal })),
  });
  // the chosen area's label stays when the list moves on to other words
  const [chosen, setChosen] = useState<{ value: string; label: string } | null>(null);
  const options = (found.data ?? []).map((a) => ({ value: a.code, label: a.path.map((p) => p.name).join(' › ') }));
  if (chosen && value === chosen.value && !options.some((o) => o.value === chosen.value)) options.unshift(chosen);
  return (
    <Select id={id} value={value} allowClear placeholder={t('intake.placeHint')} options={options} loading={found.isFetching}
      showSearch={{ filterOption: false, onSearch: setTyped }}
      notFoundContent={q ? (found.isFetching ? t('common.loading') : t('intake.noPlace')) : t('intake.placeHint')}
      onChange={(code: string | undefined) => {
        setChosen(options.find((o) => o.value === code) ?? null);
        onChange?.(code);
      }} />
  );
}
