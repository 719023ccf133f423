// What the classifier suggested when the order was registered (the category path with its
// confidence and evidence, the alternatives, the request type) and what the agent chose.
import { Descriptions, Empty, List, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFormatTime } from '../../../shared/format';
import { nameIn } from '../../../shared/i18n/named';
import { TONES, ToneTag } from '../../../shared/orders/order-table';
import type { Suggestion } from '../api/order-insights';

const percent = (p: number) => `${Math.round(p * 100)}%`;

export function SuggestionPanel({ suggestion }: { suggestion: Suggestion }) {
  const { t, i18n } = useTranslation();
  const when = useFormatTime();
  const { category, requestType, decision } = suggestion;
  if (!category && !requestType) return <Empty description={t('insight.noSuggestion')} />;
  const outcome = (o: 'accepted' | 'corrected' | null | undefined, chosen: string | null | undefined) =>
    o === 'accepted' ? <ToneTag tone={TONES.success}>{t('insight.accepted')}</ToneTag>
      : o === 'corrected' ? <ToneTag tone={TONES.warning}>{t('insight.corrected', { chosen: chosen ?? '—' })}</ToneTag> : '—';
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Descriptions column={1} size="small" items={[
        ...(category ? [{ key: 'category', label: t('order.category'), children: (
          <Space wrap>
            <span>{category.pathNames.join(' › ')}</span>
            <ToneTag tone={category.lowConfidence ? TONES.warning : TONES.info}>{t('insight.confidence', { p: percent(category.confidence) })}</ToneTag>
            {category.lowConfidence && <Typography.Text type="warning">{t('insight.lowConfidence')}</Typography.Text>}
          </Space>
        ) }, {
          key: 'evidence', label: t('insight.evidence'),
          children: category.path.at(-1)?.evidence.slice(0, 6).map((e) => e.term).join('、') || '—',
        }] : []),
        ...(requestType ? [{ key: 'type', label: t('order.requestType'), children: (
          <Space>{nameIn(i18n.language, requestType.label)}
            <ToneTag tone={requestType.lowConfidence ? TONES.warning : TONES.info}>{t('insight.confidence', { p: percent(requestType.confidence) })}</ToneTag></Space>
        ) }] : []),
        { key: 'choice', label: t('insight.choice'), children: decision
          ? <Space wrap>{outcome(decision.categoryOutcome, decision.chosenCategoryCode)}{outcome(decision.requestTypeOutcome, decision.chosenRequestType)}
            <Typography.Text type="secondary">{when(decision.decidedAt)}</Typography.Text></Space>
          : t('insight.notDecided') },
      ]} />
      {category && category.alternatives.length > 0 && (
        <List size="small" header={t('insight.alternatives')} dataSource={category.alternatives}
          renderItem={(a) => <List.Item extra={percent(a.probability)}>{a.pathNames.join(' › ')}</List.Item>} />
      )}
    </Space>
  );
}
