// The classifier's other likely categories under its first choice: one click (or Tab, Enter) files
// the order under one of them instead.
import { Button, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Answer } from '../../shared/api/client';

type Category = NonNullable<Answer<'/api/v1/classify/suggest', 'post'>['category']>;

export function SuggestionAlternatives({ category, onChoose }: { category: Category; onChoose: (code: string) => void }) {
  const { t } = useTranslation();
  const choices = [{ code: category.code, pathNames: category.pathNames, probability: category.confidence }, ...category.alternatives.slice(0, 3)];
  return (
    <Space wrap size={[4, 4]} aria-label={t('intake.choices')}>
      <Typography.Text type="secondary">{t('intake.choices')}</Typography.Text>
      {choices.map((c) => (
        <Button key={c.code} size="small" onClick={() => onChoose(c.code)} title={c.pathNames.join(' › ')}>
          {c.pathNames.at(-1)} {Math.round(c.probability * 100)}%
        </Button>
      ))}
    </Space>
  );
}
