//! docker-compose.yml and deploy/ are checked here because no Docker engine runs where
//! the tests run: the file must declare the five services, every Dockerfile and every
//! local file it builds from or mounts must exist, Postgres must be healthy before the
//! backend starts, and the backend must get its mandatory settings.

use serde_yaml::{Mapping, Value};
use std::path::{Path, PathBuf};

const SERVICES: [&str; 5] = ["postgres", "backend", "frontend", "openldap", "mailpit"];

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn compose() -> Value {
    let path = repo_root().join("docker-compose.yml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("docker-compose.yml is not valid YAML: {e}"))
}

fn services(doc: &Value) -> &Mapping {
    doc.get("services").and_then(Value::as_mapping).expect("docker-compose.yml has no `services` mapping")
}

fn service<'a>(doc: &'a Value, name: &str) -> &'a Value {
    services(doc).get(name).unwrap_or_else(|| panic!("docker-compose.yml has no service `{name}`"))
}

fn service_names(doc: &Value) -> Vec<String> {
    services(doc).keys().filter_map(|k| k.as_str().map(str::to_owned)).collect()
}

/// `environment:` as (name, value) pairs, in map or list form.
fn environment(svc: &Value) -> Vec<(String, String)> {
    match svc.get("environment") {
        Some(Value::Mapping(map)) => map
            .iter()
            .map(|(k, v)| {
                let value = match v {
                    Value::String(s) => s.clone(),
                    Value::Null => String::new(),
                    other => serde_yaml::to_string(other).unwrap().trim().to_owned(),
                };
                (k.as_str().unwrap_or_default().to_owned(), value)
            })
            .collect(),
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(|item| match item.split_once('=') {
                Some((k, v)) => (k.to_owned(), v.to_owned()),
                None => (item.to_owned(), String::new()),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Source paths of the `COPY`/`ADD` instructions of a Dockerfile that read the build
/// context (not another stage), continuation lines joined.
fn dockerfile_sources(text: &str) -> Vec<String> {
    let mut instructions = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if current.is_empty() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        if let Some(head) = trimmed.strip_suffix('\\') {
            current.push_str(head);
            current.push(' ');
        } else {
            current.push_str(trimmed);
            instructions.push(std::mem::take(&mut current));
        }
    }
    let mut sources = Vec::new();
    for instruction in instructions {
        let mut words = instruction.split_whitespace();
        let keyword = words.next().unwrap_or_default().to_ascii_uppercase();
        if keyword != "COPY" && keyword != "ADD" {
            continue;
        }
        let args: Vec<&str> = words.collect();
        if args.iter().any(|a| a.starts_with("--from")) || args.first().is_some_and(|a| a.starts_with('[')) {
            continue;
        }
        let paths: Vec<&str> = args.into_iter().filter(|a| !a.starts_with("--")).collect();
        if let Some((_, srcs)) = paths.split_last() {
            sources.extend(srcs.iter().filter(|s| !s.contains('*') && !s.contains('?') && !s.contains("://")).map(|s| s.to_string()));
        }
    }
    sources
}

#[test]
fn compose_declares_the_five_services() {
    let doc = compose();
    let names = service_names(&doc);
    for name in SERVICES {
        assert!(names.iter().any(|n| n == name), "service `{name}` missing; found {names:?}");
    }
    for name in &names {
        let svc = service(&doc, name);
        assert!(svc.get("image").is_some() || svc.get("build").is_some(), "service `{name}` has neither `image` nor `build`");
    }
}

#[test]
fn compose_build_files_exist() {
    let doc = compose();
    let root = repo_root();
    let mut missing = Vec::new();
    for name in service_names(&doc) {
        let Some(build) = service(&doc, &name).get("build") else { continue };
        let (context, dockerfile) = match build {
            Value::String(context) => (context.clone(), "Dockerfile".to_owned()),
            Value::Mapping(_) => {
                (build.get("context").and_then(Value::as_str).unwrap_or(".").to_owned(), build.get("dockerfile").and_then(Value::as_str).unwrap_or("Dockerfile").to_owned())
            }
            other => panic!("service `{name}`: unexpected build {other:?}"),
        };
        let context_dir = root.join(&context);
        if !context_dir.is_dir() {
            missing.push(format!("{name}: build context `{context}`"));
            continue;
        }
        let dockerfile_path = context_dir.join(&dockerfile);
        let Ok(text) = std::fs::read_to_string(&dockerfile_path) else {
            missing.push(format!("{name}: dockerfile `{dockerfile}` (in context `{context}`)"));
            continue;
        };
        for source in dockerfile_sources(&text) {
            if !context_dir.join(&source).exists() {
                missing.push(format!("{name}: `{source}` copied by {dockerfile}"));
            }
        }
    }
    assert!(missing.is_empty(), "docker-compose.yml builds from files that do not exist:\n{}", missing.join("\n"));
}

#[test]
fn compose_mounted_paths_exist() {
    let doc = compose();
    let root = repo_root();
    let declared: Vec<String> = doc.get("volumes").and_then(Value::as_mapping).map(|m| m.keys().filter_map(|k| k.as_str().map(str::to_owned)).collect()).unwrap_or_default();
    let is_local = |s: &str| s.starts_with('.') || s.starts_with('/') || s.starts_with('~');
    let mut problems = Vec::new();
    for name in service_names(&doc) {
        let svc = service(&doc, &name);
        for volume in svc.get("volumes").and_then(Value::as_sequence).into_iter().flatten() {
            let (kind, source) = match volume {
                Value::String(spec) => {
                    let source = spec.split(':').next().unwrap_or_default().to_owned();
                    let kind = if is_local(&source) { "bind" } else { "volume" };
                    (kind.to_owned(), source)
                }
                Value::Mapping(_) => {
                    (volume.get("type").and_then(Value::as_str).unwrap_or("volume").to_owned(), volume.get("source").and_then(Value::as_str).unwrap_or_default().to_owned())
                }
                other => panic!("service `{name}`: unexpected volume {other:?}"),
            };
            match kind.as_str() {
                "bind" if !root.join(&source).exists() => problems.push(format!("{name}: mounted path `{source}` does not exist")),
                "volume" if !source.is_empty() && !declared.contains(&source) => {
                    problems.push(format!("{name}: named volume `{source}` is not declared under top-level `volumes`"))
                }
                _ => {}
            }
        }
        let env_files = match svc.get("env_file") {
            Some(Value::String(f)) => vec![f.clone()],
            Some(Value::Sequence(fs)) => fs.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            _ => Vec::new(),
        };
        for file in env_files {
            if !root.join(&file).is_file() {
                problems.push(format!("{name}: env_file `{file}` does not exist"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn compose_postgres_is_healthy_before_the_backend_starts() {
    let doc = compose();
    let test = service(&doc, "postgres").get("healthcheck").and_then(|h| h.get("test")).expect("postgres has no healthcheck test");
    let non_empty = match test {
        Value::String(s) => !s.trim().is_empty(),
        Value::Sequence(items) => items.len() > 1,
        _ => false,
    };
    assert!(non_empty, "postgres healthcheck test is empty: {test:?}");

    let depends_on = service(&doc, "backend").get("depends_on").expect("backend has no depends_on");
    let condition = depends_on.get("postgres").and_then(|p| p.get("condition")).and_then(Value::as_str);
    assert_eq!(condition, Some("service_healthy"), "backend must depend on postgres with `condition: service_healthy`; depends_on is {depends_on:?}");
}

#[test]
fn compose_backend_gets_its_settings() {
    let doc = compose();
    let env = environment(service(&doc, "backend"));
    let get = |key: &str| env.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    for key in ["DATABASE_URL", "MESA_JWT_SECRET", "MESA_BIND", "MESA_LDAP_URL", "MESA_SMTP_URL"] {
        assert!(get(key).is_some_and(|v| !v.is_empty()), "backend environment lacks {key}");
    }
    assert!(get("DATABASE_URL").unwrap().contains("@postgres:"), "DATABASE_URL must point at the postgres service");
    assert!(get("MESA_BIND").unwrap().starts_with("0.0.0.0:"), "the backend must listen on all interfaces in its container");
    assert!(get("MESA_LDAP_URL").unwrap().contains("openldap"), "MESA_LDAP_URL must point at the openldap service");
    assert!(get("MESA_SMTP_URL").unwrap().contains("mailpit"), "MESA_SMTP_URL must point at the mailpit service");
    // Read as the backend reads it: plain SMTP to Mailpit's port (it offers no TLS there).
    let smtp = mesa::notify::delivery::SmtpTarget::parse(&url::Url::parse(get("MESA_SMTP_URL").unwrap()).unwrap()).expect("MESA_SMTP_URL is one Mesa accepts");
    assert_eq!((smtp.host.as_str(), smtp.port, smtp.security), ("mailpit", 1025, mesa::notify::delivery::Security::Plain));
}

#[test]
fn compose_frontend_proxies_the_api_to_the_backend() {
    let doc = compose();
    let ports: Vec<String> = service(&doc, "frontend").get("ports").and_then(Value::as_sequence).into_iter().flatten().filter_map(|p| p.as_str().map(str::to_owned)).collect();
    assert!(ports.iter().any(|p| p.ends_with(":80")), "frontend must publish nginx's port 80; ports are {ports:?}");
    let nginx = std::fs::read_to_string(repo_root().join("deploy/nginx.conf")).expect("deploy/nginx.conf");
    assert!(nginx.contains("location /api/"), "nginx.conf must proxy /api/");
    assert!(nginx.contains("backend:8080"), "nginx.conf must proxy to backend:8080");
    assert!(nginx.contains("/index.html"), "nginx.conf must fall back to index.html for SPA routes");
}

#[test]
fn dockerfile_sources_are_parsed() {
    let text = "FROM x AS b\n# COPY nothing\nCOPY --chown=1:1 a b/ \\\n  c/\nCOPY --from=b /x /y\nRUN echo\nADD d e\nCOPY [\"f\", \"g\"]\n";
    assert_eq!(dockerfile_sources(text), vec!["a", "b/", "d"]);
}
