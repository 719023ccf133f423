// The keys that work on every page: Alt+1…9 opens the user's workspaces in menu order, "/" puts the
// cursor in the page's search box, "?" lists every shortcut (the intake form adds its own).
import { Modal, Table } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Workspace } from './workspaces';

/** Typing in a field: keys are text there, not shortcuts. */
const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

export function useShortcuts(workspaces: readonly Workspace[]): { helpOpen: boolean; closeHelp: () => void } {
  const navigate = useNavigate();
  const [helpOpen, setHelpOpen] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && !e.ctrlKey && !e.metaKey && /^Digit[1-9]$/.test(e.code)) {
        const target = workspaces[Number(e.code.slice(5)) - 1];
        if (target) { e.preventDefault(); navigate(target.path); }
        return;
      }
      if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === '/') {
        const search = document.querySelector<HTMLInputElement>('main input[type="search"], main .ant-input-search input');
        if (search) { e.preventDefault(); search.focus(); }
      } else if (e.key === '?') {
        setHelpOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate, workspaces]);
  return { helpOpen, closeHelp: () => setHelpOpen(false) };
}

export function ShortcutHelp({ open, onClose, workspaces }: { open: boolean; onClose: () => void; workspaces: readonly Workspace[] }) {
  const { t } = useTranslation();
  const rows = [
    ...workspaces.slice(0, 9).map((w, i) => ({ keys: `Alt+${i + 1}`, what: t(`menu.${w.label}`) })),
    { keys: '/', what: t('shortcuts.search') },
    { keys: 'Ctrl+Enter', what: t('shortcuts.dispatch') },
    { keys: 'Ctrl+Shift+Enter', what: t('shortcuts.answer') },
    { keys: 'Esc', what: t('shortcuts.close') },
    { keys: '?', what: t('shortcuts.help') },
  ];
  return (
    <Modal open={open} onCancel={onClose} footer={null} title={t('shortcuts.title')}>
      <Table rowKey="keys" size="small" pagination={false} dataSource={rows}
        columns={[{ title: t('shortcuts.keys'), dataIndex: 'keys', render: (k: string) => <kbd>{k}</kbd> }, { title: t('shortcuts.what'), dataIndex: 'what' }]} />
    </Modal>
  );
}
