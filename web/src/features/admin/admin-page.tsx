// Administration (系统管理), for the admin: the handling network and its people, the API keys, the webhooks, the
// audit log, and the rules the hotline runs by (the category tree, deadlines, the holiday calendar,
// the classifier), and each channel's counters. Each section has its own address (/admin/staff…), so a reload keeps it.
import { Card, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useParams } from 'react-router';
import { ApiKeysSection } from './people/keys-section';
import { WebhooksSection } from './people/webhooks-section';
import { ChannelsSection } from './channels/channels-section';
import { AuditSection } from './people/audit-section';
import { StaffSection } from './people/staff-section';
import { UnitsSection } from './people/units-section';
import { CalendarSection } from './rules/calendar-section';
import { ClassifierSection } from './rules/classifier-section';
import { DeadlineSettingsSection } from './rules/settings-section';
import { TaxonomySection } from './rules/taxonomy-section';

const SECTIONS = {
  units: UnitsSection, staff: StaffSection, keys: ApiKeysSection, webhooks: WebhooksSection, audit: AuditSection,
  taxonomy: TaxonomySection, settings: DeadlineSettingsSection, calendar: CalendarSection, classifier: ClassifierSection,
  channels: ChannelsSection,
} as const;
type Section = keyof typeof SECTIONS;

export function AdminPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { section } = useParams();
  if (!section || !(section in SECTIONS)) return <Navigate to="/admin/units" replace />;
  const Current = SECTIONS[section as Section];
  return (
    <Card title={t('menu.admin')}>
      <Tabs activeKey={section} onChange={(key) => navigate(`/admin/${key}`)}
        items={(Object.keys(SECTIONS) as Section[]).map((key) => ({ key, label: t(`admin.sections.${key}`) }))} />
      <Current />
    </Card>
  );
}
