// A survey's questions as a form, for the respondent on the link and for the agent on a call: each
// question shown as its kind asks, one with a condition only once the earlier answer meets it (the
// server checks the same rule, src/modules/surveys/questions.ts), required ones marked.
import { Button, Checkbox, Form, Input, Radio, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export interface SurveyQuestion {
  id: string;
  kind: 'single' | 'multiple' | 'scale' | 'text';
  text: string;
  required: boolean;
  options?: { id: string; label: string }[];
  scale?: { min: number; max: number; minLabel?: string; maxLabel?: string };
  showIf?: { question: string; options: string[] };
}

export type SurveyAnswers = Record<string, string | string[] | number>;

/** Whether a question is shown, given the answers so far. */
export function isShown(q: SurveyQuestion, answers: Record<string, unknown>): boolean {
  if (!q.showIf) return true;
  const given = answers[q.showIf.question];
  const chosen = Array.isArray(given) ? given : typeof given === 'string' ? [given] : [];
  return chosen.some((o) => q.showIf!.options.includes(o as string));
}

export function AnswerForm({ questions, submitting, onSubmit, extra }: { questions: SurveyQuestion[]; submitting: boolean;
  onSubmit: (answers: SurveyAnswers) => void; extra?: React.ReactNode }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Record<string, unknown>>();
  const values = Form.useWatch([], form) ?? {};
  const submit = (v: Record<string, unknown>) => {
    const answers: SurveyAnswers = {};
    for (const q of questions) {
      const value = v[q.id];
      if (isShown(q, answers) && value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0)) answers[q.id] = value as SurveyAnswers[string];
    }
    onSubmit(answers);
  };
  // numbered as shown: a question skipped leaves no gap
  const shown = questions.filter((q) => isShown(q, values));
  return (
    <Form form={form} layout="vertical" onFinish={submit}>
      {shown.map((q, i) => (
        <Form.Item key={q.id} name={q.id} label={`${i + 1}. ${q.text}`} rules={q.required ? [{ required: true, message: t('surveys.answer.required') }] : []}>
          {q.kind === 'single' ? <Radio.Group aria-label={q.text} options={q.options!.map((o) => ({ value: o.id, label: o.label }))} />
            : q.kind === 'multiple' ? <CheckboxField label={q.text} options={q.options!.map((o) => ({ value: o.id, label: o.label }))} />
              : q.kind === 'scale' ? <ScaleInput label={q.text} scale={q.scale!} />
                : <Input.TextArea rows={3} maxLength={2000} />}
        </Form.Item>
      ))}
      {extra}
      <Button type="primary" htmlType="submit" loading={submitting}>{t('surveys.answer.submit')}</Button>
    </Form>
  );
}

function ScaleInput({ label, scale, value, onChange, id }: { label: string; scale: NonNullable<SurveyQuestion['scale']>; value?: number; onChange?: (v: number) => void; id?: string }) {
  const values = Array.from({ length: scale.max - scale.min + 1 }, (_, i) => scale.min + i);
  return (
    <Space wrap id={id}>
      {scale.minLabel && <Typography.Text type="secondary">{scale.minLabel}</Typography.Text>}
      <Radio.Group aria-label={label} value={value} onChange={(e) => onChange?.(e.target.value as number)} optionType="button"
        options={values.map((v) => ({ value: v, label: String(v) }))} />
      {scale.maxLabel && <Typography.Text type="secondary">{scale.maxLabel}</Typography.Text>}
    </Space>
  );
}

/**
 * A group of checkboxes as a form field: a group (role) named `label` (the field's), without the
 * aria-required and aria-invalid the form puts on its field (not allowed on a group; each box says
 * its own state).
 */
export function CheckboxField<V extends string>({ id, label, value, onChange, options }: { id?: string; label: string; value?: V[]; onChange?: (v: V[]) => void;
  options: { value: V; label: string }[] }) {
  return (
    <div id={id} role="group" aria-label={label}>
      <Checkbox.Group value={value} onChange={(v) => onChange?.(v as V[])} options={options} />
    </div>
  );
}
