//! The quarterly report as PDF, written with `pdf-writer` in the standard Helvetica (every
//! reader has it; nothing embedded) with WinAnsi encoding, which covers Spanish. Tables are
//! laid out in columns, charts are bars drawn on the page.
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::quarterly::Quarterly;
use super::table::{Cell, Table};

const W: f32 = 595.0;
const H: f32 = 842.0;
const MARGIN: f32 = 48.0;
const REGULAR: Name = Name(b"F1");
const BOLD: Name = Name(b"F2");
/// Series colours: registered, resolved, closed (and attention, resolution).
const COLORS: [(f32, f32, f32); 3] = [(0.16, 0.38, 0.66), (0.20, 0.56, 0.33), (0.80, 0.45, 0.10)];

/// Text in WinAnsiEncoding (Latin-1 plus a few punctuation marks); anything else becomes `?`.
pub fn win_ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '–' => 0x96,
            '—' => 0x97,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '€' => 0x80,
            _ => b'?',
        })
        .collect()
}

/// Helvetica's advance widths (per 1000 em) for the printable ASCII range; Latin-1 letters take
/// their base letter's width. Enough to right-align numbers and cut long names.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667,
    722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556,
    278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

pub fn text_width(s: &str, size: f32) -> f32 {
    let units: u32 = s
        .chars()
        .map(|c| {
            let base = match c {
                'á' | 'à' | 'ä' | 'â' => 'a',
                'é' | 'è' | 'ë' | 'ê' => 'e',
                'í' | 'ì' | 'ï' | 'î' => 'i',
                'ó' | 'ò' | 'ö' | 'ô' => 'o',
                'ú' | 'ù' | 'ü' | 'û' => 'u',
                'ñ' => 'n',
                'Á' => 'A',
                'É' => 'E',
                'Í' => 'I',
                'Ó' => 'O',
                'Ú' => 'U',
                'Ñ' => 'N',
                c => c,
            };
            if (' '..='~').contains(&base) {
                HELVETICA[base as usize - 32] as u32
            } else {
                556
            }
        })
        .sum();
    units as f32 * size / 1000.0
}

/// Cuts `s` to fit `width`, ending with "…" shown as "...".
fn fit(s: &str, size: f32, width: f32) -> String {
    if text_width(s, size) <= width {
        return s.to_owned();
    }
    let mut out: String = s.to_owned();
    while !out.is_empty() && text_width(&format!("{out}..."), size) > width {
        out.pop();
    }
    format!("{out}...")
}

/// Pages written top to bottom; a new page starts when the next block does not fit.
struct Pages {
    done: Vec<Content>,
    page: Content,
    y: f32,
}

impl Pages {
    fn new() -> Pages {
        Pages { done: vec![], page: Content::new(), y: H - MARGIN }
    }

    fn need(&mut self, height: f32) {
        if self.y - height < MARGIN {
            let full = std::mem::replace(&mut self.page, Content::new());
            self.done.push(full);
            self.y = H - MARGIN;
        }
    }

    fn text(&mut self, x: f32, y: f32, font: Name, size: f32, s: &str) {
        self.page.begin_text();
        self.page.set_font(font, size);
        self.page.set_fill_rgb(0.1, 0.1, 0.1);
        self.page.next_line(x, y);
        self.page.show(Str(&win_ansi(s)));
        self.page.end_text();
    }

    fn line(&mut self, font: Name, size: f32, s: &str) {
        self.need(size * 1.6);
        self.y -= size * 1.4;
        let y = self.y;
        self.text(MARGIN, y, font, size, s);
    }

    fn gap(&mut self, h: f32) {
        self.y -= h;
    }

    fn rule(&mut self, y: f32, shade: f32) {
        self.page.set_stroke_rgb(shade, shade, shade);
        self.page.set_line_width(0.5);
        self.page.move_to(MARGIN, y);
        self.page.line_to(W - MARGIN, y);
        self.page.stroke();
    }

    /// A table of the given columns: the first one takes the rest of the width, left aligned;
    /// the others are right aligned (numbers).
    fn table(&mut self, t: &Table, columns: &[usize]) {
        let size = if columns.len() > 5 { 7.5 } else { 9.0 };
        let row_h = size * 1.7;
        let narrow = if columns.len() > 5 { 56.0 } else { 80.0 };
        let first_w = (W - 2.0 * MARGIN) - narrow * (columns.len() - 1) as f32;
        // The title never ends a page alone: it goes with the headers and a first row.
        self.need(10.5 * 1.6 + 4.0 + row_h * 4.0);
        self.line(BOLD, 10.5, &t.title);
        self.gap(4.0);
        let header_lines = if columns.len() > 5 { 2 } else { 1 };
        self.need(row_h * (header_lines as f32 + 1.0));
        // Headers: long ones on two lines in narrow columns.
        let top = self.y;
        for (i, &c) in columns.iter().enumerate() {
            let h = t.headers[c];
            let (x, w) = if i == 0 { (MARGIN, first_w) } else { (MARGIN + first_w + narrow * (i - 1) as f32, narrow) };
            let lines = wrap(h, size, w - 4.0, header_lines);
            for (k, l) in lines.iter().enumerate() {
                let lx = if i == 0 { x } else { x + w - text_width(l, size) };
                self.text(lx, top - row_h * (k as f32 + 1.0) + size * 0.4, BOLD, size, l);
            }
        }
        self.y = top - row_h * header_lines as f32 - 2.0;
        let y = self.y;
        self.rule(y, 0.4);
        for row in &t.rows {
            self.need(row_h);
            self.y -= row_h;
            for (i, &c) in columns.iter().enumerate() {
                let s = row[c].es();
                let y = self.y + size * 0.45;
                if i == 0 {
                    let s = fit(&s, size, first_w - 6.0);
                    self.text(MARGIN, y, REGULAR, size, &s);
                } else {
                    let x = MARGIN + first_w + narrow * i as f32 - text_width(&s, size);
                    self.text(x, y, REGULAR, size, &s);
                }
            }
            let y = self.y;
            self.rule(y, 0.85);
        }
        if t.rows.is_empty() {
            self.line(REGULAR, size, "Sin datos en el periodo.");
        }
        self.gap(14.0);
    }

    /// Grouped vertical bars: one group per category, one bar per series; `max` is the top of
    /// the scale (e.g. 100 for percentages).
    fn bars(&mut self, title: &str, categories: &[String], series: &[(&str, Vec<f64>)], max: Option<f64>) {
        let height = 170.0;
        self.need(height + 60.0);
        self.line(BOLD, 10.5, title);
        self.gap(8.0);
        let top = self.y;
        let base = top - height;
        let left = MARGIN + 36.0;
        let right = W - MARGIN;
        let biggest = series.iter().flat_map(|(_, v)| v.iter().copied()).fold(0.0_f64, f64::max);
        let scale_max = max.unwrap_or_else(|| nice_ceiling(biggest));
        // Axis and four grid lines with their values.
        for k in 0..=4 {
            let v = scale_max * k as f64 / 4.0;
            let y = base + height * k as f32 / 4.0;
            self.page.set_stroke_rgb(0.85, 0.85, 0.85);
            self.page.set_line_width(0.5);
            self.page.move_to(left, y);
            self.page.line_to(right, y);
            self.page.stroke();
            // Small scales have fractional ticks (0,5): shown with their decimal.
            let label = if v.fract() == 0.0 { super::table::int_es(v as i64) } else { super::table::dec_es(v) };
            self.text(left - 4.0 - text_width(&label, 7.0), y - 2.5, REGULAR, 7.0, &label);
        }
        let n = categories.len().max(1) as f32;
        let group_w = (right - left) / n;
        let bar_w = (group_w * 0.7) / series.len().max(1) as f32;
        for (ci, cat) in categories.iter().enumerate() {
            let gx = left + group_w * ci as f32 + group_w * 0.15;
            for (si, (_, values)) in series.iter().enumerate() {
                let v = values.get(ci).copied().unwrap_or(0.0);
                let h = if scale_max > 0.0 { (v / scale_max) as f32 * height } else { 0.0 };
                let (r, g, b) = COLORS[si % COLORS.len()];
                self.page.set_fill_rgb(r, g, b);
                self.page.rect(gx + bar_w * si as f32, base, bar_w * 0.92, h.max(0.0));
                self.page.fill_nonzero();
            }
            let label = fit(cat, 8.0, group_w - 4.0);
            self.text(gx + (group_w * 0.7 - text_width(&label, 8.0)) / 2.0, base - 11.0, REGULAR, 8.0, &label);
        }
        // Legend.
        let mut x = left;
        let ly = base - 26.0;
        for (si, (name, _)) in series.iter().enumerate() {
            let (r, g, b) = COLORS[si % COLORS.len()];
            self.page.set_fill_rgb(r, g, b);
            self.page.rect(x, ly, 8.0, 8.0);
            self.page.fill_nonzero();
            self.text(x + 11.0, ly + 1.0, REGULAR, 8.0, name);
            x += 22.0 + text_width(name, 8.0);
        }
        self.y = ly - 18.0;
    }

    fn finish(mut self) -> Vec<Content> {
        self.done.push(self.page);
        self.done
    }
}

/// Splits a header into at most `lines` lines that fit `width`.
fn wrap(s: &str, size: f32, width: f32, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = vec![String::new()];
    for word in s.split(' ') {
        let last = out.last_mut().expect("one line");
        let candidate = if last.is_empty() { word.to_owned() } else { format!("{last} {word}") };
        if text_width(&candidate, size) <= width || last.is_empty() || out.len() == lines {
            *out.last_mut().expect("one line") = candidate;
        } else {
            out.push(word.to_owned());
        }
    }
    out.into_iter().map(|l| fit(&l, size, width)).collect()
}

/// 1, 2 or 5 times a power of ten, at least `v` (and at least 1).
fn nice_ceiling(v: f64) -> f64 {
    if v <= 1.0 {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * p).find(|c| *c >= v).unwrap_or(10.0 * p)
}

fn numbers(t: &Table, col: usize) -> Vec<f64> {
    t.rows
        .iter()
        .map(|r| match r[col] {
            Cell::Int(n) => n as f64,
            Cell::Num(v) | Cell::Pct(v) => v.unwrap_or(0.0),
            _ => 0.0,
        })
        .collect()
}

fn labels(t: &Table) -> Vec<String> {
    t.rows.iter().map(|r| r[0].es()).collect()
}

pub fn render(q: &Quarterly) -> Vec<u8> {
    let tables = q.tables();
    let mut p = Pages::new();
    p.line(BOLD, 16.0, &q.title());
    p.gap(2.0);
    p.line(REGULAR, 10.0, &q.subtitle());
    p.gap(10.0);
    p.table(&tables[0], &[0, 1]);
    let months = &tables[1];
    p.bars("Casos por mes", &labels(months), &[("Registrados", numbers(months, 1)), ("Resueltos", numbers(months, 2)), ("Cerrados", numbers(months, 3))], None);
    p.table(months, &[0, 1, 2, 3, 4]);
    let by_priority = &tables[2];
    p.bars(
        "Cumplimiento del ANS por prioridad (%)",
        &labels(by_priority),
        &[("Atención a tiempo (%)", numbers(by_priority, 4)), ("Solución a tiempo (%)", numbers(by_priority, 7))],
        Some(100.0),
    );
    // The SLA tables without the counts behind each percentage (the XLSX has every column).
    let sla_columns = [0, 1, 4, 7, 8, 9, 10, 11];
    p.table(by_priority, &sla_columns);
    p.table(&tables[3], &sla_columns);
    p.table(&tables[4], &[0, 1, 2]);
    p.table(&tables[5], &[0, 1, 2]);
    let contents = p.finish();

    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first_page = 6;
    let page_ids: Vec<Ref> = (0..contents.len()).map(|i| Ref::new(first_page + 2 * i as i32)).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_ids.iter().copied()).count(page_ids.len() as i32);
    pdf.type1_font(regular).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info).title(TextStr(&q.title())).creator(TextStr("Mesa"));
    for (i, content) in contents.into_iter().enumerate() {
        let page_id = page_ids[i];
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, W, H));
        page.parent(tree);
        page.contents(content_id);
        let mut resources = page.resources();
        resources.fonts().pair(REGULAR, regular).pair(BOLD, bold);
        resources.finish();
        page.finish();
        pdf.stream(content_id, &content.finish());
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_letters_are_win_ansi() {
        assert_eq!(win_ansi("Atención – ñ"), b"Atenci\xf3n \x96 \xf1");
        assert_eq!(win_ansi("≥"), b"?");
    }

    #[test]
    fn widths_and_scales() {
        assert_eq!(text_width("0", 10.0), 5.56);
        assert!(fit("Un nombre de servicio muy largo", 8.0, 60.0).ends_with("..."));
        assert_eq!(nice_ceiling(37.0), 50.0);
        assert_eq!(nice_ceiling(120.0), 200.0);
        assert_eq!(nice_ceiling(0.0), 1.0);
    }
}
