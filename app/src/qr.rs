//! A QR code as one SVG path: dark modules as unit squares, with the four-module
//! quiet zone readers need around it.

use qrcode::{Color, EcLevel, QrCode};

/// The code for `text`: the side of the square in modules (quiet zone
/// included) and the path that draws its dark modules. None if `text` is too
/// long for a QR code.
pub fn qr_path(text: &str) -> Option<(usize, String)> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let mut path = String::new();
    for (i, color) in code.to_colors().into_iter().enumerate() {
        if color == Color::Dark {
            let (x, y) = (i % width + 4, i / width + 4);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Some((width + 8, path))
}
