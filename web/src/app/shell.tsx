// The frame around every workspace: the menu of the user's workspaces, who they are, the language
// switch and sign-out, and the keys that work on every page. A call answered at the agent's seat
// brings them to the form, wherever they were (useCallPop).
import { App, Button, Layout, Menu, Space, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { NoticesButton } from '../features/notices/notices-button';
import { AfterPaint } from '../shared/after-paint';
import { onCallPopped } from '../shared/calls/current-call';
import { changeLanguage } from '../shared/i18n';
import { useLiveOrders } from '../shared/live';
import { useSession } from './session';
import { ShortcutHelp, useShortcuts } from './shortcuts';
import { workspacesOf } from './workspaces';

export function LanguageSwitch({ onDark = false }: { onDark?: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <Button type="link" onClick={() => changeLanguage(i18n.language === 'en' ? 'zh' : 'en')} lang={i18n.language === 'en' ? 'zh-CN' : 'en'}
      style={onDark ? { color: '#fff' } : undefined}>
      {t('app.language')}
    </Button>
  );
}

/**
 * A call answered at the agent's seat opens the form, from any page: the caller is already speaking,
 * the form is the agent's next move whatever they were reading, and the telephony rings a seat only
 * while its agent says they are ready. A notice they had to click would cost seconds of the caller's
 * time on every call. Pages they leave keep nothing unsaved that matters more than the caller: an
 * order's page reads everything again from the server. A line says why the page changed.
 */
function useCallPop(intake: boolean) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const where = useRef(location.pathname);
  where.current = location.pathname;
  useEffect(() => onCallPopped(() => {
    if (!intake || where.current === '/intake') return;
    navigate('/intake');
    void message.info(t('callPop.broughtHere'));
  }), [intake, navigate, message, t]);
}

export function Shell() {
  const { t } = useTranslation();
  const { me, signOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  useLiveOrders(true, me?.id); // one stream for every workspace: lists, orders, notices and the agent's calls follow it
  const workspaces = workspacesOf(me?.roles ?? []);
  useCallPop(workspaces.some((w) => w.path === '/intake'));
  const { helpOpen, closeHelp } = useShortcuts(workspaces);
  const items = workspaces.map((w, i) => ({ key: w.path, label: t(`menu.${w.label}`), title: `Alt+${i + 1}` }));
  const selected = items.find((i) => location.pathname.startsWith(i.key))?.key;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24, background: '#0f2a5c' }}>
        <Typography.Text strong style={{ color: '#fff', whiteSpace: 'nowrap' }}>{t('app.name')}</Typography.Text>
        <nav aria-label={t('app.name')} style={{ flex: 1, minWidth: 0 }}>
          <Menu theme="dark" mode="horizontal" items={items} selectedKeys={selected ? [selected] : []}
            onClick={({ key }) => navigate(key)} style={{ background: 'transparent' }} />
        </nav>
        <Space>
          <Typography.Text style={{ color: '#fff' }}>{me?.displayName}{me?.unitName ? ` · ${me.unitName}` : ''}</Typography.Text>
          {me?.kind === 'staff' && <AfterPaint><NoticesButton /></AfterPaint>}
          <LanguageSwitch onDark />
          <Button onClick={() => void signOut().then(() => navigate('/'))}>{t('app.signOut')}</Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        <main><Outlet /></main>
        <ShortcutHelp open={helpOpen} onClose={closeHelp} workspaces={workspaces} />
      </Layout.Content>
    </Layout>
  );
}
