// Domain errors carry a stable code and know nothing of HTTP; src/http maps codes to statuses.
// Codes are published: never rename one. Every code is documented in docs/errors.md (a test checks).

/** Every error code, its HTTP status and its message in Chinese and English ({name} = detail). */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, zh: '请求参数不合法：{detail}', en: 'Invalid request: {detail}' },
  BAD_JSON: { status: 400, zh: '请求体不是合法的 JSON', en: 'The request body is not valid JSON' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '请求体过大', en: 'The request body is too large' },
  BAD_URL: { status: 400, zh: '请求地址不合法（编码错误）', en: 'The URL is not valid (bad percent-encoding)' },
  URL_TOO_LONG: { status: 414, zh: '请求地址中的参数过长', en: 'A parameter in the URL is too long' },
  BAD_REQUEST: { status: 400, zh: '请求不合法', en: 'Bad request' },
  VALUE_OUT_OF_RANGE: { status: 400, zh: '请求中的值超出可存储的范围', en: 'A value in the request is out of the range that can be stored' },
  ROUTE_NOT_FOUND: { status: 404, zh: '接口不存在', en: 'No such endpoint' },
  INTERNAL: { status: 500, zh: '服务器内部错误', en: 'Internal server error' },

  AUTH_REQUIRED: { status: 401, zh: '请先登录', en: 'Authentication required' },
  AUTH_INVALID_CREDENTIALS: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  AUTH_ACCOUNT_LOCKED: {
    status: 403,
    zh: '登录失败次数过多，账户已锁定至 {until}',
    en: 'Too many failed logins: the account is locked until {until}',
  },
  AUTH_TOO_MANY_ATTEMPTS: {
    status: 429,
    zh: '登录尝试过于频繁，请 {seconds} 秒后再试',
    en: 'Too many login attempts: try again in {seconds} s',
  },
  AUTH_ACCOUNT_DISABLED: { status: 403, zh: '账户已停用', en: 'The account is disabled' },
  AUTH_FORBIDDEN: { status: 403, zh: '无权执行此操作', en: 'You are not allowed to do this' },
  AUTH_API_KEY_NOT_FOUND: { status: 404, zh: 'API 密钥不存在', en: 'No such API key' },

  DIRECTORY_UNIT_NOT_FOUND: { status: 404, zh: '承办单位不存在：{id}', en: 'No such handling unit: {id}' },
  DIRECTORY_AREA_NOT_FOUND: { status: 422, zh: '行政区划不存在：{code}', en: 'No such administrative area: {code}' },
  DIRECTORY_STAFF_NOT_FOUND: { status: 404, zh: '人员不存在：{id}', en: 'No such staff member: {id}' },
  DIRECTORY_SELF_LOCKOUT: { status: 409, zh: '不能停用自己的账户或取消自己的管理员角色：请另一位管理员操作', en: 'You cannot deactivate your own account or drop your own admin role: ask another admin' },
  DIRECTORY_USERNAME_TAKEN: { status: 409, zh: '用户名已被使用：{username}', en: 'Username already taken: {username}' },
  DIRECTORY_UNIT_CODE_TAKEN: { status: 409, zh: '单位编码已被使用：{code}', en: 'Unit code already taken: {code}' },
  DIRECTORY_INVALID_PARENT: {
    status: 422,
    zh: '上级单位不合法：{detail}',
    en: 'Invalid parent unit: {detail}',
  },

  TAXONOMY_VERSION_NOT_FOUND: { status: 404, zh: '分类版本不存在：{version}', en: 'No such category tree version: {version}' },
  TAXONOMY_CATEGORY_NOT_FOUND: { status: 422, zh: '分类不存在：{code}', en: 'No such category: {code}' },
  TAXONOMY_INVALID_TREE: { status: 422, zh: '分类树不合法：{detail}', en: 'Invalid category tree: {detail}' },
  TAXONOMY_CHANGED_MEANWHILE: {
    status: 409,
    zh: '分类树已被他人修改，请刷新后重试',
    en: 'The category tree was changed by someone else meanwhile: reload and retry',
  },
  TAXONOMY_CATEGORY_CODE_TAKEN: { status: 409, zh: '分类编码已存在：{code}', en: 'Category code already exists: {code}' },

  ATTACHMENT_TYPE_REFUSED: { status: 415, zh: '不接受此类文件（{type}）：请上传图片、PDF、Word/Excel 文档或音视频', en: 'This kind of file is not accepted ({type}): send a photo, a PDF, a Word or Excel document, or a recording' },
  ATTACHMENT_TOO_LARGE: { status: 413, zh: '文件过大：每个文件最大 {max}', en: 'The file is too large: at most {max} each' },
  ATTACHMENT_LIMIT: { status: 409, zh: '每次最多上传 {max} 个文件', en: 'At most {max} files per request' },
  ATTACHMENT_MISSING: { status: 400, zh: '请求中没有文件', en: 'The request carries no file' },
  ATTACHMENT_NOT_FOUND: { status: 404, zh: '附件不存在：{id}', en: 'No such attachment: {id}' },
  CHANNEL_UNKNOWN: { status: 422, zh: '渠道不存在：{channel}', en: 'No such channel: {channel}' },
  PORTAL_CHALLENGE_FAILED: { status: 422, zh: '人机验证未通过或已过期，请重新提交', en: 'The anti-abuse check failed or expired: please submit again' },
  PORTAL_CHALLENGE_SPENT: { status: 409, zh: '此人机验证已用于另一次提交，请重新提交', en: 'This anti-abuse check was already used for another submission: please submit again' },
  PORTAL_LOOKUP_FAILED: { status: 404, zh: '受理编号或查询码不正确', en: 'Wrong tracking number or lookup code' },
  PORTAL_TOO_MANY: { status: 429, zh: '提交过于频繁，请 {seconds} 秒后再试', en: 'Too many submissions: try again in {seconds} seconds' },
  SMS_CALLBACK_UNSIGNED: { status: 401, zh: '短信回调签名缺失或不正确', en: 'The SMS callback is unsigned or its signature is wrong' },
  SMS_CALLBACK_STALE: { status: 401, zh: '短信回调的时间戳已过期或不在允许范围内', en: "The SMS callback's timestamp is outside the accepted window" },
  SMS_CALLBACK_REPLAYED: { status: 409, zh: '此短信回调已收到过（随机数重复）', en: 'This SMS callback was already received (its nonce was used)' },
  APP_PHONE_INVALID: { status: 422, zh: '请输入正确的手机号码', en: 'Enter a valid mobile number' },
  APP_CODE_TOO_SOON: { status: 429, zh: '验证码发送过于频繁，请 {seconds} 秒后再试', en: 'Codes asked for too often: try again in {seconds} seconds' },
  APP_CODE_NOT_SENT: { status: 503, zh: '验证码短信发送失败，请稍后再试', en: 'The code could not be sent by SMS: try again later' },
  APP_CODE_WRONG: { status: 401, zh: '验证码不正确，还可以再试 {left} 次', en: 'Wrong code: {left} more tries' },
  APP_CODE_EXPIRED: { status: 401, zh: '验证码已失效，请重新获取', en: 'The code is no longer valid: ask for a new one' },
  APP_REQUEST_OWN: { status: 409, zh: '您在应用中提交的诉求不能移出列表', en: 'A request you submitted in the app stays on your list' },
  OPEN311_FIELD_REQUIRED: { status: 400, zh: '缺少 {field}', en: '{field} is required' },
  OPEN311_FIELD_INVALID: { status: 400, zh: '{field} 不合法：{rule}', en: '{field} is not valid: {rule}' },
  OPEN311_LOCATION_REQUIRED: { status: 400, zh: '请提供位置：lat 和 long、address_string 或 address_id', en: 'A location is required: lat and long, address_string or address_id' },
  OPEN311_WINDOW_INVALID: { status: 400, zh: '查询时段须在 {days} 天以内，且开始不晚于结束', en: 'The window must be at most {days} days, its start not after its end' },
  OPEN311_KEY_REFUSED: { status: 403, zh: 'api_key 缺失、已吊销或没有 open311 权限', en: 'api_key is missing, revoked or without the open311 scope' },
  OPEN311_NOT_FOUND: { status: 404, zh: '{what} {id} 不存在', en: '{what} {id} not found' },
  OPEN311_JURISDICTION_UNKNOWN: { status: 404, zh: '本平台不服务 jurisdiction_id {given}（本平台为 {city}）', en: 'jurisdiction_id {given} is not served here ({city} is)' },
  SMS_NOT_CONFIGURED: { status: 503, zh: '本平台未配置短信通道', en: 'The SMS channel is not configured on this platform' },
  TELEPHONY_NOT_CONFIGURED: { status: 503, zh: '本平台未配置话务系统接入', en: 'The telephony is not configured on this platform' },
  TELEPHONY_UNSIGNED: { status: 401, zh: '话务事件签名缺失或不正确', en: 'The call events are unsigned or their signature is wrong' },
  TELEPHONY_STALE: { status: 401, zh: '话务事件的时间戳已过期或不在允许范围内', en: "The call events' timestamp is outside the accepted window" },
  CALL_EVENT_TIME_INVALID: { status: 422, zh: '话务事件的时间不合法', en: "The call event's time is not a valid moment" },
  CALL_EVENT_IN_FUTURE: { status: 422, zh: '话务事件的时间晚于服务器时钟超过 5 分钟', en: "The call event's time is more than 5 minutes ahead of the server's clock" },
  CALL_EVENT_INCOMPLETE: { status: 422, zh: '话务事件缺少其类型必需的字段（接听须有坐席，转接须有目标，三方须有第三方）', en: 'The call event lacks what its type needs (answered: seat; transferred: target; joined: party)' },
  CALL_NOT_FOUND: { status: 404, zh: '通话不存在：{id}', en: 'No such call: {id}' },
  SEAT_NOT_SIGNED_IN: { status: 409, zh: '您尚未签入坐席', en: 'You are not signed in to a seat' },
  QUALITY_SHEET_NOT_FOUND: { status: 404, zh: '质检评分表不存在：{id}', en: 'No such scoring sheet: {id}' },
  QUALITY_SHEET_INVALID: { status: 422, zh: '评分表须有名称，各评分项名称不能为空且不能重复', en: 'A scoring sheet needs a name, and its items names that are neither empty nor repeated' },
  QUALITY_SHEET_RETIRED: { status: 409, zh: '评分表已停用：{id}，请使用现行评分表', en: 'The scoring sheet is retired: {id}; use an active one' },
  QUALITY_SCORES_INVALID: { status: 422, zh: '评分不合法：{detail}', en: 'Invalid scores: {detail}' },
  QUALITY_REVIEW_NOT_FOUND: { status: 404, zh: '质检记录不存在：{id}', en: 'No such quality review: {id}' },
  QUALITY_OWN_WORK: { status: 403, zh: '不能质检本人的工作', en: 'You cannot review your own work' },
  KNOWLEDGE_ARTICLE_NOT_FOUND: { status: 404, zh: '知识不存在或未发布：{id}', en: 'No such knowledge article, or it is not published: {id}' },
  KNOWLEDGE_ARTICLE_EXPIRED: { status: 409, zh: '知识《{title}》已于 {validUntil} 过期，不能作为答复依据', en: 'The knowledge article "{title}" expired on {validUntil} and cannot back an answer' },
  KNOWLEDGE_INVALID: { status: 422, zh: '知识内容不合法：{detail}', en: 'Invalid knowledge article: {detail}' },
  KNOWLEDGE_STATE: { status: 409, zh: '此时不能这样做：{detail}', en: 'Not possible now: {detail}' },
  SURVEY_NOT_FOUND: { status: 404, zh: '调查不存在：{id}', en: 'No such survey: {id}' },
  SURVEY_INVALID: { status: 422, zh: '调查设置不合法：{detail}', en: 'Invalid survey: {detail}' },
  SURVEY_ANSWER_INVALID: { status: 422, zh: '答卷不合法：{detail}', en: 'Invalid answers: {detail}' },
  SURVEY_ALREADY_ANSWERED: { status: 409, zh: '您已经参与过本次调查，每人只能回答一次', en: 'You have already answered this survey: each person answers once' },
  SURVEY_NOT_OPEN: { status: 409, zh: '调查不在进行中（{status}）', en: 'The survey is not open ({status})' },
  SURVEY_CHANNEL_CLOSED: { status: 409, zh: '本次调查不通过此渠道作答', en: 'This survey is not answered on this channel' },
  SURVEY_CODE_REQUIRED: { status: 422, zh: '请先获取短信验证码，填写后再提交', en: 'Ask for the SMS code and give it with your answers' },
  SURVEY_LIST_UNREADABLE: { status: 422, zh: '调查对象名单无法读取：{detail}', en: 'The list of respondents cannot be read: {detail}' },
  SURVEY_SMS_NOT_CONFIGURED: { status: 503, zh: '未配置短信服务或调查邀请短信模板（SMS_TEMPLATE_SURVEY_INVITATION），不能发送短信邀请', en: 'No SMS provider or survey invitation template (SMS_TEMPLATE_SURVEY_INVITATION) is configured: invitations cannot be sent' },
  WECHAT_NOT_CONFIGURED: { status: 503, zh: '本平台未配置微信公众号（WECHAT_TOKEN）', en: 'The WeChat official account is not configured on this platform (WECHAT_TOKEN)' },
  WECHAT_SIGNATURE_INVALID: { status: 401, zh: '微信回调签名缺失或不正确', en: 'The WeChat callback is unsigned or its signature is wrong' },
  WECHAT_STALE: { status: 401, zh: '微信回调的时间戳已过期或不在允许范围内', en: "The WeChat callback's timestamp is outside the accepted window" },
  WECHAT_MESSAGE_UNREADABLE: { status: 400, zh: '微信消息无法读取（XML 或密文不正确）', en: 'The WeChat message cannot be read (bad XML or ciphertext)' },
  WECHAT_APPID_MISMATCH: { status: 401, zh: '微信消息不是发给本公众号的（AppID 不符）', en: "The WeChat message was not sent to this account (its AppID differs)" },
  WEIBO_NOT_CONFIGURED: { status: 503, zh: '本平台未配置微博粉丝服务（WEIBO_APP_SECRET）', en: "Weibo's fan service is not configured on this platform (WEIBO_APP_SECRET)" },
  WEIBO_SIGNATURE_INVALID: { status: 401, zh: '微博推送签名缺失或不正确', en: 'The Weibo push is unsigned or its signature is wrong' },
  WEIBO_STALE: { status: 401, zh: '微博推送的时间戳已过期或不在允许范围内', en: "The Weibo push's timestamp is outside the accepted window" },
  WEIBO_WRONG_ACCOUNT: { status: 403, zh: '该微博推送不是发给本热线账号的', en: "The Weibo push is for another account than the hotline's" },
  WEIBO_MESSAGE_UNREADABLE: { status: 400, zh: '微博消息无法读取（时间或位置不正确）', en: 'The Weibo message cannot be read (bad time or place)' },
  ORDER_SUPPLEMENT_CLOSED: { status: 409, zh: '此诉求已办结，不能再补充；如有新问题请重新反映', en: 'This request is finished and takes no more additions: please send a new one' },
  RATING_NOT_OPEN: { status: 409, zh: '此诉求现在不能评价：答复之后、回访之前才能评价', en: 'This request cannot be rated now: a reply can be rated after it is given and before the return visit' },
  IDEMPOTENCY_CONFLICT: {
    status: 409,
    zh: '渠道编号 {channel}/{ref} 已用于另一请求（来源或内容不同）',
    en: 'The channel reference {channel}/{ref} was already used for another request (another caller or other content)',
  },
  ORDER_NOT_FOUND: { status: 404, zh: '工单不存在：{id}', en: 'No such work order: {id}' },
  ORDER_TRANSITION_NOT_ALLOWED: {
    status: 409,
    zh: '工单当前状态为“{state}”，不能执行“{action}”',
    en: 'The order is {state}: "{action}" is not allowed now',
  },
  ORDER_ACTION_FORBIDDEN: {
    status: 403,
    zh: '无权对此工单执行“{action}”',
    en: 'You may not "{action}" this order',
  },
  ORDER_VERSION_CONFLICT: {
    status: 409,
    zh: '工单已被他人修改（当前版本 {actual}，请求版本 {expected}），请刷新后重试',
    en: 'The order was changed by someone else (version {actual}, you had {expected}): reload and retry',
  },
  ORDER_BUSY: {
    status: 409,
    zh: '工单正被频繁修改，请稍后重试',
    en: 'The order keeps being changed by others: retry in a moment',
  },
  ORDER_REASON_REQUIRED: { status: 422, zh: '“{action}”必须填写原因', en: '"{action}" needs a reason' },
  ORDER_CATEGORY_REQUIRED: {
    status: 422,
    zh: '派单前须先为工单选择分类（可采用系统建议的分类）',
    en: 'Choose the order\'s category before dispatching it (the suggested one may be accepted)',
  },
  ORDER_SEARCH_TOO_BROAD: {
    status: 400,
    zh: '只含单个汉字或符号的搜索须同时使用至少一个其他筛选条件（状态、单位、分类、地区、日期等）',
    en: 'A search for a single Chinese character or a symbol needs at least one other filter (state, unit, category, area, dates…)',
  },
  ORDER_INVALID_TARGET: { status: 422, zh: '目标不合法：{detail}', en: 'Invalid target: {detail}' },
  ORDER_EXTENSION_NOT_PENDING: {
    status: 409,
    zh: '该工单没有待审批的延期申请',
    en: 'The order has no extension request to decide',
  },
  ORDER_EXTENSION_ALREADY_PENDING: {
    status: 409,
    zh: '该工单已有待审批的延期申请',
    en: 'The order already has an extension request pending',
  },
  ORDER_INVALID_FIELD: { status: 422, zh: '字段不合法：{detail}', en: 'Invalid field: {detail}' },
  ORDER_CLOCK_ALREADY_PAUSED: { status: 409, zh: '该工单已暂停计时', en: 'The clock of this order is already paused' },
  ORDER_CLOCK_NOT_PAUSED: { status: 409, zh: '该工单未暂停计时', en: 'The clock of this order is not paused' },
  ORDER_RETURN_WINDOW_PASSED: { status: 409, zh: '退单须在派单后 {days} 个工作日内提出，已超过期限', en: 'An order can be returned only within {days} working days of its dispatch' },
  ORDER_EXTENSION_TOO_LONG: { status: 422, zh: '延期累计不得超过 {max} 个工作日（已延期 {used} 个工作日）', en: 'Extensions may add at most {max} working days in all ({used} already granted)' },
  CALENDAR_INVALID: { status: 422, zh: '节假日安排不合法：{detail}', en: 'Invalid holiday calendar: {detail}' },
  CALENDAR_YEAR_NOT_LOADED: { status: 404, zh: '尚未载入 {year} 年的节假日安排', en: 'The calendar of {year} is not loaded' },
  SLA_INVALID_SETTINGS: { status: 422, zh: '时限设置不合法：{detail}', en: 'Invalid deadline settings: {detail}' },
  VISIT_NOT_FOUND: { status: 404, zh: '回访记录不存在：{id}', en: 'No such return visit: {id}' },
  VISIT_NOT_OPEN: { status: 409, zh: '该回访已{status}，不能再记录', en: 'The return visit is {status}: nothing more can be recorded' },
  NOTICE_NOT_FOUND: { status: 404, zh: '通知不存在：{id}', en: 'No such notice: {id}' },
  ASSESSMENT_INVALID_PERIOD: { status: 422, zh: '考核期间不合法：{detail}', en: 'Invalid assessment period: {detail}' },
  CLASSIFY_DATA_INVALID: { status: 422, zh: '训练或评估数据不合法（{file}）：{problem}', en: 'Invalid training or test data ({file}): {problem}' },
  CLASSIFY_NO_SUGGESTION: { status: 404, zh: '该工单还没有分类建议：{id}', en: 'No suggestion has been made for order {id}' },
  CLASSIFY_RUN_NOT_FOUND: { status: 404, zh: '训练记录不存在：{id}', en: 'No such training run: {id}' },
  CLASSIFY_TRAINING_RUNNING: { status: 409, zh: '已有模型训练正在进行（第 {id} 次，开始于 {since}）', en: 'A training run is already in progress (run {id}, since {since})' },
  ASSESSMENT_UNKNOWN_FIGURE: { status: 422, zh: '没有名为 {figure} 的考核指标', en: 'No assessment figure named {figure}' },
  WARNING_NOT_FOUND: { status: 404, zh: '预警不存在：{id}', en: 'No such early warning: {id}' },
  WARNING_NOT_OPEN: { status: 409, zh: '该预警已{status}，不能再执行此操作', en: 'The early warning is {status}: this can no longer be done' },
  WARNING_INVALID_SETTINGS: { status: 422, zh: '预警设置不合法：{detail}', en: 'Invalid early-warning settings: {detail}' },
  ANALYTICS_INVALID_PERIOD: { status: 422, zh: '统计期间不合法：{detail}', en: 'Invalid period for the figures: {detail}' },
  WEBHOOK_NOT_FOUND: { status: 404, zh: '推送订阅不存在：{id}', en: 'No such webhook: {id}' },
  WEBHOOK_INVALID: { status: 422, zh: '推送订阅不合法：{detail}', en: 'Invalid webhook: {detail}' },
  ANALYTICS_HOT_TOPIC_NOT_FOUND: { status: 404, zh: '热点不存在或已过期：{id}', en: 'No such hot topic, or it has expired: {id}' },
  ANALYTICS_CITY_ONLY: { status: 403, zh: '该项统计只对全市开放：{what}', en: 'These figures are for city-wide readers only: {what}' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof ERRORS;
export type Language = 'zh' | 'en';
/** A text in both languages, for a message parameter such as an action's name. */
export type Localized = { zh: string; en: string };
export type MessageParams = Record<string, string | number | Localized>;

/** A refusal by a domain rule, with a stable code and the values its message needs. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    // a `detail` is prose, so it is written in both languages: a Chinese answer is wholly Chinese
    readonly params: MessageParams & { detail?: Localized } = {},
    readonly details?: object,
  ) {
    super(formatMessage(code, params, 'en'));
    this.name = 'DomainError';
  }
}

/** The message of a code in one language, with its {named} parameters filled in. */
export function formatMessage(code: ErrorCode, params: MessageParams, lang: Language): string {
  return ERRORS[code][lang].replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) return '';
    return typeof value === 'object' ? value[lang] : String(value);
  });
}
