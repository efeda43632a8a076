//! Report tables as people read them (Spanish headers, es-CO numbers and dates): the CSV
//! export, and the sheets and pages of the quarterly report, all from the same rows.
use chrono::NaiveDate;

use super::domain::*;

#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// A quantity with one decimal (minutes); `None` when there was nothing to measure.
    Num(Option<f64>),
    /// A percentage (0–100).
    Pct(Option<f64>),
    Date(NaiveDate),
}

#[derive(Clone, Debug)]
pub struct Table {
    pub title: String,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// `1234567` → `1.234.567` (es-CO groups thousands with dots).
pub fn int_es(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// `1234.56` → `1.234,6` (one decimal, decimal comma).
pub fn dec_es(v: f64) -> String {
    let tenths = (v * 10.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    format!("{sign}{},{}", int_es((tenths / 10).abs()), (tenths % 10).abs())
}

pub fn date_es(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

impl Cell {
    pub fn es(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => int_es(*n),
            Cell::Num(v) | Cell::Pct(v) => v.map(dec_es).unwrap_or_default(),
            Cell::Date(d) => date_es(*d),
        }
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// CSV as spreadsheets in es-CO open it: a UTF-8 byte order mark, `;` between fields (the comma
/// is the decimal separator), CRLF line ends.
pub fn to_csv(t: &Table) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&t.headers.iter().map(|h| csv_field(h)).collect::<Vec<_>>().join(";"));
    out.push_str("\r\n");
    for row in &t.rows {
        out.push_str(&row.iter().map(|c| csv_field(&c.es())).collect::<Vec<_>>().join(";"));
        out.push_str("\r\n");
    }
    out
}

fn period_es(p: &ReportPeriod) -> String {
    format!("{} a {}", date_es(p.from), date_es(p.to))
}

pub fn summary_table(s: &Summary) -> Table {
    use Cell::*;
    let mut rows = vec![
        vec![Text("Casos registrados".into()), Int(s.opened)],
        vec![Text("Casos resueltos".into()), Int(s.resolved)],
        vec![Text("Casos cerrados".into()), Int(s.closed)],
        vec![Text("Pendientes al inicio".into()), Int(s.backlog_start)],
        vec![Text("Pendientes al final".into()), Int(s.backlog_end)],
        vec![Text("Atención dentro del ANS (%)".into()), Pct(s.attention.met_pct)],
        vec![Text("Solución dentro del ANS (%)".into()), Pct(s.resolution.met_pct)],
        vec![Text("Tiempo medio de atención (min hábiles)".into()), Num(s.time_to_attend.mean_minutes)],
        vec![Text("Percentil 90 de atención (min hábiles)".into()), Num(s.time_to_attend.p90_minutes)],
        vec![Text("Tiempo medio de solución (min hábiles)".into()), Num(s.time_to_resolve.mean_minutes)],
        vec![Text("Percentil 90 de solución (min hábiles)".into()), Num(s.time_to_resolve.p90_minutes)],
        vec![Text("Resueltos en primer contacto".into()), Int(s.first_contact)],
        vec![Text("Resolución en primer contacto (%)".into()), Pct(s.first_contact_pct)],
        vec![Text("Resueltos tras reapertura".into()), Int(s.reopened)],
        vec![Text("Tasa de reapertura (%)".into()), Pct(s.reopen_pct)],
    ];
    for l in &s.escalations {
        rows.push(vec![Text(format!("Escalamientos a nivel {}", l.level)), Int(l.escalations)]);
    }
    rows.extend([
        vec![Text("Traslados a otra mesa".into()), Int(s.transfers)],
        vec![Text("Rechazos".into()), Int(s.rejections)],
        vec![Text("Reasignaciones".into()), Int(s.reassignments)],
        vec![Text("Encuestas enviadas".into()), Int(s.satisfaction.sent)],
        vec![Text("Encuestas respondidas".into()), Int(s.satisfaction.answered)],
        vec![Text("Tasa de respuesta (%)".into()), Pct(s.satisfaction.response_rate_pct)],
        vec![Text("Satisfacción (CSAT, %)".into()), Pct(s.satisfaction.csat_pct)],
        vec![Text("Calificación media (1–5)".into()), Num(s.satisfaction.mean_rating)],
    ]);
    Table { title: format!("Indicadores del {}", period_es(&s.period)), headers: vec!["Indicador", "Valor"], rows }
}

pub fn volume_table(v: &Volume) -> Table {
    let unit = match v.granularity {
        Granularity::Day => "Día",
        Granularity::Week => "Semana (desde)",
        Granularity::Month => "Mes (desde)",
    };
    Table {
        title: format!("Casos por periodo, {}", period_es(&v.period)),
        headers: vec![unit, "Registrados", "Resueltos", "Cerrados", "Pendientes al final"],
        rows: v.rows.iter().map(|r| vec![Cell::Date(r.start), Cell::Int(r.opened), Cell::Int(r.resolved), Cell::Int(r.closed), Cell::Int(r.backlog)]).collect(),
    }
}

pub fn sla_table(s: &SlaReport) -> Table {
    use Cell::*;
    let first = match s.by {
        SlaBy::Priority => "Prioridad",
        SlaBy::Service => "Servicio",
    };
    Table {
        title: format!("Cumplimiento del ANS por {}, {}", first.to_lowercase(), period_es(&s.period)),
        headers: vec![
            first,
            "Resueltos",
            "Atención medida",
            "Atención a tiempo",
            "Atención a tiempo (%)",
            "Solución medida",
            "Solución a tiempo",
            "Solución a tiempo (%)",
            "Atención media (min)",
            "Atención P90 (min)",
            "Solución media (min)",
            "Solución P90 (min)",
        ],
        rows: s
            .rows
            .iter()
            .map(|r| {
                vec![
                    Text(r.name.clone()),
                    Int(r.resolved),
                    Int(r.attention.measured),
                    Int(r.attention.met),
                    Pct(r.attention.met_pct),
                    Int(r.resolution.measured),
                    Int(r.resolution.met),
                    Pct(r.resolution.met_pct),
                    Num(r.time_to_attend.mean_minutes),
                    Num(r.time_to_attend.p90_minutes),
                    Num(r.time_to_resolve.mean_minutes),
                    Num(r.time_to_resolve.p90_minutes),
                ]
            })
            .collect(),
    }
}

pub fn top_table(t: &TopReport) -> Table {
    let first = match t.by {
        TopBy::Service => "Servicio",
        TopBy::Category => "Categoría",
    };
    Table {
        title: format!("{} con más casos, {}", if t.by == TopBy::Service { "Servicios" } else { "Categorías" }, period_es(&t.period)),
        headers: vec![first, "Casos", "Participación (%)"],
        rows: t.rows.iter().map(|r| vec![Cell::Text(r.name.clone()), Cell::Int(r.cases), Cell::Pct(r.share_pct)]).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn es_co_numbers() {
        assert_eq!(int_es(1_234_567), "1.234.567");
        assert_eq!(int_es(999), "999");
        assert_eq!(int_es(-1000), "-1.000");
        assert_eq!(dec_es(1234.56), "1.234,6");
        assert_eq!(dec_es(0.04), "0,0");
        assert_eq!(dec_es(-2.5), "-2,5");
        assert_eq!(date_es(NaiveDate::from_ymd_opt(2026, 3, 9).unwrap()), "09/03/2026");
    }

    #[test]
    fn csv_quotes_what_needs_it() {
        let t = Table { title: "x".into(), headers: vec!["Servicio", "Casos"], rows: vec![vec![Cell::Text("Red; \"VPN\"".into()), Cell::Int(1500)]] };
        assert_eq!(to_csv(&t), "\u{feff}Servicio;Casos\r\n\"Red; \"\"VPN\"\"\";1.500\r\n");
    }
}
