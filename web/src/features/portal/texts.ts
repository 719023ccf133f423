// The citizen portal's texts (市长信箱): plain words for citizens, not the hotline's own terms.
import type { Texts } from '../../shared/i18n/en';

export const portalZh = {
  title: '12345 市长信箱', subtitle: '您的诉求，我们件件有回音', write: '我要写信', track: '查询办理进度',
  requestType: '诉求类型', types: { complaint: '投诉', help: '求助', enquiry: '咨询', suggestion: '建议', report: '举报', praise: '表扬' },
  subject: '标题', subjectHint: '一句话概括，例如：小区停水两天', body: '诉求内容', bodyHint: '请写清楚时间、地点、经过和您的诉求',
  place: '发生地点（区县、街道或社区）', address: '详细地址', addressHint: '例如：解放路100号3单元', name: '姓名', phone: '手机号码',
  files: '图片或文件', filesHint: '最多 9 个，每个不超过 10 MB：照片、PDF、Word/Excel 文档或录音录像', addFiles: '添加图片或文件',
  confidential: '对承办单位保密我的身份（仅热线受理和回访人员可见）', submit: '提交', proving: '正在进行安全验证…',
  required: '请填写{{field}}', bodyTooShort: '诉求内容至少 5 个字', phoneInvalid: '请填写正确的电话号码',
  received: '已受理您的来信', receivedHint: '请记下受理编号和查询码，凭此查询办理进度、查看答复并评价。',
  trackingNo: '受理编号', lookupCode: '查询码', seeProgress: '查看办理进度', writeAnother: '再写一封',
  lookup: '查询', lookupHint: '受理编号和查询码在提交成功后显示，也会通过短信发给您', notFound: '受理编号或查询码不正确',
  state: '办理状态', submittedAt: '提交时间', progress: '办理进度', answer: '答复', answeredBy: '{{unit}}答复',
  noAnswerYet: '承办单位正在办理，答复后会显示在这里',
  mergedAnswered: '与您的诉求合并办理的同一事项，已由{{unit}}于 {{at}} 答复',
  mergedAnswerHint: '答复内容属于其他来信人，不在此显示。如需了解办理结果，请拨打 12345 热线。',
  steps: {
    registered: '热线已受理', answered: '热线已直接答复', dispatched: '已转交{{unit}}办理', signed: '{{unit}}已签收',
    extended: '经批准延期办理', replied: '{{unit}}已答复', rated: '您已评价', reopened: '重新交{{unit}}办理', closed: '已办结',
    merged: '与同一事项的其他来信合并办理', cancelled: '未予受理',
  },
  states: {
    registered: '已受理', dispatched: '办理中', signed: '办理中', returned: '办理中', replied: '已答复，待评价', visited: '已评价',
    closed: '已办结', cancelled: '未予受理', merged: '已合并办理', archived: '已办结',
  },
  rate: '评价答复', solved: '问题是否解决', yes: '已解决', no: '未解决', satisfaction: '满意程度',
  satisfactions: { satisfied: '满意', basically_satisfied: '基本满意', unsatisfied: '不满意' }, comment: '意见或建议（选填）',
  sendRating: '提交评价', rated: '感谢您的评价', ratedAs: '您的评价：{{satisfaction}}', staffSignIn: '工作人员登录',
};

export const portalEn: Texts<typeof portalZh> = {
  title: "12345 Mayor's Mailbox", subtitle: 'Every request gets an answer', write: 'Write to us', track: 'Follow my request',
  requestType: 'Kind of request', types: { complaint: 'Complaint', help: 'Help', enquiry: 'Question', suggestion: 'Suggestion', report: 'Report', praise: 'Praise' },
  subject: 'Subject', subjectHint: 'In a few words, e.g. no water for two days', body: 'Your request', bodyHint: 'When, where, what happened, and what you ask for',
  place: 'Where (district, street or community)', address: 'Address', addressHint: 'e.g. 100 Jiefang Rd, entrance 3', name: 'Name', phone: 'Mobile phone',
  files: 'Photos or files', filesHint: 'Up to 9, at most 10 MB each: photos, PDFs, Word or Excel documents, recordings', addFiles: 'Add photos or files',
  confidential: 'Keep my identity from the handling unit (only the hotline sees it)', submit: 'Submit', proving: 'Running the security check…',
  required: 'Please fill in {{field}}', bodyTooShort: 'At least 5 characters', phoneInvalid: 'Please enter a valid phone number',
  received: 'Your request has been received', receivedHint: 'Keep the tracking number and the lookup code: with them you follow your request, read the answer and rate it.',
  trackingNo: 'Tracking number', lookupCode: 'Lookup code', seeProgress: 'Follow it', writeAnother: 'Write another',
  lookup: 'Look up', lookupHint: 'Both are shown when you submit, and sent to you by SMS', notFound: 'Wrong tracking number or lookup code',
  state: 'Status', submittedAt: 'Submitted', progress: 'Progress', answer: 'Answer', answeredBy: 'Answer from {{unit}}',
  noAnswerYet: 'The unit is handling it; its answer will appear here',
  mergedAnswered: 'The same matter, handled together with your request, was answered by {{unit}} on {{at}}',
  mergedAnswerHint: "The answer was written to another citizen and is not shown here. Call 12345 to hear the outcome.",
  steps: {
    registered: 'Received by the hotline', answered: 'Answered by the hotline', dispatched: 'Passed to {{unit}}', signed: 'Taken up by {{unit}}',
    extended: 'More time granted', replied: 'Answered by {{unit}}', rated: 'You rated the answer', reopened: 'Passed again to {{unit}}', closed: 'Closed',
    merged: 'Handled together with other letters on the same matter', cancelled: 'Not taken up',
  },
  states: {
    registered: 'Received', dispatched: 'Being handled', signed: 'Being handled', returned: 'Being handled', replied: 'Answered, to be rated', visited: 'Rated',
    closed: 'Closed', cancelled: 'Not taken up', merged: 'Handled with another', archived: 'Closed',
  },
  rate: 'Rate the answer', solved: 'Is the problem solved?', yes: 'Solved', no: 'Not solved', satisfaction: 'How satisfied are you?',
  satisfactions: { satisfied: 'Satisfied', basically_satisfied: 'Mostly satisfied', unsatisfied: 'Not satisfied' }, comment: 'Comments (optional)',
  sendRating: 'Send', rated: 'Thank you for your rating', ratedAs: 'Your rating: {{satisfaction}}', staffSignIn: 'Staff sign-in',
};
