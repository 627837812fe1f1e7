//! A parser of `text/event-stream` (Server-Sent Events), fed with bytes as they arrive.
//! Pure, so the display and the tests share it without an HTTP stack in this crate.

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SseMessage {
    pub id: Option<String>,
    pub event: Option<String>,
    pub data: String,
}

#[derive(Debug, Default)]
pub struct SseParser {
    buf: Vec<u8>,
    current: SseMessage,
    has_data: bool,
}

impl SseParser {
    pub fn new() -> SseParser {
        SseParser::default()
    }

    /// Feeds bytes; returns the events completed by them. Lines may be split across calls.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<SseMessage> {
        self.buf.extend_from_slice(bytes);
        let mut out = Vec::new();
        while let Some(pos) = self.buf.iter().position(|&b| b == b'\n') {
            let mut line: Vec<u8> = self.buf.drain(..=pos).collect();
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            let line = String::from_utf8_lossy(&line);
            if line.is_empty() {
                if self.has_data {
                    let mut m = std::mem::take(&mut self.current);
                    if m.data.ends_with('\n') {
                        m.data.pop();
                    }
                    out.push(m);
                } else {
                    self.current = SseMessage::default();
                }
                self.has_data = false;
                continue;
            }
            if line.starts_with(':') {
                continue; // a comment: keep-alive
            }
            let (field, value) = match line.split_once(':') {
                Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
                None => (&*line, ""),
            };
            match field {
                "data" => {
                    self.current.data.push_str(value);
                    self.current.data.push('\n');
                    self.has_data = true;
                }
                "id" => self.current.id = Some(value.to_owned()),
                "event" => self.current.event = Some(value.to_owned()),
                _ => {}
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_split_anywhere_are_put_back_together() {
        let stream = b": keep-alive\n\nid: 7\ndata: {\"a\":1}\n\ndata: line1\r\ndata: line2\n\n";
        for cut in 0..stream.len() {
            let mut p = SseParser::new();
            let mut got = p.push(&stream[..cut]);
            got.extend(p.push(&stream[cut..]));
            assert_eq!(got.len(), 2, "cut at {cut}");
            assert_eq!(got[0], SseMessage { id: Some("7".into()), event: None, data: "{\"a\":1}".into() });
            assert_eq!(got[1].data, "line1\nline2");
            assert_eq!(got[1].id, None);
        }
    }
}
