//! Jobs that give up: backoff, the failed state, the admins' list and retry; time is driven by
//! the test through `run_one`'s `now`, not by sleeps.
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use mesa::db::schema::jobs;
use mesa::users::domain::Role;
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::support::app::{spawn_app, TestApp};

async fn conn(app: &TestApp) -> diesel_async::pooled_connection::bb8::PooledConnection<'_, AsyncPgConnection> {
    app.pool.get().await.unwrap()
}

/// A recomputation whose payload it cannot read: it fails on every attempt.
async fn broken_recompute(app: &TestApp) -> Uuid {
    let mut c = conn(app).await;
    let id = mesa::jobs::enqueue_recompute(&mut c, "test").await.unwrap();
    diesel::update(jobs::table.find(id)).set(jobs::payload.eq(json!({"cursor": "garbage"}))).execute(&mut c).await.unwrap();
    id
}

type JobTimes = (i32, DateTime<Utc>, Option<DateTime<Utc>>, Option<String>);

async fn job_times(app: &TestApp, id: Uuid) -> JobTimes {
    let mut c = conn(app).await;
    jobs::table.find(id).select((jobs::attempts, jobs::run_at, jobs::failed_at, jobs::last_error)).first(&mut c).await.unwrap()
}

#[tokio::test]
async fn a_failing_job_backs_off_gives_up_and_an_admin_retries_it() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let id = broken_recompute(&app).await;
    let max = mesa::jobs::policy(mesa::jobs::SLA_RECOMPUTE).max_attempts;

    let mut now = Utc::now();
    let mut delays = Vec::new();
    for attempt in 1..=max {
        assert_eq!(mesa::jobs::run_one(&app.pool, now).await.unwrap().as_deref(), Some(mesa::jobs::SLA_RECOMPUTE), "attempt {attempt}");
        let (attempts, run_at, failed_at, error) = job_times(&app, id).await;
        assert_eq!(attempts, attempt);
        assert!(error.unwrap().contains("cursor"), "the last error says what is wrong");
        if attempt < max {
            assert!(failed_at.is_none(), "attempt {attempt} is not the last");
            // Not due before its backoff ends.
            assert!(mesa::jobs::run_one(&app.pool, run_at - Duration::milliseconds(1)).await.unwrap().is_none());
            delays.push(run_at - now);
            now = run_at;
        } else {
            assert_eq!(failed_at, Some(now), "failed at its last attempt");
        }
    }
    assert_eq!(delays.len() as i32, max - 1);
    assert!(delays[0] >= Duration::seconds(24) && delays[0] <= Duration::seconds(30), "{delays:?}");
    assert!(delays.windows(2).all(|w| w[1] > w[0]), "each delay longer than the one before: {delays:?}");
    assert!(*delays.last().unwrap() <= Duration::minutes(30), "bounded: {delays:?}");
    // A failed job is never claimed again by itself.
    assert!(mesa::jobs::run_one(&app.pool, now + Duration::days(30)).await.unwrap().is_none());

    let failed = app.get("/jobs?state=failed", &admin).await;
    assert_eq!(failed.status, 200, "{}", failed.body);
    let items = failed.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    let job = &items[0];
    assert_eq!(job["id"], json!(id));
    assert_eq!((job["state"].as_str(), job["kind"].as_str()), (Some("failed"), Some("sla_recompute")));
    assert_eq!((job["attempts"].as_i64(), job["max_attempts"].as_i64()), (Some(max as i64), Some(max as i64)));
    assert!(job["last_error"].as_str().unwrap().contains("cursor"));
    assert!(job["failed_at"].is_string());
    assert_eq!(job["recurring"], false);
    assert_eq!(app.get("/jobs?state=pending", &admin).await.body["items"], json!([]));

    let retried = app.post(&format!("/jobs/{id}/retry"), Some(&admin), json!({})).await;
    assert_eq!(retried.status, 200, "{}", retried.body);
    assert_eq!((retried.body["state"].as_str(), retried.body["attempts"].as_i64()), (Some("pending"), Some(0)));
    assert!(retried.body["failed_at"].is_null());
    app.post(&format!("/jobs/{id}/retry"), Some(&admin), json!({})).await.assert_problem(409, "job_not_failed");
    assert_eq!(app.get("/jobs?state=failed", &admin).await.body["items"], json!([]));
    assert_eq!(app.get("/jobs?state=pending", &admin).await.body["items"][0]["id"], json!(id));

    // Back in the queue, it runs at once and counts its attempts afresh.
    assert!(mesa::jobs::run_one(&app.pool, Utc::now()).await.unwrap().is_some());
    let (attempts, _, failed_at, _) = job_times(&app, id).await;
    assert_eq!((attempts, failed_at), (1, None));

    // Fixed, it finishes and is listed as done; a done job cannot be retried.
    diesel::update(jobs::table.find(id)).set((jobs::payload.eq(json!({})), jobs::run_at.eq(Utc::now()))).execute(&mut conn(&app).await).await.unwrap();
    while mesa::jobs::run_one(&app.pool, Utc::now()).await.unwrap().is_some() {}
    assert_eq!(app.get("/jobs?state=done", &admin).await.body["items"][0]["id"], json!(id));
    app.post(&format!("/jobs/{id}/retry"), Some(&admin), json!({})).await.assert_problem(409, "job_not_failed");
}

#[tokio::test]
async fn only_admins_see_and_retry_jobs_and_unknown_ids_are_404() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let id = broken_recompute(&app).await;
    for role in [Role::Supervisor, Role::Agent, Role::Requester] {
        let name = format!("{role:?}").to_lowercase();
        app.create_local_user(&name, "Buena.Clave2026", role).await;
        let token = app.token(&name, "Buena.Clave2026").await;
        app.get("/jobs", &token).await.assert_problem(403, "forbidden");
        app.get("/jobs?state=failed", &token).await.assert_problem(403, "forbidden");
        app.post(&format!("/jobs/{id}/retry"), Some(&token), json!({})).await.assert_problem(403, "forbidden");
    }
    let r = app.call(Method::GET, "/jobs", None, None).await;
    assert_eq!(r.status, 401);
    app.post(&format!("/jobs/{}/retry", Uuid::now_v7()), Some(&admin), json!({})).await.assert_problem(404, "not_found");
    app.post("/jobs/not-a-job/retry", Some(&admin), json!({})).await.assert_problem(404, "not_found");
    // A pending job is not failed.
    app.post(&format!("/jobs/{id}/retry"), Some(&admin), json!({})).await.assert_problem(409, "job_not_failed");
    let r = app.get("/jobs?state=stuck", &admin).await;
    assert!(r.status.is_client_error() && r.content_type() == "application/problem+json", "{} {}", r.status, r.body);
    app.get("/jobs?limit=0", &admin).await.assert_problem(422, "validation_failed");
    app.get("/jobs?cursor=nonsense", &admin).await.assert_problem(422, "validation_failed");
}

#[tokio::test]
async fn job_lists_page_newest_first_and_filter_by_state_and_kind() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(broken_recompute(&app).await);
    }
    {
        let mut c = conn(&app).await;
        mesa::jobs::ensure_recurring(&mut c).await.unwrap();
        // One held by a runner right now.
        diesel::update(jobs::table.find(ids[1])).set(jobs::locked_until.eq(Utc::now() + Duration::minutes(1))).execute(&mut c).await.unwrap();
    }
    let mut seen = Vec::new();
    let mut path = "/jobs?kind=sla_recompute&limit=2".to_owned();
    loop {
        let page = app.get(&path, &admin).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let items = page.body["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        seen.extend(items.iter().map(|j| j["id"].as_str().unwrap().parse::<Uuid>().unwrap()));
        match page.body["next_cursor"].as_str() {
            Some(c) => path = format!("/jobs?kind=sla_recompute&limit=2&cursor={c}"),
            None => break,
        }
    }
    let newest_first: Vec<Uuid> = ids.iter().rev().copied().collect();
    assert_eq!(seen, newest_first, "every job once, newest first");

    let states = |v: &Value| v["items"].as_array().unwrap().iter().map(|j| (j["kind"].as_str().unwrap().to_owned(), j["state"].as_str().unwrap().to_owned())).collect::<Vec<_>>();
    let running = app.get("/jobs?state=running", &admin).await.body;
    assert_eq!(states(&running), [("sla_recompute".to_owned(), "running".to_owned())]);
    assert_eq!(running["items"][0]["id"], json!(ids[1]));
    let pending = app.get("/jobs?state=pending", &admin).await.body;
    assert_eq!(pending["items"].as_array().unwrap().len(), 4 + mesa::jobs::RECURRING.len(), "four recomputations and the recurring jobs");
    let check = app.get("/jobs?kind=sla_check", &admin).await.body;
    assert_eq!((check["items"][0]["recurring"].as_bool(), check["items"][0]["max_attempts"].as_i64()), (Some(true), Some(5)));
}

#[tokio::test]
async fn the_recurring_sla_check_is_flagged_failed_but_keeps_running() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let mut c = conn(&app).await;
    mesa::jobs::ensure_recurring(&mut c).await.unwrap();
    // The SLA check alone here (the surveys' recurring jobs would fail alike without the cases).
    diesel::delete(jobs::table.filter(jobs::kind.ne(mesa::jobs::SLA_CHECK))).execute(&mut c).await.unwrap();
    let id: Uuid = jobs::table.filter(jobs::kind.eq(mesa::jobs::SLA_CHECK)).select(jobs::id).first(&mut c).await.unwrap();
    // The check reads the open cases: without their table it fails on every run.
    diesel::sql_query("ALTER TABLE tickets RENAME TO tickets_away").execute(&mut c).await.unwrap();
    let policy = mesa::jobs::policy(mesa::jobs::SLA_CHECK);
    let mut now = Utc::now();
    let first_failure = now;
    let mut delays = Vec::new();
    for _ in 0..policy.max_attempts + 2 {
        assert_eq!(mesa::jobs::run_one(&app.pool, now).await.unwrap().as_deref(), Some(mesa::jobs::SLA_CHECK));
        let next = job_times(&app, id).await.1;
        delays.push(next - now);
        now = next;
    }
    let (attempts, run_at, failed_at, error) = job_times(&app, id).await;
    assert_eq!(attempts, policy.max_attempts + 2);
    assert!(error.unwrap().contains("tickets"));
    assert!(failed_at.is_some_and(|f| f > first_failure), "flagged failed at its fifth failure, not its first");
    // Still scheduled after giving up, at its longest backoff (less at most a fifth of jitter).
    for late in &delays[policy.max_attempts as usize..] {
        assert!(*late <= policy.max_delay && *late >= policy.max_delay * 4 / 5, "{delays:?}");
    }
    let listed = app.get("/jobs?state=failed", &admin).await.body;
    assert_eq!((listed["items"][0]["id"].clone(), listed["items"][0]["recurring"].clone()), (json!(id), json!(true)));

    // Once the cause is gone, its next scheduled run succeeds and clears the failure by itself.
    diesel::sql_query("ALTER TABLE tickets_away RENAME TO tickets").execute(&mut c).await.unwrap();
    assert_eq!(mesa::jobs::run_one(&app.pool, run_at).await.unwrap().as_deref(), Some(mesa::jobs::SLA_CHECK));
    let (attempts, next, failed_at, error) = job_times(&app, id).await;
    assert_eq!((attempts, failed_at, error), (0, None, None));
    assert_eq!(next - run_at, Duration::seconds(60), "back to every minute");
    assert_eq!(app.get("/jobs?state=failed", &admin).await.body["items"], json!([]));
}

#[tokio::test]
async fn a_job_whose_runners_keep_dying_is_abandoned_and_unknown_kinds_are_left_alone() {
    let app = spawn_app().await;
    let mut c = conn(&app).await;
    let id = mesa::jobs::enqueue_recompute(&mut c, "test").await.unwrap();
    // A kind a newer instance would run: this build leaves it pending for that instance.
    let foreign = Uuid::now_v7();
    diesel::insert_into(jobs::table).values((jobs::id.eq(foreign), jobs::kind.eq("from_the_future"))).execute(&mut c).await.unwrap();
    let max = mesa::jobs::policy(mesa::jobs::SLA_RECOMPUTE).max_attempts;
    // Runners claim the job and die before recording anything, until no attempt is left.
    let mut now = Utc::now();
    for _ in 0..max {
        assert_eq!(mesa::jobs::claim(&mut c, now).await.unwrap().expect("due again after the lease").id, id);
        now += mesa::jobs::LEASE + Duration::seconds(1);
    }
    assert_eq!(mesa::jobs::run_one(&app.pool, now).await.unwrap().as_deref(), Some(mesa::jobs::SLA_RECOMPUTE));
    let (attempts, _, failed_at, error) = job_times(&app, id).await;
    assert_eq!(attempts, max + 1);
    assert!(failed_at.is_some());
    assert!(error.unwrap().starts_with("abandoned"), "it was not run an extra time");
    assert!(mesa::jobs::run_one(&app.pool, now + Duration::days(1)).await.unwrap().is_none(), "the unknown kind is not claimed");
    let (attempts, _, failed_at, _) = job_times(&app, foreign).await;
    assert_eq!((attempts, failed_at), (0, None));
}
