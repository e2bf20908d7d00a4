//! A standard's items as typed, checked: each field named in its message
//! ("第3项编号"), codes unique, each rule at most once, a baseline item at
//! least, refined items worth points.
use super::model::{Item, NewItem, Rule, Tier};
use crate::db::Tx;
use crate::rules::standard::{MAX_ITEMS, MAX_POINTS};
use crate::text::{check, check_optional, TextKind};
use crate::{with_tx, Error, Result};

/// Checks every item; answers them numbered in order.
pub fn validate(items: &[NewItem]) -> Result<Vec<Item>> {
    if items.is_empty() {
        return Err(Error::invalid("标准项目", "请至少填写一项标准项目"));
    }
    if items.len() > MAX_ITEMS {
        return Err(Error::invalid(
            "标准项目",
            format!("共 {} 项，超过上限 {MAX_ITEMS} 项，请合并或精简", items.len()),
        ));
    }
    let mut out: Vec<Item> = Vec::with_capacity(items.len());
    for (i, it) in items.iter().enumerate() {
        let v = item(it, i + 1)?;
        if let Some(o) = out.iter().find(|o| o.code == v.code) {
            return Err(Error::invalid(
                &format!("第{}项编号", i + 1),
                format!("“{}”与第{}项重复，每项编号应唯一", v.code, o.seq),
            ));
        }
        if let Some(o) = out.iter().find(|o| v.rule.is_some() && o.rule == v.rule) {
            return Err(Error::invalid(
                &format!("第{}项计算规则", i + 1),
                format!("与第{}项相同，同一计算规则在一个标准中只用一次", o.seq),
            ));
        }
        out.push(v);
    }
    if !out.iter().any(|i| i.tier() == Tier::Baseline) {
        return Err(Error::invalid("标准项目", "请至少设置一项达标项（baseline）"));
    }
    Ok(out)
}

fn item(it: &NewItem, n: usize) -> Result<Item> {
    let f = |name: &str| format!("第{n}项{name}");
    let code = check(&f("编号"), &it.code, 20, TextKind::Username)?;
    let dimension = check(&f("维度"), &it.dimension, 20, TextKind::Name)?;
    let title = check(&f("名称"), &it.title, 100, TextKind::Free)?;
    let criteria = check_optional(&f("评价标准"), Some(&it.criteria), 1000, TextKind::Free)?.unwrap_or_default();
    let tier = Tier::parse(&it.tier).ok_or_else(|| {
        Error::invalid(
            &f("类别"),
            format!("“{}”无效，应为 baseline（达标项）或 refined（提升项）", it.tier.trim()),
        )
    })?;
    if !(0..=MAX_POINTS).contains(&it.points) {
        return Err(Error::invalid(
            &f("分值"),
            format!("“{}”无效，应为 0 至 {MAX_POINTS} 的整数", it.points),
        ));
    }
    if tier == Tier::Refined && it.points == 0 {
        return Err(Error::invalid(&f("分值"), "提升项按分值定级，分值应大于 0"));
    }
    let rule = match it.rule.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        None => None,
        Some(r) => Some(
            Rule::parse(r)
                .ok_or_else(|| {
                    let known: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
                    Error::invalid(&f("计算规则"), format!("“{r}”无效，应为空或 {} 之一", known.join("、")))
                })?
                .code()
                .to_string(),
        ),
    };
    Ok(Item {
        code,
        seq: n as i64,
        dimension,
        title,
        criteria,
        evidence_required: it.evidence_required,
        points: it.points,
        tier: tier.code().into(),
        rule,
    })
}

/// The items as typed again (copying a standard or a template).
pub fn as_new(items: &[Item]) -> Vec<NewItem> {
    items
        .iter()
        .map(|i| NewItem {
            code: i.code.clone(),
            dimension: i.dimension.clone(),
            title: i.title.clone(),
            criteria: i.criteria.clone(),
            evidence_required: i.evidence_required,
            points: i.points,
            tier: i.tier.clone(),
            rule: i.rule.clone(),
        })
        .collect()
}

pub(super) async fn insert_all(tx: &mut Tx, standard_id: &str, items: &[Item]) -> Result<()> {
    for it in items {
        with_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO standard_items (standard_id, code, seq, dimension, title, criteria, evidence_required, points, \
             tier, rule) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        )
        .bind(standard_id)
        .bind(&it.code)
        .bind(it.seq)
        .bind(&it.dimension)
        .bind(&it.title)
        .bind(&it.criteria)
        .bind(it.evidence_required)
        .bind(it.points)
        .bind(&it.tier)
        .bind(&it.rule)
        .execute(c)
        .await?
        .rows_affected()
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(code: &str, tier: &str, points: i64, rule: Option<&str>) -> NewItem {
        NewItem {
            code: code.into(),
            dimension: "组织建设".into(),
            title: "支部委员会健全".into(),
            criteria: String::new(),
            evidence_required: false,
            points,
            tier: tier.into(),
            rule: rule.map(String::from),
        }
    }

    #[test]
    fn items_are_checked_field_by_field() {
        let ok = validate(&[
            new("A1", "baseline", 10, None),
            new("B1", "refined", 5, Some("dues_no_arrears")),
        ])
        .unwrap();
        assert_eq!(ok[1].seq, 2);
        assert_eq!(ok[1].rule.as_deref(), Some("dues_no_arrears"));
        let e = |items: &[NewItem]| validate(items).unwrap_err().to_string();
        assert!(e(&[]).contains("至少填写一项"));
        assert!(e(&[new("A1", "baseline", 1, None), new("A1", "baseline", 1, None)]).contains("第2项编号"));
        assert!(e(&[new("A 1", "baseline", 1, None)]).contains("第1项编号"));
        assert!(e(&[new("A1", "core", 1, None)]).contains("第1项类别"));
        assert!(e(&[new("A1", "baseline", 101, None)]).contains("第1项分值"));
        assert!(e(&[new("A1", "baseline", -1, None)]).contains("第1项分值"));
        assert!(e(&[new("A1", "baseline", 1, None), new("B1", "refined", 0, None)]).contains("第2项分值"));
        assert!(e(&[new("A1", "baseline", 1, Some("clicks"))]).contains("第1项计算规则"));
        assert!(e(&[new("B1", "refined", 5, None)]).contains("达标项"));
        let two = [
            new("A1", "baseline", 1, Some("life_compliance")),
            new("A2", "baseline", 1, Some("life_compliance")),
        ];
        assert!(e(&two).contains("第2项计算规则"));
        let many: Vec<NewItem> = (0..=MAX_ITEMS)
            .map(|i| new(&format!("X{i}"), "baseline", 1, None))
            .collect();
        assert!(e(&many).contains("超过上限"));
    }
}
