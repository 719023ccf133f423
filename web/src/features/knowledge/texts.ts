// The knowledge base's texts (知识库): search, reading, drafting and review, the reports, the agents' suggestions, the portal's FAQ.
import type { Texts } from '../../shared/i18n/en';

export const knowledgeZh = {
  title: '知识库',
  tabs: { search: '检索', work: '编写与审核', reports: '统计' },
  expired: '已过期',
  internal: '仅内部',
  search: {
    placeholder: '输入市民的问题或关键词，如“租房提取公积金”', label: '检索知识', category: '分类', area: '适用区域', anyCategory: '全部分类',
    total: '共 {{count}} 条', empty: '没有找到相关知识', emptyHint: '换个说法试试，或在“编写与审核”中新建知识', newest: '最新发布的知识',
    owner: '{{unit}} 提供', validUntil: '有效期至 {{date}}', terms: '检索词：{{terms}}',
  },
  article: {
    questions: '常见问法', answer: '答复口径', owner: '所属单位', categories: '分类', areas: '适用区域', wholeCity: '全市', validity: '有效期',
    always: '长期有效', from: '自 {{date}} 起', until: '至 {{date}}', version: '第 {{version}} 版，{{time}} 发布', public: '公开到市民门户',
    notPublished: '尚未发布', withdrawn: '已下架', versions: '版本记录', open: '正在编写的版本', copy: '复制答复', copied: '已复制',
    edit: '修订', submit: '提交审核', publish: '审核通过并发布', reject: '退回修改', withdraw: '下架', rejectComment: '退回意见',
    withdrawReason: '下架原因', submitted: '已提交审核', published: '已发布', rejected: '已退回', withdrawnDone: '已下架',
    statuses: { draft: '草稿', in_review: '待审核', published: '已发布', rejected: '已退回', superseded: '已替代' },
    by: '{{author}} 编写于 {{time}}', reviewedBy: '{{reviewer}} 审核于 {{time}}', comment: '审核意见：{{comment}}', fromOrder: '由工单提议',
  },
  form: {
    newTitle: '新建知识', editTitle: '修订知识', title: '标题', questions: '常见问法', questionsHint: '市民的不同说法，每条回车确认；检索会匹配这些说法',
    answer: '答复口径', answerHint: '坐席读给市民听的内容：条件、材料、流程、地点和时间、收费、时限', owner: '所属单位', categories: '分类', areas: '适用区域',
    areasHint: '不选即全市适用', public: '公开到市民门户', validFrom: '生效日期', validUntil: '截止日期', validHint: '过期后坐席会看到“已过期”，并通知所属单位',
    save: '保存草稿', saved: '已保存草稿', required: '请填写{{field}}',
  },
  work: {
    hintHotline: '各单位提交的知识在此审核；通过后发布，坐席即可检索和引用。', hintUnit: '本单位正在编写和待审核的知识。被退回的请按审核意见修改后重新提交。',
    create: '新建知识', inReview: '待审核', open: '编写中', empty: '没有待处理的知识', revision: '修订', newArticle: '新建',
    columns: { title: '标题', owner: '所属单位', status: '状态', author: '编写人', at: '时间' },
  },
  reports: {
    usage: '引用统计', expiry: '到期提醒', from: '开始日期', to: '结束日期', registered: '登记工单', answered: '直接办理', withArticle: '引用知识办理',
    directRate: '直接办理率', articleRate: '知识引用率', failureRate: '引用后重办或不满意', articles: '被引用的知识',
    columns: { title: '知识', owner: '所属单位', uses: '引用次数', failed: '未解决', reopened: '重办', unsatisfied: '不满意', last: '最近引用', validUntil: '截止日期', state: '状态', noticed: '已通知' },
    expiryHint: '已过期和 30 天内到期的知识；所属单位会在过期当天收到通知。', expiringSoon: '即将到期', revising: '修订中', none: '没有记录',
  },
  suggest: {
    title: '知识库', hint: '输入诉求内容后，这里会列出可直接答复的知识', none: '知识库中没有相关知识', use: '用于答复', useNamed: '用“{{title}}”答复',
    ground: '答复依据：《{{title}}》', drop: '不引用',
  },
  faq: { tab: '常见问题', placeholder: '搜索常见问题', empty: '没有找到相关问题，可以直接给我们写信', source: '{{unit}}' },
  propose: '提议为知识',
};

export const knowledgeEn: Texts<typeof knowledgeZh> = {
  title: 'Knowledge base',
  tabs: { search: 'Search', work: 'Drafts and review', reports: 'Reports' },
  expired: 'Expired',
  internal: 'Internal',
  search: {
    placeholder: 'The caller\'s question or key words, e.g. "housing fund for rent"', label: 'Search the knowledge base', category: 'Category', area: 'Area',
    anyCategory: 'All categories', total: '{{count}} found', empty: 'Nothing found', emptyHint: 'Try other words, or write a new article under Drafts and review',
    newest: 'Newest articles', owner: 'From {{unit}}', validUntil: 'Valid until {{date}}', terms: 'Words searched: {{terms}}',
  },
  article: {
    questions: 'How citizens ask', answer: 'The answer', owner: 'Owner unit', categories: 'Categories', areas: 'Applies in', wholeCity: 'The whole city',
    validity: 'Validity', always: 'No end date', from: 'from {{date}}', until: 'until {{date}}', version: 'Version {{version}}, published {{time}}',
    public: 'Public on the citizen portal', notPublished: 'Not published yet', withdrawn: 'Withdrawn', versions: 'Versions', open: 'Version being written',
    copy: 'Copy the answer', copied: 'Copied', edit: 'Revise', submit: 'Submit for review', publish: 'Approve and publish', reject: 'Send back',
    withdraw: 'Withdraw', rejectComment: 'What to change', withdrawReason: 'Why it is withdrawn', submitted: 'Submitted for review', published: 'Published',
    rejected: 'Sent back', withdrawnDone: 'Withdrawn',
    statuses: { draft: 'Draft', in_review: 'In review', published: 'Published', rejected: 'Sent back', superseded: 'Superseded' },
    by: 'Written by {{author}} at {{time}}', reviewedBy: 'Reviewed by {{reviewer}} at {{time}}', comment: 'Review: {{comment}}', fromOrder: 'Proposed from an order',
  },
  form: {
    newTitle: 'New article', editTitle: 'Revise the article', title: 'Title', questions: 'How citizens ask', questionsHint: 'Each way of asking, confirmed with Enter; search matches them',
    answer: 'The answer', answerHint: 'What the agent reads to the citizen: conditions, documents, steps, where and when, fees, time limits', owner: 'Owner unit',
    categories: 'Categories', areas: 'Applies in', areasHint: 'None: the whole city', public: 'Public on the citizen portal', validFrom: 'Valid from',
    validUntil: 'Valid until', validHint: 'Once past, agents see it expired and the owner unit is told', save: 'Save the draft', saved: 'Draft saved',
    required: '{{field}} is required',
  },
  work: {
    hintHotline: 'Articles the units submit are reviewed here; once published, agents find and use them.',
    hintUnit: "Your unit's articles being written or reviewed. Revise those sent back as the review says, and submit them again.",
    create: 'New article', inReview: 'In review', open: 'Being written', empty: 'Nothing to do', revision: 'Revision', newArticle: 'New',
    columns: { title: 'Title', owner: 'Owner unit', status: 'Status', author: 'Written by', at: 'When' },
  },
  reports: {
    usage: 'Use', expiry: 'Expiry', from: 'From', to: 'To', registered: 'Orders registered', answered: 'Answered directly', withArticle: 'Answered with an article',
    directRate: 'Direct-answer rate', articleRate: 'Answers with an article', failureRate: 'Reopened or unsatisfied after use', articles: 'Articles used',
    columns: { title: 'Article', owner: 'Owner unit', uses: 'Uses', failed: 'Failed', reopened: 'Reopened', unsatisfied: 'Unsatisfied', last: 'Last used', validUntil: 'Valid until', state: 'State', noticed: 'Owner told' },
    expiryHint: 'Articles expired or expiring within 30 days; the owner unit is told on the day one expires.', expiringSoon: 'Expiring soon', revising: 'Being revised', none: 'None',
  },
  suggest: {
    title: 'Knowledge base', hint: 'Type the request: articles to answer it with appear here', none: 'No article matches', use: 'Answer with it', useNamed: 'Answer with "{{title}}"',
    ground: 'The answer rests on "{{title}}"', drop: 'Do not cite it',
  },
  faq: { tab: 'FAQ', placeholder: 'Search the FAQ', empty: 'Nothing found: write to us instead', source: '{{unit}}' },
  propose: 'Propose as an article',
};
