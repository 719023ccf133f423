// The texts of the administration's people sections: units, staff, API keys, the audit log. The
// words for the API's codes (roles, unit levels, scopes, audit actions) live here too, so no raw
// code reaches the screen alone.
import type { Texts } from '../../../shared/i18n/en';

export const peopleZh = {
  common: {
    actions: '操作', edit: '修改', save: '保存', create: '新建', active: '启用', inactive: '已停用', status: '状态', name: '名称',
    saved: '已保存', created: '已创建', copy: '复制', copied: '已复制', close: '我已记下，关闭', shownOnce: '只显示这一次：关闭后无法再次查看，请立即复制并妥善交付。',
    unit: '单位', anyUnit: '输入名称查找单位', confirm: '确定', cancel: '取消', all: '全部',
  },
  roles: {
    agent: '受理员', lead: '班长（质检）', dispatcher: '派单员', visitor: '回访员', supervisor: '督办员',
    unit_handler: '单位经办人', unit_manager: '单位负责人', leader: '领导', admin: '系统管理员',
  },
  levels: { hotline: '热线中心', leader: '市领导', department: '市直部门', district: '区县', street: '街道（镇）', community: '社区（村）' },
  scopes: {
    orders_create: '登记工单', orders_read: '查看工单', orders_write: '办理工单', personal_data: '查看市民联系方式（留痕）',
    directory_read: '查看区划、单位与分类',
    open311: '通过 Open311 接口提交诉求',
    analytics_read: '读取统计分析（全市密钥含热点与突发预警；单位密钥只读本单位及下级）',
  },
  units: {
    search: '单位名称', level: '层级', kind: '类型', kindHint: '承办的事项类型，如 water_supply、street_office；分类按此找单位', parent: '上级单位',
    topLevel: '无（最高一级）', area: '服务区划', areas: '服务区划', code: '单位编码', codeHint: '字母、数字、下划线或连字符，创建后不可改',
    new: '新建单位', editTitle: '修改单位：{{name}}', empty: '没有符合条件的单位', emptyHint: '清除筛选条件，或新建一个单位',
    areaCount: '{{count}} 个区划', cityWide: '全市', activeHelp: '停用的单位不再被建议派单',
  },
  staff: {
    search: '姓名或用户名', username: '用户名', usernameHint: '登录用，字母、数字、点、下划线或连字符', displayName: '姓名', roles: '角色', role: '角色',
    new: '新建账号', editRoles: '改角色', rolesTitle: '修改角色：{{name}}', deactivate: '停用', reactivate: '启用',
    deactivateConfirm: '停用 {{name}} 的账号？停用后无法登录。', reactivateConfirm: '重新启用 {{name}} 的账号？',
    deactivated: '已停用 {{name}}', reactivated: '已启用 {{name}}',
    resetPassword: '重置密码', resetConfirm: '为 {{name}} 生成新密码？原密码立即失效，已登录的会话将被注销。',
    initialPassword: '初始密码', initialPasswordHint: '留空则自动生成一个随机密码（至少 8 位）', passwordTitle: '{{name}} 的密码',
    createdTitle: '账号已创建：{{name}}', empty: '没有符合条件的人员', emptyHint: '换个单位或角色筛选，或新建一个账号',
  },
  keys: {
    name: '名称', nameHint: '用哪个系统、做什么，如“区政务服务 App 登记工单”', scopes: '权限范围', unit: '代表的单位', unitHint: '不选：全市范围；选了：以该单位身份办理',
    prefix: '密钥前缀', createdAt: '创建时间', lastUsedAt: '最近使用', never: '从未使用', revokedAt: '吊销时间', inUse: '使用中', revoked: '已吊销',
    new: '新建密钥', createdTitle: '接口密钥已创建：{{name}}', revoke: '吊销', revokeConfirm: '吊销密钥“{{name}}”？使用它的系统将立即无法访问。',
    revokedDone: '已吊销 {{name}}', empty: '还没有接口密钥', emptyHint: '为接入热线的外部系统新建一个密钥', usage: '调用接口时放在请求头 x-api-key 中。',
  },
  webhooks: {
    hint: '把单位的工单事件实时推送到其自有系统：按事件发生顺序、带签名，对方未确认（2xx）就按 10 秒、20 秒、40 秒……最长 30 分钟的间隔重发。接收方的对接说明见 docs/webhooks.md。',
    name: '名称', url: '推送地址', unit: '单位', unitHint: '不选：全市所有工单（如大数据局）；选了：该单位及下级单位的工单', types: '事件类型', typesHint: '不选：全部工单事件',
    allTypes: '全部事件', status: '状态', active: '推送中', paused: '已暂停', failing: '失败 {{count}} 次，下次 {{time}}', lastDelivered: '最近送达', never: '尚未送达',
    position: '已送达至事件', new: '新建推送', createdTitle: '推送已创建：{{name}}', usage: '接收方用此密钥校验请求头 Minsheng-Signature（HMAC-SHA256），见 docs/webhooks.md。',
    pause: '暂停', resume: '恢复', replay: '重新推送', replayFrom: '从此时刻起重新推送', replayDone: '将从 {{time}} 起重新推送', rotate: '更换密钥',
    rotateConfirm: '更换“{{name}}”的签名密钥？旧密钥立即失效。', rotatedTitle: '新的签名密钥：{{name}}', remove: '删除', removeConfirm: '删除推送“{{name}}”？',
    removed: '已删除 {{name}}', attempts: '最近推送记录', attemptAt: '时间', events: '事件数', range: '事件范围', result: '结果', ms: '耗时（毫秒）',
    empty: '还没有推送', emptyHint: '为承办单位的业务系统新建一个推送', noAttempts: '还没有推送记录',
  },
  audit: {
    at: '时间', who: '操作人', action: '操作', target: '对象', detail: '详情', ip: '来源地址', actor: '操作人', subjectType: '对象类型',
    subjectId: '对象编号', period: '时间范围', empty: '没有符合条件的审计记录', emptyHint: '放宽时间范围或清除筛选条件', system: '系统', anyAction: '任何操作',
    anySubject: '任何对象', anyActor: '任何人', search: '查询', reset: '清除筛选',
    actorKinds: { staff: '工作人员', api_key: '接口密钥', system: '系统', citizen: '市民' },
    subjects: { staff: '人员', unit: '单位', api_key: '接口密钥', order: '工单', taxonomy: '分类体系', calendar: '节假日', sla_settings: '时限设置' },
  },
  actionNames: {
    staff: { created: '新建账号', updated: '修改人员', password_reset: '重置密码' },
    unit: { created: '新建单位', updated: '修改单位' },
    api_key: { created: '新建接口密钥', revoked: '吊销接口密钥' },
    webhook: { created: '新建推送', updated: '修改推送', deleted: '删除推送', replayed: '重新推送', secret_rotated: '更换推送密钥' },
    auth: { login: '登录', login_failed: '登录失败', login_refused: '停用账号登录被拒', locked: '账号锁定' },
    personal_data: { read: '查看市民联系方式' },
    taxonomy: { version_created: '发布分类体系新版本' },
    calendar: { year_loaded: '载入节假日' },
    sla: { settings_updated: '修改时限设置' },
  },
};

export const peopleEn: Texts<typeof peopleZh> = {
  common: {
    actions: 'Actions', edit: 'Edit', save: 'Save', create: 'Create', active: 'Active', inactive: 'Deactivated', status: 'Status', name: 'Name',
    saved: 'Saved', created: 'Created', copy: 'Copy', copied: 'Copied', close: 'I have noted it, close', shownOnce: 'Shown this once only: it cannot be seen again after closing. Copy it now and hand it over safely.',
    unit: 'Unit', anyUnit: 'Type a name to find a unit', confirm: 'Yes', cancel: 'Cancel', all: 'All',
  },
  roles: {
    agent: 'Agent', lead: 'Lead (quality)', dispatcher: 'Dispatcher', visitor: 'Return visitor', supervisor: 'Supervisor',
    unit_handler: 'Unit handler', unit_manager: 'Unit manager', leader: 'Leader', admin: 'Administrator',
  },
  levels: { hotline: 'Hotline centre', leader: 'City leaders', department: 'City department', district: 'District', street: 'Street (town)', community: 'Community (village)' },
  scopes: {
    orders_create: 'Register orders', orders_read: 'Read orders', orders_write: 'Handle orders', personal_data: "See citizens' contact details (audited)",
    directory_read: 'Read areas, units and categories',
    open311: 'Submit requests through Open311',
    analytics_read: "Read the figures (a city-wide key: the hot topics and early warnings too; a unit's key: its own and its sub-units')",
  },
  units: {
    search: 'Unit name', level: 'Level', kind: 'Kind', kindHint: 'What it handles, e.g. water_supply, street_office; categories find units by it', parent: 'Parent unit',
    topLevel: 'None (top of the network)', area: 'Area served', areas: 'Areas served', code: 'Unit code', codeHint: 'Letters, digits, _ or -; cannot change later',
    new: 'New unit', editTitle: 'Edit unit: {{name}}', empty: 'No unit matches', emptyHint: 'Clear the filters, or create a unit',
    areaCount: '{{count}} areas', cityWide: 'Whole city', activeHelp: 'A deactivated unit is no longer suggested for dispatch',
  },
  staff: {
    search: 'Name or username', username: 'Username', usernameHint: 'For signing in: letters, digits, dot, _ or -', displayName: 'Name', roles: 'Roles', role: 'Role',
    new: 'New account', editRoles: 'Roles', rolesTitle: 'Change roles: {{name}}', deactivate: 'Deactivate', reactivate: 'Reactivate',
    deactivateConfirm: "Deactivate {{name}}'s account? They will not be able to sign in.", reactivateConfirm: "Reactivate {{name}}'s account?",
    deactivated: '{{name}} deactivated', reactivated: '{{name}} reactivated',
    resetPassword: 'Reset password', resetConfirm: 'Make a new password for {{name}}? The old one stops working and their sessions end.',
    initialPassword: 'Initial password', initialPasswordHint: 'Leave empty to generate a random one (8 characters at least)', passwordTitle: "{{name}}'s password",
    createdTitle: 'Account created: {{name}}', empty: 'No staff member matches', emptyHint: 'Choose another unit or role, or create an account',
  },
  keys: {
    name: 'Name', nameHint: 'Which system, for what: e.g. "district app registers orders"', scopes: 'Scopes', unit: 'Acts for unit', unitHint: 'None: city-wide; a unit: acts as that unit',
    prefix: 'Key prefix', createdAt: 'Created', lastUsedAt: 'Last used', never: 'Never used', revokedAt: 'Revoked', inUse: 'In use', revoked: 'Revoked',
    new: 'New key', createdTitle: 'API key created: {{name}}', revoke: 'Revoke', revokeConfirm: 'Revoke the key "{{name}}"? Systems using it lose access at once.',
    revokedDone: '{{name}} revoked', empty: 'No API key yet', emptyHint: 'Create a key for an outside system that works with the hotline', usage: 'Send it in the x-api-key header of each call.',
  },
  webhooks: {
    hint: "Pushes a unit's order events to its own system as they happen: in order, signed, and sent again after 10 s, 20 s, 40 s … at most 30 min until the receiver answers 2xx. The receiver's guide is docs/webhooks.md.",
    name: 'Name', url: 'URL', unit: 'Unit', unitHint: "None: every order of the city (e.g. the big-data bureau); a unit: its orders and its sub-units'", types: 'Event types', typesHint: 'None: every order event',
    allTypes: 'All events', status: 'Status', active: 'Pushing', paused: 'Paused', failing: 'Failed {{count}} times, next try {{time}}', lastDelivered: 'Last delivered', never: 'Nothing delivered yet',
    position: 'Delivered up to event', new: 'New webhook', createdTitle: 'Webhook created: {{name}}', usage: 'The receiver checks the Minsheng-Signature header (HMAC-SHA256) with this secret: see docs/webhooks.md.',
    pause: 'Pause', resume: 'Resume', replay: 'Replay', replayFrom: 'Send again from this time on', replayDone: 'Sending again from {{time}}', rotate: 'New secret',
    rotateConfirm: 'Replace the signing secret of "{{name}}"? The old one stops at once.', rotatedTitle: 'New signing secret: {{name}}', remove: 'Delete', removeConfirm: 'Delete the webhook "{{name}}"?',
    removed: '{{name}} deleted', attempts: 'Latest tries', attemptAt: 'Time', events: 'Events', range: 'Events', result: 'Result', ms: 'Time (ms)',
    empty: 'No webhook yet', emptyHint: "Create one for a handling unit's system", noAttempts: 'No try yet',
  },
  audit: {
    at: 'Time', who: 'Who', action: 'Action', target: 'Target', detail: 'Detail', ip: 'Address', actor: 'Who', subjectType: 'Target type',
    subjectId: 'Target id', period: 'Period', empty: 'No audit record matches', emptyHint: 'Widen the period or clear the filters', system: 'System', anyAction: 'Any action',
    anySubject: 'Any target', anyActor: 'Anyone', search: 'Search', reset: 'Clear filters',
    actorKinds: { staff: 'Staff', api_key: 'API key', system: 'System', citizen: 'Citizen' },
    subjects: { staff: 'Staff member', unit: 'Unit', api_key: 'API key', order: 'Order', taxonomy: 'Category tree', calendar: 'Holidays', sla_settings: 'Deadline settings' },
  },
  actionNames: {
    staff: { created: 'Account created', updated: 'Staff member changed', password_reset: 'Password reset' },
    unit: { created: 'Unit created', updated: 'Unit changed' },
    api_key: { created: 'API key created', revoked: 'API key revoked' },
    webhook: { created: 'Webhook created', updated: 'Webhook changed', deleted: 'Webhook deleted', replayed: 'Webhook replayed', secret_rotated: 'Webhook secret replaced' },
    auth: { login: 'Signed in', login_failed: 'Sign-in failed', login_refused: 'Sign-in to a closed account refused', locked: 'Account locked' },
    personal_data: { read: "Citizen's contact details read" },
    taxonomy: { version_created: 'Category tree version published' },
    calendar: { year_loaded: 'Holidays loaded' },
    sla: { settings_updated: 'Deadline settings changed' },
  },
};
