// Sign-in: labelled fields, and every refusal (a wrong password, a locked account, too many tries)
// in words, in the user's language, as the server says it.
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session';
import { LanguageSwitch } from '../../app/shell';

export function SignInPage() {
  const { t } = useTranslation();
  const { signIn } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async ({ username, password }: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await signIn(username, password);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#eef2f8', padding: 16 }}>
      <Card style={{ width: '100%', maxWidth: 380 }}>
        <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>{t('app.name')}</Typography.Title>
        <Typography.Title level={2} style={{ fontSize: 18 }}>{t('signin.title')}</Typography.Title>
        {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item label={t('signin.username')} name="username" rules={[{ required: true, message: t('signin.usernameRequired') }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item label={t('signin.password')} name="password" rules={[{ required: true, message: t('signin.passwordRequired') }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>{t('signin.submit')}</Button>
        </Form>
        <div style={{ textAlign: 'right', marginTop: 8 }}><LanguageSwitch /></div>
      </Card>
    </main>
  );
}
