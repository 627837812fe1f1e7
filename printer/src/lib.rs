//! ESC/POS queue tickets: layout, compact encoding, a virtual printer, transports and status.
//!
//! Module layout, from pure to I/O:
//! - [`bitmap`]: the 1-bit [`Bitmap`], packed MSB-first like `GS v 0`, and its PNG output.
//! - [`text`]: NFC text drawn with the bundled Noto Sans (`assets/fonts/`), word wrap.
//! - [`font`]: native text in the printer's resident fonts: cells, [`TextLine`], wrap by columns,
//!   and the cell drawing the virtual printer prints them with.
//! - [`codepage`]: Vietnamese code pages, TCVN-3 (Epson pages 30/31) and Windows-1258 (page 52),
//!   written out from the standards; [`CodePage`].
//! - [`image`]: a centre's logo, PNG → 1-bit (thresholded line art, dithered grey tones).
//! - [`qr`]: QR symbols as bitmaps, shared by the layout and the virtual printer.
//! - [`document`]: [`Document`], the printable stack of blocks (raster, double-size raster, native
//!   text line, QR, space) that layouts build with [`Flow`], and its reference rendering.
//! - [`ticket`]: [`TicketLayout`], the queue ticket; [`checklist`]: a procedure's document list.
//! - [`escpos`]: byte builders for each command; [`encoder`]: [`Profile`] and [`encode`], the
//!   compact encoding (cheapest bands, feeds, native QR, code-page text with raster fallback),
//!   and [`naive_raster`] for comparison.
//! - [`decoder`]: [`VirtualPrinter`], which executes a byte stream onto paper (tests, PNGs),
//!   code-page text included.
//! - [`status`]: [`PrinterStatus`] as `DLE EOT` reports it, and the [`PrintError`] enum.
//! - [`transport`]: the [`Transport`] trait (with the `DLE EOT` status query) and its memory,
//!   file, USB device file, TCP and serial implementations.
//! - [`job`]: [`print`], one ticket over a transport: status before, the bytes, status after.

pub mod bitmap;
pub mod checklist;
pub mod codepage;
pub mod decoder;
pub mod document;
pub mod encoder;
pub mod escpos;
pub mod font;
pub mod image;
pub mod job;
pub mod qr;
pub mod status;
pub mod text;
pub mod ticket;
pub mod transport;

pub use bitmap::Bitmap;
pub use checklist::ChecklistLayout;
pub use codepage::CodePage;
pub use decoder::{decode, DecodeError, PrintedLine, VirtualPrinter};
pub use document::{Block, Document, Flow, Paper};
pub use encoder::{encode, encode_detailed, encode_ticket, naive_raster, EncodeError, Encoded, Fallback, Placement, Profile};
pub use font::{LineStyle, PrinterFont, TextLine};
pub use job::{print, PrintOptions, PrintOutcome};
pub use status::{PrintError, PrinterStatus};
pub use ticket::{LayoutError, TicketLayout};
pub use transport::Transport;
