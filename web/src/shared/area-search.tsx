// The place of a request, typed: any district, street or community by a piece of its name, each
// shown with its path (历下区 › 泉城路街道 › 燕山社区), so that a caller's "燕山社区" is found at once.
import { useTranslation } from 'react-i18next';
import { api, data } from './api/client';
import { SearchSelect } from './search-select';

/** `open`: the citizen portal's public search, for a visitor who has not signed in. */
export function AreaSearch({ id, value, onChange, open = false, 'aria-label': label }: { id?: string; value?: string; onChange?: (code: string | undefined) => void; open?: boolean;
  'aria-label'?: string }) {
  const { t } = useTranslation();
  const search = async (q: string, signal: AbortSignal) => open
    ? data(await api.GET('/api/v1/public/areas/search', { params: { query: { q } }, signal }))
    : data(await api.GET('/api/v1/areas/search', { params: { query: { q } }, signal }));
  return (
    <SearchSelect<string> id={id} aria-label={label} value={value} onChange={onChange} kind={open ? 'public-areas' : 'areas'} placeholder={t('intake.placeHint')}
      nothing={t('intake.noPlace')} style={{ width: '100%' }}
      find={async (q, signal) => (await search(q, signal)).map((a) => ({ value: a.code, label: a.path.map((p) => p.name).join(' › ') }))} />
  );
}
