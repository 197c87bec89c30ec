// The one dictionary of every staff page, in both UI languages of design §5.
// Pages mark static text with data-i18n (textContent), data-i18n-placeholder and data-i18n-title;
// text built by scripts calls t() and is rebuilt when the language changes, so a switch never
// needs a reload.

export const LANGUAGES = ['zh-CN', 'en'];
const STORAGE_KEY = 'helpdesk.lang';

const zh = {
  'app.name': '客服中心',
  'app.tagline': '客服工作台',
  'lang.label': '界面语言',
  'lang.zh-CN': '中文',
  'lang.en': 'English',

  'common.loading': '加载中…',
  'common.retry': '重试',
  'common.reload': '重新加载',
  'common.save': '保存',
  'common.saving': '保存中…',
  'common.cancel': '取消',
  'common.close': '关闭',
  'common.confirm': '确认',
  'common.none': '—',
  'common.all': '全部',
  'common.yes': '是',
  'common.no': '否',
  'common.dismiss': '关闭提示',
  'common.signOut': '退出登录',
  'common.signingOut': '正在退出…',
  'common.signedInAs': '当前用户：{name}',
  'common.home': '首页',

  'error.network': '无法连接服务器，请检查网络后重试。',
  'error.generic': '出错了（HTTP {status}）。',
  'error.stale': '该工单已被其他人修改，请重新加载后再操作。',
  'error.forbidden': '您的角色没有此操作权限。',
  'error.notFound': '找不到请求的内容。',
  'error.tooMany': '请求过于频繁，请稍候一分钟再试。',
  'error.validation': '请检查填写的内容。',
  'error.antiforgery': '页面安全令牌已过期，请刷新页面。',

  'status.New': '新创建',
  'status.Assigned': '已分配',
  'status.WaitingOnCustomer': '等待客户',
  'status.Resolved': '已处理',
  'status.FeedbackReceived': '已反馈',
  'status.Archived': '已归档',
  'status.Merged': '已合并',

  'type.Inquiry': '咨询',
  'type.Complaint': '投诉',
  'type.Suggestion': '建议',

  'category.None': '无',
  'category.ReturnExchange': '退换货',
  'category.Repair': '维修',
  'category.Refund': '退款',
  'category.OrderException': '订单异常',
  'category.TechnicalSupport': '技术支持',
  'category.ServiceAttitude': '服务态度',

  'priority.Low': '低',
  'priority.Normal': '普通',
  'priority.High': '高',
  'priority.Urgent': '紧急',

  'channel.Chat': '在线聊天',
  'channel.Email': '邮件',
  'channel.WebForm': '网页表单',
  'channel.Api': 'API',
  'channel.Phone': '电话',

  'kind.Customer': '客户',
  'kind.Agent': '客服回复',
  'kind.System': '系统',
  'kind.InternalNote': '内部备注',

  'role.Agent': '客服',
  'role.Supervisor': '主管',
  'role.Admin': '管理员',

  'event.status_changed': '状态由「{from}」变更为「{to}」',
  'event.assigned': '已分配给 {to}',
  'event.reassigned': '处理人由 {from} 改为 {to}',
  'event.unassigned': '已取消分配（原处理人：{from}）',
  'event.team_changed': '团队由「{from}」变更为「{to}」',
  'event.merged_into': '已合并到工单 #{to}',
  'event.merged_from': '工单 #{from} 已合并到本工单',
  'event.follow_up_of': '本工单是工单 #{to} 的后续',
  'event.follow_up_of_unknown': '本工单是之前某个工单的后续',
  'event.by': '{name}',

  'history.created': '创建工单',
  'history.status': '状态',
  'history.assignee': '处理人',
  'history.team': '团队',
  'history.queue': '队列',
  'history.priority': '优先级',
  'history.tags': '标签',
  'history.merged_from': '合并进来的工单',

  'conflict.illegal_transition': '工单流程不允许这样变更状态。',
  'conflict.assignee_required': '请先选择处理人：已分配的工单必须有处理人。',
  'conflict.no_change': '工单已经是这个处理人和团队了。',
  'conflict.ticket_closed': '客户已反馈，本工单不能再回复或改派；如需继续请新建后续工单。',
  'conflict.ticket_merged': '本工单已合并到其他工单，请在目标工单中操作。',
  'conflict.ticket_archived': '本工单已归档；客户再次联系时会生成后续工单。',
  'conflict.merge_into_self': '不能把工单合并到它自己。',
  'conflict.merge_target_closed': '目标工单已合并或已归档，请选择一个未结工单。',
  'conflict.unknown_team': '该团队不存在。',
  'conflict.unknown_assignee': '该处理人不是在职的客服人员。',
  'conflict.body_required': '请先输入内容。',
  'admin.duplicate': '邮箱 {email} 已被其他账号使用。',
  'admin.selfRefused': '不能停用自己，也不能取消自己的管理员角色。',

  // sign-in
  'signin.title': '客服人员登录',
  'signin.subtitle': '使用您的工作邮箱登录客服中心。',
  'signin.email': '邮箱',
  'signin.password': '密码',
  'signin.remember': '记住我（12 小时内免登录）',
  'signin.submit': '登录',
  'signin.submitting': '正在登录…',
  'signin.invalid_credentials': '邮箱或密码错误。',
  'signin.locked_out': '登录失败次数过多，账号已锁定 15 分钟。',
  'signin.disabled': '该账号已被停用，请联系管理员。',
  'signin.required': '请填写邮箱和密码。',
  'signin.already': '您已以 {name} 的身份登录。',
  'signin.continue': '进入工作台',

  // landing
  'home.title': '客服中心',
  'home.intro': '在线聊天、邮件和网页表单的每一次联系都会成为一个工单。请选择要进入的页面：',
  'home.agent': '客服工作台',
  'home.agentText': '处理分配给我和团队的工单：回复客户、内部备注、分配与状态流转。',
  'home.supervisor': '主管看板',
  'home.supervisorText': '实时查看队列与服务时效（即将推出）。',
  'home.admin': '人员管理',
  'home.adminText': '管理员创建客服账号，设置角色与团队，停用或启用账号。',
  'home.demo': '演示商城',
  'home.demoText': '嵌入了在线客服组件的演示网站（即将推出）。',
  'home.soon': '即将推出',
  'home.signin': '登录',

  // agent console
  'agent.title': '客服工作台',
  'agent.tabs.mine': '我的工单',
  'agent.tabs.team': '团队队列',
  'agent.tabs.open': '全部未结',
  'agent.filters': '筛选',
  'agent.filter.status': '状态',
  'agent.filter.type': '类型',
  'agent.filter.category': '类别',
  'agent.filter.priority': '优先级',
  'agent.filter.team': '团队',
  'agent.filter.search': '搜索编号、标题或内容',
  'agent.filter.any': '全部',
  'agent.filter.clear': '清除筛选',
  'agent.list.empty': '没有符合条件的工单。',
  'agent.list.loadMore': '加载更多',
  'agent.list.loadingMore': '加载中…',
  'agent.list.count': '已显示 {count} 个工单',
  'agent.list.unassigned': '未分配',
  'agent.list.label': '工单列表',
  'agent.view.empty': '从左侧列表选择一个工单。',
  'agent.view.loading': '正在加载工单…',
  'agent.view.number': '工单 #{number}',
  'agent.view.type': '类型',
  'agent.view.category': '类别',
  'agent.view.priority': '优先级',
  'agent.view.channel': '渠道',
  'agent.view.team': '团队',
  'agent.view.assignee': '处理人',
  'agent.view.customer': '客户',
  'agent.view.tags': '标签',
  'agent.view.created': '创建时间',
  'agent.view.updated': '更新时间',
  'agent.view.version': '版本',
  'agent.view.mergedInto': '已合并到',
  'agent.view.followUpOf': '后续自',
  'agent.view.followUps': '后续工单',
  'agent.view.noTags': '无标签',
  'agent.view.timeline': '沟通记录',
  'agent.view.history': '变更历史',
  'agent.view.historyEmpty': '暂无变更。',
  'agent.view.timelineEmpty': '还没有任何消息。',
  'agent.view.mergedFrom': '来自合并的工单',
  'agent.view.mergedNotice': '本工单已合并到 #{number}，请在该工单中继续处理。',
  'agent.view.readOnly': '本工单已{status}，只能查看。',
  'agent.view.close': '关闭工单视图',
  'agent.history.at': '时间',
  'agent.history.actor': '操作人',
  'agent.history.field': '字段',
  'agent.history.change': '变更',
  'agent.compose.reply': '回复客户',
  'agent.compose.note': '内部备注',
  'agent.compose.replyPlaceholder': '输入给客户的回复…',
  'agent.compose.notePlaceholder': '输入仅同事可见的内部备注…',
  'agent.compose.sendReply': '发送回复',
  'agent.compose.sendNote': '添加备注',
  'agent.compose.sending': '发送中…',
  'agent.compose.empty': '请先输入内容。',
  'agent.compose.noteHint': '内部备注不会发送给客户。',
  'agent.actions.title': '操作',
  'agent.actions.status': '更改状态',
  'agent.actions.statusTo': '新状态',
  'agent.actions.reason': '原因（可选）',
  'agent.actions.changeStatus': '更改',
  'agent.actions.noStatus': '当前状态下不能再更改。',
  'agent.actions.assign': '分配',
  'agent.actions.agent': '处理人',
  'agent.actions.team': '团队',
  'agent.actions.doAssign': '分配',
  'agent.actions.unassign': '取消分配',
  'agent.actions.takeIt': '分配给我',
  'agent.actions.pickAgent': '— 选择处理人 —',
  'agent.actions.merge': '合并到其他工单',
  'agent.actions.mergeTarget': '目标工单编号',
  'agent.actions.doMerge': '合并',
  'agent.actions.mergeConfirm': '确认将 #{source} 合并到 #{target}？此操作不可撤销。',
  'agent.actions.mergeNumber': '请输入有效的工单编号。',
  'agent.actions.working': '处理中…',
  'agent.done.reply': '回复已发送。',
  'agent.done.note': '备注已添加。',
  'agent.done.status': '状态已更新。',
  'agent.done.assign': '分配已更新。',
  'agent.done.merge': '已合并到 #{number}。',

  // admin
  'admin.title': '人员管理',
  'admin.staff': '客服人员',
  'admin.create': '新建账号',
  'admin.edit': '编辑 {email}',
  'admin.email': '邮箱',
  'admin.displayName': '显示名称',
  'admin.password': '初始密码',
  'admin.passwordHint': '至少 8 位，需包含大小写字母、数字和符号。',
  'admin.roles': '角色',
  'admin.teams': '团队',
  'admin.state': '状态',
  'admin.actions': '操作',
  'admin.active': '正常',
  'admin.disabled': '已停用',
  'admin.lockedUntil': '锁定至 {time}',
  'admin.doCreate': '创建账号',
  'admin.doEdit': '编辑',
  'admin.doSave': '保存修改',
  'admin.doDisable': '停用',
  'admin.doEnable': '启用',
  'admin.created': '已创建账号 {email}。',
  'admin.saved': '已保存 {email}。',
  'admin.disabledDone': '已停用 {email}。',
  'admin.enabledDone': '已启用 {email}。',
  'admin.empty': '还没有人员账号。',
  'admin.notAdmin': '只有管理员可以管理人员账号。',
  'admin.noTeams': '无',
  'admin.you': '（您）',
  'admin.required': '必填。',
  'admin.pickRole': '请至少选择一个角色。',
  'admin.invalidEmail': '请输入有效的邮箱地址。',
  'admin.loading': '正在加载人员…',
  'admin.toConsole': '客服工作台',
  'agent.filter.option': '{name}：{value}',
  // live chat (agent console)
  'chat.title': '在线会话',
  'chat.presence.label': '在线状态',
  'chat.presence.Online': '在线',
  'chat.presence.Away': '离开',
  'chat.presence.Offline': '离线',
  'chat.presence.failed': '在线状态未能更改：{reason}',
  'chat.conn.connecting': '连接中…',
  'chat.conn.reconnecting': '连接中…',
  'chat.conn.connected': '已连接',
  'chat.conn.waiting': '连接已断开，{seconds} 秒后重试',
  'chat.conn.offline': '网络已断开，恢复后自动重连',
  'chat.conn.retryNow': '立即重试',
  'chat.unreadTotal': '未读 {count}',
  'chat.unreadTitle': '共 {count} 条未读聊天消息',
  'chat.tabs.label': '工单与会话',
  'chat.tabs.ticket': '工单',
  'chat.tabs.ticketNumber': '工单 #{number}',
  'chat.tabs.unread': '{count} 条未读',
  'chat.tabs.close': '关闭 {name} 的会话标签',
  'chat.tabs.ended': '已结束',
  'chat.offer.title': '新的在线咨询',
  'chat.offer.expires': '{seconds} 秒内未接入将转给其他客服',
  'chat.offer.expired': '已超时，正在转给其他客服…',
  'chat.offer.accept': '接入',
  'chat.offer.decline': '拒绝',
  'chat.offer.accepting': '接入中…',
  'chat.offer.failed': '未能接入 #{number}：{reason}',
  'chat.view.loading': '正在加载会话…',
  'chat.view.openTicket': '在工单中查看',
  'chat.view.transfer': '转接',
  'chat.view.end': '结束会话',
  'chat.view.endConfirm': '确定结束与 {name} 的会话吗？客户将无法继续发送消息。',
  'chat.view.ending': '正在结束…',
  'chat.view.endedByCustomer': '客户已离开，会话已结束。',
  'chat.view.endedByStaff': '会话已结束。',
  'chat.view.closeTab': '关闭标签',
  'chat.view.empty': '还没有消息。',
  'chat.view.typing': '{name} 正在输入…',
  'chat.view.transferredAway': '会话 #{number}（{name}）已转给其他客服或队列。',
  'chat.view.loadFailed': '会话未能加载：{reason}',
  'chat.transfer.title': '转接会话',
  'chat.transfer.agent': '转给客服',
  'chat.transfer.team': '或转回团队队列',
  'chat.transfer.pickAgent': '— 选择客服 —',
  'chat.transfer.pickTeam': '— 不转团队 —',
  'chat.transfer.submit': '确认转接',
  'chat.transfer.working': '转接中…',
  'chat.transfer.pickOne': '请选择一位客服或一个团队。',
  'chat.transfer.done': '会话 #{number} 已转给 {name}。',
  'chat.compose.label': '给客户的消息',
  'chat.compose.placeholder': '输入消息…',
  'chat.compose.hint': 'Enter 发送 · Shift+Enter 换行',
  'chat.compose.send': '发送',
  'chat.compose.attach': '发送图片或 PDF',
  'chat.compose.ended': '会话已结束，不能再发送消息。',
  'chat.msg.you': '我',
  'chat.msg.pending': '发送中',
  'chat.msg.sent': '已送达',
  'chat.msg.read': '客户已读',
  'chat.msg.failed': '未发送：{reason}',
  'chat.msg.retry': '重新发送',
  'chat.msg.discard': '删除',
  'chat.msg.download': '下载 {name}（{size}）',
  'chat.msg.imageAlt': '图片：{name}',
  'chat.msg.uploading': '正在上传 {name}… {percent}%',
  'chat.msg.uploadFailed': '{name} 未能发送：{reason}',
  'chat.event.chat_ended.Customer': '客户结束了会话',
  'chat.event.chat_ended.Staff': '客服结束了会话',
  'chat.upload.too_large': '文件超过 10 MB',
  'chat.upload.unsupported_type': '只能发送图片（PNG、JPEG、GIF、WebP）或 PDF 文件',
  'chat.upload.empty': '文件是空的',
  'chat.reason.too_long': '消息太长，请分几条发送或改为发送文件',
  'chat.reason.rate_limited': '发送太快了，请稍候再发',
  'chat.reason.chat_ended': '会话已结束',
  'chat.reason.ticket_closed': '工单已关闭',
  'chat.reason.empty': '消息是空的',
  'chat.reason.not_found': '找不到此会话，或它已不由您处理',
  'chat.reason.invalid': '请求无效',
  'chat.reason.staff_only': '只有客服人员可以这样做',
  'chat.reason.taken': '其他客服已经接入了此会话',
  'chat.reason.no_offer': '此咨询邀请已失效',
  'chat.reason.not_a_chat': '这个工单不是在线会话',
  'chat.reason.unknown_team': '该团队不存在',
  'chat.reason.unknown_assignee': '该客服不是在职人员',
  'chat.reason.no_change': '会话已经由该客服和团队处理',
  'chat.reason.illegal_transition': '工单当前状态不允许这样操作',
  'chat.reason.assignee_required': '请选择客服',
  'chat.reason.network': '连接中断，恢复后会自动重发',
  'chat.reason.other': '服务器拒绝了此操作',
  'chat.customer.title': '客户信息',
  'chat.customer.loading': '正在加载客户信息…',
  'chat.customer.none': '此会话没有关联客户档案。',
  'chat.customer.identified': '已认证用户',
  'chat.customer.anonymous': '匿名访客',
  'chat.customer.email': '邮箱',
  'chat.customer.phone': '电话',
  'chat.customer.mobile': '手机',
  'chat.customer.region': '地区',
  'chat.customer.tier': '客户等级',
  'chat.customer.credit': '信用度',
  'chat.customer.creditValue': '{credit} / 5',
  'chat.customer.manager': '客户经理',
  'chat.customer.company': '所属集团',
  'chat.customer.tickets': '历史工单',
  'chat.customer.ticketCount': '未结 {open} · 共 {total}',
  'chat.customer.noTickets': '没有其他工单。',
  'chat.customer.thisChat': '本会话',
  'tier.StrategicPartner': '战略合作伙伴',
  'tier.KeyAccount': '大客户',
  'tier.Partner': '合作',
  'tier.DevelopmentTarget': '重点开发客户',
  'tier.Regular': '普通客户',
  'region.华北': '华北',
  'region.华东': '华东',
  'region.华中': '华中',
  'region.华南': '华南',
  'region.西北': '西北',
  'region.西南': '西南',
  'region.东北': '东北',
  // scripts and wording (规范用语)
  'scriptKind.Greeting': '问候语',
  'scriptKind.Closing': '结束语',
  'scriptKind.Holding': '请稍等',
  'scriptKind.IdlePrompt': '静默提醒',
  'scriptKind.ComplaintOpening': '投诉致歉',
  'scriptKind.SurveyInvitation': '满意度邀请',
  'scriptKind.EmailAcknowledgement': '邮件自动回复',
  'scriptKind.Canned': '快捷回复',
  'scriptKind.QueueGreeting': '排队问候',
  'scriptStatus.Draft': '草稿',
  'scriptStatus.Approved': '已审核',
  'wording.blocked': '不能发送：含有禁用语“{phrase}”。',
  'wording.blockedFound': '（原文：“{matched}”）',
  'wording.suggest': '建议用语：{suggestion}',
  'wording.noSuggestion': '请换一种说法。',
  'wording.replace': '替换为建议用语',
  'wording.checking': '正在检查用语…',
  'wording.pickerLabel': '快捷话术',
  'wording.pickerEmpty': '没有匹配的话术',
  'wording.pickerLoading': '正在加载话术…',
  'wording.pickerFailed': '话术加载失败',
  'wording.pickerHint': '输入 / 搜索快捷话术，↑↓ 选择，回车插入，Esc 关闭',
  'chat.reason.forbidden_phrase': '含有禁用语，未发送',
  'chat.view.endWithClosing': '发送结束语并结束',
  'chat.view.endNow': '直接结束',
  'chat.view.closingPreview': '结束语：{text}',

  // administration of scripts
  'admin.nav.staff': '人员',
  'admin.nav.scripts': '话术库',
  'admin.nav.phrases': '禁用语',
  'scripts.title': '话术库',
  'scripts.new': '新建话术',
  'scripts.edit': '编辑话术 #{id}',
  'scripts.kind': '类型',
  'scripts.name': '名称',
  'scripts.language': '语言',
  'scripts.team': '团队',
  'scripts.channel': '渠道',
  'scripts.anyTeam': '所有团队',
  'scripts.anyChannel': '所有渠道',
  'scripts.allKinds': '全部类型',
  'scripts.allLanguages': '全部语言',
  'scripts.text': '内容',
  'scripts.status': '状态',
  'scripts.search': '搜索名称或内容',
  'scripts.placeholders': '可用占位符：',
  'scripts.preview': '预览（示例数据）',
  'scripts.previewing': '正在生成预览…',
  'scripts.unknownPlaceholder': '未知占位符：{names}',
  'scripts.save': '保存草稿',
  'scripts.approve': '审核通过',
  'scripts.approving': '正在审核…',
  'scripts.saved': '已保存草稿，审核通过后才会使用。',
  'scripts.approved': '已审核通过，现已启用。',
  'scripts.inUse': '使用中的已审核版本：',
  'scripts.draftPending': '草稿有未审核的修改',
  'scripts.history': '修改记录',
  'scripts.historyEmpty': '暂无修改记录。',
  'scripts.action.created': '创建',
  'scripts.action.edited': '修改',
  'scripts.action.approved': '审核通过',
  'scripts.action.activated': '启用',
  'scripts.action.deactivated': '停用',
  'scripts.old': '修改前',
  'scripts.new2': '修改后',
  'scripts.empty': '没有符合条件的话术。',
  'scripts.loading': '正在加载话术…',
  'scripts.readOnly': '只有主管和管理员可以修改话术。',
  'phrases.title': '禁用语',
  'phrases.new': '新增禁用语',
  'phrases.edit': '编辑禁用语 #{id}',
  'phrases.phrase': '禁用语',
  'phrases.suggestion': '建议用语',
  'phrases.script': '或引用话术',
  'phrases.noScript': '不引用',
  'phrases.active': '启用',
  'phrases.inactive': '已停用',
  'phrases.saved': '已保存禁用语。',
  'phrases.empty': '还没有禁用语。',
  'phrases.loading': '正在加载禁用语…',
  'conflict.already_approved': '这个版本已经审核通过。',
  'conflict.invalid_template': '内容中有无法识别的占位符，请先修改。',

  // SLA clocks and escalation (issue 6)
  'sla.title': '服务时限',
  'sla.loading': '正在读取服务时限…',
  'sla.failed': '服务时限读取失败：{reason}',
  'sla.policy': '策略：{name}',
  'sla.none': '本工单没有在计时的时限。',
  'sla.target.FirstResponse': '首次响应',
  'sla.target.NextResponse': '下次响应',
  'sla.target.Resolution': '解决',
  'sla.state.Running': '计时中',
  'sla.state.Paused': '已暂停',
  'sla.state.Met': '已达成',
  'sla.state.Breached': '已超时',
  'sla.state.DueSoon': '即将到期',
  'sla.left': '剩余 {time}',
  'sla.overdue': '超时 {time}',
  'sla.pausedLeft': '暂停中，剩余 {time}',
  'sla.metIn': '用时 {time}',
  'sla.breachedIn': '用时 {time}（超时）',
  'sla.dueAt': '截止 {time}',
  'sla.mode.Business': '工作时间',
  'sla.mode.Calendar': '自然时间',
  'sla.escalation.level': '已升级 · {level} 级',
  'sla.escalation.warned': '预警 · 1 级',
  'sla.escalation.none': '未升级',
  'sla.escalation.since': '自 {time}',
  'sla.escalation.reasons': '原因：{reasons}',
  'sla.clear.title': '解除升级',
  'sla.clear.note': '说明（可选）',
  'sla.clear.notePlaceholder': '例如：已与客户电话沟通',
  'sla.clear.do': '解除升级',
  'sla.clear.working': '正在解除…',
  'sla.clear.done': '已解除升级。',
  'sla.list.dueSoon': '即将到期',
  'sla.list.breached': '已超时',
  'sla.list.escalated': '已升级 {level} 级',
  'reason.sla_warning': '{target}即将到期',
  'reason.sla_breach': '{target}已超时',
  'reason.still_escalated': '升级后仍未处理',
  'reason.customer_asked_for_supervisor': '客户要求主管处理',
  'reason.triage_threat': '客户威胁投诉监管或媒体',
  'reason.low_survey_score': '满意度评价过低',
  'reason.resolved': '工单已解决',
  'reason.supervisor_cleared': '主管解除',
  'event.escalated': '升级：{from} 级 → {to} 级（{reason}）',
  'event.escalation_noted': '升级原因已记录（{level} 级）：{reason}',
  'event.deescalated': '已解除升级（{reason}）',
  'toast.escalated': '工单 #{number}「{subject}」升级到 {level} 级：{reason}',
  'toast.escalation_noted': '工单 #{number}「{subject}」：{reason}',
  'toast.deescalated': '工单 #{number}「{subject}」已解除升级：{reason}',
  'toast.open': '查看',
};

const en = {
  'app.name': 'Helpdesk',
  'app.tagline': 'Agent console',
  'lang.label': 'Language',
  'lang.zh-CN': '中文',
  'lang.en': 'English',

  'common.loading': 'Loading…',
  'common.retry': 'Retry',
  'common.reload': 'Reload',
  'common.save': 'Save',
  'common.saving': 'Saving…',
  'common.cancel': 'Cancel',
  'common.close': 'Close',
  'common.confirm': 'Confirm',
  'common.none': '—',
  'common.all': 'All',
  'common.yes': 'Yes',
  'common.no': 'No',
  'common.dismiss': 'Dismiss',
  'common.signOut': 'Sign out',
  'common.signingOut': 'Signing out…',
  'common.signedInAs': 'Signed in as {name}',
  'common.home': 'Home',

  'error.network': 'Cannot reach the server. Check the connection and try again.',
  'error.generic': 'Something went wrong (HTTP {status}).',
  'error.stale': 'This ticket was changed by someone else. Reload it and try again.',
  'error.forbidden': 'Your role does not allow this.',
  'error.notFound': 'Not found.',
  'error.tooMany': 'Too many requests. Wait a minute and try again.',
  'error.validation': 'Please check the fields.',
  'error.antiforgery': 'The page’s security token expired. Reload the page.',

  'status.New': 'New',
  'status.Assigned': 'Assigned',
  'status.WaitingOnCustomer': 'Waiting on customer',
  'status.Resolved': 'Resolved',
  'status.FeedbackReceived': 'Feedback received',
  'status.Archived': 'Archived',
  'status.Merged': 'Merged',

  'type.Inquiry': 'Inquiry',
  'type.Complaint': 'Complaint',
  'type.Suggestion': 'Suggestion',

  'category.None': 'None',
  'category.ReturnExchange': 'Return / exchange',
  'category.Repair': 'Repair',
  'category.Refund': 'Refund',
  'category.OrderException': 'Order exception',
  'category.TechnicalSupport': 'Technical support',
  'category.ServiceAttitude': 'Service attitude',

  'priority.Low': 'Low',
  'priority.Normal': 'Normal',
  'priority.High': 'High',
  'priority.Urgent': 'Urgent',

  'channel.Chat': 'Chat',
  'channel.Email': 'Email',
  'channel.WebForm': 'Web form',
  'channel.Api': 'API',
  'channel.Phone': 'Phone',

  'kind.Customer': 'Customer',
  'kind.Agent': 'Agent reply',
  'kind.System': 'System',
  'kind.InternalNote': 'Internal note',

  'role.Agent': 'Agent',
  'role.Supervisor': 'Supervisor',
  'role.Admin': 'Admin',

  'event.status_changed': 'Status changed from {from} to {to}',
  'event.assigned': 'Assigned to {to}',
  'event.reassigned': 'Reassigned from {from} to {to}',
  'event.unassigned': 'Unassigned (was {from})',
  'event.team_changed': 'Team changed from {from} to {to}',
  'event.merged_into': 'Merged into ticket #{to}',
  'event.merged_from': 'Ticket #{from} was merged into this ticket',
  'event.follow_up_of': 'Follow-up of ticket #{to}',
  'event.follow_up_of_unknown': 'Follow-up of an earlier ticket',
  'event.by': '{name}',

  'history.created': 'Created',
  'history.status': 'Status',
  'history.assignee': 'Assignee',
  'history.team': 'Team',
  'history.queue': 'Queue',
  'history.priority': 'Priority',
  'history.tags': 'Tags',
  'history.merged_from': 'Merged in',

  'admin.duplicate': 'The email {email} is already used by another account.',
  'admin.selfRefused': 'You cannot disable yourself or take away your own admin role.',

  'signin.title': 'Staff sign-in',
  'signin.subtitle': 'Sign in to the helpdesk with your work email.',
  'signin.email': 'Email',
  'signin.password': 'Password',
  'signin.remember': 'Remember me (stay signed in for 12 hours)',
  'signin.submit': 'Sign in',
  'signin.submitting': 'Signing in…',
  'signin.invalid_credentials': 'The email or password is wrong.',
  'signin.locked_out': 'Too many failed attempts: the account is locked for 15 minutes.',
  'signin.disabled': 'This account is disabled. Ask an administrator.',
  'signin.required': 'Enter your email and password.',
  'signin.already': 'You are signed in as {name}.',
  'signin.continue': 'Go to the console',

  'home.title': 'Helpdesk',
  'home.intro': 'Every chat, email and web form becomes a ticket. Where do you want to go?',
  'home.agent': 'Agent console',
  'home.agentText': 'Work on your tickets and your team’s queue: reply, add internal notes, assign, move through the lifecycle.',
  'home.supervisor': 'Supervisor console',
  'home.supervisorText': 'Watch queues and service levels live (coming soon).',
  'home.admin': 'Staff admin',
  'home.adminText': 'Admins create staff accounts, set roles and teams, disable and enable accounts.',
  'home.demo': 'Demo shop',
  'home.demoText': 'A demo web site with the chat widget embedded (coming soon).',
  'home.soon': 'coming soon',
  'home.signin': 'Sign in',

  'agent.title': 'Agent console',
  'agent.tabs.mine': 'Mine',
  'agent.tabs.team': 'My team’s queue',
  'agent.tabs.open': 'All open',
  'agent.filters': 'Filters',
  'agent.filter.status': 'Status',
  'agent.filter.type': 'Type',
  'agent.filter.category': 'Category',
  'agent.filter.priority': 'Priority',
  'agent.filter.team': 'Team',
  'agent.filter.search': 'Search number, subject or text',
  'agent.filter.any': 'Any',
  'agent.filter.clear': 'Clear filters',
  'agent.list.empty': 'No tickets match.',
  'agent.list.loadMore': 'Load more',
  'agent.list.loadingMore': 'Loading…',
  'agent.list.count': '{count} tickets shown',
  'agent.list.unassigned': 'Unassigned',
  'agent.list.label': 'Tickets',
  'agent.view.empty': 'Pick a ticket from the list.',
  'agent.view.loading': 'Loading the ticket…',
  'agent.view.number': 'Ticket #{number}',
  'agent.view.type': 'Type',
  'agent.view.category': 'Category',
  'agent.view.priority': 'Priority',
  'agent.view.channel': 'Channel',
  'agent.view.team': 'Team',
  'agent.view.assignee': 'Assignee',
  'agent.view.customer': 'Customer',
  'agent.view.tags': 'Tags',
  'agent.view.created': 'Created',
  'agent.view.updated': 'Updated',
  'agent.view.version': 'Version',
  'agent.view.mergedInto': 'Merged into',
  'agent.view.followUpOf': 'Follow-up of',
  'agent.view.followUps': 'Follow-ups',
  'agent.view.noTags': 'No tags',
  'agent.view.timeline': 'Timeline',
  'agent.view.history': 'History',
  'agent.view.historyEmpty': 'No changes yet.',
  'agent.view.timelineEmpty': 'No messages yet.',
  'agent.view.mergedFrom': 'from a merged ticket',
  'agent.view.mergedNotice': 'This ticket was merged into #{number}; carry on there.',
  'agent.view.readOnly': 'This ticket is {status}; it can only be read.',
  'agent.view.close': 'Close the ticket',
  'agent.history.at': 'When',
  'agent.history.actor': 'Who',
  'agent.history.field': 'Field',
  'agent.history.change': 'Change',
  'agent.compose.reply': 'Reply to customer',
  'agent.compose.note': 'Internal note',
  'agent.compose.replyPlaceholder': 'Write your reply to the customer…',
  'agent.compose.notePlaceholder': 'Write a note only colleagues will see…',
  'agent.compose.sendReply': 'Send reply',
  'agent.compose.sendNote': 'Add note',
  'agent.compose.sending': 'Sending…',
  'agent.compose.empty': 'Write something first.',
  'agent.compose.noteHint': 'Internal notes are never sent to the customer.',
  'agent.actions.title': 'Actions',
  'agent.actions.status': 'Change status',
  'agent.actions.statusTo': 'New status',
  'agent.actions.reason': 'Reason (optional)',
  'agent.actions.changeStatus': 'Change',
  'agent.actions.noStatus': 'No status change is possible from here.',
  'agent.actions.assign': 'Assignment',
  'agent.actions.agent': 'Agent',
  'agent.actions.team': 'Team',
  'agent.actions.doAssign': 'Assign',
  'agent.actions.unassign': 'Unassign',
  'agent.actions.takeIt': 'Assign to me',
  'agent.actions.pickAgent': '— pick an agent —',
  'agent.actions.merge': 'Merge into another ticket',
  'agent.actions.mergeTarget': 'Target ticket number',
  'agent.actions.doMerge': 'Merge',
  'agent.actions.mergeConfirm': 'Merge #{source} into #{target}? This cannot be undone.',
  'agent.actions.mergeNumber': 'Enter a valid ticket number.',
  'agent.actions.working': 'Working…',
  'agent.done.reply': 'Reply sent.',
  'agent.done.note': 'Note added.',
  'agent.done.status': 'Status changed.',
  'agent.done.assign': 'Assignment changed.',
  'agent.done.merge': 'Merged into #{number}.',

  'admin.title': 'Staff admin',
  'admin.staff': 'Staff',
  'admin.create': 'New account',
  'admin.edit': 'Edit {email}',
  'admin.email': 'Email',
  'admin.displayName': 'Display name',
  'admin.password': 'Initial password',
  'admin.passwordHint': 'At least 8 characters with upper and lower case, a digit and a symbol.',
  'admin.roles': 'Roles',
  'admin.teams': 'Teams',
  'admin.state': 'State',
  'admin.actions': 'Actions',
  'admin.active': 'Active',
  'admin.disabled': 'Disabled',
  'admin.lockedUntil': 'Locked until {time}',
  'admin.doCreate': 'Create account',
  'admin.doEdit': 'Edit',
  'admin.doSave': 'Save changes',
  'admin.doDisable': 'Disable',
  'admin.doEnable': 'Enable',
  'admin.created': 'Created {email}.',
  'admin.saved': 'Saved {email}.',
  'admin.disabledDone': 'Disabled {email}.',
  'admin.enabledDone': 'Enabled {email}.',
  'admin.empty': 'No staff accounts yet.',
  'admin.notAdmin': 'Only admins can manage staff accounts.',
  'admin.noTeams': 'None',
  'admin.you': '(you)',
  'admin.required': 'Required.',
  'admin.pickRole': 'Pick at least one role.',
  'admin.invalidEmail': 'Enter a valid email address.',
  'admin.loading': 'Loading staff…',
  'admin.toConsole': 'Agent console',
  'agent.filter.option': '{name}: {value}',
  // live chat (agent console)
  'chat.title': 'Live chat',
  'chat.presence.label': 'Availability',
  'chat.presence.Online': 'Online',
  'chat.presence.Away': 'Away',
  'chat.presence.Offline': 'Offline',
  'chat.presence.failed': 'Availability not changed: {reason}',
  'chat.conn.connecting': 'Connecting…',
  'chat.conn.reconnecting': 'Reconnecting…',
  'chat.conn.connected': 'Connected',
  'chat.conn.waiting': 'Disconnected; retrying in {seconds} s',
  'chat.conn.offline': 'The network is down; reconnecting when it is back',
  'chat.conn.retryNow': 'Retry now',
  'chat.unreadTotal': '{count} unread',
  'chat.unreadTitle': '{count} unread chat messages in all',
  'chat.tabs.label': 'Ticket and chats',
  'chat.tabs.ticket': 'Ticket',
  'chat.tabs.ticketNumber': 'Ticket #{number}',
  'chat.tabs.unread': '{count} unread',
  'chat.tabs.close': 'Close the chat tab of {name}',
  'chat.tabs.ended': 'Ended',
  'chat.offer.title': 'New chat request',
  'chat.offer.expires': 'Passes to another agent in {seconds} s',
  'chat.offer.expired': 'Timed out; passing to another agent…',
  'chat.offer.accept': 'Accept',
  'chat.offer.decline': 'Decline',
  'chat.offer.accepting': 'Accepting…',
  'chat.offer.failed': 'Could not take #{number}: {reason}',
  'chat.view.loading': 'Loading the conversation…',
  'chat.view.openTicket': 'Open as ticket',
  'chat.view.transfer': 'Transfer',
  'chat.view.end': 'End chat',
  'chat.view.endConfirm': 'End the chat with {name}? The customer will not be able to write any more.',
  'chat.view.ending': 'Ending…',
  'chat.view.endedByCustomer': 'The customer left; the chat has ended.',
  'chat.view.endedByStaff': 'The chat has ended.',
  'chat.view.closeTab': 'Close tab',
  'chat.view.empty': 'No messages yet.',
  'chat.view.typing': '{name} is typing…',
  'chat.view.transferredAway': 'Chat #{number} ({name}) was handed to another agent or queue.',
  'chat.view.loadFailed': 'The conversation did not load: {reason}',
  'chat.transfer.title': 'Transfer the chat',
  'chat.transfer.agent': 'To an agent',
  'chat.transfer.team': 'Or back to a team queue',
  'chat.transfer.pickAgent': '— Pick an agent —',
  'chat.transfer.pickTeam': '— Same team —',
  'chat.transfer.submit': 'Transfer now',
  'chat.transfer.working': 'Transferring…',
  'chat.transfer.pickOne': 'Pick an agent or a team.',
  'chat.transfer.done': 'Chat #{number} handed over to {name}.',
  'chat.compose.label': 'Message to the customer',
  'chat.compose.placeholder': 'Type a message…',
  'chat.compose.hint': 'Enter sends · Shift+Enter for a new line',
  'chat.compose.send': 'Send',
  'chat.compose.attach': 'Send an image or PDF',
  'chat.compose.ended': 'The chat has ended; no more messages can be sent.',
  'chat.msg.you': 'You',
  'chat.msg.pending': 'Sending',
  'chat.msg.sent': 'Delivered',
  'chat.msg.read': 'Read by the customer',
  'chat.msg.failed': 'Not sent: {reason}',
  'chat.msg.retry': 'Send again',
  'chat.msg.discard': 'Discard',
  'chat.msg.download': 'Download {name} ({size})',
  'chat.msg.imageAlt': 'Image: {name}',
  'chat.msg.uploading': 'Uploading {name}… {percent}%',
  'chat.msg.uploadFailed': '{name} was not sent: {reason}',
  'chat.event.chat_ended.Customer': 'The customer ended the chat',
  'chat.event.chat_ended.Staff': 'The chat was ended by an agent',
  'chat.upload.too_large': 'the file is larger than 10 MB',
  'chat.upload.unsupported_type': 'only images (PNG, JPEG, GIF, WebP) and PDF files can be sent',
  'chat.upload.empty': 'the file is empty',
  'chat.reason.too_long': 'the message is too long; split it or send a file',
  'chat.reason.rate_limited': 'sending too fast; wait a moment',
  'chat.reason.chat_ended': 'the chat has ended',
  'chat.reason.ticket_closed': 'the ticket is closed',
  'chat.reason.empty': 'the message is empty',
  'chat.reason.not_found': 'no such chat for you (it may have been handed over)',
  'chat.reason.invalid': 'the request is not valid',
  'chat.reason.staff_only': 'only staff can do this',
  'chat.reason.taken': 'another agent has already taken this chat',
  'chat.reason.no_offer': 'the offer is no longer open',
  'chat.reason.not_a_chat': 'this ticket is not a chat',
  'chat.reason.unknown_team': 'the team does not exist',
  'chat.reason.unknown_assignee': 'that person is not active staff',
  'chat.reason.no_change': 'the chat is already with that agent and team',
  'chat.reason.illegal_transition': 'the ticket\u2019s status does not allow this',
  'chat.reason.assignee_required': 'pick an agent',
  'chat.reason.network': 'connection lost; it is resent once back',
  'chat.reason.other': 'the server refused it',
  'chat.customer.title': 'Customer',
  'chat.customer.loading': 'Loading the customer…',
  'chat.customer.none': 'No customer record is linked to this chat.',
  'chat.customer.identified': 'Identified user',
  'chat.customer.anonymous': 'Anonymous visitor',
  'chat.customer.email': 'Email',
  'chat.customer.phone': 'Phone',
  'chat.customer.mobile': 'Mobile',
  'chat.customer.region': 'Region',
  'chat.customer.tier': 'Tier',
  'chat.customer.credit': 'Credit',
  'chat.customer.creditValue': '{credit} / 5',
  'chat.customer.manager': 'Account manager',
  'chat.customer.company': 'Company group',
  'chat.customer.tickets': 'Past tickets',
  'chat.customer.ticketCount': '{open} open · {total} in all',
  'chat.customer.noTickets': 'No other tickets.',
  'chat.customer.thisChat': 'this chat',
  'tier.StrategicPartner': 'Strategic partner',
  'tier.KeyAccount': 'Key account',
  'tier.Partner': 'Partner',
  'tier.DevelopmentTarget': 'Development target',
  'tier.Regular': 'Regular',
  'region.华北': 'North China',
  'region.华东': 'East China',
  'region.华中': 'Central China',
  'region.华南': 'South China',
  'region.西北': 'Northwest',
  'region.西南': 'Southwest',
  'region.东北': 'Northeast',
  // scripts and wording
  'scriptKind.Greeting': 'Greeting',
  'scriptKind.Closing': 'Closing',
  'scriptKind.Holding': 'Holding',
  'scriptKind.IdlePrompt': 'Idle prompt',
  'scriptKind.ComplaintOpening': 'Complaint opening',
  'scriptKind.SurveyInvitation': 'Survey invitation',
  'scriptKind.EmailAcknowledgement': 'Email acknowledgement',
  'scriptKind.Canned': 'Canned response',
  'scriptKind.QueueGreeting': 'Queue greeting',
  'scriptStatus.Draft': 'Draft',
  'scriptStatus.Approved': 'Approved',
  'wording.blocked': 'Not sent: "{phrase}" is forbidden wording.',
  'wording.blockedFound': '(you wrote "{matched}")',
  'wording.suggest': 'Approved wording: {suggestion}',
  'wording.noSuggestion': 'Please say it another way.',
  'wording.replace': 'Use the approved wording',
  'wording.checking': 'Checking the wording…',
  'wording.pickerLabel': 'Scripts',
  'wording.pickerEmpty': 'No matching script',
  'wording.pickerLoading': 'Loading scripts…',
  'wording.pickerFailed': 'Could not load the scripts',
  'wording.pickerHint': 'Type / to search scripts, ↑↓ to choose, Enter to insert, Esc to close',
  'chat.reason.forbidden_phrase': 'Forbidden wording, not sent',
  'chat.view.endWithClosing': 'Send closing question and end',
  'chat.view.endNow': 'End now',
  'chat.view.closingPreview': 'Closing: {text}',

  // administration of scripts
  'admin.nav.staff': 'Staff',
  'admin.nav.scripts': 'Scripts',
  'admin.nav.phrases': 'Forbidden phrases',
  'scripts.title': 'Script library',
  'scripts.new': 'New script',
  'scripts.edit': 'Edit script #{id}',
  'scripts.kind': 'Kind',
  'scripts.name': 'Name',
  'scripts.language': 'Language',
  'scripts.team': 'Team',
  'scripts.channel': 'Channel',
  'scripts.anyTeam': 'All teams',
  'scripts.anyChannel': 'All channels',
  'scripts.allKinds': 'All kinds',
  'scripts.allLanguages': 'All languages',
  'scripts.text': 'Text',
  'scripts.status': 'Status',
  'scripts.search': 'Search name or text',
  'scripts.placeholders': 'Placeholders:',
  'scripts.preview': 'Preview (sample data)',
  'scripts.previewing': 'Rendering the preview…',
  'scripts.unknownPlaceholder': 'Unknown placeholder: {names}',
  'scripts.save': 'Save draft',
  'scripts.approve': 'Approve',
  'scripts.approving': 'Approving…',
  'scripts.saved': 'Draft saved; it is used once approved.',
  'scripts.approved': 'Approved and now in use.',
  'scripts.inUse': 'Approved version in use:',
  'scripts.draftPending': 'The draft has unapproved changes',
  'scripts.history': 'History',
  'scripts.historyEmpty': 'No changes recorded.',
  'scripts.action.created': 'Created',
  'scripts.action.edited': 'Edited',
  'scripts.action.approved': 'Approved',
  'scripts.action.activated': 'Switched on',
  'scripts.action.deactivated': 'Switched off',
  'scripts.old': 'Before',
  'scripts.new2': 'After',
  'scripts.empty': 'No script matches.',
  'scripts.loading': 'Loading scripts…',
  'scripts.readOnly': 'Only supervisors and admins change scripts.',
  'phrases.title': 'Forbidden phrases',
  'phrases.new': 'New forbidden phrase',
  'phrases.edit': 'Edit forbidden phrase #{id}',
  'phrases.phrase': 'Phrase',
  'phrases.suggestion': 'Approved wording',
  'phrases.script': 'or use a script',
  'phrases.noScript': 'None',
  'phrases.active': 'Active',
  'phrases.inactive': 'Switched off',
  'phrases.saved': 'Forbidden phrase saved.',
  'phrases.empty': 'No forbidden phrases yet.',
  'phrases.loading': 'Loading forbidden phrases…',
  'conflict.already_approved': 'This version is already approved.',
  'conflict.invalid_template': 'The text has an unknown placeholder; fix it first.',

  // SLA clocks and escalation (issue 6)
  'sla.title': 'Service targets',
  'sla.loading': 'Loading the service targets…',
  'sla.failed': 'The service targets could not be loaded: {reason}',
  'sla.policy': 'Policy: {name}',
  'sla.none': 'No target is running for this ticket.',
  'sla.target.FirstResponse': 'First response',
  'sla.target.NextResponse': 'Next response',
  'sla.target.Resolution': 'Resolution',
  'sla.state.Running': 'Running',
  'sla.state.Paused': 'Paused',
  'sla.state.Met': 'Met',
  'sla.state.Breached': 'Breached',
  'sla.state.DueSoon': 'Due soon',
  'sla.left': '{time} left',
  'sla.overdue': '{time} overdue',
  'sla.pausedLeft': 'paused, {time} left',
  'sla.metIn': 'took {time}',
  'sla.breachedIn': 'took {time} (late)',
  'sla.dueAt': 'due {time}',
  'sla.mode.Business': 'business time',
  'sla.mode.Calendar': 'calendar time',
  'sla.escalation.level': 'Escalated · level {level}',
  'sla.escalation.warned': 'Warning · level 1',
  'sla.escalation.none': 'Not escalated',
  'sla.escalation.since': 'since {time}',
  'sla.escalation.reasons': 'Reasons: {reasons}',
  'sla.clear.title': 'Clear the escalation',
  'sla.clear.note': 'Note (optional)',
  'sla.clear.notePlaceholder': 'e.g. called the customer back',
  'sla.clear.do': 'Clear escalation',
  'sla.clear.working': 'Clearing…',
  'sla.clear.done': 'The escalation is cleared.',
  'sla.list.dueSoon': 'Due soon',
  'sla.list.breached': 'Breached',
  'sla.list.escalated': 'Escalated L{level}',
  'reason.sla_warning': '{target} due soon',
  'reason.sla_breach': '{target} breached',
  'reason.still_escalated': 'still unhandled after escalation',
  'reason.customer_asked_for_supervisor': 'the customer asked for a supervisor',
  'reason.triage_threat': 'the customer threatened the regulator or the press',
  'reason.low_survey_score': 'a low survey score',
  'reason.resolved': 'the ticket was resolved',
  'reason.supervisor_cleared': 'cleared by a supervisor',
  'event.escalated': 'Escalated from level {from} to level {to} ({reason})',
  'event.escalation_noted': 'Escalation reason noted at level {level}: {reason}',
  'event.deescalated': 'Escalation cleared ({reason})',
  'toast.escalated': 'Ticket #{number} "{subject}" escalated to level {level}: {reason}',
  'toast.escalation_noted': 'Ticket #{number} "{subject}": {reason}',
  'toast.deescalated': 'Ticket #{number} "{subject}" is no longer escalated: {reason}',
  'toast.open': 'Open',
};

const dictionaries = { 'zh-CN': zh, en };

let current = initialLanguage();
const listeners = new Set();

/** A stored choice wins; otherwise the first of the browser's languages we speak; otherwise Chinese. */
function initialLanguage() {
  let stored = null;
  try { stored = localStorage.getItem(STORAGE_KEY); } catch { /* storage blocked: fall through */ }
  if (LANGUAGES.includes(stored)) return stored;
  return fromBrowser(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

export function fromBrowser(preferred) {
  for (const tag of preferred ?? []) {
    const lower = String(tag).toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

export function language() {
  return current;
}

/** Looks a key up in the current language, then English, then shows the key itself so a gap is visible. */
export function t(key, params) {
  const text = dictionaries[current][key] ?? dictionaries.en[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name] ?? '') : whole));
}

/** True when the key exists, so callers can fall back to a server's own text. */
export function has(key) {
  return key in dictionaries[current] || key in dictionaries.en;
}

/** Label of an API enum value ("status", "Resolved"); an unknown value shows as sent. */
export function label(kind, value) {
  if (value === null || value === undefined || value === '') return t('common.none');
  const key = `${kind}.${value}`;
  return has(key) ? t(key) : String(value);
}

export function setLanguage(lang) {
  if (!LANGUAGES.includes(lang) || lang === current) return;
  current = lang;
  try { localStorage.setItem(STORAGE_KEY, lang); } catch { /* the choice then lasts for this page only */ }
  translatePage();
  for (const listener of listeners) listener(lang);
}

/** Called after every switch; the page's scripts rebuild the text they made. */
export function onLanguageChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Re-renders every marked element under root and sets <html lang>. */
export function translatePage(root = document) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  for (const button of document.querySelectorAll('[data-lang]')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === current));
  }
}

/**
 * Fills a container with one button per language. Each button names its language in that
 * language, so a reader who cannot read the current one still finds their own.
 */
export function mountLanguageSwitch(container) {
  container.classList.add('lang-switch');
  container.setAttribute('role', 'group');
  container.dataset.i18nAriaLabel = 'lang.label';
  container.replaceChildren(...LANGUAGES.map(lang => {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.lang = lang;
    button.lang = lang;
    button.textContent = dictionaries[lang][`lang.${lang}`];
    button.addEventListener('click', () => setLanguage(lang));
    return button;
  }));
  translatePage(container.parentElement ?? document);
}

/**
 * The API stores UTC; SQLite hands times back without a zone, so a bare ISO string is UTC too.
 * Without this the browser would read it as local time and shift it by the viewer's offset.
 */
export function parseTime(value) {
  if (!value) return null;
  const text = String(value);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : text + 'Z');
}

export function formatTime(value) {
  const date = parseTime(value);
  if (!date || Number.isNaN(date.getTime())) return t('common.none');
  return new Intl.DateTimeFormat(current, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** Compact form for lists: the year is noise there. */
export function formatShortTime(value) {
  const date = parseTime(value);
  if (!date || Number.isNaN(date.getTime())) return t('common.none');
  return new Intl.DateTimeFormat(current, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
}

/**
 * Words a system event of the timeline in the current language. Ids in the event (staff, teams)
 * are turned into names by the page's lookups; anything unknown falls back to the server's
 * English body rather than showing a raw id.
 */
export function describeEvent(message, lookups = {}) {
  const { eventCode: code, eventFrom: from, eventTo: to } = message;
  const staff = id => (id ? lookups.staffName?.(id) : null);
  const team = id => (id ? lookups.teamName?.(id) : null);
  switch (code) {
    case 'status_changed':
      if (!from || !to) break;
      return t('event.status_changed', { from: label('status', from), to: label('status', to) });
    case 'assigned': {
      const toName = staff(to);
      if (!toName) break;
      const fromName = staff(from);
      return fromName ? t('event.reassigned', { from: fromName, to: toName }) : t('event.assigned', { to: toName });
    }
    case 'unassigned': {
      const fromName = staff(from);
      return fromName ? t('event.unassigned', { from: fromName }) : t('event.unassigned', { from: t('common.none') });
    }
    case 'team_changed':
      return t('event.team_changed', { from: team(from) ?? t('common.none'), to: team(to) ?? t('common.none') });
    case 'merged_into':
      if (!to) break;
      return t('event.merged_into', { to });
    case 'merged_from':
      if (!from) break;
      return t('event.merged_from', { from });
    case 'chat_ended': {
      // eventTo names the side that ended it (Customer / Staff); the author kind says the same.
      const side = to || message.authorKind;
      if (side === 'Customer' || side === 'Staff') return t(`chat.event.chat_ended.${side}`);
      break;
    }
    case 'escalated':
      return withDetail(t('event.escalated', { from, to, reason: describeReason(message.eventReason) }), message);
    case 'escalation_noted':
      return withDetail(t('event.escalation_noted', { level: to, reason: describeReason(message.eventReason) }), message);
    case 'deescalated':
      return withDetail(t('event.deescalated', { reason: describeReason(message.eventReason) }), message);
    case 'follow_up_of': {
      // The event carries the original's internal id; the page knows its number.
      const number = lookups.followUpOfNumber;
      return number ? t('event.follow_up_of', { to: number }) : t('event.follow_up_of_unknown');
    }
  }
  return message.body;
}

/** An escalation reason code ("sla_breach:first_response", "customer_asked_for_supervisor") in words. */
export function describeReason(code) {
  if (!code) return t('common.none');
  const [kind, target] = String(code).split(':');
  const targetKey = { first_response: 'FirstResponse', next_response: 'NextResponse', resolution: 'Resolution' }[target];
  if (!has(`reason.${kind}`)) return String(code);
  return t(`reason.${kind}`, { target: targetKey ? t(`sla.target.${targetKey}`) : (target ?? '') });
}

/**
 * The server writes an escalation entry as an English sentence ending in "(reason)." and then the
 * free-text detail (a supervisor's note, the customer's words); only that detail is kept as written.
 */
function withDetail(text, message) {
  const body = String(message.body ?? '');
  const end = body.indexOf(').');
  const detail = end >= 0 ? body.slice(end + 2).trim() : '';
  return detail ? `${text} — ${detail}` : text;
}
