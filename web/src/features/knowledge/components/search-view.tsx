// Searching the knowledge base while the caller waits: the words typed, a category and a place to
// narrow it, the best articles first with the words found marked, an expired or internal one said
// so; one opened reads in full beside the list.
import { Input, List, Space, TreeSelect, Typography } from 'antd';
import { useDeferredValue, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AreaSearch } from '../../../shared/area-search';
import { ErrorNotice } from '../../../shared/error-notice';
import { useCategoryTree } from '../../../shared/category-tree';
import { pagerOf } from '../../../shared/format';
import { useKnowledgeSearch } from '../../../shared/knowledge/api';
import { MarkedText } from '../../../shared/knowledge/marked-text';
import { TONES, ToneTag } from '../../../shared/tone-tag';

const PAGE = 10;

export function SearchView({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [categoryCode, setCategory] = useState<string>();
  const [areaCode, setArea] = useState<string>();
  const [offset, setOffset] = useState(0);
  const q = useDeferredValue(text.trim());
  const { tree, loading } = useCategoryTree();
  const found = useKnowledgeSearch({ q: q || undefined, categoryCode, areaCode, limit: PAGE, offset });
  const page = found.data && { limit: PAGE, offset, total: found.data.total };
  const narrow = <T,>(set: (v: T) => void) => (v: T) => { set(v); setOffset(0); };
  return (
    <>
      <Space wrap style={{ marginBottom: 12, width: '100%' }}>
        <Input.Search aria-label={t('knowledge.search.label')} placeholder={t('knowledge.search.placeholder')} allowClear autoFocus
          value={text} onChange={(e) => narrow(setText)(e.target.value)} style={{ width: 420, maxWidth: '100%' }} />
        <TreeSelect aria-label={t('knowledge.search.category')} placeholder={t('knowledge.search.anyCategory')} allowClear showSearch
          treeNodeFilterProp="title" treeData={tree} loading={loading} value={categoryCode} onChange={narrow(setCategory)} style={{ width: 240 }} />
        <div style={{ width: 260 }}><AreaSearch aria-label={t('knowledge.search.area')} value={areaCode} onChange={narrow(setArea)} /></div>
      </Space>
      {found.error && <ErrorNotice error={found.error} />}
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {q ? t('knowledge.search.total', { count: found.data?.total ?? 0 }) : t('knowledge.search.newest')}
      </Typography.Paragraph>
      <List itemLayout="vertical" loading={found.isLoading} dataSource={found.data?.items ?? []}
        locale={{ emptyText: <Space direction="vertical"><span>{t('knowledge.search.empty')}</span>
          <Typography.Text type="secondary">{t('knowledge.search.emptyHint')}</Typography.Text></Space> }}
        pagination={page && page.total > PAGE ? pagerOf(page, (next) => setOffset(next)) : false}
        renderItem={(hit) => (
          <List.Item key={hit.id}>
            <List.Item.Meta
              title={<Space size={6} wrap>
                <Typography.Link onClick={() => onOpen(hit.id)}><MarkedText value={hit.title} /></Typography.Link>
                {hit.expired && <ToneTag tone={TONES.danger}>{t('knowledge.expired')}</ToneTag>}
                {!hit.public && <ToneTag tone={TONES.neutral}>{t('knowledge.internal')}</ToneTag>}
              </Space>}
              description={<Space size={12} wrap>
                <span>{t('knowledge.search.owner', { unit: hit.ownerUnit.name ?? '' })}</span>
                {hit.validUntil && <span>{t('knowledge.search.validUntil', { date: hit.validUntil })}</span>}
              </Space>} />
            <MarkedText value={hit.snippet} />
          </List.Item>
        )} />
    </>
  );
}
