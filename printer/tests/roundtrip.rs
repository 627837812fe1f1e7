//! Layout → encoder → virtual printer → paper must equal the layout's own rendering, dot for dot,
//! for every profile variant, both paper widths, with raster and native QR.

use printer::{
    decode, encode, naive_raster, Bitmap, ChecklistLayout, Document, Paper, Placement, Profile,
    TicketLayout,
};

fn profiles(width: u32) -> Vec<(&'static str, Profile)> {
    vec![
        ("generic", Profile::generic(width)),
        ("native-qr", Profile::epson(width)),
        (
            "left-margin",
            Profile {
                placement: Placement::LeftMargin,
                ..Profile::epson(width)
            },
        ),
        (
            "no-double",
            Profile {
                double_size_raster: false,
                ..Profile::generic(width)
            },
        ),
        (
            "tiny-bands",
            Profile {
                max_band_rows: 7,
                placement: Placement::LeftMargin,
                ..Profile::generic(width)
            },
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
        items: (1..=11)
            .map(|i| format!("Giấy tờ số {i}: bản sao có chứng thực, Người cao tuổi"))
            .collect(),
        footer: vec![],
        paper,
    }
}

fn first_difference(a: &Bitmap, b: &Bitmap) -> Option<(u32, u32)> {
    (0..a.height().min(b.height()))
        .flat_map(|y| (0..a.width()).map(move |x| (x, y)))
        .find(|&(x, y)| a.get(x, y) != b.get(x, y))
}

fn assert_roundtrip(doc: &Document, profile: &Profile, what: &str) -> usize {
    let bytes = encode(doc, profile).unwrap();
    let paper = decode(&bytes, profile.width_dots).unwrap_or_else(|e| panic!("{what}: {e}"));
    let expected = doc.render();
    assert_eq!(paper.height(), expected.height(), "{what}: paper length");
    assert!(
        paper == expected,
        "{what}: first differing dot {:?}",
        first_difference(&paper, &expected)
    );
    bytes.len()
}

// Proves the compact encoding (cropping, feeds, bands, double size, native QR, left margin) prints
// exactly the layout's own image: nothing shifted, lost or added, for tickets and checklists.
#[test]
fn encoder_output_prints_the_layout_exactly() {
    for paper in [Paper::Mm80, Paper::Mm58] {
        let w = paper.width_dots();
        for (name, profile) in profiles(w) {
            for (i, t) in tickets(paper).iter().enumerate() {
                assert_roundtrip(
                    &t.document().unwrap(),
                    &profile,
                    &format!("{paper:?} {name} ticket {i}"),
                );
            }
            assert_roundtrip(
                &checklist(paper).document(),
                &profile,
                &format!("{paper:?} {name} checklist"),
            );
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
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(
        paper.width() as usize,
        paper.height() as usize,
        |x, y| {
            if paper.get(x as u32, y as u32) {
                0
            } else {
                255
            }
        },
    );
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
        ] {
            let bytes = encode(&t.document().unwrap(), &profile).unwrap();
            let img = decode(&bytes, paper.width_dots()).unwrap();
            assert_eq!(
                read_qr(&img),
                "https://example.gov.vn/t/123",
                "{paper:?} native={}",
                profile.supports_qr
            );
        }
    }
}

// Proves the byte budget: with native QR the standard ticket is at least 5x smaller than the
// naive raster, and still at least 3x smaller when the QR must be sent as raster.
#[test]
fn compact_encoding_is_much_smaller_than_naive() {
    for paper in [Paper::Mm80, Paper::Mm58] {
        let doc = TicketLayout::sample(paper).document().unwrap();
        let naive = naive_raster(&doc).unwrap().len();
        let native = encode(&doc, &Profile::epson(paper.width_dots()))
            .unwrap()
            .len();
        let raster = encode(&doc, &Profile::generic(paper.width_dots()))
            .unwrap()
            .len();
        assert!(
            native * 5 <= naive,
            "{paper:?}: native {native} vs naive {naive}"
        );
        assert!(
            raster * 3 <= naive,
            "{paper:?}: raster {raster} vs naive {naive}"
        );
    }
}
