use super::{Key, Record};
use sha2::Digest;

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// How a record is chained. The plain hashes are what records written before
/// the audit key existed carry; every new record is keyed (HMAC), so only
/// the key's holder can write a record that verifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algo {
    Sha256,
    Sm3,
    HmacSha256,
    HmacSm3,
}

impl Algo {
    pub fn code(self) -> &'static str {
        match self {
            Algo::Sha256 => "sha256",
            Algo::Sm3 => "sm3",
            Algo::HmacSha256 => "hmac-sha256",
            Algo::HmacSm3 => "hmac-sm3",
        }
    }
    pub fn from_code(s: &str) -> Option<Algo> {
        match s {
            "sha256" => Some(Algo::Sha256),
            "sm3" => Some(Algo::Sm3),
            "hmac-sha256" => Some(Algo::HmacSha256),
            "hmac-sm3" => Some(Algo::HmacSm3),
            _ => None,
        }
    }
    pub fn is_keyed(self) -> bool {
        matches!(self, Algo::HmacSha256 | Algo::HmacSm3)
    }
    /// The keyed form of the hash the security policy chose.
    pub fn keyed(self) -> Algo {
        match self {
            Algo::Sha256 | Algo::HmacSha256 => Algo::HmacSha256,
            Algo::Sm3 | Algo::HmacSm3 => Algo::HmacSm3,
        }
    }
}

/// The hash of a record: every field, length-prefixed so that no two
/// different records serialize alike, after the previous record's hash.
/// A keyed algorithm without a key has no hash (`None`).
pub fn chain_hash(algo: Algo, key: Option<&Key>, r: &Record) -> Option<String> {
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
    Some(match algo {
        Algo::Sha256 => hex::encode(sha2::Sha256::digest(&buf)),
        Algo::Sm3 => hex::encode(sm3::Sm3::digest(&buf)),
        Algo::HmacSha256 => hex::encode(key?.hmac_sha256(&buf)),
        Algo::HmacSm3 => hex::encode(key?.hmac_sm3(&buf)),
    })
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
/// break the links, and a truncated tail disagrees with the head. Once a
/// record is keyed every later one must be: a chain recomputed without the
/// key falls back to plain hashes and is caught there.
pub fn verify_chain(
    records: &[Record],
    key: Option<&Key>,
    base: (i64, &str),
    head: (i64, &str),
) -> Result<u64, ChainBreak> {
    let (mut expect_seq, mut prev) = (base.0 + 1, base.1);
    let mut keyed_since: Option<i64> = None;
    let broken = |seq: i64, reason: String| Err(ChainBreak { seq, reason });
    for r in records {
        if r.seq != expect_seq {
            return broken(
                r.seq,
                format!("序号不连续：应为 {expect_seq}，实为 {}（记录被删除或插入）", r.seq),
            );
        }
        if r.prev_hash != prev {
            return broken(r.seq, "前序哈希不符（记录被删除、插入或调换顺序）".into());
        }
        let Some(algo) = Algo::from_code(&r.algo) else {
            return broken(r.seq, format!("未知的哈希算法 {}", r.algo));
        };
        match (algo.is_keyed(), keyed_since) {
            (false, Some(first)) => {
                return broken(
                    r.seq,
                    format!("第 {first} 条起的记录都以审计密钥签名，此条却没有（链被不用密钥重算）"),
                )
            }
            (true, None) => keyed_since = Some(r.seq),
            _ => {}
        }
        match chain_hash(algo, key, r) {
            None => {
                return broken(
                    r.seq,
                    "记录以审计密钥签名，但没有提供审计密钥（TONGPIN_AUDIT_KEY 或密钥文件），无法校验".into(),
                )
            }
            Some(h) if h != r.hash => {
                let why = if algo.is_keyed() {
                    "记录内容与签名不符（记录被篡改或链被重算，或审计密钥不对）"
                } else {
                    "记录内容与哈希不符（记录被篡改）"
                };
                return broken(r.seq, why.into());
            }
            Some(_) => {}
        }
        prev = &r.hash;
        expect_seq += 1;
    }
    if expect_seq - 1 != head.0 || prev != head.1 {
        return broken(
            expect_seq,
            format!(
                "链尾与链头记录不符：链头为第 {} 条（末尾记录被删除或链头被改动）",
                head.0
            ),
        );
    }
    Ok(records.len() as u64)
}

/// What a purge writes into its record: the object names the last record
/// removed, the detail the chain's new base hash.
pub fn purge_record_text(base_seq: i64, base_hash: &str, removed: u64) -> (String, String) {
    (
        format!("第 {base_seq} 条及以前"),
        format!("删除 {removed} 条；链基 {base_hash}"),
    )
}

/// The chain's base moves only by a purge, and the latest purge record names
/// it (keyed records name its hash too). A base moved by hand, to hide the
/// records before it, has no purge record or disagrees with the latest one.
pub fn check_base(records: &[Record], base: (i64, &str)) -> Result<(), ChainBreak> {
    if base == (0, GENESIS) {
        return Ok(());
    }
    let Some(purge) = records.iter().rev().find(|r| r.action == "audit.purge") else {
        return Err(ChainBreak {
            seq: base.0 + 1,
            reason: format!("链基在第 {} 条，但没有清理记录（前面的记录被删除、链基被移动）", base.0),
        });
    };
    let named_seq = purge
        .object
        .strip_prefix("第 ")
        .and_then(|s| s.strip_suffix(" 条及以前"))
        .and_then(|s| s.parse::<i64>().ok());
    let keyed = Algo::from_code(&purge.algo).is_some_and(Algo::is_keyed);
    let named_hash = purge.detail.rsplit_once("链基 ").map(|(_, h)| h);
    if named_seq != Some(base.0) || (keyed && named_hash != Some(base.1)) {
        return Err(ChainBreak {
            seq: purge.seq,
            reason: format!("链基（第 {} 条）与最近一次清理记录不符（链基被移动）", base.0),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Key {
        Key::from_bytes([7; 32])
    }

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
                r.hash = chain_hash(algo, Some(&key()), &r).unwrap();
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
        for algo in [Algo::Sha256, Algo::Sm3, Algo::HmacSha256, Algo::HmacSm3] {
            let c = chain(5, algo);
            let (s, h) = head(&c);
            assert_eq!(verify_chain(&c, Some(&key()), (0, GENESIS), (s, &h)), Ok(5));
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
        assert_eq!(verify_chain(&edited, None, (0, GENESIS), (s, &h)).unwrap_err().seq, 3);

        let mut deleted = c.clone();
        deleted.remove(1);
        assert_eq!(verify_chain(&deleted, None, (0, GENESIS), (s, &h)).unwrap_err().seq, 3);

        let mut reordered = c.clone();
        reordered.swap(1, 2);
        reordered[1].seq = 2;
        reordered[2].seq = 3;
        assert_eq!(
            verify_chain(&reordered, None, (0, GENESIS), (s, &h)).unwrap_err().seq,
            2
        );

        let mut truncated = c.clone();
        truncated.pop();
        assert!(verify_chain(&truncated, None, (0, GENESIS), (s, &h)).is_err());

        let mut inserted = c.clone();
        let mut extra = c[1].clone();
        extra.seq = 3;
        inserted.insert(2, extra);
        assert_eq!(verify_chain(&inserted, None, (0, GENESIS), (s, &h)).unwrap_err().seq, 3);
    }

    #[test]
    fn hmac_sha256_matches_an_independent_implementation_and_the_key_matters() {
        // A 32-byte key of 0x0b over "Hi There" (RFC 4231's message), as an
        // independent HMAC-SHA256 implementation computes it.
        let k = Key::from_bytes([0x0b; 32]);
        assert_eq!(
            hex::encode(k.hmac_sha256(b"Hi There")),
            "198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c7a3b1696a0b68cf7"
        );
        let c = chain(3, Algo::HmacSha256);
        let (s, h) = head(&c);
        let other = Key::from_bytes([8; 32]);
        assert_eq!(
            verify_chain(&c, Some(&other), (0, GENESIS), (s, &h)).unwrap_err().seq,
            1
        );
        assert_eq!(verify_chain(&c, None, (0, GENESIS), (s, &h)).unwrap_err().seq, 1);
    }

    #[test]
    fn plain_records_after_keyed_ones_are_a_recomputed_chain() {
        let mut c = chain(2, Algo::Sha256);
        let mut keyed = chain(4, Algo::HmacSha256).split_off(2);
        keyed[0].prev_hash = c[1].hash.clone();
        keyed[0].hash = chain_hash(Algo::HmacSha256, Some(&key()), &keyed[0]).unwrap();
        keyed[1].prev_hash = keyed[0].hash.clone();
        keyed[1].hash = chain_hash(Algo::HmacSha256, Some(&key()), &keyed[1]).unwrap();
        c.extend(keyed);
        let (s, h) = head(&c);
        assert_eq!(verify_chain(&c, Some(&key()), (0, GENESIS), (s, &h)), Ok(4));
        // Record 4 rewritten with a plain hash by someone without the key.
        let mut forged = c.clone();
        forged[3].object = "改过".into();
        forged[3].algo = "sha256".into();
        forged[3].hash = chain_hash(Algo::Sha256, None, &forged[3]).unwrap();
        let h = forged[3].hash.clone();
        let e = verify_chain(&forged, Some(&key()), (0, GENESIS), (4, &h)).unwrap_err();
        assert_eq!(e.seq, 4);
        assert!(e.reason.contains("第 3 条起"), "{}", e.reason);
    }

    fn purge(seq: i64, base: (i64, &str), algo: Algo) -> Record {
        let (object, detail) = purge_record_text(base.0, base.1, 2);
        Record {
            action: "audit.purge".into(),
            object,
            detail,
            algo: algo.code().into(),
            seq,
            ..chain(1, algo).remove(0)
        }
    }

    #[test]
    fn the_base_moves_only_as_the_latest_purge_says() {
        assert_eq!(check_base(&[], (0, GENESIS)), Ok(()));
        let c = chain(3, Algo::HmacSha256);
        assert_eq!(check_base(&c[2..], (2, &c[1].hash)).unwrap_err().seq, 3);
        let p = purge(4, (2, &c[1].hash), Algo::HmacSha256);
        assert_eq!(check_base(&[c[2].clone(), p.clone()], (2, &c[1].hash)), Ok(()));
        assert_eq!(
            check_base(std::slice::from_ref(&p), (3, &c[2].hash)).unwrap_err().seq,
            4
        );
        assert_eq!(check_base(&[p], (2, "00")).unwrap_err().seq, 4);
        // A purge written before records were keyed names no hash.
        let mut legacy = purge(4, (2, "x"), Algo::Sha256);
        legacy.detail = "删除 2 条".into();
        assert_eq!(check_base(&[legacy.clone()], (2, "anything")), Ok(()));
        assert!(check_base(&[legacy], (1, "anything")).is_err());
    }
}
