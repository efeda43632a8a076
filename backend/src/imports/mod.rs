//! Bulk loads before go-live: organizations, areas and users from CSV files exported from GLPI,
//! Aranda or a spreadsheet, with a dry run that reports what would change.
pub mod csv_file;
pub mod domain;
pub mod queries;
pub mod routes;
