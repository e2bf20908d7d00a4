use super::Record;
use sha2::Digest;

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algo {
    Sha256,
    Sm3,
}

impl Algo {
    pub fn code(self) -> &'static str {
        match self {
            Algo::Sha256 => "sha256",
            Algo::Sm3 => "sm3",
        }
    }
    pub fn from_code(s: &str) -> Option<Algo> {
        match s {
            "sha256" => Some(Algo::Sha256),
            "sm3" => Some(Algo::Sm3),
            _ => None,
        }
    }
}

/// The hash of a record: every field, length-prefixed so that no two
/// different records serialize alike, after the previous record's hash.
pub fn chain_hash(algo: Algo, r: &Record) -> String {
    let fields: [&str; 10] = [
        &r.prev_hash,
        &r.actor_name,
        r.actor_id.as_deref().unwrap_or("\u{0}"),
        &r.scope,
        &r.action,
        &r.object,
        &r.result,
        &r.client_addr,
        &r.detail,
        r.algo.as_str(),
    ];
    let mut buf = Vec::with_capacity(256);
    buf.extend_from_slice(&r.seq.to_be_bytes());
    buf.extend_from_slice(&r.at.to_be_bytes());
    for f in fields {
        buf.extend_from_slice(&(f.len() as u64).to_be_bytes());
        buf.extend_from_slice(f.as_bytes());
    }
    match algo {
        Algo::Sha256 => hex::encode(sha2::Sha256::digest(&buf)),
        Algo::Sm3 => hex::encode(sm3::Sm3::digest(&buf)),
    }
}

/// Where and why the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBreak {
    pub seq: i64,
    pub reason: String,
}

/// Checks records in `seq` order from the chain's base (`base_seq`, `base_hash`)
/// to its head (`head_seq`, `head_hash`). Edited records fail their hash,
/// deleted or inserted ones break the sequence or the links, reordered ones
/// break the links, and a truncated tail disagrees with the head.
pub fn verify_chain(
    records: impl IntoIterator<Item = Record>,
    base: (i64, &str),
    head: (i64, &str),
) -> Result<u64, ChainBreak> {
    let (mut expect_seq, mut prev) = (base.0 + 1, base.1.to_string());
    let mut n = 0u64;
    for r in records {
        if r.seq != expect_seq {
            return Err(ChainBreak {
                seq: r.seq,
                reason: format!("序号不连续：应为 {expect_seq}，实为 {}（记录被删除或插入）", r.seq),
            });
        }
        if r.prev_hash != prev {
            return Err(ChainBreak {
                seq: r.seq,
                reason: "前序哈希不符（记录被删除、插入或调换顺序）".into(),
            });
        }
        let Some(algo) = Algo::from_code(&r.algo) else {
            return Err(ChainBreak {
                seq: r.seq,
                reason: format!("未知的哈希算法 {}", r.algo),
            });
        };
        if chain_hash(algo, &r) != r.hash {
            return Err(ChainBreak {
                seq: r.seq,
                reason: "记录内容与哈希不符（记录被篡改）".into(),
            });
        }
        prev = r.hash;
        expect_seq += 1;
        n += 1;
    }
    if expect_seq - 1 != head.0 || prev != head.1 {
        return Err(ChainBreak {
            seq: expect_seq,
            reason: format!(
                "链尾与链头记录不符：链头为第 {} 条（末尾记录被删除或链头被改动）",
                head.0
            ),
        });
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64, algo: Algo) -> Vec<Record> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let mut r = Record {
                    seq,
                    at: 1_700_000_000_000 + seq,
                    actor_id: None,
                    actor_name: "张三".into(),
                    scope: String::new(),
                    action: "login".into(),
                    object: format!("对象{seq}"),
                    result: "ok".into(),
                    client_addr: "127.0.0.1".into(),
                    detail: String::new(),
                    algo: algo.code().into(),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                r.hash = chain_hash(algo, &r);
                prev = r.hash.clone();
                r
            })
            .collect()
    }

    fn head(c: &[Record]) -> (i64, String) {
        let l = c.last().unwrap();
        (l.seq, l.hash.clone())
    }

    #[test]
    fn intact_chains_verify_with_either_algorithm() {
        for algo in [Algo::Sha256, Algo::Sm3] {
            let c = chain(5, algo);
            let (s, h) = head(&c);
            assert_eq!(verify_chain(c, (0, GENESIS), (s, &h)), Ok(5));
        }
    }

    #[test]
    fn sm3_matches_the_standard_vector() {
        // GB/T 32905-2016 example 1: "abc".
        assert_eq!(
            hex::encode(sm3::Sm3::digest(b"abc")),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
    }

    #[test]
    fn every_kind_of_tampering_is_found() {
        let c = chain(5, Algo::Sha256);
        let (s, h) = head(&c);
        let mut edited = c.clone();
        edited[2].object = "改过".into();
        assert_eq!(verify_chain(edited, (0, GENESIS), (s, &h)).unwrap_err().seq, 3);

        let mut deleted = c.clone();
        deleted.remove(1);
        assert_eq!(verify_chain(deleted, (0, GENESIS), (s, &h)).unwrap_err().seq, 3);

        let mut reordered = c.clone();
        reordered.swap(1, 2);
        reordered[1].seq = 2;
        reordered[2].seq = 3;
        assert_eq!(verify_chain(reordered, (0, GENESIS), (s, &h)).unwrap_err().seq, 2);

        let mut truncated = c.clone();
        truncated.pop();
        assert!(verify_chain(truncated, (0, GENESIS), (s, &h)).is_err());

        let mut inserted = c.clone();
        let mut extra = c[1].clone();
        extra.seq = 3;
        inserted.insert(2, extra);
        assert_eq!(verify_chain(inserted, (0, GENESIS), (s, &h)).unwrap_err().seq, 3);
    }
}
