//! The knowledge base through the HTTP API: an article's lifecycle and who reads what, revisions
//! and their diff, hostile Markdown, the suggestions while filing, votes, deflections, and a
//! solution proposed as an article from its case.
use mesa::users::domain::Role;
use reqwest::Method;
use serde_json::{json, Value};

use crate::support::app::Reply;
use crate::tickets::{desk, Desk};

const PW: &str = "Buena.Clave2026";

/// The TIC desk with a supervisor ("gestora.tic") and a category "Impresión".
struct Kb {
    d: Desk,
    sup: String,
    category: String,
}

async fn kb() -> Kb {
    let d = desk().await;
    let sup_id = d.app.create_local_user("gestora.tic", PW, Role::Supervisor).await;
    let r = d.app.patch(&format!("/desks/{}", d.desk), &d.admin, json!({"supervisor_ids": [sup_id]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let sup = d.app.token("gestora.tic", PW).await;
    let c = d.app.post(&format!("/desks/{}/catalog/nodes", d.desk), Some(&d.admin), json!({"kind": "category", "name": "Impresión"})).await;
    assert_eq!(c.status, 201, "{}", c.body);
    Kb { category: c.body["id"].as_str().unwrap().to_owned(), d, sup }
}

fn etag(r: &Reply) -> String {
    r.headers.get("etag").unwrap().to_str().unwrap().to_owned()
}

impl Kb {
    async fn draft(&self, token: &str, title: &str, audience: &str, body: &str) -> Reply {
        let r = self
            .d
            .app
            .post(
                "/kb/articles",
                Some(token),
                json!({"desk_id": self.d.desk, "category_id": self.category, "audience": audience, "title": title,
                       "symptom": format!("Síntoma: {title}"), "body": body, "links": [{"title": "Guía", "url": "https://intranet.example.gov.co/guia"}]}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        r
    }

    async fn step(&self, token: &str, id: &str, action: &str, version: &str, body: Option<Value>) -> Reply {
        self.d.app.call_with(Method::POST, &format!("/kb/articles/{id}/{action}"), Some(token), body, &[("If-Match", version)]).await
    }

    /// A published article, written by the first-level agent and published by the supervisor.
    async fn published(&self, title: &str, audience: &str, body: &str) -> String {
        let r = self.draft(&self.d.agent_n1, title, audience, body).await;
        let id = r.body["id"].as_str().unwrap().to_owned();
        let p = self.step(&self.sup, &id, "publish", &etag(&r), None).await;
        assert_eq!(p.status, 200, "{}", p.body);
        id
    }
}

#[tokio::test]
async fn an_article_goes_from_draft_to_review_to_published_to_archived() {
    let k = kb().await;
    let app = &k.d.app;
    let r = k.draft(&k.d.agent_n1, "La impresora no imprime: cola atascada", "public", "1. Abra **Impresoras**\n2. Cancele todos los documentos").await;
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert_eq!((r.body["status"].clone(), r.body["revision"].clone(), r.body["author"]["name"].clone()), (json!("draft"), json!(1), json!("Usuario agente.n1")));
    assert_eq!(r.body["category"]["name"], "Impresión");
    assert!(r.body["body_html"].as_str().unwrap().contains("<strong>Impresoras</strong>"));

    // Requesters never see a draft, not even by its id.
    app.get(&format!("/kb/articles/{id}"), &k.d.pedro).await.assert_problem(404, "not_found");
    assert_eq!(app.get("/kb/articles", &k.d.pedro).await.body["items"], json!([]));
    // Agents do not publish.
    k.step(&k.d.agent_n1, &id, "publish", &etag(&r), None).await.assert_problem(403, "forbidden");
    let s = k.step(&k.d.agent_n1, &id, "submit", &etag(&r), None).await;
    assert_eq!(s.body["status"], "in_review", "{}", s.body);
    // A stale ETag is refused.
    k.step(&k.sup, &id, "publish", &etag(&r), None).await.assert_problem(412, "version_mismatch");
    // The review queue.
    let q = app.get(&format!("/kb/articles?desk={}&status=in_review", k.d.desk), &k.sup).await;
    assert_eq!(q.body["items"].as_array().unwrap().len(), 1, "{}", q.body);
    // Returned with a note, then published.
    let back = k.step(&k.sup, &id, "return", &etag(&s), Some(json!({"note": "Agregue una captura"}))).await;
    assert_eq!((back.body["status"].clone(), back.body["review_note"].clone()), (json!("draft"), json!("Agregue una captura")));
    let p = k.step(&k.sup, &id, "publish", &etag(&back), None).await;
    assert_eq!((p.body["status"].clone(), p.body["reviewer"]["name"].clone()), (json!("published"), json!("Usuario gestora.tic")), "{}", p.body);
    assert!(p.body["published_at"].is_string());
    // Published and public: the requester reads it, without the review note.
    let seen = app.get(&format!("/kb/articles/{id}"), &k.d.pedro).await;
    assert_eq!(seen.status, 200, "{}", seen.body);
    assert_eq!(seen.body["review_note"], Value::Null);
    assert_eq!(app.get("/kb/articles", &k.d.pedro).await.body["items"].as_array().unwrap().len(), 1);
    // Publishing twice is a conflict naming what is allowed.
    let again = k.step(&k.sup, &id, "publish", &etag(&p), None).await;
    again.assert_problem(409, "invalid_transition");
    assert_eq!(again.body["allowed_actions"], json!(["return", "archive"]));
    // An agent no longer edits a published article; the supervisor does.
    app.call_with(Method::PATCH, &format!("/kb/articles/{id}"), Some(&k.d.agent_n1), Some(json!({"title": "x"})), &[]).await.assert_problem(403, "forbidden");
    let a = k.step(&k.sup, &id, "archive", &etag(&p), None).await;
    assert_eq!(a.body["status"], "archived");
    app.get(&format!("/kb/articles/{id}"), &k.d.pedro).await.assert_problem(404, "not_found");
}

#[tokio::test]
async fn requesters_never_read_internal_articles_nor_another_desks() {
    let k = kb().await;
    let app = &k.d.app;
    let internal = k.published("Reinicio del servidor de impresión", "internal", "Solo para agentes").await;
    let public = k.published("Cambiar el tóner", "public", "Pasos").await;
    app.get(&format!("/kb/articles/{internal}"), &k.d.pedro).await.assert_problem(404, "not_found");
    let list = app.get("/kb/articles", &k.d.pedro).await;
    let ids: Vec<&str> = list.body["items"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [public.as_str()]);
    let s = app.get("/kb/suggestions?q=impresi%C3%B3n", &k.d.pedro).await;
    assert_eq!(s.body, json!([]), "internal articles are never suggested to requesters");
    // An agent of the desk reads both and gets the internal one suggested.
    assert_eq!(app.get(&format!("/kb/articles/{internal}"), &k.d.agent_n2).await.status, 200);
    assert_eq!(app.get("/kb/suggestions?q=servidor", &k.d.agent_n1).await.body[0]["id"], internal.as_str());
    // A requester cannot vote on or count views of an internal article either.
    app.call(Method::PUT, &format!("/kb/articles/{internal}/vote"), Some(&k.d.pedro), Some(json!({"helpful": true}))).await.assert_problem(404, "not_found");

    // Another desk's internal article: its id means nothing to this desk's agents.
    let other = app.post("/desks", Some(&k.d.admin), json!({"code": "ADM", "name": "Administrativos"})).await.body["id"].as_str().unwrap().to_owned();
    let adm_agent = app.create_local_user("agente.adm", PW, Role::Agent).await;
    let g = app.post("/groups", Some(&k.d.admin), json!({"desk_id": other, "name": "Servicios generales", "level": 1})).await.body["id"].as_str().unwrap().to_owned();
    app.call(Method::PUT, &format!("/groups/{g}/members"), Some(&k.d.admin), Some(json!({"user_ids": [adm_agent]}))).await;
    let adm = app.token("agente.adm", PW).await;
    let foreign = app.post("/kb/articles", Some(&adm), json!({"desk_id": other, "audience": "internal", "title": "Llaves de la bodega", "symptom": "s", "body": "b"})).await;
    assert_eq!(foreign.status, 201, "{}", foreign.body);
    let fid = foreign.body["id"].as_str().unwrap();
    app.get(&format!("/kb/articles/{fid}"), &k.d.agent_n1).await.assert_problem(404, "not_found");
    app.get(&format!("/kb/articles/{fid}/versions"), &k.d.agent_n1).await.assert_problem(404, "not_found");
    app.call_with(Method::PATCH, &format!("/kb/articles/{fid}"), Some(&k.d.agent_n1), Some(json!({"title": "x"})), &[]).await.assert_problem(404, "not_found");
    k.step(&k.sup, fid, "publish", "\"1\"", None).await.assert_problem(404, "not_found");
    // Nor may one write for a desk one does not work, or file under another desk's category.
    app.post("/kb/articles", Some(&adm), json!({"desk_id": k.d.desk, "audience": "public", "title": "t", "symptom": "s", "body": "b"})).await.assert_problem(403, "forbidden");
    let r = app.post("/kb/articles", Some(&adm), json!({"desk_id": other, "category_id": k.category, "audience": "public", "title": "t", "symptom": "s", "body": "b"})).await;
    r.assert_problem(422, "validation_failed");
    assert_eq!(r.error_fields(), ["category_id"]);
    // Requesters write nothing.
    app.post("/kb/articles", Some(&k.d.pedro), json!({"desk_id": k.d.desk, "audience": "public", "title": "t", "symptom": "s", "body": "b"}))
        .await
        .assert_problem(403, "forbidden");
}

#[tokio::test]
async fn every_revision_is_kept_and_diffed() {
    let k = kb().await;
    let app = &k.d.app;
    let r = k.draft(&k.d.agent_n1, "Impresora no imprime", "public", "Paso 1\nPaso 2\n").await;
    let id = r.body["id"].as_str().unwrap().to_owned();
    let e1 = app
        .call_with(
            Method::PATCH,
            &format!("/kb/articles/{id}"),
            Some(&k.d.agent_n2),
            Some(json!({"title": "La impresora no imprime", "body": "Paso 1\nPaso 2 corregido\nPaso 3\n"})),
            &[("If-Match", &etag(&r))],
        )
        .await;
    assert_eq!((e1.status.as_u16(), e1.body["revision"].clone()), (200, json!(2)), "{}", e1.body);
    // The old ETag no longer applies.
    app.call_with(Method::PATCH, &format!("/kb/articles/{id}"), Some(&k.d.agent_n1), Some(json!({"title": "Otro"})), &[("If-Match", &etag(&r))])
        .await
        .assert_problem(412, "version_mismatch");
    let e2 = app.call_with(Method::PATCH, &format!("/kb/articles/{id}"), Some(&k.d.agent_n1), Some(json!({"audience": "internal"})), &[("If-Match", &etag(&e1))]).await;
    assert_eq!(e2.body["revision"], 3);
    // The same content again is no new revision.
    let same = app.call_with(Method::PATCH, &format!("/kb/articles/{id}"), Some(&k.d.agent_n1), Some(json!({"audience": "internal"})), &[("If-Match", &etag(&e2))]).await;
    assert_eq!((same.body["revision"].clone(), etag(&same)), (json!(3), etag(&e2)));

    let v = app.get(&format!("/kb/articles/{id}/versions"), &k.d.agent_n1).await;
    let revs: Vec<(i64, &str, &str)> =
        v.body.as_array().unwrap().iter().map(|x| (x["revision"].as_i64().unwrap(), x["title"].as_str().unwrap(), x["edited_by"]["name"].as_str().unwrap())).collect();
    assert_eq!(
        revs,
        [(3, "La impresora no imprime", "Usuario agente.n1"), (2, "La impresora no imprime", "Usuario especialista.n2"), (1, "Impresora no imprime", "Usuario agente.n1")]
    );

    let d = app.get(&format!("/kb/articles/{id}/diff?from=1&to=2"), &k.d.agent_n1).await;
    assert_eq!(d.status, 200, "{}", d.body);
    let fields: Vec<&str> = d.body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["title", "body"]);
    let body = &d.body["fields"][1]["changes"];
    assert_eq!(body[0], json!({"tag": "equal", "text": "Paso 1\n"}));
    // Stored trimmed: the last line has no newline.
    assert_eq!(body[1], json!({"tag": "delete", "text": "Paso 2"}));
    assert_eq!(body[2], json!({"tag": "insert", "text": "Paso 2 corregido\nPaso 3"}));
    let d = app.get(&format!("/kb/articles/{id}/diff?from=2&to=3"), &k.d.agent_n1).await;
    assert_eq!(d.body["fields"], json!([{"field": "audience", "changes": [{"tag": "delete", "text": "public"}, {"tag": "insert", "text": "internal"}]}]));
    let bad = app.get(&format!("/kb/articles/{id}/diff?from=0&to=9"), &k.d.agent_n1).await;
    bad.assert_problem(422, "validation_failed");
    assert_eq!(bad.error_fields(), ["from", "to"]);
    // Requesters do not read revisions, even of a published article.
    let p = k.step(&k.sup, &id, "publish", &etag(&same), None).await;
    assert_eq!(p.status, 200);
    let back = app.call_with(Method::PATCH, &format!("/kb/articles/{id}"), Some(&k.sup), Some(json!({"audience": "public"})), &[("If-Match", &etag(&p))]).await;
    assert_eq!(back.body["revision"], 4, "{}", back.body);
    app.get(&format!("/kb/articles/{id}/versions"), &k.d.pedro).await.assert_problem(403, "forbidden");
}

#[tokio::test]
async fn hostile_markdown_is_rendered_harmless() {
    let k = kb().await;
    let body = "Hola <script>alert('x')</script>\n\n[clic](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n<a href=\"javascript:alert(2)\" onclick=\"alert(3)\">a</a>\n\n<iframe src=\"https://evil.example\"></iframe>\n\n![img](data:image/svg+xml;base64,PHN2Zz4=)\n\n[bien](https://intranet.example.gov.co)";
    let r = k.draft(&k.d.agent_n1, "Artículo hostil", "public", body).await;
    let html = r.body["body_html"].as_str().unwrap().to_lowercase();
    // Raw HTML comes back escaped (harmless text); what matters is what is inside real tags.
    let tags: Vec<&str> = html.split('<').skip(1).map(|t| t.split('>').next().unwrap_or("")).collect();
    for tag in &tags {
        let name = tag.trim_start_matches('/').split(|c: char| c.is_whitespace()).next().unwrap_or("");
        assert!(!["script", "iframe", "style", "object", "embed"].contains(&name), "<{tag}> in {html}");
        for bad in ["javascript:", "data:", " on"] {
            assert!(!tag.contains(bad), "{bad} in <{tag}>: {html}");
        }
    }
    assert!(html.contains("&lt;script&gt;"), "raw HTML is shown as text: {html}");
    assert!(html.contains("href=\"https://intranet.example.gov.co\""), "{html}");
    // The Markdown stays as written, for the editor.
    assert_eq!(r.body["body"], body);
    // Links outside http, https and mailto are refused, naming the link.
    let bad =
        k.d.app
            .post(
                "/kb/articles",
                Some(&k.d.agent_n1),
                json!({"desk_id": k.d.desk, "audience": "public", "title": "t", "symptom": "s", "body": "b", "links": [{"title": "x", "url": "javascript:alert(1)"}]}),
            )
            .await;
    bad.assert_problem(422, "validation_failed");
    assert_eq!(bad.error_fields(), ["links.0.url"]);
}

#[tokio::test]
async fn bad_input_is_a_problem_naming_the_field() {
    let k = kb().await;
    let app = &k.d.app;
    let base = json!({"desk_id": k.d.desk, "audience": "public", "title": "t", "symptom": "s", "body": "b"});
    let with = |field: &str, value: Value| {
        let mut b = base.clone();
        b[field] = value;
        b
    };
    for (field, value) in [
        ("title", json!("a\u{0}b")),
        ("symptom", json!("\u{0}")),
        ("body", json!("x".repeat(50_001))),
        ("title", json!("x".repeat(201))),
        ("title", json!("   ")),
        ("audience", json!("everyone")),
        ("category_id", json!("not-a-uuid")),
    ] {
        let r = app.post("/kb/articles", Some(&k.d.agent_n1), with(field, value)).await;
        r.assert_problem(422, "validation_failed");
        assert_eq!(r.error_fields(), [field], "{}", r.body);
    }
    let r = app.post("/kb/articles", Some(&k.d.agent_n1), with("extra", json!(1))).await;
    assert_eq!(r.error_fields(), ["extra"]);
    // Queries: NUL, too long, out-of-range limit.
    app.get("/kb/suggestions?q=impresora%00", &k.d.pedro).await.assert_problem(422, "validation_failed");
    let long = app.get(&format!("/kb/suggestions?q={}", "a".repeat(201)), &k.d.pedro).await;
    assert_eq!(long.error_fields(), ["q"]);
    assert_eq!(app.get("/kb/suggestions?q=x&limit=99", &k.d.pedro).await.error_fields(), ["limit"]);
    assert_eq!(app.get("/kb/articles?q=%00", &k.d.pedro).await.error_fields(), ["q"]);
    assert_eq!(app.get("/kb/articles?cursor=garbage", &k.d.pedro).await.error_fields(), ["cursor"]);
    app.get("/kb/articles/not-a-uuid", &k.d.pedro).await.assert_problem(404, "not_found");
    // A return needs its note.
    let d = k.draft(&k.d.agent_n1, "t", "public", "b").await;
    let r = k.step(&k.sup, d.body["id"].as_str().unwrap(), "return", &etag(&d), Some(json!({"note": ""}))).await;
    assert_eq!(r.error_fields(), ["note"]);
}

#[tokio::test]
async fn suggestions_rank_the_printer_article_first() {
    let k = kb().await;
    let app = &k.d.app;
    k.published("Cómo instalar una impresora de red", "public", "1. Abra Configuración\n2. Agregue la impresora por su IP").await;
    k.published("El escáner no digitaliza", "public", "Revise el cable; la impresora multifuncional debe estar encendida").await;
    let printer =
        k.published("La impresora no imprime: cola atascada", "public", "1. Abra la cola de impresión\n2. Cancele todos los documentos\n3. Reinicie el servicio de cola").await;
    k.published("Correo no sincroniza en el celular", "public", "Quite y agregue la cuenta").await;
    // Not published: never suggested.
    k.draft(&k.d.agent_n1, "Impresora no imprime en color", "public", "Borrador").await;

    for q in ["impresora no imprime", "Impresora no imprime ", "IMPRESORA NO IMPRIME", "impresora no impri", "la impresora no imprime"] {
        let r = app.get(&format!("/kb/suggestions?q={}&desk={}", q.replace(' ', "%20"), k.d.desk), &k.d.pedro).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body[0]["id"], printer.as_str(), "{q}: {}", r.body);
        assert_eq!(r.body[0]["title"], "La impresora no imprime: cola atascada");
        assert!(r.body.as_array().unwrap().iter().all(|s| s["title"] != "Impresora no imprime en color"));
    }
    // Accents do not matter; words alone match.
    let r = app.get("/kb/suggestions?q=impresion", &k.d.pedro).await;
    assert_eq!(r.body[0]["id"], printer.as_str(), "{}", r.body);
    let r = app.get("/kb/suggestions?q=correo%20celular", &k.d.pedro).await;
    assert_eq!(r.body[0]["title"], "Correo no sincroniza en el celular");
    // Nothing to search for: nothing suggested. Another desk: nothing.
    assert_eq!(app.get("/kb/suggestions?q=%20%C2%BF%3F", &k.d.pedro).await.body, json!([]));
    let r = app.get(&format!("/kb/suggestions?q=impresora&desk={}", uuid::Uuid::now_v7()), &k.d.pedro).await;
    assert_eq!(r.body, json!([]));
    // The search page finds it too, by relevance.
    let r = app.get("/kb/articles?q=impresora%20no%20imprime", &k.d.pedro).await;
    assert_eq!(r.body["items"][0]["id"], printer.as_str(), "{}", r.body);
}

#[tokio::test]
async fn thirty_parallel_votes_of_one_person_count_once() {
    let k = kb().await;
    let id = k.published("Cambiar el tóner", "public", "Pasos").await;
    let app = &k.d.app;
    let path = format!("/kb/articles/{id}/vote");
    let votes = (0..30).map(|i| app.call(Method::PUT, &path, Some(&k.d.pedro), Some(json!({"helpful": i % 3 != 0}))));
    for r in futures_util::future::join_all(votes).await {
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let a = app.get(&format!("/kb/articles/{id}"), &k.d.pedro).await;
    assert_eq!(a.body["helpful"].as_i64().unwrap() + a.body["not_helpful"].as_i64().unwrap(), 1, "{}", a.body);
    // Another person's vote counts; a changed vote replaces the first.
    app.call(Method::PUT, &format!("/kb/articles/{id}/vote"), Some(&k.d.lucia), Some(json!({"helpful": false}))).await;
    let t = app.call(Method::PUT, &format!("/kb/articles/{id}/vote"), Some(&k.d.pedro), Some(json!({"helpful": true}))).await;
    assert_eq!(t.body, json!({"helpful": 1, "not_helpful": 1, "my_vote": true}));
    // Drafts take no votes.
    let d = k.draft(&k.d.agent_n1, "Borrador", "public", "b").await;
    app.call(Method::PUT, &format!("/kb/articles/{}/vote", d.body["id"].as_str().unwrap()), Some(&k.d.agent_n1), Some(json!({"helpful": true})))
        .await
        .assert_problem(409, "not_published");
}

#[tokio::test]
async fn views_and_deflections_are_counted() {
    let k = kb().await;
    let app = &k.d.app;
    let id = k.published("La impresora no imprime: cola atascada", "public", "Pasos").await;
    let plain = app.post(&format!("/kb/articles/{id}/views"), Some(&k.d.pedro), json!({})).await;
    assert_eq!((plain.status.as_u16(), plain.body["views"].clone()), (201, json!(1)), "{}", plain.body);
    let from_form = app.post(&format!("/kb/articles/{id}/views"), Some(&k.d.pedro), json!({"from_suggestion": true})).await;
    let view = from_form.body["id"].as_str().unwrap();
    // A view not opened from the form is no deflection; someone else's view is not found.
    app.post(&format!("/kb/views/{}/deflection", plain.body["id"].as_str().unwrap()), Some(&k.d.pedro), json!({})).await.assert_problem(409, "not_from_suggestion");
    app.post(&format!("/kb/views/{view}/deflection"), Some(&k.d.lucia), json!({})).await.assert_problem(404, "not_found");
    // Counted once, however often the SPA reports it.
    for _ in 0..2 {
        assert_eq!(app.post(&format!("/kb/views/{view}/deflection"), Some(&k.d.pedro), json!({})).await.status, 204);
    }
    let s = app.get(&format!("/kb/stats?desk={}", k.d.desk), &k.sup).await;
    assert_eq!(s.status, 200, "{}", s.body);
    assert_eq!((s.body["views"].clone(), s.body["suggestion_views"].clone(), s.body["deflections"].clone(), s.body["published"].clone()), (json!(2), json!(1), json!(1), json!(1)));
    app.get(&format!("/kb/stats?desk={}", k.d.desk), &k.d.pedro).await.assert_problem(403, "forbidden");
    assert_eq!(app.get(&format!("/kb/articles/{id}"), &k.d.pedro).await.body["views"], 2);
}

#[tokio::test]
async fn an_agent_proposes_a_solution_and_the_supervisor_publishes_it() {
    let k = kb().await;
    let app = &k.d.app;
    let t = k.d.open(&k.d.pedro, "La impresora del piso 3 no imprime").await;
    let n = t["number"].as_i64().unwrap();
    k.d.ok(&k.d.agent_n1, n, "take", json!({})).await;
    // Not before the case has a solution.
    app.post(&format!("/tickets/{n}/kb-proposal"), Some(&k.d.agent_n1), json!({})).await.assert_problem(409, "not_resolved");
    k.d.ok(&k.d.agent_n1, n, "resolve", json!({"solution": "1. Se canceló la cola de impresión\n2. Se reinició el servicio Spooler"})).await;
    // The requester cannot propose; another desk's case is not found.
    app.post(&format!("/tickets/{n}/kb-proposal"), Some(&k.d.pedro), json!({})).await.assert_problem(403, "forbidden");
    app.post(&format!("/tickets/{n}/kb-proposal"), Some(&k.d.agent_n1), json!({"title": "\u{0}"})).await.assert_problem(422, "validation_failed");
    let p = app.post(&format!("/tickets/{n}/kb-proposal"), Some(&k.d.agent_n1), json!({"audience": "public"})).await;
    assert_eq!(p.status, 201, "{}", p.body);
    assert_eq!(p.body["status"], "in_review");
    assert_eq!(p.body["title"], "La impresora del piso 3 no imprime");
    assert_eq!(p.body["symptom"], "Detalle del caso");
    assert!(p.body["body"].as_str().unwrap().contains("Spooler"));
    assert_eq!(p.body["category"]["name"], "TIC", "the service's category");
    assert_eq!(p.body["source_ticket_number"], n);
    let id = p.body["id"].as_str().unwrap();
    // The case lists it for its staff; not for the requester until published.
    assert_eq!(app.get(&format!("/tickets/{n}/articles"), &k.d.agent_n1).await.body[0]["id"], id);
    assert_eq!(app.get(&format!("/tickets/{n}/articles"), &k.d.pedro).await.body, json!([]));
    let queue = app.get(&format!("/kb/articles?status=in_review&desk={}", k.d.desk), &k.sup).await;
    assert_eq!(queue.body["items"][0]["id"], id);
    let published = k.step(&k.sup, id, "publish", &etag(&p), None).await;
    assert_eq!(published.body["status"], "published", "{}", published.body);
    let mine = app.get(&format!("/tickets/{n}/articles"), &k.d.pedro).await;
    assert_eq!(mine.body[0]["id"], id);
    let shown = app.get(&format!("/kb/articles/{id}"), &k.d.pedro).await;
    assert_eq!(shown.body["source_ticket_number"], Value::Null, "the case's number is for staff only");

    // Another case links an existing article; twice is once.
    let t2 = k.d.open(&k.d.pedro, "Otra impresora").await["number"].as_i64().unwrap();
    for _ in 0..2 {
        let l = app.post(&format!("/tickets/{t2}/articles"), Some(&k.d.agent_n1), json!({"article_id": id})).await;
        assert_eq!(l.body.as_array().map(Vec::len), Some(1), "{}", l.body);
    }
    let r = app.post(&format!("/tickets/{t2}/articles"), Some(&k.d.agent_n1), json!({"article_id": uuid::Uuid::now_v7()})).await;
    assert_eq!(r.error_fields(), ["article_id"]);
    app.post(&format!("/tickets/{t2}/articles"), Some(&k.d.pedro), json!({"article_id": id})).await.assert_problem(403, "forbidden");
}

#[tokio::test]
async fn files_attach_to_an_article_and_download_with_its_permissions() {
    let k = kb().await;
    let app = &k.d.app;
    let d = k.draft(&k.d.agent_n1, "Manual de la impresora", "public", "Vea el manual adjunto").await;
    let id = d.body["id"].as_str().unwrap().to_owned();
    let form = reqwest::multipart::Form::new()
        .text("data", "{}")
        .part("file", reqwest::multipart::Part::bytes(b"Manual: apague y encienda\n".to_vec()).file_name("manual.txt").mime_str("text/plain").unwrap());
    let r = app.client.post(app.url(&format!("/kb/articles/{id}/attachments"))).bearer_auth(&k.d.agent_n1).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let files: Value = r.json().await.unwrap();
    let file = files[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(files[0]["file_name"], "manual.txt");
    // A disguised file is refused, naming the part.
    let form = reqwest::multipart::Form::new().text("data", "{}").part("file", reqwest::multipart::Part::bytes(b"<script>x</script>".to_vec()).file_name("manual.pdf"));
    let r = app.client.post(app.url(&format!("/kb/articles/{id}/attachments"))).bearer_auth(&k.d.agent_n1).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 422);
    // The requester downloads it once the article is published, not before.
    let path = format!("/kb/articles/{id}/attachments/{file}");
    app.get(&path, &k.d.pedro).await.assert_problem(404, "not_found");
    k.step(&k.sup, &id, "publish", &etag(&d), None).await;
    let got = app.client.get(app.url(&path)).bearer_auth(&k.d.pedro).send().await.unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.text().await.unwrap(), "Manual: apague y encienda\n");
    assert_eq!(app.get(&format!("/kb/articles/{id}"), &k.d.pedro).await.body["attachments"][0]["id"], file.as_str());
}

#[tokio::test]
async fn the_editor_previews_what_the_article_will_show() {
    let k = kb().await;
    let r = k.d.app.post("/kb/preview", Some(&k.d.agent_n1), json!({"body": "**Paso** <script>x</script> [a](javascript:alert(1))"})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let html = r.body["html"].as_str().unwrap();
    assert!(html.contains("<strong>Paso</strong>") && html.contains("&lt;script&gt;") && !html.contains("javascript:"), "{html}");
    k.d.app.post("/kb/preview", Some(&k.d.pedro), json!({"body": "x"})).await.assert_problem(403, "forbidden");
    assert_eq!(k.d.app.post("/kb/preview", Some(&k.d.agent_n1), json!({"body": "x".repeat(50_001)})).await.error_fields(), ["body"]);
}
