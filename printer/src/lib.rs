//! ESC/POS queue tickets: layout, compact encoding, a virtual printer, transports and status.
//!
//! Module layout, from pure to I/O:
//! - [`bitmap`]: the 1-bit [`Bitmap`], packed MSB-first like `GS v 0`, and its PNG output.
//! - [`text`]: NFC text drawn with the bundled Noto Sans (`assets/fonts/`), word wrap.
//! - [`qr`]: QR symbols as bitmaps, shared by the layout and the virtual printer.
//! - [`document`]: [`Document`], the printable stack of blocks (raster, double-size raster, QR,
//!   space) that layouts build with [`Flow`], and its reference rendering.
//! - [`ticket`]: [`TicketLayout`], the queue ticket; [`checklist`]: a procedure's document list.
//! - [`escpos`]: byte builders for each command; [`encoder`]: [`Profile`] and [`encode`], the
//!   compact encoding (cropped bands, feeds, native QR), and [`naive_raster`] for comparison.
//! - [`decoder`]: [`VirtualPrinter`], which executes a byte stream onto paper (tests, PNGs).
//! - [`status`]: `DLE EOT` queries, [`PrinterStatus`], the [`PrintError`] enum and [`print`].
//! - [`transport`]: the [`Transport`] trait and its memory, file, USB device file, TCP and serial
//!   implementations.

pub mod bitmap;
pub mod checklist;
pub mod decoder;
pub mod document;
pub mod encoder;
pub mod escpos;
pub mod qr;
pub mod status;
pub mod text;
pub mod ticket;
pub mod transport;

pub use bitmap::Bitmap;
pub use checklist::ChecklistLayout;
pub use decoder::{decode, DecodeError, VirtualPrinter};
pub use document::{Block, Document, Flow, Paper};
pub use encoder::{encode, encode_ticket, naive_raster, EncodeError, Placement, Profile};
pub use status::{print, PrintError, PrintOutcome, PrinterStatus};
pub use ticket::{LayoutError, TicketLayout};
pub use transport::Transport;
