//! Demo people: believable names, valid citizen IDs, every status.
use crate::audit::Actor;
use crate::db::Db;
use crate::org::Scope;
use crate::people::{self, NewPerson, Status};
use crate::Result;

pub(super) const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于",
    "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "单", "解", "查", "欧阳",
];
pub(super) const GIVEN_MALE: &[&str] = &[
    "建国", "志强", "卫东", "海涛", "伟", "磊", "军", "洋", "勇", "杰", "涛", "明", "超", "刚", "文博", "浩然", "思远",
    "俊杰", "宇航", "梓轩", "振华", "国庆", "春生", "德明", "建华", "晓东", "鹏飞", "立新", "少华", "永强",
];
pub(super) const GIVEN_FEMALE: &[&str] = &[
    "红梅", "晓燕", "丽华", "静", "敏", "婷", "艳", "娟", "秀英", "桂英", "子涵", "雨萱", "佳怡", "欣怡", "诗琪",
    "玉兰", "亚楠", "慧敏", "丽娟", "春燕",
];
const POSTS: &[(&str, &str)] = &[
    ("支部书记", "处长"),
    ("组织委员", "副处长"),
    ("宣传委员", "主任科员"),
    ("纪检委员", "科长"),
    ("", "科员"),
    ("", "副科长"),
    ("", "一级主任科员"),
    ("", "科员"),
];
const EDUCATION: &[&str] = &["研究生", "大学本科", "大学本科", "大学本科", "大学专科"];
/// Region codes of a few districts, for IDs that pass every check.
pub(super) const REGIONS: &[&str] = &[
    "110105", "110108", "310104", "440304", "420106", "510107", "320102", "330106",
];

pub(super) fn citizen_id(region: &str, birth: &str, seq: u32, male: bool) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let order = (seq % 50) * 2 + if male { 1 } else { 0 } + 100;
    let first17 = format!("{region}{birth}{order:03}");
    let sum: u32 = first17
        .chars()
        .filter_map(|c| c.to_digit(10))
        .zip(W)
        .map(|(d, w)| d * w)
        .sum();
    format!("{first17}{}", C[(sum % 11) as usize])
}

/// Status mix of a branch of about 25: mostly full members, a few in each
/// stage of development, and some non-member staff.
fn status_for(i: usize) -> Status {
    match i % 25 {
        0..=15 => Status::Full,
        16 | 17 => Status::Probationary,
        18 => Status::Candidate,
        19 | 20 => Status::Activist,
        21 => Status::Applicant,
        _ => Status::Masses,
    }
}

/// About `per_branch` people in each branch (ids given), ~300 in all for the demo.
pub async fn seed_people(db: &Db, now: i64, actor: &Actor, branches: &[String], per_branch: usize) -> Result<usize> {
    let all = Scope::all();
    let mut n = 0;
    for (b, branch) in branches.iter().enumerate() {
        for i in 0..per_branch {
            let k = b * per_branch + i;
            let male = !k.is_multiple_of(3);
            let status = status_for(i);
            let year = if status.is_member() {
                1965 + (k * 7) % 35
            } else {
                1985 + (k * 5) % 17
            };
            let birth = format!("{year}{:02}{:02}", 1 + k % 12, 1 + (k * 3) % 28);
            let surname = SURNAMES[(k * 7 + b) % SURNAMES.len()];
            let given = if male {
                GIVEN_MALE[(k * 13 + i) % GIVEN_MALE.len()]
            } else {
                GIVEN_FEMALE[(k * 11 + i) % GIVEN_FEMALE.len()]
            };
            let (party_post, admin_post) = if i < 4 { POSTS[i] } else { POSTS[4 + k % 4] };
            let joined = status
                .is_member()
                .then(|| format!("{}-{:02}-01", year + 24 + k % 8, 1 + k % 12));
            let full_on = (status == Status::Full)
                .then(|| {
                    joined
                        .as_ref()
                        .map(|j| format!("{}{}", (j[..4].parse::<usize>().unwrap_or(2000) + 1), &j[4..]))
                })
                .flatten();
            let p = NewPerson {
                name: format!("{surname}{given}"),
                citizen_id: citizen_id(REGIONS[k % REGIONS.len()], &birth, k as u32, male),
                phone: format!("1{}{:09}", [3, 5, 8, 9][k % 4], (k as u64 * 7_919_993) % 1_000_000_000),
                org_id: branch.clone(),
                status: status.code().into(),
                joined_on: joined.unwrap_or_default(),
                full_on: full_on.unwrap_or_default(),
                ethnicity: if k.is_multiple_of(17) { "回族" } else { "汉族" }.into(),
                education: EDUCATION[k % EDUCATION.len()].into(),
                party_post: if status.is_member() {
                    party_post.into()
                } else {
                    String::new()
                },
                admin_post: admin_post.into(),
                affairs_worker: match i {
                    0 => "兼职",
                    1 if b == 0 => "专职",
                    _ => "",
                }
                .into(),
                backbone: k.is_multiple_of(4),
                double_high: k.is_multiple_of(6),
                ..NewPerson::default()
            };
            // A generated name may repeat; the ID never does.
            people::create(db, now, actor, &all, &p).await?;
            n += 1;
        }
    }
    Ok(n)
}
