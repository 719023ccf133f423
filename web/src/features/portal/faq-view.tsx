// 常见问题: what the hotline's knowledge base answers in public, searched as a citizen puts it; each
// answer opens in place. Nothing found sends the citizen to write to the hotline instead.
import { useQuery, keepPreviousData } from '@tanstack/react-query';
import { Card, Collapse, Empty, Input, Typography } from 'antd';
import { useDeferredValue, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorNotice } from '../../shared/error-notice';
import { MarkedText } from '../../shared/knowledge/marked-text';
import { searchFaq } from './api';

export function FaqView() {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const q = useDeferredValue(text.trim());
  const faq = useQuery({ queryKey: ['faq', q], placeholderData: keepPreviousData, queryFn: ({ signal }) => searchFaq(q, signal) });
  return (
    <Card>
      <Input.Search aria-label={t('knowledge.faq.placeholder')} placeholder={t('knowledge.faq.placeholder')} allowClear size="large"
        value={text} onChange={(e) => setText(e.target.value)} style={{ marginBottom: 16 }} />
      {faq.error && <ErrorNotice error={faq.error} />}
      {faq.data?.items.length === 0
        ? <Empty description={<Link to="/portal">{t('knowledge.faq.empty')}</Link>} />
        : <Collapse items={(faq.data?.items ?? []).map((item) => ({
          key: item.id,
          label: <MarkedText value={item.title} />,
          children: <>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{item.answer}</Typography.Paragraph>
            {item.ownerUnit && <Typography.Text type="secondary">{t('knowledge.faq.source', { unit: item.ownerUnit })}</Typography.Text>}
          </>,
        }))} />}
    </Card>
  );
}
