//! The virtual printer must turn any input into either paper or an error naming the offset, and
//! never panic or run away with memory: random bytes, command-shaped noise, truncations and
//! corruptions of a real ticket.

use printer::{decode, encode, DecodeError, Paper, Profile, TicketLayout};

/// xorshift64*: deterministic, so a failure reproduces.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn real_ticket() -> Vec<u8> {
    encode(&TicketLayout::sample(Paper::Mm58).document().unwrap(), &Profile::epson(384)).unwrap()
}

// Proves random bytes never panic, and every error names an offset inside the input.
#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let prefixes: [&[u8]; 14] = [
        b"\x1b",
        b"\x1d",
        b"\x1dv0",
        b"\x1d(k",
        b"\x10\x04",
        b"\x1dV",
        b"\x1ba",
        b"\x1dL",
        b"\x1b!",
        b"\x1d!",
        // Code pages (TCVN-3 30/31, Windows-1258 52) and fonts, so text bytes 0x80-0xFF meet
        // every table, tone bytes meet empty lines.
        b"\x1bt\x1e",
        b"\x1bt\x1f",
        b"\x1bt4",
        b"\x1bM",
    ];
    for round in 0..3000 {
        let mut input = Vec::new();
        let len = rng.below(64);
        while input.len() < len {
            // Mostly command-shaped noise, so the parser's deeper branches are reached.
            if rng.below(3) == 0 {
                input.push(rng.next() as u8);
            } else {
                input.extend_from_slice(prefixes[rng.below(prefixes.len())]);
                for _ in 0..rng.below(6) {
                    input.push(if rng.below(2) == 0 { rng.below(4) as u8 } else { rng.next() as u8 });
                }
            }
        }
        if let Err(e) = decode(&input, 384) {
            let offset = match &e {
                DecodeError::UnknownCommand { offset, .. }
                | DecodeError::BadParameter { offset, .. }
                | DecodeError::Truncated { offset, .. }
                | DecodeError::RasterTooWide { offset, .. }
                | DecodeError::MidLine { offset, .. }
                | DecodeError::PaperTooLong { offset, .. }
                | DecodeError::NonAsciiText { offset, .. }
                | DecodeError::Unassigned { offset, .. }
                | DecodeError::QrNoData { offset }
                | DecodeError::Qr { offset, .. } => *offset,
            };
            assert!(offset < input.len().max(1), "round {round}: {e} for {input:02X?}");
            assert!(e.to_string().contains(&format!("offset {offset}")), "{e}");
        }
    }
}

// Proves every truncation of a real ticket is either a clean stop at a command boundary or a
// Truncated error that points at the start of the cut command.
#[test]
fn truncated_ticket_is_a_clear_error() {
    let bytes = real_ticket();
    let mut rng = Rng(42);
    let mut truncated_errors = 0;
    for _ in 0..300 {
        let cut = rng.below(bytes.len());
        match decode(&bytes[..cut], 384) {
            Ok(_) => {}
            Err(DecodeError::Truncated { offset, needed, available, .. }) => {
                assert!(offset < cut && available == cut - offset && needed > available);
                truncated_errors += 1;
            }
            Err(e) => panic!("cut at {cut}: unexpected {e}"),
        }
    }
    assert!(truncated_errors > 250, "most cuts land inside raster data");
}

// Proves corrupted bytes in a real ticket never panic (they print something or fail clearly).
#[test]
fn corrupted_ticket_never_panics() {
    let bytes = real_ticket();
    let mut rng = Rng(7);
    for _ in 0..300 {
        let mut b = bytes.clone();
        for _ in 0..1 + rng.below(4) {
            let i = rng.below(b.len());
            b[i] = rng.next() as u8;
        }
        let _ = decode(&b, 384);
    }
}

// Proves runaway feeds stop at the paper limit with an error instead of allocating without end.
#[test]
fn endless_feed_is_bounded() {
    let bytes: Vec<u8> = std::iter::repeat_n([0x1B, b'd', 255], 100).flatten().collect();
    assert!(matches!(decode(&bytes, 576), Err(DecodeError::PaperTooLong { .. })));
}
