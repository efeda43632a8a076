//! Reading an uploaded spreadsheet export: the bytes to text (UTF-8 with or without BOM, UTF-16
//! with BOM, otherwise Windows-1252), the separator, the header row mapped to Mesa's columns
//! (English or Spanish names), and each data row's cells, checked for size and control
//! characters. Pure: no IO.
use std::collections::HashMap;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::error::{AppError, FieldError};

/// Largest file accepted (bytes): a city's whole staff fits many times over.
pub const MAX_BYTES: usize = 4 * 1024 * 1024;
/// Most data rows in one file; split bigger loads into several files.
pub const MAX_ROWS: usize = 10_000;

/// One column Mesa knows: its name in the API and the header names accepted for it (compared
/// case- and accent-insensitively, spaces and hyphens as `_`).
pub struct Column {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
    /// Longest value, in characters.
    pub max: usize,
}

/// `Secretaría  de HACIENDA` → `secretaria de hacienda`: how names and headers are compared.
pub fn fold(s: &str) -> String {
    let no_marks: String = s.nfd().filter(|c| !is_combining_mark(*c)).collect();
    no_marks.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn header_key(h: &str) -> String {
    fold(h).replace([' ', '-'], "_")
}

/// The text of an upload. Excel writes "CSV UTF-8" with a BOM, plain "CSV" in the Windows code
/// page (1252 on Spanish and English Windows) and "Unicode text" as UTF-16 with a BOM: bytes that
/// are not valid UTF-8 and carry no BOM are read as Windows-1252, which maps every byte.
pub fn decode(bytes: &[u8]) -> Result<String, AppError> {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        return encoding.decode_without_bom_handling_and_without_replacement(body).map(|s| s.into_owned()).ok_or_else(|| {
            AppError::field("file", "invalid_encoding", format!("the file starts with a {} byte-order mark but is not valid {}", encoding.name(), encoding.name()))
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(_) => Ok(encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned()),
    }
}

/// `;` when the header line has more of them than commas (Excel in es-CO), otherwise `,`.
fn separator(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    }
}

/// A data row: its line in the file and its non-empty cells by column name, or the problems
/// found in them (the row is then an error whatever else it holds).
#[derive(Debug)]
pub struct Record {
    pub line: u64,
    pub cells: HashMap<&'static str, String>,
    pub errors: Vec<FieldError>,
}

impl Record {
    pub fn get(&self, column: &str) -> Option<&str> {
        self.cells.get(column).map(String::as_str)
    }
}

#[derive(Debug)]
pub struct Table {
    /// Column name → the header as written in the file, for error messages.
    headers: HashMap<&'static str, String>,
    pub records: Vec<Record>,
}

impl Table {
    /// How the file calls this column (its own header when it has one).
    pub fn header(&self, column: &'static str) -> String {
        self.headers.get(column).cloned().unwrap_or_else(|| column.to_owned())
    }

    pub fn has(&self, column: &str) -> bool {
        self.headers.contains_key(column)
    }
}

/// Parses the text of a file against the columns of one kind of import. Problems with the file
/// as a whole (empty, unknown or missing columns, too many rows) are a 422 naming the header
/// or `file`; problems in a row stay with the row.
pub fn parse(text: &str, columns: &'static [Column]) -> Result<Table, AppError> {
    if text.trim().is_empty() {
        return Err(AppError::field("file", "empty", "the file is empty; the first row must name the columns"));
    }
    let mut reader = csv::ReaderBuilder::new().delimiter(separator(text)).has_headers(true).flexible(true).from_reader(text.as_bytes());
    let raw_headers = reader.headers().map_err(|e| AppError::field("file", "invalid_csv", e.to_string()))?.clone();
    let mut errors = Vec::new();
    let mut headers: HashMap<&'static str, String> = HashMap::new();
    // Position in the row → column; `None` for an empty header (Excel's trailing separators).
    let mut positions: Vec<Option<&'static Column>> = Vec::new();
    for raw in raw_headers.iter() {
        let written = raw.trim();
        if written.is_empty() {
            positions.push(None);
            continue;
        }
        let key = header_key(written);
        match columns.iter().find(|c| c.name == key || c.aliases.contains(&key.as_str())) {
            Some(col) if headers.contains_key(col.name) => {
                errors.push(FieldError::new(printable(written), "duplicate_column", format!("names the same column as '{}'", headers[col.name])));
                positions.push(None);
            }
            Some(col) => {
                headers.insert(col.name, written.to_owned());
                positions.push(Some(col));
            }
            None => {
                let known: Vec<&str> = columns.iter().map(|c| c.name).collect();
                errors.push(FieldError::new(printable(written), "unknown_column", format!("is not a column of this import; known columns: {}", known.join(", "))));
                positions.push(None);
            }
        }
    }
    for col in columns.iter().filter(|c| c.required && !headers.contains_key(c.name)) {
        errors.push(FieldError::new(col.name, "missing_column", format!("the file needs a '{}' column (or one of: {})", col.name, col.aliases.join(", "))));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut records = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| AppError::field("file", "invalid_csv", e.to_string()))?;
        let line = row.position().map_or(0, |p| p.line());
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if records.len() == MAX_ROWS {
            return Err(AppError::field("file", "too_many_rows", format!("at most {MAX_ROWS} rows per file; split it")));
        }
        let mut record = Record { line, cells: HashMap::new(), errors: Vec::new() };
        for (i, cell) in row.iter().enumerate() {
            let value = cell.trim();
            let column = match positions.get(i) {
                Some(Some(col)) => *col,
                _ if value.is_empty() => continue,
                Some(None) => continue,
                None => {
                    record.errors.push(FieldError::new("file", "extra_cells", format!("the row has {} cells; the header has {}", row.len(), positions.len())));
                    break;
                }
            };
            if value.is_empty() {
                continue;
            }
            let header = &headers[column.name];
            if value.contains('\0') {
                record.errors.push(FieldError::new(header, "invalid_character", "must not contain the NUL character (U+0000)"));
            } else if value.chars().any(char::is_control) {
                record.errors.push(FieldError::new(header, "invalid_character", "must not contain control characters (line breaks, tabs)"));
            } else if value.chars().count() > column.max {
                record.errors.push(FieldError::new(header, "too_long", format!("must be at most {} characters", column.max)));
            } else {
                record.cells.insert(column.name, value.to_owned());
            }
        }
        records.push(record);
    }
    if records.is_empty() {
        return Err(AppError::field("file", "empty", "the file has a header row but no data rows"));
    }
    Ok(Table { headers, records })
}

/// A header fit to echo back: control characters (a NUL) shown escaped, at most 100 characters.
fn printable(s: &str) -> String {
    s.chars().take(100).flat_map(|c| if c.is_control() { c.escape_unicode().collect::<Vec<_>>() } else { vec![c] }).collect()
}

/// `sí`, `x`, `activo`… → true; `no`, `inactivo`… → false.
pub fn parse_bool(s: &str) -> Option<bool> {
    match fold(s).as_str() {
        "true" | "yes" | "y" | "1" | "si" | "s" | "x" | "verdadero" | "active" | "activo" | "activa" => Some(true),
        "false" | "no" | "n" | "0" | "falso" | "inactive" | "inactivo" | "inactiva" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLS: &[Column] = &[
        Column { name: "name", aliases: &["nombre", "organizacion"], required: true, max: 10 },
        Column { name: "short_name", aliases: &["sigla", "codigo"], required: false, max: 5 },
        Column { name: "active", aliases: &["activo"], required: false, max: 10 },
    ];

    fn fields(e: AppError) -> Vec<(String, String)> {
        match e {
            AppError::Validation(v) => v.into_iter().map(|f| (f.field, f.code)).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn folds_case_accents_and_spaces() {
        assert_eq!(fold("  Secretaría  de HACIENDA "), "secretaria de hacienda");
        assert_eq!(fold("PEÑA"), "pena");
        assert_eq!(header_key("Código"), "codigo");
        assert_eq!(header_key("Correo electrónico"), "correo_electronico");
        assert_eq!(header_key("E-mail"), "e_mail");
    }

    #[test]
    fn decodes_bom_utf8_and_windows_1252() {
        assert_eq!(decode(b"\xEF\xBB\xBFnombre").unwrap(), "nombre");
        assert_eq!(decode("Área".as_bytes()).unwrap(), "Área");
        assert_eq!(decode(b"\xC1rea;Se\xF1or").unwrap(), "Área;Señor");
        assert_eq!(decode(b"\xFF\xFEa\x00\xF1\x00").unwrap(), "añ");
        let e = decode(b"\xEF\xBB\xBF\xC1rea").unwrap_err();
        assert_eq!(fields(e), [("file".to_owned(), "invalid_encoding".to_owned())]);
    }

    #[test]
    fn maps_spanish_headers_with_semicolons() {
        let t = parse("Nombre;SIGLA;Activo\nHacienda;SHAC;sí\n\n;;\nSalud;;\n", COLS).unwrap();
        assert_eq!(t.records.len(), 2);
        assert_eq!(t.records[0].line, 2);
        assert_eq!(t.records[0].get("short_name"), Some("SHAC"));
        assert_eq!(t.records[1].line, 5);
        assert_eq!(t.records[1].get("short_name"), None);
        assert_eq!(t.header("short_name"), "SIGLA");
        assert!(t.has("active"));
    }

    #[test]
    fn commas_and_quotes() {
        let t = parse("name,short_name\n\"Hac, y\",SH\n", COLS).unwrap();
        assert_eq!(t.records[0].get("name"), Some("Hac, y"));
    }

    #[test]
    fn refuses_unknown_duplicate_and_missing_columns() {
        let e = parse("sigla;password;código\nA;b;c\n", COLS).unwrap_err();
        let got = fields(e);
        assert!(got.contains(&("password".into(), "unknown_column".into())), "{got:?}");
        assert!(got.contains(&("código".into(), "duplicate_column".into())), "{got:?}");
        assert!(got.contains(&("name".into(), "missing_column".into())), "{got:?}");
        assert_eq!(fields(parse("   \n", COLS).unwrap_err()), [("file".to_owned(), "empty".to_owned())]);
        assert_eq!(fields(parse("nombre;sigla\n;\n", COLS).unwrap_err()), [("file".to_owned(), "empty".to_owned())]);
    }

    #[test]
    fn bad_cells_stay_with_their_row() {
        let t = parse("nombre,sigla\nA\0b,X\nabcdefghijk,Y\nok,Z,extra\nfine,=1+2\n", COLS).unwrap();
        let codes: Vec<Vec<&str>> = t.records.iter().map(|r| r.errors.iter().map(|e| e.code.as_str()).collect()).collect();
        assert_eq!(codes, [vec!["invalid_character"], vec!["too_long"], vec!["extra_cells"], vec![]]);
        assert_eq!(t.records[0].errors[0].field, "nombre");
        // Formula-looking text is only text.
        assert_eq!(t.records[3].get("short_name"), Some("=1+2"));
    }

    #[test]
    fn row_limit() {
        let mut text = String::from("name\n");
        for i in 0..=MAX_ROWS {
            text.push_str(&format!("o{i}\n"));
        }
        assert_eq!(fields(parse(&text, COLS).unwrap_err()), [("file".to_owned(), "too_many_rows".to_owned())]);
    }

    #[test]
    fn booleans_in_both_languages() {
        assert_eq!(parse_bool("Sí"), Some(true));
        assert_eq!(parse_bool("INACTIVO"), Some(false));
        assert_eq!(parse_bool("true"), Some(true));
        assert_eq!(parse_bool("quizá"), None);
    }
}
