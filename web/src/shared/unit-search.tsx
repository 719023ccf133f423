// A handling unit (or several: co-handlers) by a piece of its name, among the units taking orders;
// `initial` (the units the routing suggests) are offered before anything is typed.
import { useTranslation } from 'react-i18next';
import { api, data } from './api/client';
import { SearchSelect, type Option } from './search-select';

interface Props<V extends string | string[]> {
  id?: string;
  value?: V;
  onChange?: (value: V | undefined) => void;
  multiple?: boolean;
  initial?: Option[];
  placeholder?: string;
}

export function UnitSearch<V extends string | string[]>(props: Props<V>) {
  const { t } = useTranslation();
  return (
    <SearchSelect<V> {...props} kind="units" placeholder={props.placeholder ?? t('units.searchHint')} nothing={t('units.none')}
      find={async (q, signal) => data(await api.GET('/api/v1/units', { params: { query: { q, active: true, limit: 20 } }, signal }))
        .items.map((u) => ({ value: u.id, label: u.name }))} />
  );
}
