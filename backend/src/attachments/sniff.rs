//! What a file really is, from its bytes. The client's Content-Type is never consulted, and
//! the file name only counts as a claim that the bytes must not contradict.
//!
//! Accepted: what public offices attach to a case — PDF; PNG, JPEG, GIF, WebP, TIFF and BMP
//! images; Word, Excel and PowerPoint (OOXML and the legacy binary formats); OpenDocument text,
//! spreadsheets and presentations; plain text as `.txt`, `.csv` or `.log`.
//!
//! Refused: everything else, in particular executables (PE, ELF, Mach-O, …), scripts and
//! markup (shebang scripts, HTML, XML and SVG, which can carry scripts), archives (ZIP, 7z,
//! RAR, … hide their content from this check), macro-enabled OOXML (`.docm`, `.xlsm`, `.pptm`)
//! and text under any other extension (`.js`, `.bat`, `.html`, …).
use thiserror::Error;

/// The type of an accepted file: its MIME type and the usual extension for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sniffed {
    pub mime: &'static str,
    pub extension: &'static str,
}

/// Why a file is refused. The `Display` texts are meant to follow the file's name.
#[derive(Debug, Error, PartialEq)]
pub enum Rejection {
    #[error("the file is empty")]
    Empty,
    #[error("its content is {detected}, which is not an accepted type")]
    Unsupported { detected: String },
    /// The name (`claimed`, an extension such as `.png`) contradicts the content.
    #[error("it is named as {claimed} but its content is {detected}")]
    Disguised { claimed: String, detected: String },
}

/// An accepted format: its MIME type and the extensions a name may have for it (first is usual).
struct Format {
    mime: &'static str,
    extensions: &'static [&'static str],
}

impl Format {
    fn sniffed(&self) -> Sniffed {
        Sniffed { mime: self.mime, extension: self.extensions[0] }
    }
}

const PDF: Format = Format { mime: "application/pdf", extensions: &["pdf"] };
const PNG: Format = Format { mime: "image/png", extensions: &["png"] };
const JPEG: Format = Format { mime: "image/jpeg", extensions: &["jpg", "jpeg", "jpe", "jfif"] };
const GIF: Format = Format { mime: "image/gif", extensions: &["gif"] };
const WEBP: Format = Format { mime: "image/webp", extensions: &["webp"] };
const TIFF: Format = Format { mime: "image/tiff", extensions: &["tif", "tiff"] };
const BMP: Format = Format { mime: "image/bmp", extensions: &["bmp"] };
const DOCX: Format = Format { mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", extensions: &["docx"] };
const XLSX: Format = Format { mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", extensions: &["xlsx"] };
const PPTX: Format = Format { mime: "application/vnd.openxmlformats-officedocument.presentationml.presentation", extensions: &["pptx"] };
const ODT: Format = Format { mime: "application/vnd.oasis.opendocument.text", extensions: &["odt"] };
const ODS: Format = Format { mime: "application/vnd.oasis.opendocument.spreadsheet", extensions: &["ods"] };
const ODP: Format = Format { mime: "application/vnd.oasis.opendocument.presentation", extensions: &["odp"] };
const DOC: Format = Format { mime: "application/msword", extensions: &["doc"] };
const XLS: Format = Format { mime: "application/vnd.ms-excel", extensions: &["xls"] };
const PPT: Format = Format { mime: "application/vnd.ms-powerpoint", extensions: &["ppt"] };

/// Binary formats, recognised by their bytes.
const BINARY: &[&Format] = &[&PDF, &PNG, &JPEG, &GIF, &WEBP, &TIFF, &BMP, &DOCX, &XLSX, &PPTX, &ODT, &ODS, &ODP, &DOC, &XLS, &PPT];

/// Text has no magic bytes: the extension decides, among these only.
const TEXT: &[Sniffed] = &[Sniffed { mime: "text/plain", extension: "txt" }, Sniffed { mime: "text/csv", extension: "csv" }, Sniffed { mime: "text/plain", extension: "log" }];

const ZIP: &str = "application/zip";
const OLE_STORAGE: &str = "application/x-ole-storage";
const OCTET_STREAM: &str = "application/octet-stream";

/// What the bytes are, before the name is considered.
enum Detected {
    Accepted(&'static Format),
    Refused(String),
    Text,
    Unknown,
}

/// Decides whether a file may be attached, and as what. Pure: looks only at the name and bytes.
pub fn sniff(file_name: &str, bytes: &[u8]) -> Result<Sniffed, Rejection> {
    if bytes.is_empty() {
        return Err(Rejection::Empty);
    }
    // Scripts and markup are refused whatever the name or any other signature found later.
    if let Some(kind) = script_or_markup(bytes) {
        return Err(Rejection::Unsupported { detected: kind.into() });
    }
    let ext = extension(file_name);
    let text_ext = ext.as_deref().and_then(|e| TEXT.iter().find(|t| t.extension == e));
    // A text file may begin like a weak binary signature ("MZ…", "BM…"); a real binary has NULs.
    if let Some(t) = text_ext {
        if looks_like_text(bytes) {
            return Ok(*t);
        }
    }
    match (detect(bytes), ext) {
        (Detected::Refused(mime), _) => Err(Rejection::Unsupported { detected: mime }),
        (Detected::Unknown, _) => Err(Rejection::Unsupported { detected: unknown_label(bytes).into() }),
        (Detected::Accepted(format), None) => Ok(format.sniffed()),
        (Detected::Accepted(format), Some(e)) if format.extensions.contains(&e.as_str()) => Ok(format.sniffed()),
        (Detected::Accepted(format), Some(e)) => Err(Rejection::Disguised { claimed: format!(".{e}"), detected: format.mime.into() }),
        (Detected::Text, None) => Ok(TEXT[0]),
        // Text named as one of the binary formats (or as .txt when it did not look like text: unreachable).
        (Detected::Text, Some(e)) if is_accepted_extension(&e) => Err(Rejection::Disguised { claimed: format!(".{e}"), detected: "text/plain".into() }),
        (Detected::Text, Some(_)) => Err(Rejection::Unsupported { detected: "text/plain".into() }),
    }
}

fn detect(bytes: &[u8]) -> Detected {
    let Some(kind) = infer::get(bytes) else {
        return if looks_like_text(bytes) { Detected::Text } else { Detected::Unknown };
    };
    let mime = kind.mime_type();
    if mime == ZIP || [DOCX.mime, XLSX.mime, PPTX.mime].contains(&mime) {
        // infer only recognises OOXML from the order of the first zip entries; read the directory.
        if let Some(d) = classify_zip(bytes) {
            return d;
        }
    }
    if mime == OLE_STORAGE {
        // A compound file whose class id infer does not know: legacy Office written by other tools.
        if let Some(format) = classify_ole(bytes) {
            return Detected::Accepted(format);
        }
    }
    match BINARY.iter().find(|f| f.mime == mime) {
        Some(format) => Detected::Accepted(format),
        None => Detected::Refused(mime.to_owned()),
    }
}

/// The extension a name claims, lowercased: the text after the last dot, if it looks like an
/// extension (1–10 ASCII letters or digits, at least one letter). Trailing dots and spaces,
/// which Windows ignores, are ignored. "Acta No. 5" and "v2.1" have none.
pub fn extension(file_name: &str) -> Option<String> {
    let name = file_name.trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    let (_, ext) = name.rsplit_once('.')?;
    let looks_like_one = (1..=10).contains(&ext.len()) && ext.bytes().all(|c| c.is_ascii_alphanumeric()) && ext.bytes().any(|c| c.is_ascii_alphabetic());
    looks_like_one.then(|| ext.to_ascii_lowercase())
}

fn is_accepted_extension(ext: &str) -> bool {
    BINARY.iter().any(|f| f.extensions.contains(&ext)) || TEXT.iter().any(|t| t.extension == ext)
}

/// Text: no NUL bytes, and either valid UTF-8 or a legacy 8-bit encoding without control
/// characters (Excel on Windows saves CSV as Windows-1252). UTF-16 has NULs and is refused.
fn looks_like_text(bytes: &[u8]) -> bool {
    if bytes.contains(&0) {
        return false;
    }
    std::str::from_utf8(bytes).is_ok() || bytes.iter().all(|&c| c >= 0x20 && c != 0x7f || matches!(c, b'\t' | b'\n' | b'\r' | 0x0c))
}

fn unknown_label(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        "UTF-16 text (save it as UTF-8)"
    } else {
        OCTET_STREAM
    }
}

/// Shebang scripts and anything starting like HTML, XML or SVG markup.
fn script_or_markup(bytes: &[u8]) -> Option<&'static str> {
    let mut b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if b.starts_with(b"#!") {
        return Some("text/x-shellscript");
    }
    while let [c, rest @ ..] = b {
        if !c.is_ascii_whitespace() {
            break;
        }
        b = rest;
    }
    match b {
        [b'<', c, ..] if c.is_ascii_alphabetic() || matches!(*c, b'!' | b'?' | b'/') => {
            let head = String::from_utf8_lossy(&b[..b.len().min(4096)]).to_ascii_lowercase();
            Some(if head.contains("<svg") {
                "image/svg+xml"
            } else if head.starts_with("<?xml") {
                "text/xml"
            } else {
                "text/html"
            })
        }
        _ => None,
    }
}

/// OOXML by its entries: `[Content_Types].xml` and a `word/`, `xl/` or `ppt/` part. A VBA
/// project makes it macro-enabled, which is refused. Any other zip is refused as a zip.
/// `None` when the zip directory cannot be read (then infer's opinion stands).
fn classify_zip(bytes: &[u8]) -> Option<Detected> {
    let names = zip_entry_names(bytes)?;
    let has_prefix = |p: &[u8]| names.iter().any(|n| n.starts_with(p));
    if names.contains(&&b"[Content_Types].xml"[..]) {
        let macros = names.iter().any(|n| n.ends_with(b"vbaProject.bin"));
        let kinds: [(&[u8], &'static Format, &str); 3] = [
            (b"word/", &DOCX, "application/vnd.ms-word.document.macroEnabled.12"),
            (b"xl/", &XLSX, "application/vnd.ms-excel.sheet.macroEnabled.12"),
            (b"ppt/", &PPTX, "application/vnd.ms-powerpoint.presentation.macroEnabled.12"),
        ];
        for (prefix, format, macro_mime) in kinds {
            if has_prefix(prefix) {
                return Some(if macros { Detected::Refused(macro_mime.into()) } else { Detected::Accepted(format) });
            }
        }
    }
    Some(Detected::Refused(ZIP.into()))
}

/// Entry names from a zip's central directory (not the local headers, whose sizes may be absent).
fn zip_entry_names(b: &[u8]) -> Option<Vec<&[u8]>> {
    const EOCD: &[u8] = b"PK\x05\x06";
    let u16_at = |i: usize| b.get(i..i + 2).map(|s| u16::from_le_bytes([s[0], s[1]]) as usize);
    let u32_at = |i: usize| b.get(i..i + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize);
    let last = b.len().checked_sub(22)?;
    let first = b.len().saturating_sub(22 + 0xffff);
    let eocd = (first..=last).rev().find(|&i| b[i..].starts_with(EOCD))?;
    let count = u16_at(eocd + 10)?;
    let mut at = u32_at(eocd + 16)?;
    let mut names = Vec::with_capacity(count.min(1024));
    for _ in 0..count {
        if !b.get(at..)?.starts_with(b"PK\x01\x02") {
            return None;
        }
        let (name_len, extra_len, comment_len) = (u16_at(at + 28)?, u16_at(at + 30)?, u16_at(at + 32)?);
        names.push(b.get(at + 46..at + 46 + name_len)?);
        at += 46 + name_len + extra_len + comment_len;
    }
    Some(names)
}

/// Legacy Office files by their main stream's directory entry name (UTF-16LE, NUL-terminated).
/// An MSI installer has none of these and stays refused.
fn classify_ole(bytes: &[u8]) -> Option<&'static Format> {
    let entry = |name: &str| -> Vec<u8> { name.encode_utf16().chain([0]).flat_map(u16::to_le_bytes).collect() };
    let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    [("WordDocument", &DOC), ("Workbook", &XLS), ("Book", &XLS), ("PowerPoint Document", &PPT)].into_iter().find(|(name, _)| contains(&entry(name))).map(|(_, format)| format)
}

/// Minimal but real files of each kind, for tests here and in `upload`.
#[cfg(test)]
pub(crate) mod samples {
    pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89";
    pub const JPEG: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9";
    pub const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
    pub const WEBP: &[u8] = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00";
    pub const TIFF_LE: &[u8] = b"II*\x00\x08\x00\x00\x00\x0e\x00\x00\x01\x03\x00\x01\x00\x00\x00\x01\x00\x00\x00";
    pub const TIFF_BE: &[u8] = b"MM\x00*\x00\x00\x00\x08\x00\x0e\x01\x00\x00\x03\x00\x00\x00\x01\x00\x01\x00\x00";
    pub const BMP: &[u8] = b"BM\x3a\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x01\x00\x18\x00";
    pub const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 8 /Filter /FlateDecode >>\nstream\n\x78\x9c\x03\x00\x00\x00\x00\x01\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
    /// A Windows PE: "MZ", the DOS header with its NULs, then "PE\0\0".
    pub const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\x00\x00\x00\x00\x00\x00\x00@\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x00\x00\x00PE\x00\x00L\x01";
    pub const ELF: &[u8] = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00\x01\x00\x00\x00\x40\x10\x40\x00\x00\x00\x00\x00\x40\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x40\x00\x38\x00";
    pub const MACHO: &[u8] = b"\xcf\xfa\xed\xfe\x07\x00\x00\x01\x03\x00\x00\x00\x02\x00\x00\x00\x10\x00\x00\x00";
    pub const SEVEN_Z: &[u8] = b"7z\xbc\xaf\x27\x1c\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00";
    pub const RAR: &[u8] = b"Rar!\x1a\x07\x01\x00\x00\x00\x00\x00";
    pub const GZIP: &[u8] = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00";

    /// A stored (uncompressed) zip; CRCs are left at zero, which detection does not check.
    pub fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for (name, data) in entries {
            let offset = out.len() as u32;
            let mut h = Vec::new();
            h.extend_from_slice(b"PK\x03\x04");
            h.extend_from_slice(&20u16.to_le_bytes()); // version needed
            h.extend_from_slice(&[0; 8]); // flags, method (stored), time, date
            h.extend_from_slice(&0u32.to_le_bytes()); // crc
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(&h);
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(data);
            central.extend_from_slice(b"PK\x01\x02");
            central.extend_from_slice(&20u16.to_le_bytes()); // version made by
            central.extend_from_slice(&h[4..30]);
            central.extend_from_slice(&[0; 10]); // comment length, disk, internal and external attributes
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name.as_bytes());
        }
        let directory_at = out.len() as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(b"PK\x05\x06\x00\x00\x00\x00");
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&directory_at.to_le_bytes());
        out.extend_from_slice(&[0; 2]);
        out
    }

    const CONTENT_TYPES: &[u8] = b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";

    /// OOXML with its entries in the order Microsoft Office writes them.
    pub fn ooxml(dir: &str, main: &str) -> Vec<u8> {
        let main_path = format!("{dir}/{main}");
        let rels_path = format!("{dir}/_rels/{main}.rels");
        zip(&[
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", b"<Relationships/>"),
            (&main_path, b"<document/>"),
            (&rels_path, b"<Relationships/>"),
            ("docProps/app.xml", b"<Properties/>"),
        ])
    }

    pub fn docx() -> Vec<u8> {
        ooxml("word", "document.xml")
    }

    pub fn xlsx() -> Vec<u8> {
        ooxml("xl", "workbook.xml")
    }

    pub fn pptx() -> Vec<u8> {
        ooxml("ppt", "presentation.xml")
    }

    pub fn odf(kind: &str) -> Vec<u8> {
        let mimetype = format!("application/vnd.oasis.opendocument.{kind}");
        zip(&[("mimetype", mimetype.as_bytes()), ("META-INF/manifest.xml", b"<manifest/>"), ("content.xml", b"<office/>")])
    }

    /// A minimal compound file (v3, 512-byte sectors): header, one FAT sector, one directory
    /// sector holding the root entry with `clsid` and one empty stream per name.
    pub fn cfb(clsid: [u8; 16], streams: &[&str]) -> Vec<u8> {
        const FREE: u32 = 0xffff_ffff;
        const END: u32 = 0xffff_fffe;
        const FAT_SECTOR: u32 = 0xffff_fffd;
        let mut header = Vec::with_capacity(512);
        header.extend_from_slice(&[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
        header.extend_from_slice(&[0; 16]);
        for v in [0x3eu16, 3, 0xfffe, 9, 6] {
            header.extend_from_slice(&v.to_le_bytes()); // minor, major version, byte order, sector shifts
        }
        header.extend_from_slice(&[0; 6]);
        // directory sectors, FAT sectors, first directory sector, transaction, mini cutoff,
        // first mini FAT, mini FAT sectors, first DIFAT, DIFAT sectors, DIFAT[0] = sector 0.
        for v in [0u32, 1, 1, 0, 4096, END, 0, END, 0, 0] {
            header.extend_from_slice(&v.to_le_bytes());
        }
        header.resize(512, 0xff);
        let mut fat: Vec<u8> = [FAT_SECTOR, END].iter().flat_map(|v| v.to_le_bytes()).collect();
        fat.resize(512, 0xff);
        let entry = |name: &str, kind: u8, right: u32, child: u32, clsid: [u8; 16]| {
            let mut e = vec![0u8; 128];
            let utf16: Vec<u8> = name.encode_utf16().chain([0]).flat_map(u16::to_le_bytes).collect();
            e[..utf16.len()].copy_from_slice(&utf16);
            e[64..66].copy_from_slice(&(utf16.len() as u16).to_le_bytes());
            e[66] = kind;
            e[67] = 1; // black
            e[68..72].copy_from_slice(&FREE.to_le_bytes());
            e[72..76].copy_from_slice(&right.to_le_bytes());
            e[76..80].copy_from_slice(&child.to_le_bytes());
            e[80..96].copy_from_slice(&clsid);
            e[116..120].copy_from_slice(&END.to_le_bytes());
            e
        };
        let mut dir = entry("Root Entry", 5, FREE, if streams.is_empty() { FREE } else { 1 }, clsid);
        for (i, s) in streams.iter().enumerate() {
            let right = if i + 1 < streams.len() { i as u32 + 2 } else { FREE };
            dir.extend(entry(s, 2, right, FREE, [0; 16]));
        }
        while dir.len() < 512 {
            dir.extend(entry("", 0, FREE, FREE, [0; 16]));
        }
        [header, fat, dir].concat()
    }

    /// Class ids as stored (first three fields little-endian).
    pub const WORD_CLSID: [u8; 16] = [0x06, 0x09, 0x02, 0x00, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46];
    pub const EXCEL_CLSID: [u8; 16] = [0x20, 0x08, 0x02, 0x00, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46];
    pub const POWERPOINT_CLSID: [u8; 16] = [0x10, 0x8d, 0x81, 0x64, 0x9b, 0x4f, 0xcf, 0x11, 0x86, 0xea, 0x00, 0xaa, 0x00, 0xb9, 0x29, 0xe8];
    pub const MSI_CLSID: [u8; 16] = [0x84, 0x10, 0x0c, 0x00, 0, 0, 0, 0, 0xc0, 0, 0, 0, 0, 0, 0, 0x46];
}

#[cfg(test)]
mod tests {
    use super::samples::*;
    use super::{extension, sniff, Rejection, Sniffed, OCTET_STREAM, OLE_STORAGE, ZIP};

    fn ok(mime: &'static str, extension: &'static str) -> Result<Sniffed, Rejection> {
        Ok(Sniffed { mime, extension })
    }

    fn unsupported(detected: &str) -> Result<Sniffed, Rejection> {
        Err(Rejection::Unsupported { detected: detected.into() })
    }

    fn disguised(claimed: &str, detected: &str) -> Result<Sniffed, Rejection> {
        Err(Rejection::Disguised { claimed: claimed.into(), detected: detected.into() })
    }

    /// Makes sure each sample is what the test says it is before judging `sniff` with it.
    fn infer_says(bytes: &[u8]) -> Option<&'static str> {
        infer::get(bytes).map(|t| t.mime_type())
    }

    #[test]
    fn samples_are_recognised_by_infer() {
        let cases: Vec<(&str, Vec<u8>, Option<&str>)> = vec![
            ("pdf", PDF.to_vec(), Some(super::PDF.mime)),
            ("png", PNG.to_vec(), Some("image/png")),
            ("jpeg", JPEG.to_vec(), Some("image/jpeg")),
            ("gif", GIF.to_vec(), Some("image/gif")),
            ("webp", WEBP.to_vec(), Some("image/webp")),
            ("tiff le", TIFF_LE.to_vec(), Some("image/tiff")),
            ("tiff be", TIFF_BE.to_vec(), Some("image/tiff")),
            ("bmp", BMP.to_vec(), Some("image/bmp")),
            ("docx", docx(), Some(super::DOCX.mime)),
            ("xlsx", xlsx(), Some(super::XLSX.mime)),
            ("pptx", pptx(), Some(super::PPTX.mime)),
            ("odt", odf("text"), Some(super::ODT.mime)),
            ("ods", odf("spreadsheet"), Some(super::ODS.mime)),
            ("odp", odf("presentation"), Some(super::ODP.mime)),
            ("doc", cfb(WORD_CLSID, &["WordDocument"]), Some(super::DOC.mime)),
            ("xls", cfb(EXCEL_CLSID, &["Workbook"]), Some(super::XLS.mime)),
            ("ppt", cfb(POWERPOINT_CLSID, &["PowerPoint Document"]), Some(super::PPT.mime)),
            ("msi", cfb(MSI_CLSID, &[]), Some(OLE_STORAGE)),
            ("exe", EXE.to_vec(), Some("application/vnd.microsoft.portable-executable")),
            ("elf", ELF.to_vec(), Some("application/x-executable")),
            ("mach-o", MACHO.to_vec(), Some("application/x-mach-binary")),
            ("zip", zip(&[("factura.exe", EXE)]), Some(ZIP)),
            ("7z", SEVEN_Z.to_vec(), Some("application/x-7z-compressed")),
            ("rar", RAR.to_vec(), Some("application/vnd.rar")),
            ("gzip", GZIP.to_vec(), Some("application/gzip")),
            ("text", "Hola, señor".as_bytes().to_vec(), None),
        ];
        for (what, bytes, expected) in cases {
            assert_eq!(infer_says(&bytes), expected, "{what}");
        }
    }

    #[test]
    fn accepted_files() {
        let docx_libreoffice_order = zip(&[
            ("_rels/.rels", b"<Relationships/>"),
            ("docProps/core.xml", b"<cp/>"),
            ("docProps/app.xml", b"<Properties/>"),
            ("word/document.xml", b"<document/>"),
            ("[Content_Types].xml", b"<Types/>"),
        ]);
        let xlsx_docprops_first = zip(&[("docProps/app.xml", b"<Properties/>"), ("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<workbook/>")]);
        let cases: Vec<(&str, Vec<u8>, Result<Sniffed, Rejection>)> = vec![
            ("informe.pdf", PDF.to_vec(), ok("application/pdf", "pdf")),
            ("INFORME.PDF", PDF.to_vec(), ok("application/pdf", "pdf")),
            ("Resolución No. 045 de 2024.pdf", PDF.to_vec(), ok("application/pdf", "pdf")),
            ("factura.pdf. ", PDF.to_vec(), ok("application/pdf", "pdf")),
            ("captura.png", PNG.to_vec(), ok("image/png", "png")),
            ("foto.jpg", JPEG.to_vec(), ok("image/jpeg", "jpg")),
            ("foto.JPEG", JPEG.to_vec(), ok("image/jpeg", "jpg")),
            ("foto.jfif", JPEG.to_vec(), ok("image/jpeg", "jpg")),
            ("anim.gif", GIF.to_vec(), ok("image/gif", "gif")),
            ("foto.webp", WEBP.to_vec(), ok("image/webp", "webp")),
            ("escaneo.tif", TIFF_LE.to_vec(), ok("image/tiff", "tif")),
            ("escaneo.tiff", TIFF_BE.to_vec(), ok("image/tiff", "tif")),
            ("pantalla.bmp", BMP.to_vec(), ok("image/bmp", "bmp")),
            ("oficio.docx", docx(), ok(super::DOCX.mime, "docx")),
            ("oficio.docx", docx_libreoffice_order, ok(super::DOCX.mime, "docx")),
            ("inventario.xlsx", xlsx(), ok(super::XLSX.mime, "xlsx")),
            ("inventario.xlsx", xlsx_docprops_first, ok(super::XLSX.mime, "xlsx")),
            ("comite.pptx", pptx(), ok(super::PPTX.mime, "pptx")),
            ("acta.odt", odf("text"), ok(super::ODT.mime, "odt")),
            ("cuadro.ods", odf("spreadsheet"), ok(super::ODS.mime, "ods")),
            ("charla.odp", odf("presentation"), ok(super::ODP.mime, "odp")),
            ("viejo.doc", cfb(WORD_CLSID, &["WordDocument"]), ok("application/msword", "doc")),
            ("viejo.xls", cfb(EXCEL_CLSID, &["Workbook"]), ok("application/vnd.ms-excel", "xls")),
            ("viejo.ppt", cfb(POWERPOINT_CLSID, &["PowerPoint Document"]), ok("application/vnd.ms-powerpoint", "ppt")),
            // Written by tools that leave the class id empty: recognised by the main stream.
            ("reporte.xls", cfb([0; 16], &["Workbook"]), ok("application/vnd.ms-excel", "xls")),
            ("reporte.xls", cfb([0; 16], &["\u{5}SummaryInformation", "Book"]), ok("application/vnd.ms-excel", "xls")),
            ("carta.doc", cfb([0; 16], &["1Table", "WordDocument"]), ok("application/msword", "doc")),
            ("notas.txt", "Impresora del piso 3 sin tóner\r\n".as_bytes().to_vec(), ok("text/plain", "txt")),
            ("datos.csv", "nombre;cédula\nAna;123\n".as_bytes().to_vec(), ok("text/csv", "csv")),
            ("error.log", b"2024-05-01 ERROR x\n\x1b[31mred\x1b[0m\n".to_vec(), ok("text/plain", "log")),
            ("syslog.log", b"<134>May  1 host app: hello\n".to_vec(), ok("text/plain", "log")),
            // Excel's "CSV (delimitado por comas)" on Windows is Windows-1252, not UTF-8.
            ("excel.csv", b"Nombre;Direcci\xf3n\r\nJos\xe9;Calle 5\r\n".to_vec(), ok("text/csv", "csv")),
            // Text that happens to begin like a weak binary signature ("MZ" PE, "BM" bitmap).
            ("zonas.csv", b"MZ,Zona\n1,Norte\n".to_vec(), ok("text/csv", "csv")),
            ("autos.csv", b"BMW;Placa\nX;ABC123\n".to_vec(), ok("text/csv", "csv")),
            // No extension: the detected type's.
            ("scan", PNG.to_vec(), ok("image/png", "png")),
            ("Acta No. 5", PDF.to_vec(), ok("application/pdf", "pdf")),
            ("version 2.1", JPEG.to_vec(), ok("image/jpeg", "jpg")),
            ("LEAME", b"solo texto\n".to_vec(), ok("text/plain", "txt")),
        ];
        for (name, bytes, expected) in cases {
            assert_eq!(sniff(name, &bytes), expected, "{name}");
        }
    }

    #[test]
    fn refused_files() {
        let docm = zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("_rels/.rels", b"<Relationships/>"),
            ("word/document.xml", b"<document/>"),
            ("word/_rels/document.xml.rels", b"<Relationships/>"),
            ("word/vbaProject.bin", b"\xd0\xcf\x11\xe0"),
        ]);
        let xlsm = zip(&[("[Content_Types].xml", b"<Types/>"), ("xl/workbook.xml", b"<w/>"), ("xl/vbaProject.bin", b"x")]);
        let cases: Vec<(&str, Vec<u8>, Result<Sniffed, Rejection>)> = vec![
            ("vacio.pdf", vec![], Err(Rejection::Empty)),
            // Executables, whatever they are called.
            ("factura.pdf", EXE.to_vec(), unsupported("application/vnd.microsoft.portable-executable")),
            ("setup.exe", EXE.to_vec(), unsupported("application/vnd.microsoft.portable-executable")),
            ("notas.txt", EXE.to_vec(), unsupported("application/vnd.microsoft.portable-executable")),
            ("programa", ELF.to_vec(), unsupported("application/x-executable")),
            ("foto.jpg", MACHO.to_vec(), unsupported("application/x-mach-binary")),
            ("instalador.xls", cfb(MSI_CLSID, &[]), unsupported(OLE_STORAGE)),
            // Scripts and markup, whatever they are called.
            ("script.txt", b"#!/bin/sh\nrm -rf /\n".to_vec(), unsupported("text/x-shellscript")),
            ("run.sh", b"\xef\xbb\xbf#!/usr/bin/env python\n".to_vec(), unsupported("text/x-shellscript")),
            ("pagina.txt", b"<!DOCTYPE html><html><script>alert(1)</script>".to_vec(), unsupported("text/html")),
            ("pagina.html", b"  <html>\n<body onload=x()>".to_vec(), unsupported("text/html")),
            ("reporte.xls", b"<table><tr><td>1</td></tr></table>".to_vec(), unsupported("text/html")),
            ("logo.svg", b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>".to_vec(), unsupported("image/svg+xml")),
            ("logo.png", b"<?xml version=\"1.0\"?>\n<svg onload=\"alert(1)\"/>".to_vec(), unsupported("image/svg+xml")),
            ("datos.txt", b"<?xml version=\"1.0\"?><datos/>".to_vec(), unsupported("text/xml")),
            // Text under an extension that is not a text one we accept.
            ("app.js", b"fetch('/api').then(r => r)\n".to_vec(), unsupported("text/plain")),
            ("limpiar.bat", b"@echo off\r\ndel /q *.*\r\n".to_vec(), unsupported("text/plain")),
            ("LEEME.md", b"# Hola\n".to_vec(), unsupported("text/plain")),
            // Archives hide their content; macro-enabled documents carry code.
            ("documentos.zip", zip(&[("factura.exe", EXE)]), unsupported(ZIP)),
            ("oficio.docx", zip(&[("factura.exe", EXE), ("word.txt", b"x")]), unsupported(ZIP)),
            ("oficio.docx", docm, unsupported("application/vnd.ms-word.document.macroEnabled.12")),
            ("hoja.xlsx", xlsm, unsupported("application/vnd.ms-excel.sheet.macroEnabled.12")),
            ("fotos.7z", SEVEN_Z.to_vec(), unsupported("application/x-7z-compressed")),
            ("fotos.rar", RAR.to_vec(), unsupported("application/vnd.rar")),
            ("log.gz", GZIP.to_vec(), unsupported("application/gzip")),
            // Unknown binary, and UTF-16 text (NULs) with a hint.
            ("datos.bin", vec![0x00, 0x01, 0x02, 0xfe, 0x10], unsupported(OCTET_STREAM)),
            ("notas.txt", b"\xff\xfeH\x00o\x00l\x00a\x00".to_vec(), unsupported("UTF-16 text (save it as UTF-8)")),
        ];
        for (name, bytes, expected) in cases {
            assert_eq!(sniff(name, &bytes), expected, "{name}");
        }
    }

    #[test]
    fn disguised_files() {
        let cases: Vec<(&str, Vec<u8>, Result<Sniffed, Rejection>)> = vec![
            ("foto.png", PDF.to_vec(), disguised(".png", "application/pdf")),
            ("informe.pdf", PNG.to_vec(), disguised(".pdf", "image/png")),
            ("informe.txt", PNG.to_vec(), disguised(".txt", "image/png")),
            ("datos.csv", JPEG.to_vec(), disguised(".csv", "image/jpeg")),
            ("hoja.xlsx", docx(), disguised(".xlsx", super::DOCX.mime)),
            ("viejo.xls", cfb(WORD_CLSID, &["WordDocument"]), disguised(".xls", "application/msword")),
            ("acta.docx", odf("text"), disguised(".docx", super::ODT.mime)),
            ("factura.pdf.exe", PDF.to_vec(), disguised(".exe", "application/pdf")),
            ("pagina.html", PNG.to_vec(), disguised(".html", "image/png")),
            ("informe.pdf", b"solo texto\n".to_vec(), disguised(".pdf", "text/plain")),
            ("foto.jpg", b"no soy una foto".to_vec(), disguised(".jpg", "text/plain")),
        ];
        for (name, bytes, expected) in cases {
            assert_eq!(sniff(name, &bytes), expected, "{name}");
        }
    }

    #[test]
    fn extensions() {
        let cases = [
            ("a.pdf", Some("pdf")),
            ("A.PDF", Some("pdf")),
            ("a.tar.gz", Some("gz")),
            ("a.pdf. .", Some("pdf")),
            ("Acta No. 5", None),
            ("v2.1", None),
            ("sin extension", None),
            ("punto.", None),
            ("raro.p-d-f", None),
            ("largo.abcdefghijk", None),
            (".bashrc", Some("bashrc")),
        ];
        for (name, expected) in cases {
            assert_eq!(extension(name).as_deref(), expected, "{name}");
        }
    }

    #[test]
    fn rejection_messages_read_after_a_file_name() {
        assert_eq!(Rejection::Empty.to_string(), "the file is empty");
        assert_eq!(Rejection::Disguised { claimed: ".png".into(), detected: "application/pdf".into() }.to_string(), "it is named as .png but its content is application/pdf");
        assert_eq!(Rejection::Unsupported { detected: "application/zip".into() }.to_string(), "its content is application/zip, which is not an accepted type");
    }
}
