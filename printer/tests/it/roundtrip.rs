//! Layout → encoder → virtual printer → paper must equal the layout's own rendering, dot for dot,
//! for every profile variant, both paper widths, with raster and native QR, raster and native
//! (TCVN-3, Windows-1258) text; and native text must decode back to the very characters sent.

use printer::text::Align;
use printer::{
    decode, encode, encode_detailed, naive_raster, Bitmap, Block, ChecklistLayout, CodePage, Document, LineStyle, Paper, Placement,
    PrinterFont, Profile, TextLine, TicketLayout, VirtualPrinter,
};

fn profiles(width: u32) -> Vec<(&'static str, Profile)> {
    vec![
        ("generic", Profile::generic(width)),
        ("native-qr", Profile::epson(width)),
        ("left-margin", Profile { placement: Placement::LeftMargin, ..Profile::epson(width) }),
        ("no-double", Profile { double_size_raster: false, ..Profile::generic(width) }),
        ("tiny-bands", Profile { max_band_rows: 7, placement: Placement::LeftMargin, ..Profile::generic(width) }),
        ("tcvn3", Profile { text: Some(CodePage::Tcvn3), ..Profile::epson(width) }),
        (
            "cp1258-left-margin-raster-qr",
            Profile { text: Some(CodePage::Cp1258), placement: Placement::LeftMargin, ..Profile::generic(width) },
        ),
        (
            "tcvn3-no-double-tiny-bands",
            Profile { text: Some(CodePage::Tcvn3), double_size_raster: false, max_band_rows: 7, ..Profile::generic(width) },
        ),
    ]
}

fn tickets(paper: Paper) -> Vec<TicketLayout> {
    let sample = TicketLayout::sample(paper);
    let long = TicketLayout {
        service_name: "Đăng ký thường trú cho công dân chuyển đến từ tỉnh, thành phố khác".into(),
        priority: None,
        qr_url: None,
        number: "B007".into(),
        people_ahead: 0,
        estimated_wait_min: 0,
        ..sample.clone()
    };
    vec![sample, long]
}

fn checklist(paper: Paper) -> ChecklistLayout {
    ChecklistLayout {
        title: "Đăng ký thường trú".into(),
        subtitle: String::new(),
        items: (1..=11).map(|i| format!("Giấy tờ số {i}: bản sao có chứng thực, Người cao tuổi")).collect(),
        footer: vec![],
        paper,
    }
}

fn first_difference(a: &Bitmap, b: &Bitmap) -> Option<(u32, u32)> {
    (0..a.height().min(b.height())).flat_map(|y| (0..a.width()).map(move |x| (x, y))).find(|&(x, y)| a.get(x, y) != b.get(x, y))
}

fn assert_roundtrip(doc: &Document, profile: &Profile, what: &str) -> usize {
    let bytes = encode(doc, profile).unwrap();
    let paper = decode(&bytes, profile.width_dots).unwrap_or_else(|e| panic!("{what}: {e}"));
    let expected = doc.render();
    assert_eq!(paper.height(), expected.height(), "{what}: paper length");
    assert!(paper == expected, "{what}: first differing dot {:?}", first_difference(&paper, &expected));
    bytes.len()
}

// Proves the compact encoding (cropping, feeds, bands, double size, native QR, left margin, native
// text with its raster fallback) prints exactly the layout's own image: nothing shifted, lost or
// added, for tickets and checklists.
#[test]
fn encoder_output_prints_the_layout_exactly() {
    for paper in [Paper::Mm80, Paper::Mm58] {
        let w = paper.width_dots();
        for (name, profile) in profiles(w) {
            for (i, t) in tickets(paper).iter().enumerate() {
                assert_roundtrip(&t.document_for(&profile).unwrap(), &profile, &format!("{paper:?} {name} ticket {i}"));
            }
            assert_roundtrip(&checklist(paper).document(), &profile, &format!("{paper:?} {name} checklist"));
        }
    }
}

// Proves the naive full-width raster also decodes to the same image (so the byte comparison in
// the bench compares two correct encodings).
#[test]
fn naive_raster_prints_the_layout_exactly() {
    for paper in [Paper::Mm80, Paper::Mm58] {
        let doc = TicketLayout::sample(paper).document().unwrap();
        let paper_img = decode(&naive_raster(&doc).unwrap(), paper.width_dots()).unwrap();
        assert!(paper_img == doc.render());
    }
}

fn read_qr(paper: &Bitmap) -> String {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(paper.width() as usize, paper.height() as usize, |x, y| {
        if paper.get(x as u32, y as u32) {
            0
        } else {
            255
        }
    });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "expected one QR symbol on the paper");
    grids[0].decode().expect("QR decodes").1
}

// Proves the QR printed by the printer's own GS ( k command (as the virtual printer draws it)
// and the raster QR both scan back to the ticket's URL, on both widths.
#[test]
fn printed_qr_scans_back() {
    for paper in [Paper::Mm80, Paper::Mm58] {
        let t = TicketLayout::sample(paper);
        for profile in [
            Profile::epson(paper.width_dots()),
            Profile::generic(paper.width_dots()),
            Profile { text: Some(CodePage::Cp1258), ..Profile::generic(paper.width_dots()) },
        ] {
            let bytes = encode(&t.document_for(&profile).unwrap(), &profile).unwrap();
            let img = decode(&bytes, paper.width_dots()).unwrap();
            assert_eq!(read_qr(&img), "https://example.gov.vn/t/123", "{paper:?} native={}", profile.supports_qr);
        }
    }
}

// Proves the byte budget: with native QR the standard ticket is at least 5x smaller than the
// naive raster on both papers; with the QR sent as an image, at least 5x on 80 mm (the issue's
// aim) and 3.5x on 58 mm; native text at least 10x (80 mm).
#[test]
fn compact_encoding_is_much_smaller_than_naive() {
    for paper in [Paper::Mm80, Paper::Mm58] {
        let w = paper.width_dots();
        let t = TicketLayout::sample(paper);
        let doc = t.document().unwrap();
        let naive = naive_raster(&doc).unwrap().len();
        let native = encode(&doc, &Profile::epson(w)).unwrap().len();
        let raster = encode(&doc, &Profile::generic(w)).unwrap().len();
        assert!(native * 5 <= naive, "{paper:?}: native {native} vs naive {naive}");
        let raster_aim = if paper == Paper::Mm80 { 5.0 } else { 3.5 };
        assert!(raster as f64 * raster_aim <= naive as f64, "{paper:?}: raster {raster} vs naive {naive}");
        let text = Profile { text: Some(CodePage::Cp1258), ..Profile::epson(w) };
        let text_bytes = encode(&t.document_for(&text).unwrap(), &text).unwrap().len();
        if paper == Paper::Mm80 {
            assert!(text_bytes * 10 <= naive, "{paper:?}: text {text_bytes} vs naive {naive}");
        }
        assert!(text_bytes < native, "{paper:?}: {text_bytes} vs {native}");
    }
}

/// Real Vietnamese: every tone on every vowel, đ/Đ, ă â ê ô ơ ư, lower and upper case.
fn vietnamese_lines() -> Vec<String> {
    let lower = [
        "a à ả ã á ạ ă ằ ẳ ẵ ắ ặ â ầ ẩ ẫ ấ ậ",
        "e è ẻ ẽ é ẹ ê ề ể ễ ế ệ i ì ỉ ĩ í ị",
        "o ò ỏ õ ó ọ ô ồ ổ ỗ ố ộ ơ ờ ở ỡ ớ ợ",
        "u ù ủ ũ ú ụ ư ừ ử ữ ứ ự y ỳ ỷ ỹ ý ỵ đ",
        "Đường Nguyễn Trãi, phường Thanh Xuân",
        "Hộ tịch, chứng thực: giấy khai sinh",
        "Người cao tuổi, phụ nữ mang thai",
    ];
    lower.iter().flat_map(|l| [l.to_string(), l.to_uppercase()]).collect()
}

fn vietnamese_doc(paper: Paper, font: PrinterFont) -> Document {
    let mut doc = Document::new(paper.width_dots());
    for (i, line) in vietnamese_lines().iter().enumerate() {
        let style = LineStyle::new(font, i % 3 == 0);
        for part in printer::font::wrap_columns(line, style.columns(doc.width)) {
            doc.blocks.push(Block::Text(TextLine::new(&part, style, Align::Centre)));
        }
    }
    doc
}

// Proves native text round-trips through both code pages: every Vietnamese letter (all tones,
// đ/Đ, ư ơ ă â ê ô, both cases), in fonts A and B, on both papers, is sent as text (no line falls
// back), decodes to exactly the characters sent, and prints exactly the document's own image.
#[test]
fn vietnamese_text_round_trips_in_both_code_pages() {
    for cp in [CodePage::Tcvn3, CodePage::Cp1258] {
        for paper in [Paper::Mm80, Paper::Mm58] {
            for font in [PrinterFont::A, PrinterFont::B] {
                let doc = vietnamese_doc(paper, font);
                let profile = Profile { text: Some(cp), ..Profile::epson(paper.width_dots()) };
                let what = format!("{cp:?} {paper:?} {font:?}");
                let out = encode_detailed(&doc, &profile).unwrap();
                assert!(out.fallbacks.is_empty(), "{what}: {:?}", out.fallbacks);
                assert!(!out.bytes.windows(3).any(|w| w == b"\x1dv0"), "{what}: no raster");
                let mut vp = VirtualPrinter::new(paper.width_dots());
                vp.write(&out.bytes).unwrap();
                let printed: Vec<String> = vp.printed_lines().iter().map(|l| l.text.clone()).collect();
                let sent: Vec<String> = doc
                    .blocks
                    .iter()
                    .filter_map(|b| match b {
                        Block::Text(l) => Some(l.text.clone()),
                        _ => None,
                    })
                    .collect();
                assert_eq!(printed, sent, "{what}");
                let paper_img = vp.finish().unwrap();
                assert!(paper_img == doc.render(), "{what}: first differing dot {:?}", first_difference(&paper_img, &doc.render()));
            }
        }
    }
}

// Proves a line the code page cannot hold (TCVN-3 has no en dash; neither page has "€" and
// CJK both) is printed from raster exactly as the printer would have printed it, is reported,
// and never reaches the printer as text, while the lines around it stay text.
#[test]
fn unencodable_lines_fall_back_to_raster_exactly() {
    let lines = ["Hộ tịch – Chứng thực", "Số 7", "Phí: 10.000₫ 東"];
    let style = LineStyle::new(PrinterFont::A, false);
    let mut doc = Document::new(576);
    for l in lines {
        doc.blocks.push(Block::Text(TextLine::new(l, style, Align::Centre)));
    }
    for (cp, expect_raster) in
        [(CodePage::Tcvn3, vec!["Hộ tịch – Chứng thực", "Phí: 10.000₫ 東"]), (CodePage::Cp1258, vec!["Phí: 10.000₫ 東"])]
    {
        let profile = Profile { text: Some(cp), ..Profile::epson(576) };
        let out = encode_detailed(&doc, &profile).unwrap();
        let fell: Vec<&str> = out.fallbacks.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(fell, expect_raster, "{cp:?}");
        let mut vp = VirtualPrinter::new(576);
        vp.write(&out.bytes).unwrap();
        let printed: Vec<&str> = vp.printed_lines().iter().map(|l| l.text.as_str()).collect();
        let as_text: Vec<&str> = lines.iter().copied().filter(|l| !expect_raster.contains(l)).collect();
        assert_eq!(printed, as_text, "{cp:?}");
        assert!(vp.finish().unwrap() == doc.render(), "{cp:?}");
    }
}
