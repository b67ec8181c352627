//! Attachments of complaints: type detection by content (magic bytes), never by name or declared
//! type, and removal of image metadata (EXIF incl. GPS, XMP, comments, PNG text chunks) before
//! storage. PURE: bytes in, bytes out.

use serde::{Deserialize, Serialize};

use crate::domain::code::Code;

/// The types of file a complaint may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MediaType {
    #[serde(rename = "image/jpeg")]
    Jpeg,
    #[serde(rename = "image/png")]
    Png,
    #[serde(rename = "application/pdf")]
    Pdf,
}

crate::closed_set!(MediaType { Jpeg => "image/jpeg", Png => "image/png", Pdf => "application/pdf" });

impl MediaType {
    /// File-name extensions that fit this type.
    fn extensions(self) -> &'static [&'static str] {
        match self {
            MediaType::Jpeg => &["jpg", "jpeg", "jpe", "jfif"],
            MediaType::Png => &["png"],
            MediaType::Pdf => &["pdf"],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentError {
    #[error("is not a JPEG, PNG or PDF file (checked by content)")]
    UnknownType,
    #[error("the file name says .{extension} but the content is {actual}")]
    ExtensionMismatch { extension: String, actual: &'static str },
    #[error("the declared type {declared} does not match the content ({actual})")]
    DeclaredTypeMismatch { declared: String, actual: &'static str },
    #[error("the image is damaged or truncated")]
    Malformed,
    #[error("the PDF could not be read, so its hidden data (author, XMP) cannot be removed; send another copy or photos")]
    UnreadablePdf,
    #[error(
        "the PDF is encrypted, so its hidden data (author, XMP) cannot be removed; send an unencrypted copy"
    )]
    EncryptedPdf,
}

/// Detects the type from the first bytes.
pub fn sniff(bytes: &[u8]) -> Option<MediaType> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(MediaType::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(MediaType::Png)
    } else if bytes.starts_with(b"%PDF-") {
        Some(MediaType::Pdf)
    } else {
        None
    }
}

/// Checks the content and that the file name and declared type (when given) do not lie, then
/// returns the type and the bytes to store (images and PDFs without metadata).
pub fn accept(
    bytes: &[u8],
    file_name: Option<&str>,
    declared: Option<&str>,
) -> Result<(MediaType, Vec<u8>), AttachmentError> {
    let actual = sniff(bytes).ok_or(AttachmentError::UnknownType)?;
    if let Some(ext) = file_name.and_then(|n| n.rsplit_once('.')).map(|(_, e)| e.to_ascii_lowercase()) {
        if !actual.extensions().contains(&ext.as_str()) {
            return Err(AttachmentError::ExtensionMismatch { extension: ext, actual: actual.code() });
        }
    }
    if let Some(d) = declared.map(|d| d.trim().to_ascii_lowercase()).filter(|d| !d.is_empty()) {
        let d = if d == "image/jpg" { "image/jpeg".to_string() } else { d };
        if d != actual.code() {
            return Err(AttachmentError::DeclaredTypeMismatch { declared: d, actual: actual.code() });
        }
    }
    let clean = match actual {
        MediaType::Jpeg => strip_jpeg(bytes)?,
        MediaType::Png => strip_png(bytes)?,
        MediaType::Pdf => strip_pdf(bytes)?,
    };
    Ok((actual, clean))
}

/// Rewrites a PDF without its document information (author, creator, producer, dates — the
/// trailer's `/Info`), without XMP metadata (`/Metadata` streams on the catalog, pages or
/// images) and without application private data (`/PieceInfo`). The file is written anew, so
/// earlier revisions of an incrementally saved PDF are gone too. What the pages show stays.
pub fn strip_pdf(b: &[u8]) -> Result<Vec<u8>, AttachmentError> {
    use lopdf::Object;
    let mut doc = lopdf::Document::load_mem(b).map_err(|_| AttachmentError::UnreadablePdf)?;
    if doc.is_encrypted() {
        return Err(AttachmentError::EncryptedPdf);
    }
    doc.trailer.remove(b"Info");
    for object in doc.objects.values_mut() {
        let dict = match object {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &mut s.dict,
            _ => continue,
        };
        dict.remove(b"Metadata");
        dict.remove(b"PieceInfo");
    }
    doc.prune_objects();
    let mut out = Vec::with_capacity(b.len());
    doc.save_to(&mut out).map_err(|_| AttachmentError::UnreadablePdf)?;
    Ok(out)
}

/// Removes every metadata segment from a JPEG: APP1 (EXIF with GPS, XMP), APP3–APP13, APP15 and
/// COM. Kept: APP0 (JFIF), APP2 only when it is an ICC profile (colour), APP14 (Adobe colour
/// transform), and all image segments. The entropy-coded data after SOS is copied as is.
pub fn strip_jpeg(b: &[u8]) -> Result<Vec<u8>, AttachmentError> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return Err(AttachmentError::Malformed);
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut i = 2;
    loop {
        // Skip fill bytes.
        while i < b.len() && b[i] == 0xFF && b.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        if i + 1 >= b.len() || b[i] != 0xFF {
            return Err(AttachmentError::Malformed);
        }
        let marker = b[i + 1];
        match marker {
            // EOI without image data, or standalone markers (TEM, RSTn).
            0xD9 => {
                out.extend_from_slice(&b[i..i + 2]);
                return Ok(out);
            }
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&b[i..i + 2]);
                i += 2;
                continue;
            }
            _ => {}
        }
        if i + 4 > b.len() {
            return Err(AttachmentError::Malformed);
        }
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        if len < 2 || i + 2 + len > b.len() {
            return Err(AttachmentError::Malformed);
        }
        let seg = &b[i..i + 2 + len];
        let payload = &seg[4..];
        let keep = match marker {
            0xE0 => true,
            0xE2 => payload.starts_with(b"ICC_PROFILE\0"),
            0xEE => true,
            0xE1 | 0xE3..=0xED | 0xEF | 0xFE => false,
            _ => true,
        };
        if keep {
            out.extend_from_slice(seg);
        }
        i += 2 + len;
        if marker == 0xDA {
            // Start of scan: the rest is image data (and possibly more scans and EOI).
            out.extend_from_slice(&b[i..]);
            return Ok(out);
        }
    }
}

/// Keeps only PNG chunks needed to show the image correctly; drops text (tEXt, zTXt, iTXt),
/// EXIF (eXIf), time (tIME) and every other ancillary chunk.
pub fn strip_png(b: &[u8]) -> Result<Vec<u8>, AttachmentError> {
    const KEEP: [&[u8; 4]; 10] =
        [b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT"];
    if b.len() < 8 {
        return Err(AttachmentError::Malformed);
    }
    let mut out = b[..8].to_vec();
    let mut i = 8;
    while i + 12 <= b.len() {
        let len = u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]) as usize;
        let end = i.checked_add(12).and_then(|x| x.checked_add(len)).ok_or(AttachmentError::Malformed)?;
        if end > b.len() {
            return Err(AttachmentError::Malformed);
        }
        let kind = &b[i + 4..i + 8];
        if KEEP.iter().any(|k| k.as_slice() == kind) {
            out.extend_from_slice(&b[i..end]);
        }
        i = end;
        if kind == b"IEND" {
            return Ok(out);
        }
    }
    Err(AttachmentError::Malformed)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn jpeg_with_exif() -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8];
        v.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x10]);
        v.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        let exif = b"Exif\0\0MM\0*GPSLatitude 51.9225 N";
        v.extend_from_slice(&[0xFF, 0xE1]);
        v.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
        v.extend_from_slice(exif);
        v.extend_from_slice(&[0xFF, 0xFE, 0x00, 0x07]);
        v.extend_from_slice(b"hello");
        v.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x04, 0x01, 0x02]);
        v.extend_from_slice(&[0x11, 0x22, 0xFF, 0x00, 0x33]);
        v.extend_from_slice(&[0xFF, 0xD9]);
        v
    }

    #[test]
    fn exif_and_comments_are_removed_from_jpeg() {
        let (t, clean) = accept(&jpeg_with_exif(), Some("foto.JPG"), Some("image/jpeg")).unwrap();
        assert_eq!(t, MediaType::Jpeg);
        let s = String::from_utf8_lossy(&clean);
        assert!(!s.contains("Exif") && !s.contains("GPS") && !s.contains("hello"));
        assert!(s.contains("JFIF"));
        assert!(clean.ends_with(&[0x11, 0x22, 0xFF, 0x00, 0x33, 0xFF, 0xD9]));
    }

    #[test]
    fn png_text_chunks_are_removed() {
        fn chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
            let mut c = (data.len() as u32).to_be_bytes().to_vec();
            c.extend_from_slice(kind);
            c.extend_from_slice(data);
            c.extend_from_slice(&[0, 0, 0, 0]);
            c
        }
        let mut p = b"\x89PNG\r\n\x1a\n".to_vec();
        p.extend(chunk(b"IHDR", &[0; 13]));
        p.extend(chunk(b"tEXt", b"GPS\0Rotterdam"));
        p.extend(chunk(b"IDAT", &[1, 2, 3]));
        p.extend(chunk(b"IEND", &[]));
        let (_, clean) = accept(&p, Some("a.png"), None).unwrap();
        assert!(!String::from_utf8_lossy(&clean).contains("Rotterdam"));
        assert_eq!(clean.len(), p.len() - (12 + 13));
    }

    /// A one-page PDF whose author "Jan Jansen" sits in the document information and in XMP.
    pub(crate) fn pdf_with_author() -> Vec<u8> {
        use lopdf::{dictionary, Document, Object, Stream};
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let content =
            doc.add_object(Stream::new(dictionary! {}, b"BT /F1 12 Tf 72 712 Td (Melding) Tj ET".to_vec()));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {"Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1}),
        );
        let xmp = doc.add_object(Stream::new(
            dictionary! {"Type" => "Metadata", "Subtype" => "XML"},
            b"<x:xmpmeta><dc:creator>Jan Jansen</dc:creator></x:xmpmeta>".to_vec(),
        ));
        let catalog =
            doc.add_object(dictionary! {"Type" => "Catalog", "Pages" => pages_id, "Metadata" => xmp});
        doc.trailer.set("Root", catalog);
        let info = doc.add_object(dictionary! {
            "Author" => Object::string_literal("Jan Jansen"), "Producer" => Object::string_literal("Tekstverwerker"),
        });
        doc.trailer.set("Info", info);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    #[test]
    fn pdf_author_and_xmp_are_removed_and_the_page_stays() {
        let pdf = pdf_with_author();
        assert!(String::from_utf8_lossy(&pdf).contains("Jan Jansen"));
        let (kind, clean) = accept(&pdf, Some("brief.pdf"), Some("application/pdf")).unwrap();
        assert_eq!(kind, MediaType::Pdf);
        let text = String::from_utf8_lossy(&clean);
        assert!(!text.contains("Jan Jansen") && !text.contains("Tekstverwerker"), "{text}");
        assert!(text.contains("(Melding) Tj"), "the page content stays: {text}");
        // Still a PDF that reads back with its page.
        let back = lopdf::Document::load_mem(&clean).unwrap();
        assert_eq!(back.get_pages().len(), 1);
        // Not a readable PDF: refused, never stored as is.
        assert_eq!(accept(b"%PDF-1.4\n%%EOF\n", None, None), Err(AttachmentError::UnreadablePdf));
    }

    #[test]
    fn lying_names_and_types_are_refused() {
        assert!(matches!(
            accept(b"%PDF-1.7 ...", Some("photo.jpg"), None),
            Err(AttachmentError::ExtensionMismatch { .. })
        ));
        assert!(matches!(
            accept(b"%PDF-1.7 ...", None, Some("image/png")),
            Err(AttachmentError::DeclaredTypeMismatch { .. })
        ));
        assert_eq!(accept(b"MZ\x90\0 program", Some("photo.jpg"), None), Err(AttachmentError::UnknownType));
        assert_eq!(accept(&[0xFF, 0xD8, 0xFF, 0xE1, 0x00], None, None), Err(AttachmentError::Malformed));
    }
}
