// The surveys' texts (民意调查): the list, the builder, respondents, the outbound script, results, the public form.
import type { Texts } from '../../shared/i18n/en';

export const surveysZh = {
  title: '民意调查',
  hint: '热线围绕市委市政府关注的主题开展民意调查：设计问卷，从来电市民中抽取调查对象，通过短信链接、市民门户或坐席外呼作答，每人只能回答一次。',
  create: '新建调查', empty: '还没有调查', emptyHint: '点击“新建调查”设计问卷',
  statuses: { draft: '草稿', open: '进行中', closed: '已结束' },
  channels: { sms: '短信链接', portal: '市民门户', outbound: '坐席外呼' },
  kinds: { single: '单选', multiple: '多选', scale: '量表打分', text: '文字' },
  columns: { title: '调查', status: '状态', period: '时间', respondents: '调查对象', invited: '短信已邀请', answered: '已作答', channels: '渠道' },
  inviteFailed: '{{count}} 条发送失败',
  period: '{{from}} 至 {{to}}',
  actions: { open: '开始调查', close: '结束调查', edit: '修改问卷', results: '查看结果', respondents: '添加调查对象', call: '外呼作答', export: '导出 Excel',
    opened: '调查已开始', closed: '调查已结束', exported: '已导出 {{file}}', invite: '发送短信邀请', invited: '已安排发送短信邀请 {{queued}} 条' },
  form: {
    newTitle: '新建调查', editTitle: '修改问卷', title: '标题', intro: '开场白', introHint: '短信链接和门户页面顶部显示；外呼时坐席先读这段话',
    channels: '作答渠道', startsOn: '开始日期', endsOn: '结束日期', questions: '题目', addQuestion: '添加题目', remove: '删除',
    question: '第 {{n}} 题', text: '题目内容', kind: '题型', required: '必答', options: '选项', optionsHint: '每个选项回车确认',
    scaleMin: '最低分', scaleMax: '最高分', showIf: '显示条件', showIfQuestion: '当这道题', showIfOptions: '选择了', always: '总是显示',
    save: '保存', saved: '已保存', required_: '请填写{{field}}', brokenCondition: '第 {{n}} 题的显示条件指向的题目或选项已删除或不在它前面，请重新选择',
  },
  respondents: {
    title: '添加调查对象', callers: '来电市民', list: '号码名单', from: '来电开始日期', to: '来电结束日期', category: '诉求分类（可选）', area: '诉求地点（可选）',
    sample: '随机抽取人数（不填则全部）', phones: '手机号码，每行一个', add: '添加', added: '新增调查对象 {{added}} 人（符合条件 {{matched}} 人）',
    hint: '已是调查对象的号码不会重复添加；要求不回访或保密的来电市民不会被选中。',
    file: '名单文件', fileHint: 'Excel（.xlsx，读第一个工作表）或 CSV、文本文件：每行取第一个手机号码，首行可为表头；最多 20000 个号码。',
    choose: '选择文件', chosen: '已选择：{{name}}', close: '关闭', fileRequired: '请选择名单文件',
    read: '名单共 {{rows}} 行有号码，重复 {{repeated}} 个；新增调查对象 {{added}} 人。',
    refused: '{{count}} 行没有手机号码，未添加：', row: '第 {{row}} 行：{{text}}', more: '……另有 {{count}} 行',
  },
  call: {
    title: '外呼作答 · {{title}}', list: '待外呼', none: '没有待外呼的调查对象', phone: '电话', area: '地区', pick: '开始', script: '开场白',
    submit: '提交答卷', submitted: '已记录答卷', back: '返回名单（未接通或号码有误）',
  },
  results: {
    title: '调查结果 · {{title}}', respondents: '调查对象', answered: '已作答', rate: '回收率', byChannel: '各渠道作答', by: '交叉分析', none: '不分组',
    area: '按区县', answeredOf: '作答 {{answered}} / {{asked}} 人', mean: '平均分 {{mean}}', texts: '文字回答（{{count}} 条）', count: '{{count}} 人',
    chart: '“{{question}}”各选项的人数',
  },
  answer: {
    thanks: '感谢您的参与！您的意见已收到。', already: '您已经参与过本次调查，每人只能回答一次。', closed: '本次调查不在进行中。', submit: '提交',
    phone: '您的手机号码', phoneHint: '仅用于确保每人只答一次，不会出现在调查结果中', required: '请回答此题', notFound: '调查链接无效或已过期',
    code: '短信验证码', sendCode: '获取验证码', resendIn: '{{seconds}} 秒后可重新获取', codeSent: '验证码已发送到您的手机，5 分钟内有效',
    tab: '民意调查', open: '正在进行的民意调查', noneOpen: '目前没有进行中的调查', take: '参与调查', until: '截至 {{date}}', area: '您所在的区县或街道（可选）',
  },
};

export const surveysEn: Texts<typeof surveysZh> = {
  title: 'Surveys',
  hint: 'The hotline surveys opinion on the topics the city chooses: write the questions, take respondents from the callers, have them answer by an SMS link, on the portal or on an agent\'s call; each answers once.',
  create: 'New survey', empty: 'No survey yet', emptyHint: 'Write one with "New survey"',
  statuses: { draft: 'Draft', open: 'Open', closed: 'Closed' },
  channels: { sms: 'SMS link', portal: 'Citizen portal', outbound: 'Outbound call' },
  kinds: { single: 'Single choice', multiple: 'Multiple choice', scale: 'Scale', text: 'Text' },
  columns: { title: 'Survey', status: 'Status', period: 'Period', respondents: 'Respondents', invited: 'Invited by SMS', answered: 'Answered', channels: 'Channels' },
  inviteFailed: '{{count}} failed',
  period: '{{from}} to {{to}}',
  actions: { open: 'Open it', close: 'Close it', edit: 'Edit the questions', results: 'Results', respondents: 'Add respondents', call: 'Call respondents',
    export: 'Export to Excel', opened: 'The survey is open', closed: 'The survey is closed', exported: 'Exported {{file}}',
    invite: 'Send SMS invitations', invited: '{{queued}} SMS invitations queued' },
  form: {
    newTitle: 'New survey', editTitle: 'Edit the questions', title: 'Title', intro: 'Introduction', introHint: 'Shown above the questions on the link and the portal; read first on a call',
    channels: 'Channels', startsOn: 'Starts on', endsOn: 'Ends on', questions: 'Questions', addQuestion: 'Add a question', remove: 'Remove',
    question: 'Question {{n}}', text: 'Question', kind: 'Kind', required: 'Required', options: 'Options', optionsHint: 'Confirm each option with Enter',
    scaleMin: 'Lowest', scaleMax: 'Highest', showIf: 'Shown', showIfQuestion: 'when question', showIfOptions: 'was answered', always: 'always',
    save: 'Save', saved: 'Saved', required_: '{{field}} is required', brokenCondition: 'Question {{n}}: its condition names a question or option that is gone or not before it; choose again',
  },
  respondents: {
    title: 'Add respondents', callers: 'Callers', list: 'A list of numbers', from: 'Calls from', to: 'Calls to', category: 'Category (optional)', area: 'Place (optional)',
    sample: 'Random sample of (empty: all)', phones: 'Mobile numbers, one per line', add: 'Add', added: '{{added}} respondents added ({{matched}} matched)',
    hint: 'A number already asked is not added again; callers who asked for no call-back or for confidentiality are left out.',
    file: 'A list file', fileHint: 'Excel (.xlsx, its first sheet), CSV or text: each row gives its first mobile number; the first row may be a header; at most 20,000 numbers.',
    choose: 'Choose a file', chosen: 'Chosen: {{name}}', close: 'Close', fileRequired: 'Choose the list file',
    read: 'The list gives a number on {{rows}} rows, {{repeated}} repeated; {{added}} respondents added.',
    refused: '{{count}} rows hold no mobile number and were not added:', row: 'Row {{row}}: {{text}}', more: '… and {{count}} more',
  },
  call: {
    title: 'Calling · {{title}}', list: 'To call', none: 'Nobody left to call', phone: 'Phone', area: 'Area', pick: 'Start', script: 'Introduction',
    submit: 'Save the answers', submitted: 'Answers saved', back: 'Back to the list (no answer, wrong number)',
  },
  results: {
    title: 'Results · {{title}}', respondents: 'Respondents', answered: 'Answered', rate: 'Response rate', byChannel: 'Answers by channel', by: 'Cross-tabulate', none: 'No grouping',
    area: 'By district', answeredOf: '{{answered}} of {{asked}} answered', mean: 'Mean {{mean}}', texts: 'Text answers ({{count}})', count: '{{count}}',
    chart: 'Answers to "{{question}}" by option',
  },
  answer: {
    thanks: 'Thank you: your answers are in.', already: 'You have already answered this survey: each person answers once.', closed: 'This survey is not open.',
    submit: 'Submit', phone: 'Your mobile number', phoneHint: 'Only to make sure each person answers once; it never appears in the results', required: 'Please answer this question',
    notFound: 'This survey link is not valid',
    code: 'SMS code', sendCode: 'Send the code', resendIn: 'Again in {{seconds}} s', codeSent: 'The code is on its way to your phone, good for 5 minutes',
    tab: 'Surveys', open: 'Surveys open now', noneOpen: 'No survey is open now', take: 'Take part', until: 'Until {{date}}', area: 'Where you live (optional)',
  },
};
