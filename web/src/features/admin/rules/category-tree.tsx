// The category tree as a tree view, filtered as the user types: the categories whose name or code
// holds the words, with their ancestors opened. Virtual scrolling keeps ~650 nodes responsive.
import { Empty, Form, Input, Space, Tag, Tree, Typography } from 'antd';
import type { Key, ReactNode } from 'react';
import { useDeferredValue, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useKindLabel, useLimitLabel } from './kinds';
import type { Category } from './taxonomy-api';

interface Node { key: string; title: ReactNode; children?: Node[]; isLeaf: boolean }

function Marked({ text, query }: { text: string; query: string }) {
  const at = query ? text.toLowerCase().indexOf(query.toLowerCase()) : -1;
  if (at < 0) return <>{text}</>;
  return <>{text.slice(0, at)}<mark>{text.slice(at, at + query.length)}</mark>{text.slice(at + query.length)}</>;
}

/** The tree's nodes, only those matching the query and their ancestors; the keys to open to show the matches. */
function useFiltered(tree: Category[], query: string) {
  const kind = useKindLabel();
  const limit = useLimitLabel();
  return useMemo(() => {
    const children = new Map<string | null, Category[]>();
    for (const c of tree) children.set(c.parentCode, [...(children.get(c.parentCode) ?? []), c]);
    const q = query.trim().toLowerCase();
    const open: string[] = [];
    let matches = 0;
    const build = (parent: string | null): Node[] => (children.get(parent) ?? []).flatMap((c) => {
      const below = build(c.code);
      const hit = q !== '' && (c.name.toLowerCase().includes(q) || c.code.toLowerCase().includes(q));
      if (hit) matches += 1;
      if (q && !hit && below.length === 0) return [];
      if (q && below.length > 0) open.push(c.code);
      return [{ key: c.code, isLeaf: !children.has(c.code), children: below.length ? below : undefined, title: (
        <Space size={6}>
          <Typography.Text type="secondary" style={{ fontFamily: 'monospace' }}><Marked text={c.code} query={q} /></Typography.Text>
          <span><Marked text={c.name} query={q} /></span>
          {c.unitKind && <Tag variant="filled" color="blue">{kind(c.unitKind)}</Tag>}
          <Typography.Text type="secondary">{limit(c.timeLimitDays)}</Typography.Text>
        </Space>
      ) }];
    });
    return { nodes: build(null), open, matches };
  }, [tree, query, kind, limit]);
}

export function CategoryTree({ tree, selected, onSelect }: { tree: Category[]; selected: string | null; onSelect: (code: string | null) => void }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query);
  const [expanded, setExpanded] = useState<Key[]>([]);
  const { nodes, open, matches } = useFiltered(tree, deferred);
  const levels = tree.reduce((m, c) => Math.max(m, c.level), 0);
  return (
    <>
      <Form layout="vertical">
        <Form.Item label={t('admin.rules.taxonomy.search')} htmlFor="taxonomy-search" style={{ marginBottom: 8 }}>
          <Input.Search id="taxonomy-search" allowClear placeholder={t('admin.rules.taxonomy.searchHint')} value={query}
            onChange={(e) => setQuery(e.target.value)} />
        </Form.Item>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }} aria-live="polite">
        {deferred.trim() ? t('admin.rules.taxonomy.matches', { count: matches }) : t('admin.rules.taxonomy.total', { count: tree.length, levels })}
      </Typography.Paragraph>
      {nodes.length === 0 ? (
        <Empty description={deferred.trim() ? t('admin.rules.taxonomy.noMatch', { query: deferred.trim() }) : t('admin.rules.taxonomy.empty')} />
      ) : (
        <Tree<Node> treeData={nodes} height={480} blockNode showLine
          expandedKeys={deferred.trim() ? open : expanded} onExpand={(keys) => setExpanded(keys)}
          selectedKeys={selected ? [selected] : []} onSelect={(keys) => onSelect(keys.length ? String(keys[0]) : null)} />
      )}
    </>
  );
}
