//! What an import would do: each row of a file compared with what is stored, as a report
//! (create, update, unchanged, error, with old and new values) and the writes to make. Pure: the
//! stored rows come in as snapshots, the writes go out as values.
use std::collections::HashMap;

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::csv_file::{fold, parse_bool, Column, Record, Table};
use crate::error::FieldError;
use crate::text_enum;
use crate::users::domain::{normalize_identity_number, normalize_username, validate_username, Role, LOCALES};

text_enum! {
    /// What an import does to one row's record.
    pub enum ImportAction { Create => "create", Update => "update", Unchanged => "unchanged", Error => "error" }
}

text_enum! {
    /// What a file holds.
    pub enum ImportKind { Organizations => "organizations", Areas => "areas", Users => "users" }
}

/// One field an import sets: its API name, the stored value and the file's (as text).
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({"field": "display_name", "old": "Ana Torres", "new": "Ana María Torres"}))]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// One data row of the file.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportRow {
    /// Line in the file (the header is line 1).
    #[schema(example = 2)]
    pub line: u64,
    /// The row's key as written: the organization's name, `organization / area`, the username.
    #[schema(example = "ana.torres")]
    pub key: String,
    pub action: ImportAction,
    /// The fields a `create` or `update` sets, with the stored and the new value.
    #[schema(example = json!([{"field": "display_name", "new": "Ana Torres"}]))]
    pub changes: Vec<FieldChange>,
    /// Why the row cannot be imported; `field` is the column's header as written in the file.
    #[schema(example = json!([]))]
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct ImportTotals {
    #[schema(example = 120)]
    pub rows: usize,
    #[schema(example = 12)]
    pub create: usize,
    #[schema(example = 5)]
    pub update: usize,
    #[schema(example = 102)]
    pub unchanged: usize,
    #[schema(example = 1)]
    pub error: usize,
}

/// What an import did (`dry_run=false`, answered 200) or would do (`dry_run=true`): the same
/// shape either way, and inside the 422 of an apply refused because a row has errors.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    pub kind: ImportKind,
    #[schema(example = json!(true))]
    pub dry_run: bool,
    /// Whether anything was written: false for a dry run and for a refused apply.
    #[schema(example = json!(false))]
    pub applied: bool,
    pub totals: ImportTotals,
    pub rows: Vec<ImportRow>,
}

impl ImportReport {
    pub fn new(kind: ImportKind, dry_run: bool, rows: Vec<ImportRow>) -> Self {
        let mut totals = ImportTotals { rows: rows.len(), ..Default::default() };
        for r in &rows {
            *match r.action {
                ImportAction::Create => &mut totals.create,
                ImportAction::Update => &mut totals.update,
                ImportAction::Unchanged => &mut totals.unchanged,
                ImportAction::Error => &mut totals.error,
            } += 1;
        }
        ImportReport { kind, dry_run, applied: false, totals, rows }
    }
}

// ---------- columns ----------

const ORGANIZATION_ALIASES: &[&str] = &["organizacion", "organismo", "entidad", "org"];
const ACTIVE_ALIASES: &[&str] = &["activo", "activa", "habilitado", "enabled"];

pub const ORGANIZATION_COLUMNS: &[Column] = &[
    Column { name: "name", aliases: &["nombre", "organizacion", "organismo", "entidad", "organization"], required: true, max: 160 },
    Column { name: "short_name", aliases: &["code", "codigo", "sigla", "abbreviation", "nombre_corto"], required: false, max: 20 },
    Column { name: "active", aliases: ACTIVE_ALIASES, required: false, max: 20 },
];

pub const AREA_COLUMNS: &[Column] = &[
    Column { name: "organization", aliases: ORGANIZATION_ALIASES, required: true, max: 160 },
    Column { name: "name", aliases: &["nombre", "area", "dependencia", "unidad", "unidad_administrativa"], required: true, max: 160 },
    Column { name: "active", aliases: ACTIVE_ALIASES, required: false, max: 20 },
];

pub const USER_COLUMNS: &[Column] = &[
    Column { name: "username", aliases: &["usuario", "login", "cuenta", "nombre_de_usuario", "samaccountname"], required: true, max: 64 },
    Column { name: "display_name", aliases: &["name", "nombre", "nombre_completo", "nombres_y_apellidos", "full_name"], required: false, max: 160 },
    Column { name: "email", aliases: &["correo", "correo_electronico", "e_mail", "mail"], required: false, max: 254 },
    Column { name: "phone", aliases: &["telefono", "celular", "extension"], required: false, max: 40 },
    Column { name: "role", aliases: &["rol", "perfil"], required: false, max: 20 },
    Column { name: "identity_number", aliases: &["cedula", "documento", "numero_de_documento", "numero_documento", "identificacion"], required: false, max: 40 },
    Column { name: "organization", aliases: ORGANIZATION_ALIASES, required: false, max: 160 },
    Column { name: "area", aliases: &["dependencia", "unidad", "unidad_administrativa"], required: false, max: 160 },
    Column { name: "locale", aliases: &["idioma", "language"], required: false, max: 10 },
    Column { name: "active", aliases: ACTIVE_ALIASES, required: false, max: 20 },
];

// ---------- stored rows ----------

#[derive(Clone, Debug)]
pub struct OrgSnap {
    pub id: Uuid,
    pub name: String,
    pub short_name: Option<String>,
    pub active: bool,
}

#[derive(Clone, Debug)]
pub struct AreaSnap {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    pub active: bool,
}

#[derive(Clone, Debug)]
pub struct UserSnap {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub role: Role,
    pub identity_number: Option<String>,
    pub organization_id: Option<Uuid>,
    pub area_id: Option<Uuid>,
    pub locale: String,
    pub active: bool,
}

// ---------- writes ----------

#[derive(Debug, PartialEq)]
pub enum OrgWrite {
    Create { name: String, short_name: Option<String>, active: bool },
    Update { id: Uuid, short_name: Option<String>, active: bool },
}

#[derive(Debug, PartialEq)]
pub enum AreaWrite {
    Create { organization_id: Uuid, name: String, active: bool },
    Update { id: Uuid, active: bool },
}

/// A user's values after the import (all of them, stored or from the file).
#[derive(Clone, Debug, PartialEq)]
pub struct UserValues {
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub role: Role,
    pub identity_number: Option<String>,
    pub organization_id: Option<Uuid>,
    pub area_id: Option<Uuid>,
    pub locale: String,
    pub active: bool,
}

#[derive(Debug, PartialEq)]
pub enum UserWrite {
    /// A directory account: Mesa never receives a password from a file.
    Create {
        username: String,
        values: UserValues,
    },
    Update {
        id: Uuid,
        before: UserValues,
        values: UserValues,
    },
}

pub struct Plan<W> {
    pub rows: Vec<ImportRow>,
    pub writes: Vec<W>,
}

// ---------- helpers ----------

/// Collects a row's changes and errors.
struct RowBuilder<'a> {
    table: &'a Table,
    changes: Vec<FieldChange>,
    errors: Vec<FieldError>,
}

impl<'a> RowBuilder<'a> {
    fn new(table: &'a Table, record: &Record) -> Self {
        RowBuilder { table, changes: Vec::new(), errors: record.errors.clone() }
    }

    fn error(&mut self, column: &'static str, code: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(self.table.header(column), code, message));
    }

    /// Records `field` as changing when `old` and `new` differ.
    fn compare<T: PartialEq + ToString>(&mut self, field: &str, old: Option<&T>, new: Option<&T>) {
        if old != new {
            self.changes.push(FieldChange { field: field.into(), old: old.map(T::to_string), new: new.map(T::to_string) });
        }
    }

    fn bool_cell(&mut self, record: &Record, column: &'static str) -> Option<bool> {
        let raw = record.get(column)?;
        let parsed = parse_bool(raw);
        if parsed.is_none() {
            self.error(column, "invalid", "must be yes/no (sí/no, true/false, 1/0, activo/inactivo)");
        }
        parsed
    }

    fn finish(self, line: u64, key: String, existed: bool) -> (ImportRow, bool) {
        let ok = self.errors.is_empty();
        let action = match (ok, existed, self.changes.is_empty()) {
            (false, _, _) => ImportAction::Error,
            (true, false, _) => ImportAction::Create,
            (true, true, true) => ImportAction::Unchanged,
            (true, true, false) => ImportAction::Update,
        };
        let changes = if ok { self.changes } else { Vec::new() };
        (ImportRow { line, key, action, changes, errors: self.errors }, ok)
    }
}

/// The row's earlier twin in the file, if any: a key may appear once.
fn seen_before(seen: &mut HashMap<String, u64>, key: String, line: u64) -> Option<u64> {
    match seen.get(&key) {
        Some(first) => Some(*first),
        None => {
            seen.insert(key, line);
            None
        }
    }
}

/// The stored item whose name is `name`: exactly (ignoring case), else ignoring accents too if
/// only one item matches that way. `Err` when several match only without accents.
fn find_by_name<'a, T>(items: impl Iterator<Item = &'a T> + Clone, name_of: impl Fn(&T) -> &str, name: &str) -> Result<Option<&'a T>, usize>
where
    T: 'a,
{
    let lower = name.to_lowercase();
    if let Some(found) = items.clone().find(|i| name_of(i).to_lowercase() == lower) {
        return Ok(Some(found));
    }
    let folded = fold(name);
    let matches: Vec<&T> = items.filter(|i| fold(name_of(i)) == folded).collect();
    match matches.len() {
        0 => Ok(None),
        1 => Ok(Some(matches[0])),
        n => Err(n),
    }
}

/// An organization named in a row, by name or short name (code).
fn resolve_org<'a>(orgs: &'a [OrgSnap], reference: &str) -> Result<&'a OrgSnap, String> {
    match find_by_name(orgs.iter(), |o| &o.name, reference) {
        Ok(Some(o)) => return Ok(o),
        Err(n) => return Err(format!("{n} organizations match '{reference}' without accents; write the name as stored")),
        Ok(None) => {}
    }
    let folded = fold(reference);
    let by_code: Vec<&OrgSnap> = orgs.iter().filter(|o| o.short_name.as_deref().is_some_and(|s| fold(s) == folded)).collect();
    match by_code.len() {
        1 => Ok(by_code[0]),
        0 => Err(format!("no organization is named or coded '{reference}'; import the organizations first")),
        n => Err(format!("{n} organizations have the code '{reference}'; use the name")),
    }
}

// ---------- organizations ----------

/// Organizations are keyed by name (unique regardless of case); the name itself is never changed
/// by an import: `short_name` and `active` are.
pub fn plan_organizations(table: &Table, orgs: &[OrgSnap]) -> Plan<OrgWrite> {
    let mut plan = Plan { rows: Vec::new(), writes: Vec::new() };
    let mut seen = HashMap::new();
    for record in &table.records {
        let mut b = RowBuilder::new(table, record);
        let name = record.get("name").unwrap_or_default().to_owned();
        if name.is_empty() && record.errors.iter().all(|e| e.field != table.header("name")) {
            b.error("name", "required", "must not be empty");
        }
        if !name.is_empty() {
            if let Some(first) = seen_before(&mut seen, fold(&name), record.line) {
                b.error("name", "duplicate", format!("the same organization is already on line {first}"));
            }
        }
        let short_name = record.get("short_name").map(str::to_owned);
        let active = b.bool_cell(record, "active");
        let existing = match find_by_name(orgs.iter(), |o| &o.name, &name) {
            Ok(found) => found,
            Err(n) => {
                b.error("name", "ambiguous", format!("{n} organizations have this name without accents"));
                None
            }
        };
        let write = match existing {
            Some(o) => {
                let new_short = short_name.or_else(|| o.short_name.clone());
                let new_active = active.unwrap_or(o.active);
                b.compare("short_name", o.short_name.as_ref(), new_short.as_ref());
                b.compare("active", Some(&o.active), Some(&new_active));
                OrgWrite::Update { id: o.id, short_name: new_short, active: new_active }
            }
            None => {
                let active = active.unwrap_or(true);
                b.compare("name", None, Some(&name));
                b.compare("short_name", None, short_name.as_ref());
                b.compare("active", None, Some(&active));
                OrgWrite::Create { name: name.clone(), short_name, active }
            }
        };
        let (row, ok) = b.finish(record.line, name, existing.is_some());
        if ok && row.action != ImportAction::Unchanged {
            plan.writes.push(write);
        }
        plan.rows.push(row);
    }
    plan
}

// ---------- areas ----------

/// Areas are keyed by their organization and name (unique in the organization regardless of
/// case); an import sets `active`.
pub fn plan_areas(table: &Table, orgs: &[OrgSnap], areas: &[AreaSnap]) -> Plan<AreaWrite> {
    let mut plan = Plan { rows: Vec::new(), writes: Vec::new() };
    let mut seen = HashMap::new();
    for record in &table.records {
        let mut b = RowBuilder::new(table, record);
        let org_ref = record.get("organization").unwrap_or_default();
        let name = record.get("name").unwrap_or_default().to_owned();
        for (column, value) in [("organization", org_ref), ("name", name.as_str())] {
            if value.is_empty() && record.errors.iter().all(|e| e.field != table.header(column)) {
                b.error(column, "required", "must not be empty");
            }
        }
        let org = if org_ref.is_empty() {
            None
        } else {
            match resolve_org(orgs, org_ref) {
                Ok(o) => Some(o),
                Err(msg) => {
                    b.error("organization", "unknown_reference", msg);
                    None
                }
            }
        };
        let key = format!("{org_ref} / {name}");
        let mut existing = None;
        if let (Some(org), false) = (org, name.is_empty()) {
            if let Some(first) = seen_before(&mut seen, format!("{}/{}", org.id, fold(&name)), record.line) {
                b.error("name", "duplicate", format!("the same area is already on line {first}"));
            }
            match find_by_name(areas.iter().filter(|a| a.organization_id == org.id), |a| &a.name, &name) {
                Ok(found) => existing = found,
                Err(n) => b.error("name", "ambiguous", format!("{n} areas of this organization have this name without accents")),
            }
        }
        let active = b.bool_cell(record, "active");
        let write = match (existing, org) {
            (Some(a), _) => {
                let new_active = active.unwrap_or(a.active);
                b.compare("active", Some(&a.active), Some(&new_active));
                Some(AreaWrite::Update { id: a.id, active: new_active })
            }
            (None, Some(org)) => {
                let active = active.unwrap_or(true);
                b.compare("organization", None, Some(&org.name));
                b.compare("name", None, Some(&name));
                b.compare("active", None, Some(&active));
                Some(AreaWrite::Create { organization_id: org.id, name: name.clone(), active })
            }
            (None, None) => None,
        };
        let (row, ok) = b.finish(record.line, key, existing.is_some());
        if let (true, Some(w)) = (ok && row.action != ImportAction::Unchanged, write) {
            plan.writes.push(w);
        }
        plan.rows.push(row);
    }
    plan
}

// ---------- users ----------

/// `requester`, `solicitante`, `agente`, `técnico`… → the role.
pub fn parse_role(s: &str) -> Option<Role> {
    Some(match fold(s).as_str() {
        "requester" | "solicitante" | "usuario" | "usuario_final" => Role::Requester,
        "agent" | "agente" | "tecnico" => Role::Agent,
        "supervisor" | "gestor" => Role::Supervisor,
        "admin" | "administrator" | "administrador" => Role::Admin,
        _ => return None,
    })
}

/// What the users file may refer to and collide with.
pub struct UserContext<'a> {
    pub orgs: &'a [OrgSnap],
    pub areas: &'a [AreaSnap],
    /// Stored users whose username is in the file.
    pub users: &'a [UserSnap],
    /// Lowercased email → username of the stored users having one of the file's emails.
    pub emails: &'a HashMap<String, String>,
    /// The importing admin: an import cannot demote or deactivate them.
    pub importer: Uuid,
}

/// Users are keyed by username (lowercased, as logins are). An empty cell keeps the stored value:
/// an import fills and corrects, it never erases. New users are directory accounts.
pub fn plan_users(table: &Table, cx: &UserContext) -> Plan<UserWrite> {
    let mut plan = Plan { rows: Vec::new(), writes: Vec::new() };
    let mut seen = HashMap::new();
    let mut seen_emails: HashMap<String, u64> = HashMap::new();
    let org_name = |id: &Uuid| cx.orgs.iter().find(|o| o.id == *id).map(|o| o.name.clone()).unwrap_or_else(|| id.to_string());
    let area_name = |id: &Uuid| cx.areas.iter().find(|a| a.id == *id).map(|a| a.name.clone()).unwrap_or_else(|| id.to_string());
    for record in &table.records {
        let mut b = RowBuilder::new(table, record);
        let raw_username = record.get("username").unwrap_or_default();
        let username = normalize_username(raw_username);
        if raw_username.is_empty() {
            if record.errors.iter().all(|e| e.field != table.header("username")) {
                b.error("username", "required", "must not be empty");
            }
        } else if let Err(msg) = validate_username(&username) {
            b.error("username", "invalid", msg);
        } else if let Some(first) = seen_before(&mut seen, username.clone(), record.line) {
            b.error("username", "duplicate", format!("the same user is already on line {first}"));
        }
        let existing = cx.users.iter().find(|u| u.username == username);

        let email = record.get("email").map(str::to_owned);
        if let Some(e) = &email {
            let valid =
                matches!(e.split_once('@'), Some((local, domain)) if !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !e.contains(char::is_whitespace));
            if !valid {
                b.error("email", "invalid", "is not an email address");
            } else {
                let lower = e.to_lowercase();
                if let Some(owner) = cx.emails.get(&lower).filter(|owner| **owner != username) {
                    b.error("email", "taken", format!("already the email of user '{owner}'"));
                } else if let Some(first) = seen_before(&mut seen_emails, lower, record.line) {
                    b.error("email", "duplicate", format!("the same email is already on line {first}"));
                }
            }
        }
        let role = record.get("role").and_then(|r| {
            let parsed = parse_role(r);
            if parsed.is_none() {
                b.error("role", "invalid_choice", "must be requester, agent, supervisor or admin (solicitante, agente, supervisor, administrador)");
            }
            parsed
        });
        let identity_number = record.get("identity_number").and_then(|raw| match normalize_identity_number(raw) {
            Ok(n) => Some(n),
            Err(msg) => {
                b.error("identity_number", "invalid", msg);
                None
            }
        });
        let locale = record.get("locale").and_then(|l| match LOCALES.iter().find(|known| known.eq_ignore_ascii_case(l)) {
            Some(known) => Some((*known).to_owned()),
            None => {
                b.error("locale", "invalid_choice", format!("must be one of {}", LOCALES.join(", ")));
                None
            }
        });
        let active = b.bool_cell(record, "active");
        let org = record.get("organization").and_then(|r| match resolve_org(cx.orgs, r) {
            Ok(o) => Some(o),
            Err(msg) => {
                b.error("organization", "unknown_reference", msg);
                None
            }
        });
        let area = match (record.get("area"), org) {
            (None, _) => None,
            (Some(_), None) if record.get("organization").is_none() => {
                b.error("area", "needs_organization", "an area is named within its organization: fill the organization column too");
                None
            }
            (Some(_), None) => None,
            (Some(name), Some(org)) => match find_by_name(cx.areas.iter().filter(|a| a.organization_id == org.id), |a| &a.name, name) {
                Ok(Some(a)) => Some(a),
                Ok(None) => {
                    b.error("area", "unknown_reference", format!("'{}' has no area '{name}'; import the areas first", org.name));
                    None
                }
                Err(n) => {
                    b.error("area", "ambiguous", format!("{n} areas of '{}' have this name without accents", org.name));
                    None
                }
            },
        };
        if existing.is_some_and(|u| u.id == cx.importer) {
            if role.is_some_and(|r| r != Role::Admin) {
                b.error("role", "own_admin_account", "an import cannot change your own role");
            }
            if active == Some(false) {
                b.error("active", "own_admin_account", "an import cannot deactivate your own account");
            }
        }
        // A user moved to another organization without a new area leaves the old one.
        let keeps_area = |u: &UserSnap| org.is_none_or(|o| Some(o.id) == u.organization_id);
        let before = existing.map(|u| UserValues {
            display_name: u.display_name.clone(),
            email: u.email.clone(),
            phone: u.phone.clone(),
            role: u.role,
            identity_number: u.identity_number.clone(),
            organization_id: u.organization_id,
            area_id: u.area_id,
            locale: u.locale.clone(),
            active: u.active,
        });
        let display_name = record.get("display_name").map(str::to_owned);
        if existing.is_none() && display_name.is_none() && !username.is_empty() && record.errors.iter().all(|e| e.field != table.header("display_name")) {
            b.error("display_name", "required", "a new user needs a name (display_name / nombre column)");
        }
        let values = UserValues {
            display_name: display_name.or_else(|| before.as_ref().map(|v| v.display_name.clone())).unwrap_or_default(),
            email: email.or_else(|| before.as_ref().and_then(|v| v.email.clone())),
            phone: record.get("phone").map(str::to_owned).or_else(|| before.as_ref().and_then(|v| v.phone.clone())),
            role: role.or(before.as_ref().map(|v| v.role)).unwrap_or(Role::Requester),
            identity_number: identity_number.or_else(|| before.as_ref().and_then(|v| v.identity_number.clone())),
            organization_id: org.map(|o| o.id).or(before.as_ref().and_then(|v| v.organization_id)),
            area_id: area.map(|a| a.id).or(existing.filter(|u| keeps_area(u)).and_then(|u| u.area_id)),
            locale: locale.or_else(|| before.as_ref().map(|v| v.locale.clone())).unwrap_or_else(|| "es-CO".into()),
            active: active.or(before.as_ref().map(|v| v.active)).unwrap_or(true),
        };
        let old = before.as_ref();
        if old.is_none() {
            b.compare("auth_source", None, Some(&"directory"));
        }
        b.compare("display_name", old.map(|v| &v.display_name), Some(&values.display_name));
        b.compare("email", old.and_then(|v| v.email.as_ref()), values.email.as_ref());
        b.compare("phone", old.and_then(|v| v.phone.as_ref()), values.phone.as_ref());
        b.compare("role", old.map(|v| &v.role), Some(&values.role));
        b.compare("identity_number", old.and_then(|v| v.identity_number.as_ref()), values.identity_number.as_ref());
        b.compare("organization", old.and_then(|v| v.organization_id.as_ref()).map(org_name).as_ref(), values.organization_id.as_ref().map(org_name).as_ref());
        b.compare("area", old.and_then(|v| v.area_id.as_ref()).map(area_name).as_ref(), values.area_id.as_ref().map(area_name).as_ref());
        b.compare("locale", old.map(|v| &v.locale), Some(&values.locale));
        b.compare("active", old.map(|v| &v.active), Some(&values.active));
        let (row, ok) = b.finish(record.line, if username.is_empty() { raw_username.to_owned() } else { username.clone() }, existing.is_some());
        if ok && row.action != ImportAction::Unchanged {
            plan.writes.push(match (existing, before) {
                (Some(u), Some(before)) => UserWrite::Update { id: u.id, before, values },
                _ => UserWrite::Create { username, values },
            });
        }
        plan.rows.push(row);
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::super::csv_file::parse;
    use super::*;

    fn org(name: &str, short: Option<&str>) -> OrgSnap {
        OrgSnap { id: Uuid::now_v7(), name: name.into(), short_name: short.map(Into::into), active: true }
    }

    #[test]
    fn organizations_diff_against_stored() {
        let stored = [org("Secretaría de Hacienda", Some("SHAC")), org("Secretaría de Salud", None)];
        let t = parse("nombre;sigla;activo\nSECRETARIA DE HACIENDA;SHAC;sí\nSecretaría de Salud;SSAL;\nNueva;;no\nnueva;;\n;X;\n", ORGANIZATION_COLUMNS).unwrap();
        let plan = plan_organizations(&t, &stored);
        let actions: Vec<_> = plan.rows.iter().map(|r| r.action).collect();
        use ImportAction::*;
        assert_eq!(actions, [Unchanged, Update, Create, Error, Error]);
        assert_eq!(plan.rows[1].changes, [FieldChange { field: "short_name".into(), old: None, new: Some("SSAL".into()) }]);
        assert_eq!(plan.rows[3].errors[0].field, "nombre");
        assert_eq!(plan.rows[3].errors[0].code, "duplicate");
        assert_eq!(plan.rows[4].errors[0].code, "required");
        assert_eq!(plan.writes.len(), 2);
        assert_eq!(plan.writes[1], OrgWrite::Create { name: "Nueva".into(), short_name: None, active: false });
        let report = ImportReport::new(ImportKind::Organizations, true, plan.rows);
        assert_eq!((report.totals.rows, report.totals.create, report.totals.update, report.totals.unchanged, report.totals.error), (5, 1, 1, 1, 2));
    }

    #[test]
    fn areas_resolve_organizations_by_name_or_code() {
        let hacienda = org("Secretaría de Hacienda", Some("SHAC"));
        let areas = [AreaSnap { id: Uuid::now_v7(), organization_id: hacienda.id, name: "Tesorería".into(), active: true }];
        let t = parse("organización,área\nshac,TESORERIA\nHacienda,Cobro\nsecretaria de hacienda,Cobro coactivo\nSECRETARÍA DE HACIENDA,cobro coactivo\n", AREA_COLUMNS).unwrap();
        let plan = plan_areas(&t, std::slice::from_ref(&hacienda), &areas);
        let actions: Vec<_> = plan.rows.iter().map(|r| r.action).collect();
        use ImportAction::*;
        assert_eq!(actions, [Unchanged, Error, Create, Error]);
        assert_eq!((plan.rows[1].errors[0].field.as_str(), plan.rows[1].errors[0].code.as_str()), ("organización", "unknown_reference"));
        assert_eq!(plan.rows[3].errors[0].code, "duplicate");
        assert_eq!(plan.writes, [AreaWrite::Create { organization_id: hacienda.id, name: "Cobro coactivo".into(), active: true }]);
    }

    #[test]
    fn users_diff_and_guard_the_importer() {
        let hacienda = org("Secretaría de Hacienda", None);
        let area = AreaSnap { id: Uuid::now_v7(), organization_id: hacienda.id, name: "Tesorería".into(), active: true };
        let admin = UserSnap {
            id: Uuid::now_v7(),
            username: "admin".into(),
            display_name: "Admin".into(),
            email: Some("admin@cali.gov.co".into()),
            phone: None,
            role: Role::Admin,
            identity_number: None,
            organization_id: None,
            area_id: None,
            locale: "es-CO".into(),
            active: true,
        };
        let emails = HashMap::from([("admin@cali.gov.co".to_owned(), "admin".to_owned())]);
        let cx =
            UserContext { orgs: std::slice::from_ref(&hacienda), areas: std::slice::from_ref(&area), users: std::slice::from_ref(&admin), emails: &emails, importer: admin.id };
        let csv = "Usuario;Nombre;Correo;Rol;Cédula;Organización;Área;Activo\n\
                   Ana.Torres;Ana Torres;ana@cali.gov.co;agente;52.123.456;Secretaria de Hacienda;tesoreria;\n\
                   admin;;;solicitante;;;;no\n\
                   luis;Luis;ADMIN@cali.gov.co;jefe;;;Tesorería;\n\
                   ana.torres;Otra;;;;;;\n\
                   pedro;;;;;;;\n";
        let t = parse(csv, USER_COLUMNS).unwrap();
        let plan = plan_users(&t, &cx);
        let actions: Vec<_> = plan.rows.iter().map(|r| r.action).collect();
        use ImportAction::*;
        assert_eq!(actions, [Create, Error, Error, Error, Error]);
        let fields: Vec<Vec<(&str, &str)>> = plan.rows.iter().map(|r| r.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()).collect();
        assert_eq!(fields[1], [("Rol", "own_admin_account"), ("Activo", "own_admin_account")]);
        assert_eq!(fields[2], [("Correo", "taken"), ("Rol", "invalid_choice"), ("Área", "needs_organization")]);
        assert_eq!(fields[3], [("Usuario", "duplicate")]);
        assert_eq!(fields[4], [("Nombre", "required")]);
        match &plan.writes[..] {
            [UserWrite::Create { username, values }] => {
                assert_eq!(username, "ana.torres");
                assert_eq!((values.role, values.identity_number.as_deref(), values.area_id), (Role::Agent, Some("52123456"), Some(area.id)));
            }
            other => panic!("{other:?}"),
        }
        let changed: Vec<&str> = plan.rows[0].changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(changed, ["auth_source", "display_name", "email", "role", "identity_number", "organization", "area", "locale", "active"]);
        assert_eq!(plan.rows[0].changes[5].new.as_deref(), Some("Secretaría de Hacienda"));
    }

    #[test]
    fn an_unchanged_user_and_a_change_with_old_values() {
        let admin_id = Uuid::now_v7();
        let u = UserSnap {
            id: Uuid::now_v7(),
            username: "ana".into(),
            display_name: "Ana".into(),
            email: None,
            phone: Some("123".into()),
            role: Role::Requester,
            identity_number: None,
            organization_id: None,
            area_id: None,
            locale: "es-CO".into(),
            active: true,
        };
        let emails = HashMap::new();
        let cx = UserContext { orgs: &[], areas: &[], users: std::slice::from_ref(&u), emails: &emails, importer: admin_id };
        let plan = plan_users(&parse("username,display_name,phone\nANA,Ana,\n", USER_COLUMNS).unwrap(), &cx);
        assert_eq!(plan.rows[0].action, ImportAction::Unchanged);
        assert!(plan.writes.is_empty());
        let plan = plan_users(&parse("username,phone,role\nana,456,supervisor\n", USER_COLUMNS).unwrap(), &cx);
        assert_eq!(plan.rows[0].action, ImportAction::Update);
        assert_eq!(
            plan.rows[0].changes,
            [
                FieldChange { field: "phone".into(), old: Some("123".into()), new: Some("456".into()) },
                FieldChange { field: "role".into(), old: Some("requester".into()), new: Some("supervisor".into()) },
            ]
        );
    }

    #[test]
    fn roles_in_both_languages() {
        assert_eq!(parse_role("Técnico"), Some(Role::Agent));
        assert_eq!(parse_role("ADMINISTRADOR"), Some(Role::Admin));
        assert_eq!(parse_role("root"), None);
        for r in ImportAction::ALL {
            assert_eq!(serde_json::to_value(r).unwrap(), serde_json::json!(r.as_str()));
        }
        for k in ImportKind::ALL {
            assert_eq!(serde_json::to_value(k).unwrap(), serde_json::json!(k.as_str()));
        }
    }
}
