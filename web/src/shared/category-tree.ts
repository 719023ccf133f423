// The category tree as antd's TreeSelect takes it (value: code, title: name), built once per load of the tree.
import { useMemo } from 'react';
import { useCategories } from './api/directory';

export interface CategoryNode { value: string; title: string; children: CategoryNode[] }

export function useCategoryTree(): { tree: CategoryNode[]; loading: boolean; names: Map<string, string> } {
  const categories = useCategories();
  return useMemo(() => {
    const nodes = new Map<string, CategoryNode>();
    const roots: CategoryNode[] = [];
    for (const c of categories.data ?? []) nodes.set(c.code, { value: c.code, title: c.name, children: [] });
    for (const c of categories.data ?? []) (c.parentCode && nodes.get(c.parentCode) ? nodes.get(c.parentCode)!.children : roots).push(nodes.get(c.code)!);
    return { tree: roots, loading: categories.isLoading, names: new Map((categories.data ?? []).map((c) => [c.code, c.name])) };
  }, [categories.data, categories.isLoading]);
}
