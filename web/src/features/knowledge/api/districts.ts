// The city's districts, by code: where articles apply (the editor offers them; the reader names them).
import { useQuery } from '@tanstack/react-query';
import { childAreas } from '../../../shared/api/directory';

export function useDistricts() {
  const districts = useQuery({ queryKey: ['areas', 'children', null], staleTime: 600_000, queryFn: () => childAreas(undefined) });
  const list = districts.data ?? [];
  return { list, nameOf: (code: string) => list.find((d) => d.code === code)?.name ?? code };
}
