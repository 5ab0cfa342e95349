//! QR codes of m.me links (SVG and PNG) and the printable A6 card (PNG and PDF) a shop puts at
//! the till: the shop's name, a call to action in the chosen language, the code, the link.
//!
//! One drawing, three formats: the card is an SVG; resvg rasterizes it, svg2pdf makes the PDF.
//! The fonts are embedded (DejaVu Sans covers Latin, Vietnamese and Arabic), so a card looks the
//! same on a server without fonts. Meta's Messenger Codes API is gone: any phone camera reads a
//! standard QR code of the link.

use std::sync::{Arc, LazyLock};

use qrcode::{Color, EcLevel, QrCode};
use resvg::{tiny_skia, usvg};

static FONTS: LazyLock<Arc<usvg::fontdb::Database>> = LazyLock::new(|| {
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(include_bytes!("../../assets/fonts/DejaVuSans.ttf").to_vec());
    db.load_font_data(include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf").to_vec());
    db.set_sans_serif_family("DejaVu Sans");
    Arc::new(db)
});

/// A6 in PDF points (105 × 148 mm).
const A6: (f32, f32) = (298.0, 420.0);
/// The light margin every reader needs around a code, in modules.
const QUIET: usize = 4;

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("the link is too long for a QR code ({0} bytes)")]
    TooLong(usize),
    #[error("drawing failed: {0}")]
    Draw(String),
}

/// The code's dark modules as one SVG path, in module units, with the quiet zone.
fn modules(url: &str) -> Result<(String, usize), PrintError> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .map_err(|_| PrintError::TooLong(url.len()))?;
    let width = code.width();
    let mut path = String::new();
    for (i, c) in code.to_colors().iter().enumerate() {
        if *c == Color::Dark {
            let (x, y) = (i % width + QUIET, i / width + QUIET);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Ok((path, width + 2 * QUIET))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The QR code of `url` as an SVG, `size` pixels wide.
pub fn qr_svg(url: &str, size: u32) -> Result<String, PrintError> {
    let (path, n) = modules(url)?;
    Ok(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {n} {n}" shape-rendering="crispEdges"><rect width="{n}" height="{n}" fill="#fff"/><path fill="#000" d="{path}"/></svg>"##
    ))
}

/// The QR code of `url` as a PNG: `scale` pixels per module.
pub fn qr_png(url: &str, scale: u32) -> Result<Vec<u8>, PrintError> {
    let (_, n) = modules(url)?;
    png_of(&qr_svg(url, n as u32 * scale)?, 1.0)
}

/// What the card says.
#[derive(Debug, Clone)]
pub struct Card<'a> {
    pub shop: &'a str,
    /// "Scan to chat with us on Messenger", in the chosen language.
    pub call_to_action: &'a str,
    pub url: &'a str,
    /// Arabic cards read right to left.
    pub rtl: bool,
}

/// Splits `text` into lines of about `width` characters, at spaces.
fn lines(text: &str, width: usize) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for word in text.split_whitespace() {
        match out.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => out.push(word.to_owned()),
        }
    }
    out
}

/// The A6 card as an SVG, in points.
pub fn card_svg(c: &Card<'_>) -> Result<String, PrintError> {
    let (w, h) = A6;
    let (path, n) = modules(c.url)?;
    let side = 220.0;
    let scale = side / n as f32;
    let qr_x = (w - side) / 2.0;
    let dir = if c.rtl { "rtl" } else { "ltr" };
    let mut text = String::new();
    let mut y: f32 = 52.0;
    for line in lines(c.shop, 22) {
        text.push_str(&format!(
            r##"<text x="{}" y="{y}" font-family="DejaVu Sans" font-weight="bold" font-size="22" text-anchor="middle" direction="{dir}" fill="#111">{}</text>"##,
            w / 2.0,
            escape(&line)
        ));
        y += 26.0;
    }
    y += 2.0;
    for line in lines(c.call_to_action, 34) {
        text.push_str(&format!(
            r##"<text x="{}" y="{y}" font-family="DejaVu Sans" font-size="14" text-anchor="middle" direction="{dir}" fill="#0a5cd8">{}</text>"##,
            w / 2.0,
            escape(&line)
        ));
        y += 18.0;
    }
    // The code in the middle of the room left, the link (without its prefilled text) under it.
    let qr_y = y + ((h - 24.0 - y - side - 28.0) / 2.0).max(4.0);
    let link = c.url.trim_start_matches("https://");
    let link = link.split("&text=").next().unwrap_or(link);
    let link_y = qr_y + side + 28.0;
    Ok(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}"><rect width="{w}" height="{h}" fill="#fff"/><rect x="8" y="8" width="{}" height="{}" rx="14" fill="none" stroke="#0a5cd8" stroke-width="2"/>{text}<g transform="translate({qr_x} {qr_y}) scale({scale})" shape-rendering="crispEdges"><path fill="#000" d="{path}"/></g><text x="{}" y="{link_y}" font-family="DejaVu Sans" font-size="{}" text-anchor="middle" fill="#333">{}</text></svg>"##,
        w - 16.0,
        h - 16.0,
        w / 2.0,
        if link.len() > 40 { 8 } else { 11 },
        escape(&link.chars().take(80).collect::<String>())
    ))
}

fn tree(svg: &str) -> Result<usvg::Tree, PrintError> {
    let options = usvg::Options {
        fontdb: FONTS.clone(),
        font_family: "DejaVu Sans".into(),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &options).map_err(|e| PrintError::Draw(e.to_string()))
}

/// Rasterizes `svg` at `zoom` times its size.
fn png_of(svg: &str, zoom: f32) -> Result<Vec<u8>, PrintError> {
    let tree = tree(svg)?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(zoom)
        .ok_or_else(|| PrintError::Draw("the drawing has no size".into()))?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| PrintError::Draw("the drawing is empty".into()))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(zoom, zoom),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| PrintError::Draw(e.to_string()))
}

/// The card as a PNG at 300 dpi (1240 × 1748 pixels).
pub fn card_png(c: &Card<'_>) -> Result<Vec<u8>, PrintError> {
    png_of(&card_svg(c)?, 300.0 / 72.0)
}

/// The card as a one-page A6 PDF, text and code as vectors.
pub fn card_pdf(c: &Card<'_>) -> Result<Vec<u8>, PrintError> {
    let tree = tree(&card_svg(c)?)?;
    svg2pdf::to_pdf(
        &tree,
        svg2pdf::ConversionOptions::default(),
        svg2pdf::PageOptions::default(),
    )
    .map_err(|e| PrintError::Draw(e.to_string()))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The text a PNG's QR code holds, read back as a phone camera would.
    pub fn decode_png(png_bytes: &[u8]) -> String {
        let decoder = png::Decoder::new(png_bytes);
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        let channels = info.color_type.samples();
        let (w, h) = (info.width as usize, info.height as usize);
        let mut img =
            rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[(y * w + x) * channels]);
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one code in the picture");
        grids[0].decode().unwrap().1
    }

    const URL: &str = "https://m.me/1001?ref=counter&text=Xin%20ch%C3%A0o";

    #[test]
    fn the_png_code_reads_back_as_the_link() {
        assert_eq!(decode_png(&qr_png(URL, 8).unwrap()), URL);
        let svg = qr_svg(URL, 256).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("h1v1h-1z"));
    }

    #[test]
    fn the_card_prints_in_every_script_and_its_code_reads_back() {
        for (shop, cta, rtl) in [
            (
                "Tiệm Bánh Hoa",
                "Quét mã để nhắn tin với shop trên Messenger",
                false,
            ),
            ("مخبز الورد", "امسح الرمز لمراسلتنا على ماسنجر", true),
        ] {
            let card = Card {
                shop,
                call_to_action: cta,
                url: URL,
                rtl,
            };
            let png = card_png(&card).unwrap();
            assert_eq!(decode_png(&png), URL);
            let pdf = card_pdf(&card).unwrap();
            assert!(pdf.starts_with(b"%PDF-"), "a PDF");
            assert!(pdf.len() > 2_000);
        }
    }

    #[test]
    fn long_text_wraps_at_spaces() {
        assert_eq!(
            lines("Scan to chat with us on Messenger", 12),
            ["Scan to chat", "with us on", "Messenger"]
        );
    }
}
