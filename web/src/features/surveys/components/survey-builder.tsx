// Writing a survey's questions: each with its kind, options or scale, whether it is required, and
// when it is shown (an earlier choice question answered with some options); the channels and dates.
import { App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { beijingToday } from '../../../shared/format';
import { CheckboxField } from '../../../shared/surveys/answer-form';
import { useSaveSurvey, type Question, type Survey, type SurveyBody } from '../api/surveys';

/**
 * A question as the form holds it: `key` stays with the question as others are added or removed,
 * and its condition names the earlier question by key and its options by label, so that removing a
 * question or an option never moves a condition onto another.
 */
interface QuestionValues { key: string; text: string; kind: Question['kind']; required: boolean; options?: string[]; min?: number; max?: number;
  showIfQuestion?: string; showIfOptions?: string[] }
interface Values { title: string; intro?: string; channels: SurveyBody['channels']; range: [Dayjs, Dayjs]; questions: QuestionValues[] }

const optionId = (i: number) => `o${i + 1}`;
const newKey = () => Math.random().toString(36).slice(2, 10);

/** A condition that names a question or option no longer there (or not earlier): the form says so. */
class BrokenCondition extends Error {}

/** The form's questions as the API takes them: ids and option ids by position, each condition on its earlier question's. */
function questionsOf(values: QuestionValues[]): Question[] {
  return values.map((q, i) => {
    let showIf: Question['showIf'];
    if (q.showIfQuestion && q.showIfOptions?.length) {
      const on = values.findIndex((other) => other.key === q.showIfQuestion);
      const options = q.showIfOptions.map((label) => values[on]?.options?.indexOf(label) ?? -1);
      if (on < 0 || on >= i || options.includes(-1)) throw new BrokenCondition(String(i + 1));
      showIf = { question: `q${on + 1}`, options: options.map(optionId) };
    }
    return {
      id: `q${i + 1}`, kind: q.kind, text: q.text, required: q.required,
      ...(q.kind === 'single' || q.kind === 'multiple' ? { options: (q.options ?? []).map((label, k) => ({ id: optionId(k), label })) } : {}),
      ...(q.kind === 'scale' ? { scale: { min: q.min ?? 1, max: q.max ?? 5 } } : {}),
      ...(showIf ? { showIf } : {}),
    };
  });
}

function valuesOf(q: Question, all: Question[]): QuestionValues {
  const on = q.showIf ? all.find((other) => other.id === q.showIf!.question) : undefined;
  return { key: q.id, text: q.text, kind: q.kind, required: q.required, options: q.options?.map((o) => o.label), min: q.scale?.min, max: q.scale?.max,
    showIfQuestion: on?.id, showIfOptions: q.showIf?.options.map((id) => on?.options?.find((o) => o.id === id)?.label ?? id) };
}

export function SurveyBuilder({ survey, onClose }: { survey: Survey | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const save = useSaveSurvey();
  const questions = Form.useWatch('questions', form) ?? [];
  const submit = async (v: Values) => {
    let questions: Question[];
    try {
      questions = questionsOf(v.questions);
    } catch (error) {
      if (error instanceof BrokenCondition) return void message.error(t('surveys.form.brokenCondition', { n: error.message }));
      throw error;
    }
    const body: SurveyBody = { title: v.title, intro: v.intro ?? '', channels: v.channels, questions,
      startsOn: v.range[0].format('YYYY-MM-DD'), endsOn: v.range[1].format('YYYY-MM-DD') };
    await save.mutateAsync({ id: survey?.id, body });
    void message.success(t('surveys.form.saved'));
    onClose();
  };
  const initial: Partial<Values> = survey
    ? { title: survey.title, intro: survey.intro, channels: survey.channels, range: [dayjs(survey.startsOn), dayjs(survey.endsOn)],
      questions: survey.questions.map((q) => valuesOf(q as Question, survey.questions as Question[])) }
    : { channels: ['sms', 'outbound'], range: [beijingToday(), beijingToday().add(14, 'day')], questions: [{ key: newKey(), text: '', kind: 'single', required: true, options: [] }] };
  return (
    <Modal open width={820} title={t(survey ? 'surveys.form.editTitle' : 'surveys.form.newTitle')} onCancel={onClose} onOk={() => form.submit()}
      okText={t('surveys.form.save')} confirmLoading={save.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => submit(v).catch((e: Error) => message.error(e.message))}>
        <Form.Item label={t('surveys.form.title')} name="title" rules={[{ required: true, whitespace: true }]}><Input maxLength={120} /></Form.Item>
        <Form.Item label={t('surveys.form.intro')} name="intro" extra={t('surveys.form.introHint')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
        <Space wrap size="large">
          <Form.Item label={t('surveys.form.channels')} name="channels" rules={[{ required: true }]}>
            <CheckboxField label={t('surveys.form.channels')} options={(['sms', 'portal', 'outbound'] as const).map((c) => ({ value: c, label: t(`surveys.channels.${c}`) }))} />
          </Form.Item>
          <Form.Item label={`${t('surveys.form.startsOn')} – ${t('surveys.form.endsOn')}`} name="range" rules={[{ required: true }]}>
            <DatePicker.RangePicker aria-label={t('surveys.form.startsOn')} allowClear={false} />
          </Form.Item>
        </Space>
        <Form.List name="questions">
          {(fields, { add, remove }) => (
            <Space direction="vertical" style={{ width: '100%' }}>
              {fields.map((field, i) => {
                const kind = questions[i]?.kind;
                const earlier = questions.slice(0, i).map((q, k) => ({ q, k })).filter(({ q }) => q?.kind === 'single' || q?.kind === 'multiple');
                const on = questions.find((q) => q?.key === questions[i]?.showIfQuestion);
                return (
                  <Card key={field.key} size="small" title={t('surveys.form.question', { n: i + 1 })}
                    extra={fields.length > 1 && <Button type="link" danger onClick={() => remove(field.name)}>{t('surveys.form.remove')}</Button>}>
                    <Form.Item name={[field.name, 'key']} hidden><Input /></Form.Item>
                    <Form.Item label={t('surveys.form.text')} name={[field.name, 'text']} rules={[{ required: true, whitespace: true }]}>
                      <Input aria-label={`${t('surveys.form.text')} ${i + 1}`} maxLength={300} />
                    </Form.Item>
                    <Space wrap size="large">
                      <Form.Item label={t('surveys.form.kind')} name={[field.name, 'kind']}>
                        <Select aria-label={`${t('surveys.form.kind')} ${i + 1}`} style={{ width: 140 }}
                          options={(['single', 'multiple', 'scale', 'text'] as const).map((k) => ({ value: k, label: t(`surveys.kinds.${k}`) }))} />
                      </Form.Item>
                      <Form.Item label={t('surveys.form.required')} name={[field.name, 'required']} valuePropName="checked"><Switch /></Form.Item>
                      {kind === 'scale' && <>
                        <Form.Item label={t('surveys.form.scaleMin')} name={[field.name, 'min']} initialValue={1}><InputNumber min={0} max={9} /></Form.Item>
                        <Form.Item label={t('surveys.form.scaleMax')} name={[field.name, 'max']} initialValue={5}><InputNumber min={1} max={10} /></Form.Item>
                      </>}
                    </Space>
                    {(kind === 'single' || kind === 'multiple') && (
                      <Form.Item label={t('surveys.form.options')} name={[field.name, 'options']} extra={t('surveys.form.optionsHint')} rules={[{ required: true, type: 'array', min: 2 }]}>
                        <Select mode="tags" open={false} aria-label={`${t('surveys.form.options')} ${i + 1}`} />
                      </Form.Item>
                    )}
                    {earlier.length > 0 && (
                      <Space wrap>
                        <Form.Item label={`${t('surveys.form.showIf')}: ${t('surveys.form.showIfQuestion')}`} name={[field.name, 'showIfQuestion']}>
                          <Select allowClear placeholder={t('surveys.form.always')} style={{ width: 220 }} aria-label={`${t('surveys.form.showIfQuestion')} ${i + 1}`}
                            options={earlier.map(({ q, k }) => ({ value: q.key, label: `${k + 1}. ${q.text ?? ''}` }))} />
                        </Form.Item>
                        {on && (
                          <Form.Item label={t('surveys.form.showIfOptions')} name={[field.name, 'showIfOptions']}>
                            <Select mode="multiple" style={{ width: 260 }} aria-label={`${t('surveys.form.showIfOptions')} ${i + 1}`}
                              options={(on.options ?? []).map((label) => ({ value: label, label }))} />
                          </Form.Item>
                        )}
                      </Space>
                    )}
                  </Card>
                );
              })}
              <Button onClick={() => add({ key: newKey(), text: '', kind: 'single', required: true, options: [] })}>{t('surveys.form.addQuestion')}</Button>
            </Space>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
