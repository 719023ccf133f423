// The citizen portal (市长信箱): write to the hotline, then follow the request with its tracking
// number and lookup code, read the answer and rate it. Public: no sign-in, nothing of the staff
// application's code is loaded; built for a phone's screen first (390 px), wider screens centre it.
import { Layout, Menu, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes, useLocation } from 'react-router';
import { LanguageSwitch } from '../../app/shell';
import { FaqView } from './faq-view';
import { OpenSurveysView, SurveyView } from './survey-view';
import { TrackView } from './track-view';
import { WriteView } from './write-view';

export function PortalPage() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  return (
    <Layout style={{ minHeight: '100vh', background: '#eef2f8' }}>
      <header style={{ background: '#1d4ed8', color: '#fff', padding: '12px 16px' }}>
        <div style={{ maxWidth: 720, margin: '0 auto', display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 8 }}>
          <div>
            <Typography.Title level={1} style={{ color: '#fff', fontSize: 20, margin: 0 }}>{t('portal.title')}</Typography.Title>
            <div style={{ fontSize: 13 }}>{t('portal.subtitle')}</div>
          </div>
          <LanguageSwitch onDark />
        </div>
      </header>
      <nav aria-label={t('portal.title')} style={{ background: '#fff' }}>
        <Menu mode="horizontal" selectedKeys={pathname.startsWith('/portal/survey/') ? [] : [pathname.startsWith('/portal/track') ? 'track' : pathname.startsWith('/portal/faq') ? 'faq' : pathname.startsWith('/portal/surveys') ? 'surveys' : 'write']} style={{ maxWidth: 720, margin: '0 auto' }}
          items={[
            { key: 'write', label: <Link to="/portal">{t('portal.write')}</Link> },
            { key: 'track', label: <Link to="/portal/track">{t('portal.track')}</Link> },
            { key: 'faq', label: <Link to="/portal/faq">{t('knowledge.faq.tab')}</Link> },
            { key: 'surveys', label: <Link to="/portal/surveys">{t('surveys.answer.tab')}</Link> },
          ]} />
      </nav>
      <main style={{ width: '100%', maxWidth: 720, margin: '0 auto', padding: 12 }}>
        <Routes>
          <Route path="track" element={<TrackView />} />
          <Route path="faq" element={<FaqView />} />
          <Route path="survey/:token" element={<SurveyView />} />
          <Route path="surveys" element={<OpenSurveysView />} />
          <Route path="*" element={<WriteView />} />
        </Routes>
      </main>
      <footer style={{ textAlign: 'center', padding: 16 }}><Link to="/">{t('portal.staffSignIn')}</Link></footer>
    </Layout>
  );
}
