//! Byte-exact tests of the encoder; each says what it proves.
use super::*;
use crate::document::Paper;
use crate::text::Align;

fn doc_with(bitmap: Bitmap) -> Document {
    Document { width: bitmap.width(), blocks: vec![Block::Raster { bitmap, scale: 1 }] }
}

// Proves blank rows become one feed, the band is cropped symmetrically around its ink, and
// the stream is exactly init, centre, feed, header, data, cut.
#[test]
fn centre_crop_exact_bytes() {
    let mut b = Bitmap::new(64, 10);
    b.set(20, 4, true); // byte column 2
    b.set(43, 5, true); // byte column 5
    let out = encode(&doc_with(b), &Profile::generic(64)).unwrap();
    #[rustfmt::skip]
    let expected = [
        0x1B, 0x40, 0x1B, 0x61, 1,
        0x1B, 0x4A, 4,
        0x1D, 0x76, 0x30, 0, 4, 0, 2, 0,
        0x08, 0, 0, 0,
        0, 0, 0, 0x10,
        0x1B, 0x4A, 4,
        0x1D, 0x56, 66, 0,
    ];
    assert_eq!(out, expected);
}

// Proves the left-margin placement crops tightly and sets GS L in dots (and resets it).
#[test]
fn left_margin_crop_exact_bytes() {
    let mut b = Bitmap::new(64, 1);
    b.set(40, 0, true); // byte column 5 only
    let profile = Profile { placement: Placement::LeftMargin, ..Profile::generic(64) };
    let out = encode(&doc_with(b), &profile).unwrap();
    #[rustfmt::skip]
    let expected = [
        0x1B, 0x40,
        0x1D, 0x4C, 40, 0,
        0x1D, 0x76, 0x30, 0, 1, 0, 1, 0, 0x80,
        0x1D, 0x4C, 0, 0,
        0x1D, 0x56, 66, 0,
    ];
    assert_eq!(out, expected);
}

// Proves tall ink is split into bands of at most max_band_rows with no feed between them.
#[test]
fn band_split() {
    let mut b = Bitmap::new(16, 5);
    for y in 0..5 {
        b.set(y % 2, y, true); // rows differ pairwise: no m=2
    }
    let profile = Profile { max_band_rows: 2, ..Profile::generic(16) };
    let out = encode(&doc_with(b), &profile).unwrap();
    let headers: Vec<&[u8]> = out.windows(3).filter(|w| w == b"\x1dv0").collect();
    assert_eq!(headers.len(), 3);
    let body = &out[5..out.len() - 4];
    #[rustfmt::skip]
    assert_eq!(body, [
        0x1D, 0x76, 0x30, 0, 2, 0, 2, 0, 0x80, 0, 0x40, 0,
        0x1D, 0x76, 0x30, 0, 2, 0, 2, 0, 0x80, 0, 0x40, 0,
        0x1D, 0x76, 0x30, 0, 2, 0, 1, 0, 0x80, 0,
    ]);
}

// Proves a one-row gap is sent as data (cheaper than a feed plus a header) while a wide gap
// becomes a feed.
#[test]
fn small_gaps_merge_big_gaps_feed() {
    let mut b = Bitmap::new(16, 40);
    b.set(0, 0, true);
    b.set(0, 2, true);
    b.set(0, 39, true);
    let out = encode(&doc_with(b), &Profile::generic(16)).unwrap();
    assert_eq!(out.windows(3).filter(|w| w == b"\x1dv0").count(), 2);
    assert!(out.windows(3).any(|w| w == [0x1B, 0x4A, 36]));
}

// Proves the width mismatch is refused with both widths named.
#[test]
fn width_mismatch() {
    let doc = Document::new(384);
    match encode(&doc, &Profile::generic(576)) {
        Err(EncodeError::WidthMismatch { doc: 384, profile: 576 }) => {}
        other => panic!("{other:?}"),
    }
}

// Proves the native-QR profile sends a GS ( k store of the URL instead of raster rows, and the
// naive encoding is one header plus every row at full width.
#[test]
fn native_qr_and_naive() {
    let doc = TicketLayout::sample(Paper::Mm58).document().unwrap();
    let native = encode(&doc, &Profile::epson(384)).unwrap();
    let raster = encode(&doc, &Profile::generic(384)).unwrap();
    let url = b"https://example.gov.vn/t/123";
    let mut store = vec![0x1D, b'(', b'k', url.len() as u8 + 3, 0, 49, 80, 48];
    store.extend_from_slice(url);
    assert!(native.windows(store.len()).any(|w| w == store));
    assert!(!raster.windows(3).any(|w| w == b"\x1d(k"));
    assert!(native.len() < raster.len());
    let naive = naive_raster(&doc).unwrap();
    assert_eq!(naive.len(), 2 + 8 + 48 * doc.height() as usize + 4);
}

fn text_doc(width: u32, lines: &[(&str, crate::font::LineStyle)]) -> Document {
    Document { width, blocks: lines.iter().map(|(t, s)| Block::Text(TextLine::new(t, *s, Align::Centre))).collect() }
}

// Proves a native TCVN-3 line is exactly: centring, line pitch, the capital page for Đ, the
// lower-case page for ư ờ, ASCII without a switch, LF; and that a bold double-size line after
// it adds only the mode and size commands (the code page stays selected).
#[test]
fn tcvn3_text_exact_bytes() {
    use crate::font::{LineStyle, PrinterFont};
    let a = LineStyle::new(PrinterFont::A, false);
    let big = LineStyle::new(PrinterFont::A, true).scaled(2, 2);
    let doc = text_doc(576, &[("Đường", a), ("số", big)]);
    let profile = Profile { text: Some(CodePage::Tcvn3), ..Profile::epson(576) };
    let out = encode_detailed(&doc, &profile).unwrap();
    assert!(out.fallbacks.is_empty());
    #[rustfmt::skip]
    assert_eq!(out.bytes, [
        0x1B, 0x40, 0x1B, 0x61, 1,
        0x1B, 0x33, 28,
        0x1B, 0x74, 31, 0xA7, 0x1B, 0x74, 30, 0xAD, 0xEA, b'n', b'g', 0x0A,
        0x1B, 0x33, 52, 0x1B, 0x21, 0x08, 0x1D, 0x21, 0x11,
        b's', 0xE8, 0x0A,
        0x1D, 0x56, 66, 0,
    ]);
}

// Proves a Windows-1258 line sends letters the table has as one byte and the others as base
// and tone byte, in font B (ESC ! 1), under one ESC t 52.
#[test]
fn cp1258_text_exact_bytes() {
    use crate::font::{LineStyle, PrinterFont};
    let b = LineStyle::new(PrinterFont::B, false);
    let doc = text_doc(384, &[("Lấy số lúc: 8:15", b)]);
    let profile = Profile { text: Some(CodePage::Cp1258), ..Profile::generic(384) };
    #[rustfmt::skip]
    assert_eq!(encode(&doc, &profile).unwrap(), [
        0x1B, 0x40, 0x1B, 0x61, 1,
        0x1B, 0x33, 21, 0x1B, 0x21, 0x01,
        b'L', 0x1B, 0x74, 52, 0xE2, 0xEC, b'y', b' ', b's', 0xF4, 0xEC, b' ',
        b'l', 0xFA, b'c', b':', b' ', b'8', b':', b'1', b'5', 0x0A,
        0x1D, 0x56, 66, 0,
    ]);
}

// Proves a line with a character the code page lacks goes as raster, never as a guessed byte:
// no ESC t and no byte of it as text, the fallback is reported with the character, and the
// raster is the line exactly as the printer would have printed it.
#[test]
fn unencodable_line_falls_back_to_raster() {
    use crate::font::{LineStyle, PrinterFont};
    let a = LineStyle::new(PrinterFont::A, true);
    let doc = text_doc(576, &[("Hộ tịch – Chứng thực", a)]);
    let profile = Profile { text: Some(CodePage::Tcvn3), ..Profile::epson(576) };
    let out = encode_detailed(&doc, &profile).unwrap();
    assert_eq!(out.fallbacks, [Fallback { text: "Hộ tịch – Chứng thực".into(), missing: '–' }]);
    assert!(!out.bytes.windows(2).any(|w| w == b"\x1bt"));
    assert!(out.bytes.windows(3).any(|w| w == b"\x1dv0"));
    assert!(crate::decode(&out.bytes, 576).unwrap() == doc.render());
}

// Proves text lines wider than the paper, or with control characters, are refused with the
// text named, instead of wrapping or printing a command by accident.
#[test]
fn bad_text_lines_are_refused() {
    use crate::font::{LineStyle, PrinterFont};
    let a = LineStyle::new(PrinterFont::A, false);
    let profile = Profile { text: Some(CodePage::Cp1258), ..Profile::epson(384) };
    let e = encode(&text_doc(384, &[(&"x".repeat(33), a)]), &profile).unwrap_err();
    assert_eq!(e.to_string(), format!("text line {:?} is 396 dots wide but only 384 dots are printable", "x".repeat(33)));
    let e = encode(&text_doc(384, &[("a\u{1b}@", a)]), &profile).unwrap_err();
    assert!(matches!(e, EncodeError::TextStyle { .. }), "{e}");
    let e = encode(&text_doc(384, &[("a", a.scaled(9, 1))]), &profile).unwrap_err();
    assert!(e.to_string().contains("magnification"), "{e}");
}

// Proves a QR sent as raster with an even module size goes as double-height bands (GS v 0
// m = 2), half the rows, and still prints the same dots.
#[test]
fn even_module_raster_qr_goes_double_height() {
    let doc = TicketLayout::sample(Paper::Mm80).document().unwrap();
    let out = encode(&doc, &Profile::generic(576)).unwrap();
    assert!(out.windows(4).any(|w| w == [0x1D, b'v', b'0', 2]));
    assert!(crate::decode(&out, 576).unwrap() == doc.render());
    let flat = encode(&doc, &Profile { double_size_raster: false, ..Profile::generic(576) }).unwrap();
    assert!(!flat.windows(4).any(|w| w == [0x1D, b'v', b'0', 2]));
    assert!(out.len() + 1500 < flat.len(), "{} vs {}", out.len(), flat.len());
}
