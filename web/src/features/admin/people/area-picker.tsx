// Administrative areas (区划) picked from their tree, loaded a level at a time: the city's districts
// first, then what the user opens. The value is area codes; a code's branch is its own prefixes
// (district 6 digits, street 9, community 12).
import { Cascader } from 'antd';
import { useEffect, useState } from 'react';
import { childAreas } from '../../../shared/api/directory';

interface AreaOption { value: string; label: string; isLeaf: boolean; children?: AreaOption[] }

/** The codes above an area code, from the district down, and the code itself. */
function pathOf(code: string): string[] {
  return [6, 9, 12].filter((n) => n < code.length).map((n) => code.slice(0, n)).concat(code);
}

async function childrenOf(parent?: string): Promise<AreaOption[]> {
  return (await childAreas(parent)).map((a) => ({ value: a.code, label: a.name, isLeaf: a.level === 'community' }));
}

/** The tree, with the branches of `codes` already open so their names show. */
function useAreaTree(codes: readonly string[]) {
  const [tree, setTree] = useState<AreaOption[]>([]);
  const [initial] = useState(codes);
  useEffect(() => {
    let live = true;
    void (async () => {
      const root = await childrenOf();
      const opened = new Map(root.map((o) => [o.value, o]));
      for (const parent of [...new Set(initial.flatMap((c) => pathOf(c).slice(0, -1)))].sort((a, b) => a.length - b.length)) {
        const node = opened.get(parent);
        if (node && !node.children) {
          node.children = await childrenOf(parent);
          for (const child of node.children) opened.set(child.value, child);
        }
      }
      if (live) setTree(root);
    })().catch(() => undefined);
    return () => { live = false; };
  }, [initial]);
  const loadData = (path: AreaOption[]) => {
    const target = path.at(-1)!;
    void childrenOf(target.value).then((list) => {
      target.children = list;
      if (list.length === 0) target.isLeaf = true;
      setTree((current) => [...current]);
    });
  };
  return { tree, loadData };
}

interface Common { id?: string; 'aria-label'?: string; placeholder?: string; style?: React.CSSProperties }

/** One area (a filter): any level may be chosen. */
export function AreaPicker({ value, onChange, ...rest }: Common & { value?: string; onChange?: (code: string | undefined) => void }) {
  const { tree, loadData } = useAreaTree(value ? [value] : []);
  return (
    <Cascader<AreaOption> {...rest} options={tree} loadData={loadData} changeOnSelect allowClear
      value={value ? pathOf(value) : undefined} onChange={(path) => onChange?.(path?.at(-1) as string | undefined)} />
  );
}

/** Several areas (those a unit serves): a ticked district stands for all it holds. */
export function AreasPicker({ value, onChange, ...rest }: Common & { value?: string[]; onChange?: (codes: string[]) => void }) {
  const { tree, loadData } = useAreaTree(value ?? []);
  return (
    <Cascader<AreaOption> {...rest} multiple options={tree} loadData={loadData} maxTagCount="responsive"
      showCheckedStrategy={Cascader.SHOW_PARENT} value={(value ?? []).map(pathOf)}
      onChange={(paths) => onChange?.(paths.map((p) => p.at(-1) as string))} />
  );
}
