// Handling units by a piece of their name (the network has hundreds): one unit or several
// (co-handlers), among those taking orders unless closed ones are asked for too; `initial` (the
// units the routing suggests) are offered before anything is typed. A unit's name from its id.
import { useQueries, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, data } from './api/client';
import { asList, SearchSelect, type Option } from './search-select';

const oneUnit = (id: string) => ({ queryKey: ['units', 'one', id], staleTime: 60_000,
  queryFn: async () => data(await api.GET('/api/v1/units/{id}', { params: { path: { id } } })) });

/** One unit, kept a minute: tables show many rows of the same few units. */
function useUnit(id: string | null | undefined) {
  return useQuery({ ...oneUnit(id ?? ''), enabled: !!id });
}

/** A unit's name ('…' while it loads). */
export function UnitName({ id }: { id: string }) {
  return <>{useUnit(id).data?.name ?? '…'}</>;
}

interface Props<V extends string | string[]> {
  id?: string;
  value?: V | null;
  onChange?: (value: V | undefined) => void;
  multiple?: boolean;
  initial?: Option[];
  placeholder?: string;
  'aria-label'?: string;
  style?: React.CSSProperties;
  /** closed units too (the administration's filters and parents) */
  closedToo?: boolean;
}

/** A form rule for the co-handlers: the lead unit (the field `unitId`) is not among them. */
export function useNotTheLead() {
  const { t } = useTranslation();
  return ({ getFieldValue }: { getFieldValue: (name: string) => unknown }) => ({
    validator: async (_: unknown, value?: string[]) => {
      if (value?.includes(getFieldValue('unitId') as string)) throw new Error(t('units.leadNotCo'));
    },
  });
}

export function UnitSearch<V extends string | string[]>({ value, closedToo, ...props }: Props<V>) {
  const { t } = useTranslation();
  const chosen = asList(value);
  // the names of units chosen before (a record edited, a filter kept): the list only knows what it found
  const named = useQueries({ queries: chosen.map((id) => oneUnit(id)) });
  const known = named.flatMap((q) => (q.data ? [{ value: q.data.id, label: q.data.name }] : []));
  return (
    <SearchSelect<V> {...props} value={value ?? undefined} known={known} placeholder={props.placeholder ?? t('units.searchHint')}
      nothing={t('units.none')} kind={closedToo ? 'units-all' : 'units-taking-orders'}
      find={async (q, signal) => data(await api.GET('/api/v1/units', { params: { query: { q, active: closedToo ? undefined : true, limit: 20 } }, signal }))
        .items.map((u) => ({ value: u.id, label: u.name }))} />
  );
}
