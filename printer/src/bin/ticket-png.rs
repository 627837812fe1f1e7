//! Writes `ticket-80mm.png` and `ticket-58mm.png` of the sample ticket into a folder (the
//! README's `images/`), text as raster (the default), and `ticket-80mm-tcvn3.png`, text sent in
//! the printer's TCVN-3 code pages (Windows-1258 prints the very same paper, so only its bytes
//! are reported). Each picture is what the virtual printer prints from the encoder's bytes for a
//! QR-capable printer, so it shows the bytes, not the layout's own idea of itself.
//! With `--checklist` it also writes `checklist-80mm.png`, a procedure checklist slip.
//!
//! Usage: `cargo run -p printer --bin ticket-png -- [OUT_DIR] [--checklist]` (OUT_DIR: `images`).

use std::path::PathBuf;
use std::process::ExitCode;

use printer::{decode, encode, encode_detailed, ChecklistLayout, CodePage, Paper, Profile, TicketLayout};

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let checklist = args.iter().any(|a| a == "--checklist");
    let dir = PathBuf::from(args.iter().find(|a| !a.starts_with("--")).map_or("images", String::as_str));
    std::fs::create_dir_all(&dir)?;
    let tickets = [
        (Paper::Mm80, None, Some("ticket-80mm.png")),
        (Paper::Mm58, None, Some("ticket-58mm.png")),
        (Paper::Mm80, Some(CodePage::Tcvn3), Some("ticket-80mm-tcvn3.png")),
        // Prints the very same paper as TCVN-3 (round-trip tests): bytes only, no picture.
        (Paper::Mm80, Some(CodePage::Cp1258), None),
    ];
    for (paper, text, name) in tickets {
        let profile = Profile { text, ..Profile::epson(paper.width_dots()) };
        let encoded = encode_detailed(&TicketLayout::sample(paper).document_for(&profile)?, &profile)?;
        let paper_img = decode(&encoded.bytes, profile.width_dots)?;
        let what = match name {
            Some(name) => {
                let path = dir.join(name);
                paper_img.save_png(&path)?;
                path.display().to_string()
            }
            None => format!("{paper:?} {} text (same paper as above)", text.map_or("raster", CodePage::name)),
        };
        println!("{what}: {} bytes on the wire", encoded.bytes.len());
        for f in &encoded.fallbacks {
            println!("  raster, {:?} not in {}: {}", f.missing, text.map_or("", CodePage::name), f.text);
        }
    }
    if checklist {
        let slip = ChecklistLayout {
            title: "Đăng ký thường trú".into(),
            subtitle: "Thành phần hồ sơ cần chuẩn bị".into(),
            items: vec![
                "Tờ khai thay đổi thông tin cư trú (Mẫu CT01)".into(),
                "Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp".into(),
                "Giấy tờ, tài liệu chứng minh quan hệ nhân thân với chủ hộ, thành viên hộ gia đình".into(),
                "Văn bản đồng ý cho đăng ký thường trú của chủ hộ".into(),
            ],
            footer: vec!["Mang theo bản chính để đối chiếu khi nộp hồ sơ.".into()],
            paper: Paper::Mm80,
        };
        let profile = Profile::generic(576);
        let bytes = encode(&slip.document(), &profile)?;
        let path = dir.join("checklist-80mm.png");
        decode(&bytes, 576)?.save_png(&path)?;
        println!("{}: {} bytes on the wire", path.display(), bytes.len());
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ticket-png: {e}");
            ExitCode::FAILURE
        }
    }
}
