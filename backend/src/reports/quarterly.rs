//! The quarterly report of a desk (seed 003, "Elaborar las estadísticas e informes": quarterly
//! statistics of the services delivered and the indicator), as XLSX (tables and native charts)
//! and as PDF (tables and bar charts drawn on the page), from the same report tables.
use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::domain::*;
use super::filter::{quarter_days, today, Parsed};
use super::routes::{attachment, desks_for};
use super::table::{self, date_es, Cell, Table};
use super::{pdf, queries};
use crate::auth::CurrentUser;
use crate::db::schema::desks;
use crate::error::responses::{Forbidden, Invalid, NotFound, Unauthenticated};
use crate::error::{AppError, AppResult, FieldError};
use crate::state::AppState;

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const PDF: &str = "application/pdf";

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuarterlyQuery {
    /// The desk (required).
    #[param(example = "0193a5a0-1b2c-7d3e-8f40-5a6b7c8d9e01")]
    pub desk: Option<String>,
    /// e.g. `2026`.
    #[param(example = "2026")]
    pub year: Option<String>,
    /// 1–4 (January–March is 1).
    #[param(example = "4")]
    pub quarter: Option<String>,
    /// `pdf` or `xlsx`; without it, `Accept` decides (PDF unless it asks for the spreadsheet type).
    #[param(example = "pdf")]
    pub format: Option<String>,
}

/// A downloaded file.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBody(#[allow(dead_code)] Vec<u8>);

/// Everything the quarterly report shows.
pub struct Quarterly {
    pub desk_name: String,
    pub year: i32,
    pub quarter: u32,
    pub generated: NaiveDate,
    pub summary: Summary,
    pub months: Volume,
    pub sla_priority: SlaReport,
    pub sla_service: SlaReport,
    pub top_services: TopReport,
    pub top_categories: TopReport,
}

impl Quarterly {
    pub fn title(&self) -> String {
        format!("Informe trimestral de la mesa {}", self.desk_name)
    }

    pub fn subtitle(&self) -> String {
        format!(
            "Trimestre {} de {} ({} a {}). Generado el {}.",
            self.quarter,
            self.year,
            date_es(self.summary.period.from),
            date_es(self.summary.period.to),
            date_es(self.generated)
        )
    }

    /// The tables in the order both formats show them.
    pub fn tables(&self) -> Vec<Table> {
        let mut months = table::volume_table(&self.months);
        // A month is named, not dated, in a quarterly report.
        months.headers[0] = "Mes";
        for row in &mut months.rows {
            if let Cell::Date(d) = row[0] {
                row[0] = Cell::Text(month_es(d));
            }
        }
        vec![
            table::summary_table(&self.summary),
            months,
            table::sla_table(&self.sla_priority),
            table::sla_table(&self.sla_service),
            table::top_table(&self.top_services),
            table::top_table(&self.top_categories),
        ]
    }
}

pub fn month_es(d: NaiveDate) -> String {
    const MONTHS: [&str; 12] = ["Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio", "Julio", "Agosto", "Septiembre", "Octubre", "Noviembre", "Diciembre"];
    format!("{} {}", MONTHS[d.month0() as usize], d.year())
}

pub async fn gather(conn: &mut AsyncPgConnection, desk_id: Uuid, desk_name: String, year: i32, quarter: u32) -> diesel::QueryResult<Quarterly> {
    let (from, to) = quarter_days(year, quarter).expect("a checked quarter");
    let f = Parsed { from_day: Some(from), to_day: Some(to), ..Default::default() }.for_desks(vec![desk_id]);
    Ok(Quarterly {
        desk_name,
        year,
        quarter,
        generated: today(),
        summary: queries::summary(conn, &f).await?,
        months: queries::volume(conn, &f, Granularity::Month).await?,
        sla_priority: queries::sla(conn, &f, SlaBy::Priority).await?,
        sla_service: queries::sla(conn, &f, SlaBy::Service).await?,
        top_services: queries::top(conn, &f, TopBy::Service, 10).await?,
        top_categories: queries::top(conn, &f, TopBy::Category, 10).await?,
    })
}

fn sheet_name(t: &Table, i: usize) -> String {
    ["Indicadores", "Casos por mes", "ANS por prioridad", "ANS por servicio", "Servicios", "Categorías"]
        .get(i)
        .map_or_else(|| t.title.chars().take(31).collect(), |s| (*s).to_owned())
}

/// The workbook: one sheet per table (title, period, headers, rows), with a column chart of the
/// months and a bar chart of SLA compliance by priority. Numbers are numbers (Excel shows them
/// with the reader's es-CO separators); dates are dates shown `dd/mm/aaaa`.
pub fn xlsx(q: &Quarterly) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Chart, ChartType, ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let int = Format::new().set_num_format("#,##0");
    let dec = Format::new().set_num_format("#,##0.0");
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let tables = q.tables();
    for (i, t) in tables.iter().enumerate() {
        let name = sheet_name(t, i);
        let ws = wb.add_worksheet();
        ws.set_name(&name)?;
        ws.write_string_with_format(0, 0, q.title(), &title)?;
        ws.write_string(1, 0, q.subtitle())?;
        ws.write_string_with_format(2, 0, &t.title, &bold)?;
        const HEAD: u32 = 3;
        for (c, h) in t.headers.iter().enumerate() {
            ws.write_string_with_format(HEAD, c as u16, *h, &bold)?;
            ws.set_column_width(c as u16, if c == 0 { 42 } else { 14 })?;
        }
        for (r, row) in t.rows.iter().enumerate() {
            let r = HEAD + 1 + r as u32;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(s) => {
                        ws.write_string(r, c, s)?;
                    }
                    Cell::Int(n) => {
                        ws.write_number_with_format(r, c, *n as f64, &int)?;
                    }
                    Cell::Num(Some(v)) | Cell::Pct(Some(v)) => {
                        ws.write_number_with_format(r, c, *v, &dec)?;
                    }
                    Cell::Num(None) | Cell::Pct(None) => {}
                    Cell::Date(d) => {
                        let dt = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                        ws.write_datetime_with_format(r, c, &dt, &date)?;
                    }
                }
            }
        }
        let (first, last) = (HEAD + 1, HEAD + t.rows.len() as u32);
        let below = last + 2;
        if i == 1 && !t.rows.is_empty() {
            let mut chart = Chart::new(ChartType::Column);
            chart.title().set_name("Casos por mes");
            for (col, _) in [(1u16, "Registrados"), (2, "Resueltos"), (3, "Cerrados")] {
                chart.add_series().set_name((name.as_str(), HEAD, col)).set_categories((name.as_str(), first, 0, last, 0)).set_values((name.as_str(), first, col, last, col));
            }
            ws.insert_chart(below, 0, &chart)?;
        }
        if i == 2 && !t.rows.is_empty() {
            let mut chart = Chart::new(ChartType::Column);
            chart.title().set_name("Cumplimiento del ANS por prioridad (%)");
            for col in [4u16, 7] {
                chart.add_series().set_name((name.as_str(), HEAD, col)).set_categories((name.as_str(), first, 0, last, 0)).set_values((name.as_str(), first, col, last, col));
            }
            chart.y_axis().set_min(0).set_max(100);
            ws.insert_chart(below, 0, &chart)?;
        }
    }
    wb.save_to_buffer()
}

fn parse(q: &QuarterlyQuery) -> AppResult<(Uuid, i32, u32)> {
    let mut errors = Vec::new();
    let desk = match q.desk.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            errors.push(FieldError::new("desk", "required", "the quarterly report is of one desk"));
            None
        }
        Some(s) => s.parse::<Uuid>().map_err(|_| errors.push(FieldError::new("desk", "invalid_uuid", format!("'{s}' is not a UUID")))).ok(),
    };
    let year = match q.year.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(today().year()),
        Some(s) => s.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y)).or_else(|| {
            errors.push(FieldError::new("year", "out_of_range", "must be a year from 2000 to 2100"));
            None
        }),
    };
    let quarter = match q.quarter.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            errors.push(FieldError::new("quarter", "required", "must be 1, 2, 3 or 4"));
            None
        }
        Some(s) => s.parse::<u32>().ok().filter(|n| (1..=4).contains(n)).or_else(|| {
            errors.push(FieldError::new("quarter", "out_of_range", "must be 1, 2, 3 or 4"));
            None
        }),
    };
    match (desk, year, quarter) {
        (Some(d), Some(y), Some(q)) if errors.is_empty() => Ok((d, y, q)),
        _ => Err(AppError::Validation(errors)),
    }
}

fn wants_xlsx(req: &HttpRequest, format: Option<&str>) -> AppResult<bool> {
    match format.map(str::trim) {
        Some("xlsx") => Ok(true),
        Some("pdf") => Ok(false),
        None | Some("") => Ok(req.headers().get(header::ACCEPT).and_then(|a| a.to_str().ok()).is_some_and(|a| a.contains("spreadsheetml"))),
        Some(other) => Err(AppError::field("format", "invalid_choice", format!("'{other}' is not one of pdf, xlsx"))),
    }
}

/// A desk's quarter: indicators, cases per month, SLA compliance by priority and by service,
/// top services and categories, as PDF or XLSX (es-CO dates and numbers, charts included).
/// Supervisors of the desk and admins.
#[utoipa::path(tag = "reports", security(("bearer_auth" = [])), params(QuarterlyQuery),
    responses((status = 200, description = "The report as a file to download",
            content((FileBody = "application/pdf"), (FileBody = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        Unauthenticated, Forbidden, NotFound, Invalid))]
#[get("/reports/quarterly")]
pub async fn report_quarterly(state: web::Data<AppState>, user: CurrentUser, req: HttpRequest, q: web::Query<QuarterlyQuery>) -> AppResult<HttpResponse> {
    let as_xlsx = wants_xlsx(&req, q.format.as_deref())?;
    let (desk_id, year, quarter) = parse(&q)?;
    let mut conn = state.pool.get().await?;
    desks_for(&mut conn, &user, Some(desk_id)).await?;
    let (code, name): (String, String) = desks::table.find(desk_id).select((desks::code, desks::name)).first(&mut conn).await?;
    let report = gather(&mut conn, desk_id, name, year, quarter).await?;
    drop(conn);
    let stem = format!("informe-{}-{year}-T{quarter}", code.to_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
    // Building a file is CPU work: off the async workers.
    let (body, mime, ext) = web::block(move || -> anyhow::Result<(Vec<u8>, &'static str, &'static str)> {
        Ok(if as_xlsx { (xlsx(&report)?, XLSX, "xlsx") } else { (pdf::render(&report), PDF, "pdf") })
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("report worker: {e}")))??;
    Ok(HttpResponse::Ok().content_type(mime).insert_header(attachment(format!("{stem}.{ext}"))).body(body))
}
