// The knowledge articles for what the caller says, as the agent types it (不留不知道): the best few,
// the words found marked, an expired one said so; one chosen becomes the direct answer's text and
// the article it rests on (its use is counted).
import { Button, List, Space, Typography } from 'antd';
import { ErrorNotice } from '../error-notice';
import { TONES, ToneTag } from '../tone-tag';
import { useDeferredValue } from 'react';
import { useTranslation } from 'react-i18next';
import { useKnowledgeSearch, type KnowledgeHit, type Marked } from './api';
import { MarkedText } from './marked-text';

/** Enough words to search for: shorter texts show the hint. */
const searchable = (text: string) => text.trim().length >= 4;

export function ArticleSuggestions({ text, areaCode, onUse }: { text: string; areaCode?: string | undefined; onUse: (hit: Pick<KnowledgeHit, 'id' | 'answer'> & { title: Marked }) => void }) {
  const { t } = useTranslation();
  const q = useDeferredValue(text.slice(0, 500));
  const found = useKnowledgeSearch({ q, areaCode, limit: 4 }, searchable(q));
  if (!searchable(q)) return <Typography.Text type="secondary">{t('knowledge.suggest.hint')}</Typography.Text>;
  // a failed search is said so: "no article" would tell the agent there is none
  if (found.error) return <ErrorNotice error={found.error} />;
  const items = found.data?.items ?? [];
  if (found.isSuccess && items.length === 0) return <Typography.Text type="secondary">{t('knowledge.suggest.none')}</Typography.Text>;
  return (
    <List size="small" loading={found.isLoading} dataSource={items} renderItem={(hit) => (
      <List.Item actions={[<Button key="use" size="small" disabled={hit.expired} onClick={() => onUse(hit)}
        aria-label={t('knowledge.suggest.useNamed', { title: hit.title.text })}>{t('knowledge.suggest.use')}</Button>]}>
        <List.Item.Meta
          title={<Space size={4} wrap><a href={`/knowledge?article=${hit.id}`} target="_blank" rel="noreferrer"><MarkedText value={hit.title} /></a>
            {hit.expired && <ToneTag tone={TONES.danger}>{t('knowledge.expired')}</ToneTag>}</Space>}
          description={<MarkedText value={hit.snippet} />} />
      </List.Item>
    )} />
  );
}
