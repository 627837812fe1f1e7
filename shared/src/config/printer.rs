//! `[printer]`: what the kiosk's ticket printer is and how tickets look on it.
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PrinterConfig {
    /// Paper width in millimetres: 80 (576 dots) or 58 (384 dots).
    #[serde(default = "default_paper")]
    pub paper: u32,
    /// "generic" works on any ESC/POS printer; "epson" also lets the printer draw the QR code
    /// itself (Epson TM-T20 and later, most recent clones), which sends far fewer bytes.
    #[serde(default)]
    pub profile: PrinterProfile,
    /// How the ticket's text reaches the printer. "raster" (the default) draws it with the
    /// bundled font: correct on any printer. "tcvn3" (Epson code pages 30/31) and "cp1258"
    /// (Windows-1258, Epson page 52) send it as text in the printer's own font, about a fifth
    /// of the bytes; they need `profile = "epson"`, and a line holding a character the code
    /// page lacks still goes as raster.
    #[serde(default)]
    pub text: PrinterText,
    /// The QR code's URL; `{id}` and `{number}` are replaced. Leave out for no QR code.
    #[serde(default)]
    pub qr_url: Option<String>,
    /// Small print at the bottom of the ticket, one paragraph per entry.
    #[serde(default = "default_footer")]
    pub footer: Vec<String>,
    /// A PNG printed centred at the top of each ticket (the centre's logo); relative to this
    /// file. Line art prints crisp, grey tones are dithered, a wide image is scaled to the paper.
    #[serde(default)]
    pub logo: Option<PathBuf>,
    /// Time allowed for one ticket to reach the printer.
    #[serde(default = "default_timeout")]
    pub timeout_s: u32,
    #[serde(default)]
    pub device: PrinterDevice,
}

impl Default for PrinterConfig {
    fn default() -> Self {
        PrinterConfig {
            paper: default_paper(),
            profile: PrinterProfile::default(),
            text: PrinterText::default(),
            qr_url: None,
            footer: default_footer(),
            logo: None,
            timeout_s: default_timeout(),
            device: PrinterDevice::default(),
        }
    }
}

fn default_paper() -> u32 {
    80
}
fn default_timeout() -> u32 {
    10
}
fn default_footer() -> Vec<String> {
    vec!["Vui lòng chờ đến khi số của bạn được gọi.".into(), "Phiếu chỉ có giá trị trong ngày.".into()]
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum PrinterProfile {
    #[default]
    Generic,
    Epson,
}

/// `[printer] text`: raster text, or native text in one of the printer's code pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum PrinterText {
    #[default]
    Raster,
    Tcvn3,
    Cp1258,
}

/// Where the ticket bytes go.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum PrinterDevice {
    /// No printer: each ticket's bytes and a picture of the paper the virtual printer decoded
    /// from them are written to `dir`. A file named `PAPER_END` (or `COVER_OPEN`, `OFFLINE`) in
    /// `dir` makes the simulated printer report that problem.
    Simulator { dir: PathBuf },
    /// Append the bytes to a file (e.g. a spool); no status can be read.
    File { path: PathBuf },
    /// A USB printer-class device file, e.g. /dev/usb/lp0.
    Usb { path: PathBuf },
    /// A network printer, e.g. "192.168.1.50:9100": parsed when the file is read, so a bad
    /// address is refused at start with its line, and the kiosk holds a socket address.
    Tcp {
        #[serde(deserialize_with = "socket_address")]
        address: SocketAddr,
    },
    /// A serial printer, e.g. /dev/ttyUSB0.
    Serial {
        path: PathBuf,
        #[serde(default = "default_baud")]
        baud: u32,
        #[serde(default)]
        flow: SerialFlow,
    },
}

impl Default for PrinterDevice {
    fn default() -> Self {
        PrinterDevice::Simulator { dir: PathBuf::from("printer") }
    }
}

fn default_baud() -> u32 {
    115_200
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SerialFlow {
    /// RTS/CTS wires: the usual for receipt printers.
    #[default]
    RtsCts,
    XonXoff,
    None,
}

/// "IP:PORT", refused with an example: the printer is found by address, never by name (no DNS
/// on a centre's LAN is trusted to be there when the kiosk starts).
fn socket_address<'de, D: serde::Deserializer<'de>>(d: D) -> Result<SocketAddr, D::Error> {
    let text = String::deserialize(d)?;
    text.parse().map_err(|_| serde::de::Error::custom(format!("{text:?} is not IP:PORT, e.g. \"192.168.1.50:9100\"")))
}
