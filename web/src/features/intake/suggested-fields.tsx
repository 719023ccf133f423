// The parts of the intake form that follow the classifier's suggestion: the category (the suggested
// path, its confidence and alternatives), the unit (the routing's units for it), the danger signals
// and the similar orders. The suggestion lives in a small store outside React's state, so that
// typing redraws only the field typed in, and a suggestion arriving redraws only these parts.
import { Form, Space, TreeSelect, Typography, type FormInstance } from 'antd';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { useCategoryTree } from '../../shared/category-tree';
import { nameIn } from '../../shared/i18n/named';
import { SimilarOrders } from '../../shared/orders/similar-orders';
import { TONES, ToneTag } from '../../shared/orders/order-table';
import { UnitSearch } from '../../shared/unit-search';
import { suggestible, useSuggestion, type Suggestion } from './api/suggest';
import { SuggestionAlternatives } from './suggestion-alternatives';

export interface SuggestionStore {
  get(): Suggestion | undefined;
  set(next: Suggestion | undefined): void;
  subscribe(listener: () => void): () => void;
}

/** The form's store of the latest suggestion, made once per form. */
export function useSuggestionStore(): SuggestionStore {
  const [store] = useState<SuggestionStore>(() => {
    let current: Suggestion | undefined;
    const listeners = new Set<() => void>();
    return {
      get: () => current,
      set(next) {
        if (next === current) return;
        current = next;
        for (const listener of listeners) listener();
      },
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
  });
  return store;
}

const useSuggested = (store: SuggestionStore) => useSyncExternalStore(store.subscribe, store.get);

type Fields = { title?: string; body?: string; area?: string; categoryCode?: string };

/** Follows the text and place as typed and keeps each suggestion as it arrives; draws nothing. */
export function SuggestionFeed({ form, store }: { form: FormInstance; store: SuggestionStore }) {
  const f = form as FormInstance<Fields>;
  const title = Form.useWatch('title', f) ?? '';
  const body = Form.useWatch('body', f) ?? '';
  const area = Form.useWatch('area', f);
  const { data } = useSuggestion(title, body, area);
  // a text cleared or cut below the minimum has no suggestion (not the last one kept)
  const current = suggestible(body) ? data : undefined;
  useEffect(() => store.set(current), [current, store]);
  return null;
}

/** The category: the tree by type-ahead, the suggested path with its confidence and the alternatives. */
export function CategoryField({ form, store }: { form: FormInstance; store: SuggestionStore }) {
  const { t } = useTranslation();
  const suggested = useSuggested(store)?.category;
  const { tree, loading } = useCategoryTree();
  return (
    <Form.Item label={t('order.category')} name="categoryCode"
      extra={suggested && (
        <Space direction="vertical" size={4} style={{ marginTop: 4 }}>
          <span>{suggested.pathNames.join(' › ')} <ToneTag tone={suggested.lowConfidence ? TONES.warning : TONES.success}>{Math.round(suggested.confidence * 100)}%</ToneTag></span>
          <SuggestionAlternatives category={suggested} onChoose={(code) => form.setFieldValue('categoryCode', code)} />
        </Space>
      )}>
      <TreeSelect showSearch treeNodeFilterProp="title" treeData={tree} allowClear placeholder={suggested?.name} loading={loading} />
    </Form.Item>
  );
}

/** The unit to dispatch to: the routing's units for the suggested category first, any unit by name. */
export function UnitField({ form, store }: { form: FormInstance; store: SuggestionStore }) {
  const { t } = useTranslation();
  const suggestion = useSuggested(store);
  // the units suggested follow the classifier's category: once the agent files it elsewhere, routing decides at dispatch
  const chosenCategory = Form.useWatch('categoryCode', form as FormInstance<Fields>);
  const byChoice = chosenCategory && chosenCategory !== suggestion?.category?.code;
  return (
    <Form.Item label={t('order.unit')} name="unitId" extra={t('intake.unitHint')}>
      <UnitSearch<string> placeholder={byChoice ? t('intake.unitByChoice') : suggestion?.units[0]?.unit.name}
        initial={(suggestion?.units ?? []).map((u) => ({ value: u.unit.id, label: u.unit.name }))} />
    </Form.Item>
  );
}

/** The danger signals in the text (a threat, a fire, someone hurt): handle first. */
export function Signals({ store }: { store: SuggestionStore }) {
  const { i18n } = useTranslation();
  const signals = useSuggested(store)?.signals ?? [];
  if (!signals.length) return null;
  return <Typography.Paragraph type="danger">{signals.map((s) => nameIn(i18n.language, s.label)).join('、')}</Typography.Paragraph>;
}

/** The similar orders of the last year: a repeated call, or an answer to reuse. */
export function SimilarToText({ store }: { store: SuggestionStore }) {
  const { t } = useTranslation();
  const similar = useSuggested(store)?.similar;
  return similar?.length ? <SimilarOrders orders={similar} newTab /> : <Typography.Text type="secondary">{t('intake.similarHint')}</Typography.Text>;
}
