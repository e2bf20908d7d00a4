//! The e-mail message itself (RFC 5322 with MIME): UTF-8 subject as RFC 2047
//! encoded words, body as base64 text/plain, CRLF line ends.
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;

/// `=?UTF-8?B?…?=` words of at most 75 characters, split on character
/// boundaries and joined by folding whitespace; ASCII-only text stays as is.
pub fn encode_subject(s: &str) -> String {
    if s.chars().all(|c| c.is_ascii() && !c.is_ascii_control()) {
        return s.to_string();
    }
    // 45 bytes of UTF-8 become 60 base64 characters, 72 with the wrapper.
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in s.chars() {
        if chunk.len() + c.len_utf8() > 45 {
            words.push(format!("=?UTF-8?B?{}?=", B64.encode(chunk.as_bytes())));
            chunk.clear();
        }
        if !c.is_control() {
            chunk.push(c);
        }
    }
    if !chunk.is_empty() {
        words.push(format!("=?UTF-8?B?{}?=", B64.encode(chunk.as_bytes())));
    }
    words.join("\r\n ")
}

/// The domain of an address, for the Message-ID.
fn domain(addr: &str) -> &str {
    addr.rsplit_once('@').map(|(_, d)| d).unwrap_or("localhost")
}

/// The whole message, ready for DATA (before dot-stuffing).
pub fn message(from: &str, to: &[String], subject: &str, body: &str, now_ms: i64, id: &str) -> String {
    let date = crate::clock::beijing(now_ms).format("%a, %d %b %Y %H:%M:%S %z");
    let text = body.replace("\r\n", "\n").replace('\n', "\r\n");
    let encoded = B64.encode(text.as_bytes());
    let mut lines = Vec::new();
    let mut rest = encoded.as_str();
    while !rest.is_empty() {
        let (line, tail) = rest.split_at(rest.len().min(76));
        lines.push(line);
        rest = tail;
    }
    format!(
        "From: <{from}>\r\nTo: {to}\r\nSubject: {subject}\r\nDate: {date}\r\nMessage-ID: <{id}@{domain}>\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{body}\r\n",
        to = to.iter().map(|t| format!("<{t}>")).collect::<Vec<_>>().join(", "),
        subject = encode_subject(subject),
        domain = domain(from),
        body = lines.join("\r\n"),
    )
}

/// Doubles a leading dot on every line (RFC 5321 §4.5.2) and ends with CRLF.
pub fn dot_stuff(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len() + 8);
    for line in msg.split_inclusive("\r\n") {
        if line.starts_with('.') {
            out.push('.');
        }
        out.push_str(line);
    }
    if !out.ends_with("\r\n") {
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_words(s: &str) -> String {
        let mut bytes = Vec::new();
        for w in s.split("\r\n ") {
            let inner = w.trim_start_matches("=?UTF-8?B?").trim_end_matches("?=");
            bytes.extend(B64.decode(inner).unwrap());
        }
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn subject_words_decode_back() {
        assert_eq!(encode_subject("hello"), "hello");
        let s = "换届提醒：第一党支部委员会任期将于三十日内届满，请及时启动换届选举工作";
        let e = encode_subject(s);
        assert!(e.split("\r\n ").all(|w| w.len() <= 75 && w.starts_with("=?UTF-8?B?")));
        assert_eq!(decode_words(&e), s);
        assert_eq!(encode_subject("通知"), "=?UTF-8?B?6YCa55+l?=");
    }

    #[test]
    fn message_has_headers_and_base64_body() {
        let m = message(
            "a@x.cn",
            &["b@y.cn".into(), "c@y.cn".into()],
            "通知",
            "第一行\n第二行",
            0,
            "id1",
        );
        assert!(m.starts_with("From: <a@x.cn>\r\nTo: <b@y.cn>, <c@y.cn>\r\nSubject: =?UTF-8?B?6YCa55+l?=\r\n"));
        assert!(m.contains("Date: Thu, 01 Jan 1970 08:00:00 +0800\r\n"));
        assert!(m.contains("Message-ID: <id1@x.cn>\r\n"));
        let body = m.split("\r\n\r\n").nth(1).unwrap().replace("\r\n", "");
        assert_eq!(
            String::from_utf8(B64.decode(body).unwrap()).unwrap(),
            "第一行\r\n第二行"
        );
    }

    #[test]
    fn dots_are_stuffed() {
        assert_eq!(dot_stuff("a\r\n.b\r\n..c"), "a\r\n..b\r\n...c\r\n");
    }
}
