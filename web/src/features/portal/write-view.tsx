// Writing to the hotline: the request, where, who to answer; the security check runs while the
// citizen writes. A submission that fails on the way is sent again with the same reference and
// proof, and is registered once.
import { Alert, Button, Card, Checkbox, Form, Input, Radio, Result, Space, Typography, Upload, type UploadFile } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { AreaSearch } from '../../shared/area-search';
import { ApiError } from '../../shared/api/client';
import { submitRequest, uploadAttachment, type Receipt, type Submission } from './api';
import { startProof, type Proof } from './proof';

const TYPES = ['help', 'complaint', 'enquiry', 'suggestion', 'report', 'praise'] as const;
const PHONE = /^\+?[0-9(][0-9 ().-]{2,24}$/;

interface Fields { requestType: Submission['requestType']; title: string; body: string; areaCode?: string; address?: string; name: string; phone: string; confidential: boolean }

/** A random UUID (v4) from getRandomValues, which, unlike randomUUID, every browser gives on any page. */
function newReference(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function WriteView() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Fields>();
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [stage, setStage] = useState<'idle' | 'proving' | 'sending'>('idle');
  // one reference and one proof per request: a retry after a failure sends both again
  const attempt = useRef<{ clientRef: string; proof: Promise<Proof | null> } | null>(null);
  const fresh = () => (attempt.current = { clientRef: newReference(), proof: startProof() });
  // a refused proof is replaced; the reference stays, and with it the files uploaded for it
  const freshProof = () => { if (attempt.current) attempt.current.proof = startProof(); };
  useEffect(() => { if (!attempt.current) fresh(); }, []);
  const [files, setFiles] = useState<UploadFile<{ id: string }>[]>([]);
  const uploading = files.some((f) => f.status === 'uploading');

  // a submission whose answer never came (the network failed): sent again exactly as it was, whatever
  // the form shows now, so that it is registered once and its receipt is shown
  const unanswered = useRef<Submission | null>(null);

  /** The proof, a fresh one if it failed to come or would expire within a minute. */
  const proofFor = async (current: { proof: Promise<Proof | null> }): Promise<Proof | null> => {
    const proof = await current.proof.catch(() => (freshProof(), attempt.current!.proof));
    const expiresAt = proof?.challenge.parameters.expiresAt;
    if (expiresAt && expiresAt * 1000 < Date.now() + 60_000) {
      freshProof();
      return attempt.current!.proof;
    }
    return proof;
  };

  const submit = async (f: Fields) => {
    setError(null);
    const current = attempt.current ?? fresh();
    try {
      let body = unanswered.current;
      if (!body) {
        setStage('proving');
        const proof = await proofFor(current);
        const place = f.areaCode || f.address ? { areaCode: f.areaCode || undefined, address: f.address?.trim() || undefined } : undefined;
        body = { clientRef: current.clientRef, requestType: f.requestType, title: f.title.trim(), body: f.body.trim(),
          place, contact: { name: f.name.trim(), phone: f.phone.trim() }, confidential: f.confidential ?? false, ...(proof ? { proof } : {}),
          attachmentIds: files.flatMap((file) => (file.status === 'done' && file.response ? [file.response.id] : [])) };
      }
      setStage('sending');
      const answer = await submitRequest(body).catch((e: unknown) => {
        if (!(e instanceof ApiError)) unanswered.current = body; // no answer: the same again next time
        throw e;
      });
      unanswered.current = null;
      setReceipt(answer);
      form.resetFields();
      setFiles([]);
      fresh();
    } catch (e) {
      // a refused proof will not pass on a retry: the next try gets a new one
      const code = (e as { code?: string }).code;
      if (code === 'PORTAL_CHALLENGE_FAILED' || code === 'PORTAL_CHALLENGE_SPENT' || (e as Error).message === 'proof of work not found') freshProof();
      setError(e instanceof ApiError ? e.message : t('portal.networkRetry'));
    } finally {
      setStage('idle');
    }
  };

  if (receipt) return <ReceiptView receipt={receipt} onAnother={() => setReceipt(null)} />;
  const required = (field: string) => [{ required: true, whitespace: true, message: t('portal.required', { field }) }];
  return (
    <Card>
      {!window.isSecureContext && <Alert role="alert" type="warning" showIcon title={t('portal.insecure')} style={{ marginBottom: 16 }} />}
      {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ requestType: 'help', confidential: false }} requiredMark="optional"
        scrollToFirstError>
        <Form.Item label={t('portal.requestType')} name="requestType" rules={[{ required: true }]}>
          <Radio.Group optionType="button" buttonStyle="solid" options={TYPES.map((k) => ({ value: k, label: t(`portal.types.${k}`) }))}
            style={{ display: 'flex', flexWrap: 'wrap', gap: 4 }} />
        </Form.Item>
        <Form.Item label={t('portal.subject')} name="title" rules={required(t('portal.subject'))}>
          <Input maxLength={60} showCount placeholder={t('portal.subjectHint')} />
        </Form.Item>
        <Form.Item label={t('portal.body')} name="body"
          rules={[...required(t('portal.body')), { min: 5, message: t('portal.bodyTooShort') }]}>
          <Input.TextArea rows={6} maxLength={3000} showCount placeholder={t('portal.bodyHint')} />
        </Form.Item>
        <Form.Item label={t('portal.place')} name="areaCode">
          <AreaSearch open />
        </Form.Item>
        <Form.Item label={t('portal.address')} name="address">
          <Input maxLength={300} placeholder={t('portal.addressHint')} autoComplete="street-address" />
        </Form.Item>
        <Form.Item label={t('portal.name')} name="name" rules={required(t('portal.name'))}>
          <Input maxLength={40} autoComplete="name" />
        </Form.Item>
        <Form.Item label={t('portal.phone')} name="phone"
          rules={[...required(t('portal.phone')), { pattern: PHONE, message: t('portal.phoneInvalid') }]}>
          <Input inputMode="tel" autoComplete="tel" maxLength={25} />
        </Form.Item>
        <Form.Item label={t('portal.files')} extra={t('portal.filesHint')}>
          <Upload fileList={files} maxCount={9} multiple accept="image/*,.pdf,.docx,.xlsx,.mp3,.m4a,.mp4"
            onChange={({ fileList }) => setFiles(fileList)}
            customRequest={({ file, onSuccess, onError }) => {
              uploadAttachment(attempt.current!.clientRef, file as File).then((a) => onSuccess?.(a), (e: Error) => onError?.(e));
            }}>
            <Button>{t('portal.addFiles')}</Button>
          </Upload>
        </Form.Item>
        <Form.Item name="confidential" valuePropName="checked">
          <Checkbox>{t('portal.confidential')}</Checkbox>
        </Form.Item>
        <Button type="primary" htmlType="submit" size="large" block loading={stage !== 'idle'} disabled={uploading}>
          {stage === 'proving' ? t('portal.proving') : t('portal.submit')}
        </Button>
      </Form>
    </Card>
  );
}

function ReceiptView({ receipt, onAnother }: { receipt: Receipt; onAnother: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const follow = () => navigate(`/portal/track#no=${encodeURIComponent(receipt.trackingNo)}&code=${encodeURIComponent(receipt.lookupCode)}`);
  return (
    <Card>
      <Result status="success" title={t('portal.received')} subTitle={t('portal.receivedHint')} style={{ padding: '24px 0' }}>
        <Space direction="vertical" size="middle" style={{ width: '100%', textAlign: 'center' }}>
          <div>
            <div>{t('portal.trackingNo')}</div>
            <Typography.Text copyable strong style={{ fontSize: 20, whiteSpace: 'nowrap' }} data-testid="tracking-no">{receipt.trackingNo}</Typography.Text>
          </div>
          <div>
            <div>{t('portal.lookupCode')}</div>
            <Typography.Text copyable strong style={{ fontSize: 20, letterSpacing: 2 }} data-testid="lookup-code">{receipt.lookupCode}</Typography.Text>
          </div>
          <Space wrap style={{ justifyContent: 'center' }}>
            <Button type="primary" onClick={follow}>{t('portal.seeProgress')}</Button>
            <Button onClick={onAnother}>{t('portal.writeAnother')}</Button>
          </Space>
        </Space>
      </Result>
    </Card>
  );
}
