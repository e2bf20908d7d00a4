use serde::Serialize;

/// Who did something, and from where.
#[derive(Clone, Debug, Default)]
pub struct Actor {
    pub id: Option<String>,
    pub name: String,
    pub addr: String,
    /// The organizations the actor acted in, as text ("全部" or org names).
    pub scope: String,
}

impl Actor {
    /// Someone not (yet) logged in: a login attempt, the command line.
    pub fn anonymous(name: &str, addr: &str) -> Actor {
        Actor {
            id: None,
            name: name.to_string(),
            addr: addr.to_string(),
            scope: String::new(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Ok,
    Failed,
    Denied,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Failed => "failed",
            Outcome::Denied => "denied",
        }
    }
    pub fn label(code: &str) -> &'static str {
        match code {
            "ok" => "成功",
            "failed" => "失败",
            "denied" => "拒绝",
            _ => "未知",
        }
    }
}

/// One thing to record.
#[derive(Clone, Debug)]
pub struct Event {
    pub action: &'static str,
    pub object: String,
    pub outcome: Outcome,
    pub detail: String,
}

impl Event {
    pub fn new(action: &'static str, object: impl Into<String>, outcome: Outcome) -> Event {
        Event {
            action,
            object: object.into(),
            outcome,
            detail: String::new(),
        }
    }
    pub fn detail(mut self, d: impl Into<String>) -> Event {
        self.detail = d.into();
        self
    }
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct Record {
    pub seq: i64,
    pub at: i64,
    pub actor_id: Option<String>,
    pub actor_name: String,
    pub scope: String,
    pub action: String,
    pub object: String,
    pub result: String,
    pub client_addr: String,
    pub detail: String,
    pub algo: String,
    pub prev_hash: String,
    pub hash: String,
}

/// Every action code the log records, with its Chinese name (pages, filters, exports).
pub const ACTIONS: &[(&str, &str)] = &[
    ("login", "登录"),
    ("logout", "退出登录"),
    ("session.expired", "会话超时"),
    ("password.change", "修改密码"),
    ("permission.denied", "越权访问"),
    ("account.create", "新增账号"),
    ("account.disable", "停用账号"),
    ("account.enable", "启用账号"),
    ("account.reset_password", "重置密码"),
    ("account.unlock", "解除锁定"),
    ("grant.create", "授予角色"),
    ("grant.revoke", "撤销角色"),
    ("policy.update", "修改安全策略"),
    ("org.create", "新增组织"),
    ("org.rename", "组织更名"),
    ("org.move", "调整隶属关系"),
    ("org.merge", "合并组织"),
    ("org.dissolve", "撤销组织"),
    ("org.term", "登记换届"),
    ("org.officer", "任职"),
    ("org.officer_remove", "免职"),
    ("unit.create", "新增业务单元"),
    ("unit.attach", "关联业务单元"),
    ("unit.detach", "取消关联业务单元"),
    ("person.create", "新增人员"),
    ("person.update", "修改人员"),
    ("person.import", "导入名册"),
    ("person.export", "导出名册"),
    ("person.reveal", "查看敏感信息"),
    ("audit.export", "导出审计日志"),
    ("audit.verify", "校验审计链"),
    ("audit.purge", "清理审计日志"),
    ("develop.step", "办理发展党员步骤"),
    ("develop.record", "登记考察、思想汇报或延长预备期"),
    ("demo.seed", "生成演示数据"),
    ("transfer.request", "申请组织关系转接"),
    ("transfer.accept", "接收组织关系"),
    ("transfer.return", "退回组织关系转接"),
    ("transfer.cancel", "撤销组织关系转接"),
    ("transfer.out", "组织关系转出系统"),
    ("transfer.in", "组织关系从系统外转入"),
    ("goal.create", "新增业务目标"),
    ("goal.update", "修改业务目标"),
    ("goal.delete", "删除业务目标"),
    ("goal.deploy", "分解下达业务目标"),
    ("kpi.value", "填报指标值"),
    ("kpi.token.create", "签发指标接口令牌"),
    ("kpi.token.revoke", "吊销指标接口令牌"),
    ("task.create", "新增党建任务"),
    ("task.update", "修改党建任务"),
    ("task.delete", "删除党建任务"),
    ("task.deploy", "部署党建任务"),
    ("task.accept", "接收党建任务"),
    ("task.progress", "报告任务进展"),
    ("milestone.done", "完成里程碑"),
    ("plan.template", "从模板创建年度计划"),
    ("plan.copy", "复制年度计划"),
    ("plan.import", "导入年度计划"),
    ("notify.channel.create", "新增通知渠道"),
    ("notify.channel.update", "修改通知渠道"),
    ("notify.channel.delete", "删除通知渠道"),
    ("assess.create", "新建考核"),
    ("assess.score", "考核录入或组织评价"),
    ("assess.rate", "互评或自评打分"),
    ("assess.ballots.issue", "发放群众评议选票"),
    ("assess.ballot", "群众评议投票"),
    ("assess.close", "考核结束并封存结果"),
    ("assess.appeal", "提出考核申诉"),
    ("assess.appeal.decide", "处理考核申诉"),
    ("assess.report.save", "保存述职报告"),
    ("assess.report.submit", "提交述职报告"),
    ("assess.duty.add", "新增一岗双责职责"),
    ("assess.duty.done", "登记一岗双责完成情况"),
    ("plan.export", "导出年度计划"),
    ("account.link", "关联账号与人员"),
    ("meeting.plan", "计划组织生活"),
    ("meeting.record", "登记组织生活"),
    ("meeting.cancel", "取消组织生活"),
    ("life.frequency", "修改组织生活频次"),
    ("org.type", "修改单位性质"),
    ("org.rule_settings", "修改优秀比例、支部人数和支委会人数"),
    ("dues.base", "设置党费基数"),
    ("dues.pay", "登记党费缴纳"),
    ("dues.import", "导入党费基数"),
    ("dues.export", "导出党费台账"),
    ("study.plan.save", "编制年度学习计划"),
    ("study.plan.file", "报备年度学习计划"),
    ("study.plan.approve", "审核通过学习计划"),
    ("study.plan.return", "退回学习计划"),
    ("study.course.create", "新增必修课程"),
    ("study.record", "登记学习记录"),
    ("study.record.batch", "集中登记学习记录"),
    ("standard.create", "新建建设标准"),
    ("standard.update", "修改建设标准草稿"),
    ("standard.delete", "删除建设标准草稿"),
    ("standard.publish", "发布建设标准"),
    ("standard.version", "生成建设标准新版本"),
    ("standard.copy", "复制建设标准"),
    ("standard.template", "从模板新建建设标准"),
    ("standard.check", "登记摸底自查"),
    ("standard.problem.create", "列入问题清单"),
    ("standard.problem.update", "修改整改问题"),
    ("standard.problem.report", "报告整改完成"),
    ("standard.problem.verify", "核验销号"),
    ("standard.problem.reject", "退回整改报告"),
    ("standard.list.return", "退回问题清单"),
    ("standard.list.resubmit", "重新提交问题清单"),
    ("standard.apply", "申报达标验收"),
    ("standard.withdraw", "撤回达标申报"),
    ("standard.accept", "验收通过并定级"),
    ("standard.fail", "验收未通过"),
    ("standard.move_back", "动态调整为未达标"),
    ("standard.rectify", "软弱涣散整顿"),
    ("standard.contact.create", "建立联系点"),
    ("standard.contact.end", "结束联系点"),
    ("standard.visit", "登记联系点走访"),
    ("standard.visit.problem", "走访发现问题列入问题清单"),
    ("standard.dispatch.create", "发起督查调度"),
    ("standard.dispatch.report", "报送调度情况"),
    ("standard.dispatch.follow_up", "督办调度情况"),
    ("standard.training", "登记书记培训"),
    ("standard.resources", "登记基础保障"),
    ("standard.export", "导出标准化建设台账或问题清单"),
];

/// Chinese name of an action code.
pub fn action_label(code: &str) -> &'static str {
    ACTIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("其他操作")
}
