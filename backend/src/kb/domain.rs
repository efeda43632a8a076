//! The knowledge base's pure parts: audiences and statuses, the article's fields checked, its
//! Markdown rendered to harmless HTML, diffs between revisions, and the suggestion query.
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::text_enum;
use crate::validate::Errors;

text_enum! {
    /// Who reads a published article: requesters too (`public`), or the desk's agents only (`internal`).
    pub enum ArticleAudience { Public => "public", Internal => "internal" }
}

text_enum! {
    /// `draft` (being written) → `in_review` (waiting for a supervisor) → `published` → `archived`.
    pub enum ArticleStatus { Draft => "draft", InReview => "in_review", Published => "published", Archived => "archived" }
}

pub const MAX_TITLE: usize = 200;
pub const MAX_SYMPTOM: usize = 4_000;
pub const MAX_BODY: usize = 50_000;
pub const MAX_LINKS: usize = 20;
pub const MAX_LINK_TITLE: usize = 200;
pub const MAX_URL: usize = 2_000;
/// A search or suggestion query: longer ones are refused (a subject is at most 200 characters).
pub const MAX_QUERY: usize = 200;

/// A reference link of an article ("bibliografías, enlaces de referencia").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "Guía de impresoras de la Alcaldía", "url": "https://intranet.cali.gov.co/tic/guias/impresoras"}))]
pub struct Link {
    #[schema(max_length = 200)]
    pub title: String,
    /// `http`, `https` or `mailto` only.
    #[schema(max_length = 2000)]
    pub url: String,
}

/// The schemes a link (in `links` or in the Markdown) may use.
pub const URL_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// Checks the links, naming `links.N.title` / `links.N.url` at fault; returns them trimmed.
pub fn check_links(e: &mut Errors, links: &[Link]) -> Vec<Link> {
    if links.len() > MAX_LINKS {
        e.add("links", "too_many", format!("at most {MAX_LINKS} links"));
        return vec![];
    }
    links
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let title = e.text(&format!("links.{i}.title"), &l.title, MAX_LINK_TITLE);
            let url_field = format!("links.{i}.url");
            let url = e.text(&url_field, &l.url, MAX_URL);
            if !url.is_empty() && url.chars().count() <= MAX_URL {
                match url::Url::parse(&url) {
                    Ok(u) if URL_SCHEMES.contains(&u.scheme()) => {}
                    Ok(_) => e.add(&url_field, "invalid_scheme", "must be an http, https or mailto address"),
                    Err(_) => e.add(&url_field, "invalid", "is not an absolute address (https://…)"),
                }
            }
            Link { title, url }
        })
        .collect()
}

/// Markdown to HTML that cannot run anything: raw HTML in the source is shown as text (never
/// passed through), then the result goes through ammonia's whitelist (no `script`, `style`,
/// event attributes or `javascript:` / `data:` URLs; links get `rel="noopener noreferrer nofollow"`).
pub fn render_markdown(source: &str) -> String {
    use pulldown_cmark::{html, Event, Options, Parser};
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let events = Parser::new_ext(source, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut unsafe_html = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut unsafe_html, events);
    ammonia::Builder::default()
        .url_schemes(URL_SCHEMES.into_iter().collect())
        // Relative URLs ("//host", "/path") are refused too: an article links out with a scheme.
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&unsafe_html)
        .to_string()
}

text_enum! {
    /// One run of a diff: unchanged, added in the newer revision, or removed from the older.
    pub enum ChangeTag { Equal => "equal", Insert => "insert", Delete => "delete" }
}

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Change {
    pub tag: ChangeTag,
    pub text: String,
}

/// The differences in one field between two revisions (only fields that differ are listed).
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({"field": "title", "changes": [{"tag": "equal", "text": "Cómo cambiar la contraseña del correo"}, {"tag": "insert", "text": " institucional"}]}))]
pub struct FieldDiff {
    /// `title`, `symptom`, `body`, `audience`, `category_id` or `links`.
    pub field: String,
    /// The older text cut into runs, in order: reading the `equal` and `delete` runs gives the
    /// older text, the `equal` and `insert` runs the newer one.
    pub changes: Vec<Change>,
}

/// Word runs for short one-line fields, line runs for the rest; consecutive pieces with the same
/// tag are merged.
pub fn diff_field(field: &str, old: &str, new: &str, by_words: bool) -> Option<FieldDiff> {
    if old == new {
        return None;
    }
    let diff = if by_words { similar::TextDiff::from_words(old, new) } else { similar::TextDiff::from_lines(old, new) };
    let mut changes: Vec<Change> = Vec::new();
    for c in diff.iter_all_changes() {
        let tag = match c.tag() {
            similar::ChangeTag::Equal => ChangeTag::Equal,
            similar::ChangeTag::Insert => ChangeTag::Insert,
            similar::ChangeTag::Delete => ChangeTag::Delete,
        };
        match changes.last_mut() {
            Some(last) if last.tag == tag => last.text.push_str(c.value()),
            _ => changes.push(Change { tag, text: c.value().to_owned() }),
        }
    }
    Some(FieldDiff { field: field.to_owned(), changes })
}

/// The words of a query as the suggestion search uses them: letters and digits only (so nothing
/// reaches `to_tsquery` as an operator), at most 12 words of 40 characters.
pub fn query_words(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).take(12).map(|w| w.chars().take(40).collect::<String>().to_lowercase()).collect()
}

/// The `to_tsquery` text for what a requester is typing: any of the words (ranked by how many
/// and how close they match), the last one as a prefix while it is being typed (the query does
/// not end in a space) and has at least 3 characters. `None` when there is no word.
pub fn suggestion_tsquery(q: &str) -> Option<String> {
    let words = query_words(q);
    let last = words.len().checked_sub(1)?;
    let typing = q.chars().last().is_some_and(char::is_alphanumeric);
    Some(words.iter().enumerate().map(|(i, w)| if i == last && typing && w.chars().count() >= 3 { format!("{w}:*") } else { w.clone() }).collect::<Vec<_>>().join(" | "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip() {
        for a in ArticleAudience::ALL {
            assert_eq!(serde_json::to_value(a).unwrap(), a.as_str());
        }
        for s in ArticleStatus::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for t in ChangeTag::ALL {
            assert_eq!(serde_json::to_value(t).unwrap(), t.as_str());
        }
    }

    #[test]
    fn markdown_renders_steps() {
        let html = render_markdown("1. Abra **Impresoras**\n2. Cancele la cola\n\n[Guía](https://mesa.example.gov.co/guia)");
        assert!(html.contains("<ol>"), "{html}");
        assert!(html.contains("<strong>Impresoras</strong>"), "{html}");
        assert!(html.contains(r#"<a href="https://mesa.example.gov.co/guia" rel="noopener noreferrer nofollow">Guía</a>"#), "{html}");
    }

    #[test]
    fn hostile_markdown_is_harmless() {
        for hostile in [
            "<script>alert(1)</script>",
            "hola <img src=x onerror=alert(1)>",
            "[clic](javascript:alert(1))",
            "[clic](JaVaScRiPt:alert(1))",
            "[clic](data:text/html;base64,PHNjcmlwdD4=)",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "![x](javascript:alert(1))",
            "<div onclick=\"alert(1)\">x</div>",
            "[x](//evil.example/path)",
            "<style>body{display:none}</style>",
        ] {
            let html = render_markdown(hostile).to_lowercase();
            // Escaped raw HTML may show these words as text; only what is inside a real tag acts.
            let tags: Vec<&str> = html.split('<').skip(1).map(|rest| rest.split('>').next().unwrap_or_default()).collect();
            for tag in &tags {
                for bad in ["script", "img src=\"x\"", "onerror", "onclick", "javascript:", "data:", "iframe", "style", "href=\"//"] {
                    assert!(!tag.contains(bad), "{hostile:?} gave {html:?}");
                }
            }
        }
        // Raw HTML is shown as text, not dropped silently.
        assert!(render_markdown("<b>negrita</b>").contains("&lt;b&gt;negrita&lt;/b&gt;"));
    }

    #[test]
    fn links_are_checked() {
        let mut e = Errors::default();
        let ok = check_links(&mut e, &[Link { title: " Guía ".into(), url: "https://x.gov.co/a".into() }]);
        assert_eq!(ok[0].title, "Guía");
        assert!(e.finish().is_ok());
        let mut e = Errors::default();
        check_links(&mut e, &[Link { title: "a".into(), url: "javascript:alert(1)".into() }, Link { title: "".into(), url: "sin-esquema".into() }]);
        match e.finish() {
            Err(crate::error::AppError::Validation(v)) => {
                let fields: Vec<_> = v.iter().map(|f| (f.field.as_str(), f.code.as_str())).collect();
                assert_eq!(fields, [("links.0.url", "invalid_scheme"), ("links.1.title", "required"), ("links.1.url", "invalid")]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn diffs_rebuild_both_sides() {
        let old = "Paso 1\nPaso 2\nPaso 3\n";
        let new = "Paso 1\nPaso 2 corregido\nPaso 3\nPaso 4\n";
        let d = diff_field("body", old, new, false).unwrap();
        let side = |keep: ChangeTag| d.changes.iter().filter(|c| c.tag == ChangeTag::Equal || c.tag == keep).map(|c| c.text.as_str()).collect::<String>();
        assert_eq!(side(ChangeTag::Delete), old);
        assert_eq!(side(ChangeTag::Insert), new);
        assert!(d.changes.iter().any(|c| c.tag == ChangeTag::Insert && c.text.contains("Paso 4")));
        assert_eq!(diff_field("title", "igual", "igual", true), None);
        let t = diff_field("title", "Impresora no imprime", "La impresora no imprime", true).unwrap();
        assert!(t.changes.contains(&Change { tag: ChangeTag::Delete, text: "Impresora".into() }), "{t:?}");
        assert!(t.changes.iter().any(|c| c.tag == ChangeTag::Insert && c.text.contains("impresora")), "{t:?}");
    }

    #[test]
    fn suggestion_queries_hold_words_only() {
        assert_eq!(suggestion_tsquery("impresora no imprime").as_deref(), Some("impresora | no | imprime:*"));
        assert_eq!(suggestion_tsquery("impresora no imprime ").as_deref(), Some("impresora | no | imprime"));
        assert_eq!(suggestion_tsquery("Impresión: ¡no! 'x' & | !").as_deref(), Some("impresión | no | x"));
        assert_eq!(suggestion_tsquery("vp").as_deref(), Some("vp"));
        assert_eq!(suggestion_tsquery("  ¿?  "), None);
        assert_eq!(query_words(&"a ".repeat(30)).len(), 12);
    }
}
