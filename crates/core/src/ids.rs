/// Application-generated ids (UUIDv7: time-ordered, no database sequence needed).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// 32 random bytes as hex: session tokens and CSRF tokens.
pub fn random_token() -> String {
    let mut buf = [0u8; 32];
    // The OS random source failing is not recoverable in any sane way.
    getrandom::fill(&mut buf).expect("OS random source");
    hex::encode(buf)
}
