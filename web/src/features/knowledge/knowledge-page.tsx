// 知识库: search and read for everyone on the staff (/knowledge), drafts and review for those who
// write (/knowledge/work), use and expiry (/knowledge/reports). An article opens beside the list at
// ?article=<id>, so that the agents' form can open one in a tab of its own.
import { App, Card, Tabs } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useParams, useSearchParams } from 'react-router';
import { useHasRole } from '../../app/session';
import { proposalFor } from './api/articles';
import { ArticleDrawer } from './components/article-drawer';
import { ArticleEditor, type Editing } from './components/article-editor';
import { ReportsView } from './components/reports-view';
import { SearchView } from './components/search-view';
import { WorkView } from './components/work-view';

/** ?propose=<order>: the editor opens with what the order's handling proposes (its question, the unit's answer). */
function useProposal(orderId: string | null, edit: (editing: Editing) => void) {
  const { message } = App.useApp();
  useEffect(() => {
    if (!orderId) return;
    proposalFor(orderId).then((p) => edit({ initial: { ...p.content, ownerUnitId: p.ownerUnitId, sourceOrderId: p.sourceOrderId } }),
      (e: Error) => void message.error(e.message));
  }, [orderId, edit, message]);
}

export function KnowledgePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { section = 'search' } = useParams();
  const [params, setParams] = useSearchParams();
  const writer = useHasRole('agent', 'lead', 'admin', 'unit_handler', 'unit_manager');
  const [editing, setEditing] = useState<Editing | null>(null);
  const article = params.get('article');
  useProposal(params.get('propose'), setEditing);
  const open = (id: string | null) => setParams(id ? { article: id } : {});
  const sections = writer ? ['search', 'work', 'reports'] : ['search'];
  if (!sections.includes(section)) return <Navigate to="/knowledge" replace />;
  return (
    <Card title={t('knowledge.title')}>
      <Tabs activeKey={section} onChange={(key) => navigate(key === 'search' ? '/knowledge' : `/knowledge/${key}`)} style={{ marginTop: -12 }}
        items={sections.map((key) => ({ key, label: t(`knowledge.tabs.${key}`) }))} />
      {section === 'search' && <SearchView onOpen={open} />}
      {section === 'work' && <WorkView onOpen={open} onCreate={() => setEditing({})} />}
      {section === 'reports' && <ReportsView onOpen={open} />}
      {article && <ArticleDrawer id={article} onClose={() => open(null)} />}
      {editing && <ArticleEditor editing={editing} onClose={() => setEditing(null)} onSaved={(a) => { setEditing(null); open(a.id); }} />}
    </Card>
  );
}
