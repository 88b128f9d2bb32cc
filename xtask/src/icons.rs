//! The app's icons as PNG, drawn from the same two shapes as
//! `app/static/favicon.svg` (a green disc with a light ring), so an installed
//! Stille has the icons a phone asks for: 192 and 512 pixels for Android's
//! home screen and splash, a maskable one that fills whatever shape the
//! launcher cuts, and the 180-pixel `apple-touch-icon` of an iPhone's home
//! screen (opaque: iOS fills transparency with black).
//!
//! Each pixel's colour is the shapes' coverage of it, measured on a 4×4 grid
//! inside the pixel, so edges are smooth; the PNG is written by hand
//! (8-bit RGBA, one IDAT compressed with flate2).

use std::fs;
use std::path::Path;

use anyhow::Result;

/// The disc's green and the ring's light colour: the manifest's theme and
/// background colours.
const GREEN: [u8; 3] = [0x3f, 0x6b, 0x5c];
const LIGHT: [u8; 3] = [0xf4, 0xef, 0xe6];

/// One icon file: its name, size in pixels, and whether it is full-bleed
/// (the background fills the square; the ring kept inside the safe zone a
/// launcher may cut to, a circle of 40 % of the size).
pub const ICONS: &[(&str, u32, bool)] = &[
    ("icon-192.png", 192, false),
    ("icon-512.png", 512, false),
    ("icon-maskable-512.png", 512, true),
    ("apple-touch-icon.png", 180, true),
];

/// What covers the point (x, y), in units of the icon's side (0..1): the
/// colour and its opacity (0..1).
fn shade(x: f64, y: f64, full_bleed: bool) -> ([u8; 3], f64) {
    let r = ((x - 0.5).powi(2) + (y - 0.5).powi(2)).sqrt();
    // favicon.svg: disc r = 28/64, ring r = 14/64 with a 4/64 stroke.
    // Full-bleed: the ring at 0.8 of that, well inside the safe zone.
    let scale = if full_bleed { 0.8 } else { 1.0 };
    let (ring, half_stroke) = (14.0 / 64.0 * scale, 2.0 / 64.0 * scale);
    if (r - ring).abs() <= half_stroke {
        (LIGHT, 1.0)
    } else if full_bleed || r <= 28.0 / 64.0 {
        (GREEN, 1.0)
    } else {
        (GREEN, 0.0)
    }
}

/// The icon's pixels, RGBA, row by row.
pub fn pixels(size: u32, full_bleed: bool) -> Vec<u8> {
    const GRID: u32 = 4;
    let mut out = Vec::with_capacity((size * size * 4) as usize);
    let side = f64::from(size);
    for py in 0..size {
        for px in 0..size {
            let (mut rgb, mut alpha) = ([0.0f64; 3], 0.0f64);
            for sy in 0..GRID {
                for sx in 0..GRID {
                    let x = (f64::from(px) + (f64::from(sx) + 0.5) / f64::from(GRID)) / side;
                    let y = (f64::from(py) + (f64::from(sy) + 0.5) / f64::from(GRID)) / side;
                    let (colour, a) = shade(x, y, full_bleed);
                    for (sum, c) in rgb.iter_mut().zip(colour) {
                        *sum += f64::from(c) * a;
                    }
                    alpha += a;
                }
            }
            let samples = f64::from(GRID * GRID);
            // Colour un-premultiplied by the coverage, so edges keep their hue.
            for sum in rgb {
                out.push(if alpha > 0.0 { (sum / alpha).round().clamp(0.0, 255.0) as u8 } else { 0 });
            }
            out.push((alpha / samples * 255.0).round() as u8);
        }
    }
    out
}

fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    png.extend_from_slice(&crc.sum().to_be_bytes());
}

/// RGBA pixels as a PNG file.
pub fn png(size: u32, rgba: &[u8]) -> Result<Vec<u8>> {
    use std::io::Write;
    let mut raw = Vec::with_capacity(rgba.len() + size as usize);
    for row in rgba.chunks(size as usize * 4) {
        raw.push(0); // no filter
        raw.extend_from_slice(row);
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&raw)?;
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&size.to_be_bytes());
    header.extend_from_slice(&size.to_be_bytes());
    header.extend_from_slice(&[8, 6, 0, 0, 0]); // 8-bit RGBA, no interlace
    chunk(&mut png, b"IHDR", &header);
    chunk(&mut png, b"IDAT", &z.finish()?);
    chunk(&mut png, b"IEND", &[]);
    Ok(png)
}

/// Writes every icon into `dir`.
pub fn write(dir: &Path) -> Result<()> {
    for (name, size, full_bleed) in ICONS {
        fs::write(dir.join(name), png(*size, &pixels(*size, *full_bleed))?)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(rgba: &[u8], size: u32, x: u32, y: u32) -> [u8; 4] {
        let i = ((y * size + x) * 4) as usize;
        [rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]]
    }

    #[test]
    fn the_icon_is_the_favicons_disc_and_ring() {
        let size = 64;
        let any = pixels(size, false);
        assert_eq!(at(&any, size, 32, 32), [GREEN[0], GREEN[1], GREEN[2], 255], "the centre is green");
        assert_eq!(
            at(&any, size, 32, 32 - 14),
            [LIGHT[0], LIGHT[1], LIGHT[2], 255],
            "the ring, 14 from the centre"
        );
        assert_eq!(at(&any, size, 1, 1)[3], 0, "outside the disc is clear");
        let smoothed = any.chunks(4).filter(|p| p[3] > 0 && p[3] < 255).count();
        assert!(smoothed > 100, "the disc's edge is smoothed: {smoothed} pixels in between");
        let full = pixels(size, true);
        assert_eq!(
            at(&full, size, 0, 0),
            [GREEN[0], GREEN[1], GREEN[2], 255],
            "full-bleed has no clear corner"
        );
    }

    #[test]
    fn the_png_reads_back_as_the_pixels() {
        use std::io::Read;
        let size = 16;
        let rgba = pixels(size, false);
        let file = png(size, &rgba).expect("a png");
        assert_eq!(&file[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&file[12..16], b"IHDR");
        assert_eq!(u32::from_be_bytes(file[16..20].try_into().expect("4 bytes")), size);
        // IHDR: 8 length + type, 13 data, 4 CRC; then IDAT.
        let idat_at = 8 + 4 + 4 + 13 + 4;
        let length = u32::from_be_bytes(file[idat_at..idat_at + 4].try_into().expect("4 bytes")) as usize;
        assert_eq!(&file[idat_at + 4..idat_at + 8], b"IDAT");
        let mut raw = Vec::new();
        flate2::read::ZlibDecoder::new(&file[idat_at + 8..idat_at + 8 + length])
            .read_to_end(&mut raw)
            .expect("inflates");
        let rows: Vec<u8> = raw.chunks(size as usize * 4 + 1).flat_map(|row| row[1..].to_vec()).collect();
        assert_eq!(rows, rgba);
        // Each chunk's CRC is over its type and data.
        let mut crc = flate2::Crc::new();
        crc.update(&file[12..16 + 13]);
        assert_eq!(crc.sum().to_be_bytes(), file[29..33]);
        assert!(file.ends_with(b"IEND\xaeB`\x82"), "the standard IEND chunk");
    }
}
