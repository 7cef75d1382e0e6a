//! Scoped links (#15) on a running relay over real WebSockets: each link
//! kind (wijkactieteam, netwerk SW&G, regisseur, stad) gets exactly its
//! documents, is told which in `/api/access`, and writes only what its
//! scope allows; links are made from links only within the maker's scope,
//! listed and revoked through the API; a revoked link is cut off while
//! connected (close code 4401); the audit trail names the link that
//! delivered each change, for the city only.

mod support;

use std::path::Path;
use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use regie_core::author::Stamp;
use regie_core::plan::{SignalForm, Status, edit_plan, new_plan_document, read_plan};
use regie_core::scope::LinkScope;
use regie_core::{ConnId, DocumentId, Repo, SharePolicy};
use regie_core::{directory, register};
use regie_relay::tokens::{Kind, NewToken, TokenStore};
use support::{Relay, http, session, start_relay, store, sync_url};
use tokio_tungstenite::tungstenite::Message as WsMessage;

fn id(n: u8) -> DocumentId {
    DocumentId::from_random_bytes([n; 16])
}

/// A link of `scope`, made by the operator; (token, id).
fn link(data_dir: &Path, scope: &str, label: &str) -> (String, String) {
    let new = NewToken {
        kind: Kind::Edit,
        scope: LinkScope::parse(scope),
        label: Some(label.into()),
        ..NewToken::default()
    };
    let (token, record) = TokenStore::open(data_dir)
        .unwrap()
        .create(new, rand::random(), 0)
        .unwrap();
    (token, record.id)
}

/// Plans of ledeberg (1), gentbrugge (2) and zwijnaarde (3), stored by the
/// city's link, each with one actie.
async fn three_plans(relay: &Relay, data_dir: &Path) {
    for (n, wijk) in [(1, "ledeberg"), (2, "gentbrugge"), (3, "zwijnaarde")] {
        let mut doc = new_plan_document(wijk, &Stamp::default());
        edit_plan(&mut doc, &Stamp::default(), |p| {
            p.add_ambition("a".into(), "Wonen")?;
            p.add_action("a", "x".into(), "Huurdersavond", Status::Gepland)
        })
        .unwrap();
        store(&relay.sync_url(), data_dir, id(n), doc).await;
    }
}

/// What a device with `token` gets when it asks for every document.
async fn fetched(relay: &Relay, token: &str) -> Vec<DocumentId> {
    let every = [
        id(1),
        id(2),
        id(3),
        register::register_id(),
        directory::directory_id(),
    ];
    let mut repo = Repo::new("asker".into(), SharePolicy::Announce);
    session(
        &sync_url(relay, token),
        &mut repo,
        |r| every.iter().flat_map(|d| r.want(*d)).collect(),
        |_, _| false,
        Duration::from_millis(700),
    )
    .await;
    let mut got: Vec<DocumentId> = every
        .into_iter()
        .filter(|d| repo.doc(d).is_some_and(|doc| !doc.get_heads().is_empty()))
        .collect();
    got.sort();
    got
}

fn sorted(mut ids: Vec<DocumentId>) -> Vec<DocumentId> {
    ids.sort();
    ids
}

/// The document ids `/api/access` lists for a token.
async fn listed(relay: &Relay, token: &str) -> Vec<DocumentId> {
    let (status, body) = http(
        &relay.addr.to_string(),
        "GET",
        "/api/access",
        Some(token),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    let ids = json["docs"].as_array().cloned().unwrap_or_default();
    sorted(
        ids.iter()
            .map(|v| v.as_str().unwrap().parse().unwrap())
            .collect(),
    )
}

#[tokio::test]
async fn each_link_kind_gets_exactly_its_documents() {
    let dir = tempfile::tempdir().unwrap();
    let relay = start_relay(dir.path()).await;
    three_plans(&relay, dir.path()).await;
    let (reg, adr) = (register::register_id(), directory::directory_id());
    let cases = [
        ("team:ledeberg", vec![id(1), reg, adr]),
        ("netwerk:ledeberg", vec![id(1), adr]),
        ("regisseur:Nele Descheemaeker", vec![id(1), id(2), reg, adr]),
        ("stad", vec![id(1), id(2), id(3), reg, adr]),
    ];
    for (scope, want) in cases {
        let (token, _) = link(dir.path(), scope, scope);
        let want = sorted(want);
        assert_eq!(
            fetched(&relay, &token).await,
            want,
            "{scope} over the socket"
        );
        assert_eq!(listed(&relay, &token).await, want, "{scope} in /api/access");
    }
    relay.stop().await;
}

#[tokio::test]
async fn a_netwerk_link_passes_on_signals_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let relay = start_relay(dir.path()).await;
    three_plans(&relay, dir.path()).await;
    let (token, link_id) = link(dir.path(), "netwerk:ledeberg", "netwerk SW&G Ledeberg");
    let url = sync_url(&relay, &token);
    let signal = SignalForm {
        what: "Geen huisarts meer in de wijk".into(),
        thema: "gezondheid".into(),
        date: "2026-12-01".into(),
        ..SignalForm::default()
    };
    let mut repo = Repo::new("netwerk".into(), SharePolicy::Announce);
    session(
        &url,
        &mut repo,
        |r| r.want(id(1)),
        |r, _| r.doc(&id(1)).is_some_and(|d| !d.get_heads().is_empty()),
        Duration::from_secs(2),
    )
    .await;
    let edit = |repo: &mut Repo,
                f: &dyn Fn(
        &mut regie_core::plan::Plan,
    ) -> Result<(), regie_core::kind::DocError>| {
        repo.change(id(1), |d| edit_plan(d, &Stamp::default(), f))
            .unwrap()
            .1
    };
    let (_, closed) = session(
        &url,
        &mut repo,
        |r| edit(r, &|p| p.add_signal("s1".into(), &signal, Some(&link_id))),
        |r, _| r.unconfirmed_changes(&id(1)) == 0,
        Duration::from_secs(2),
    )
    .await;
    assert_eq!(closed, None);
    let stored = std::fs::read(dir.path().join(format!("{}.automerge", id(1)))).unwrap();
    let (on_disk, _) = regie_core::stored::load_appended(&stored).unwrap();
    assert_eq!(read_plan(&on_disk).unwrap().signals[0].what, signal.what);

    let (_, closed) = session(
        &url,
        &mut repo,
        |r| edit(r, &|p| p.rename_action("x", "Weg ermee")),
        |_, _| false,
        Duration::from_secs(2),
    )
    .await;
    assert!(
        closed.as_deref().is_some_and(|r| r.contains("signal")),
        "refused with a reason: {closed:?}"
    );
    let stored = std::fs::read(dir.path().join(format!("{}.automerge", id(1)))).unwrap();
    let (on_disk, _) = regie_core::stored::load_appended(&stored).unwrap();
    assert_eq!(
        read_plan(&on_disk).unwrap().ambitions[0].actions[0].title,
        "Huurdersavond"
    );
    relay.stop().await;
}

/// `POST /api/links` for OCMW Gent with `token`: status and body.
async fn make_link(addr: &str, token: &str, scope: &str, label: &str) -> (u16, String) {
    let body =
        format!("{{\"scope\":\"{scope}\",\"label\":\"{label}\",\"organisation\":\"OCMW Gent\"}}");
    http(addr, "POST", "/api/links", Some(token), Some(&body)).await
}

#[tokio::test]
async fn links_made_listed_and_revoked_through_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let relay = start_relay(dir.path()).await;
    three_plans(&relay, dir.path()).await;
    let addr = relay.addr.to_string();
    let (regisseur, _) = link(dir.path(), "regisseur:Nele Descheemaeker", "Nele");
    let (status, body) =
        make_link(&addr, &regisseur, "team:ledeberg", "Wijkactieteam Ledeberg").await;
    assert_eq!(status, 201, "{body}");
    let team: serde_json::Value = serde_json::from_str(&body).unwrap();
    let team_token = team["token"].as_str().unwrap().to_owned();
    assert!(
        team["path"].as_str().unwrap().starts_with("/#token="),
        "the token in the fragment"
    );
    let (status, _) = make_link(&addr, &regisseur, "team:oostakker", "Niet van Nele").await;
    assert_eq!(status, 403, "outside the cluster");
    let (status, body) =
        make_link(&addr, &team_token, "netwerk:ledeberg", "Netwerk Ledeberg").await;
    assert_eq!(status, 201, "{body}");
    let netwerk: serde_json::Value = serde_json::from_str(&body).unwrap();
    let netwerk_token = netwerk["token"].as_str().unwrap().to_owned();
    let (status, _) = make_link(&addr, &netwerk_token, "team:ledeberg", "Zelf team worden").await;
    assert_eq!(status, 403, "a netwerk link makes no team link");
    let (status, _) = http(
        &addr,
        "POST",
        "/api/links",
        Some(&team_token),
        Some(r#"{"scope":"netwerk:ledeberg","label":"  "}"#),
    )
    .await;
    assert_eq!(status, 400, "a link needs a name");
    // Hostile input: a name too long or with control characters, an unknown
    // wijk, a body over the API's 4 KiB, an unknown field, a limit that is
    // no number; each refused before anything is stored.
    let stored = || {
        TokenStore::open(dir.path())
            .unwrap()
            .records()
            .unwrap()
            .len()
    };
    let before = stored();
    let long = "x".repeat(121);
    for (label, scope, why) in [
        (
            long.as_str(),
            "netwerk:ledeberg",
            "a name over 120 characters",
        ),
        ("Netwerk\\u0007", "netwerk:ledeberg", "a control character"),
        ("Netwerk", "netwerk:atlantis", "no such wijk"),
    ] {
        let (status, _) = make_link(&addr, &team_token, scope, label).await;
        assert_eq!(status, 400, "{why}");
    }
    let huge = format!(
        "{{\"scope\":\"netwerk:ledeberg\",\"label\":\"{}\"}}",
        "x".repeat(5_000)
    );
    let (status, _) = http(&addr, "POST", "/api/links", Some(&team_token), Some(&huge)).await;
    assert_eq!(status, 413, "a body over 4 KiB");
    let extra = r#"{"scope":"stad","label":"x","parent":"none"}"#;
    let (status, _) = http(&addr, "POST", "/api/links", Some(&team_token), Some(extra)).await;
    assert_eq!(status, 400, "no field the API does not know");
    let (status, _) = http(
        &addr,
        "GET",
        "/api/audit?limit=99999999999999999999999",
        Some(&relay.token),
        None,
    )
    .await;
    assert_eq!(status, 400, "a limit that is no number");
    assert_eq!(stored(), before, "nothing stored for the refused ones");

    // A team hands on an edit link for its plan only: that document, within the scope.
    let body = format!("{{\"doc\":\"{}\",\"edit\":true}}", id(1));
    let (status, made) = http(&addr, "POST", "/api/share", Some(&team_token), Some(&body)).await;
    assert_eq!(status, 201, "{made}");
    let made: serde_json::Value = serde_json::from_str(&made).unwrap();
    let one = made["token"].as_str().unwrap().to_owned();
    assert_eq!(fetched(&relay, &one).await, vec![id(1)]);
    let body = format!("{{\"doc\":\"{}\",\"edit\":true}}", id(3));
    let (status, _) = http(&addr, "POST", "/api/share", Some(&team_token), Some(&body)).await;
    assert_eq!(status, 403, "not for another wijk's plan");

    // The regisseur sees them all, newest first (the netwerk link and the
    // edit link were made with the team's).
    let (_, body) = http(&addr, "GET", "/api/links", Some(&regisseur), None).await;
    let list: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
    let labels: Vec<&str> = list.iter().map(|l| l["label"].as_str().unwrap()).collect();
    assert_eq!(
        labels,
        [
            "bewerklink uit de app",
            "Netwerk Ledeberg",
            "Wijkactieteam Ledeberg"
        ]
    );
    assert!(
        list.iter()
            .all(|l| l["organisation"] == "OCMW Gent" && l["status"] == "active")
    );
    let (_, body) = http(&addr, "GET", "/api/links", Some(&netwerk_token), None).await;
    assert_eq!(body, "[]", "a link lists only links made with it");

    // A device on the netwerk link is connected when the team revokes it.
    let (mut ws, _) = tokio_tungstenite::connect_async(sync_url(&relay, &netwerk_token))
        .await
        .unwrap();
    let mut repo = Repo::new("tablet".into(), SharePolicy::Announce);
    for effect in repo.connect_upstream(ConnId(0)) {
        if let regie_core::Effect::Send { frame, .. } = effect {
            ws.send(WsMessage::Binary(frame.into())).await.unwrap();
        }
    }
    let other = netwerk["id"].as_str().unwrap();
    let (status, _) = http(
        &addr,
        "POST",
        "/api/links/revoke",
        Some(&netwerk_token),
        Some(&format!("{{\"id\":\"{}\"}}", team["id"].as_str().unwrap())),
    )
    .await;
    assert_eq!(status, 404, "nobody revokes the link they were made with");
    let (status, _) = http(
        &addr,
        "POST",
        "/api/links/revoke",
        Some(&team_token),
        Some(&format!("{{\"id\":\"{other}\"}}")),
    )
    .await;
    assert_eq!(status, 204);
    let close = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(Ok(message)) = ws.next().await {
            if let WsMessage::Close(frame) = message {
                return frame.map(|f| u16::from(f.code));
            }
        }
        None
    })
    .await
    .expect("the revoked link is cut off within the recheck");
    assert_eq!(close, Some(4401));
    let (status, _) = http(&addr, "GET", "/api/access", Some(&netwerk_token), None).await;
    assert_eq!(status, 401);
    relay.stop().await;
}

#[tokio::test]
async fn the_audit_trail_names_the_link_of_each_change_for_the_city_only() {
    let dir = tempfile::tempdir().unwrap();
    let relay = start_relay(dir.path()).await;
    three_plans(&relay, dir.path()).await;
    let addr = relay.addr.to_string();
    let (team, team_id) = link(dir.path(), "team:ledeberg", "Wijkactieteam Ledeberg");
    let mut repo = Repo::new("team".into(), SharePolicy::Announce);
    let url = sync_url(&relay, &team);
    session(
        &url,
        &mut repo,
        |r| r.want(id(1)),
        |r, _| r.doc(&id(1)).is_some_and(|d| !d.get_heads().is_empty()),
        Duration::from_secs(2),
    )
    .await;
    let rename = |r: &mut Repo| {
        let edit = |d: &mut automerge::Automerge| {
            edit_plan(d, &Stamp::default(), |p| {
                p.rename_action("x", "Bewonersavond")
            })
        };
        r.change(id(1), edit).unwrap().1
    };
    session(
        &url,
        &mut repo,
        rename,
        |r, _| r.unconfirmed_changes(&id(1)) == 0,
        Duration::from_secs(2),
    )
    .await;
    let change = repo.doc(&id(1)).unwrap().get_heads()[0].to_string();
    let (status, _) = http(&addr, "GET", "/api/audit", Some(&team), None).await;
    assert_eq!(status, 403, "not for a wijk's link");
    let (status, body) = http(
        &addr,
        "GET",
        &format!("/api/audit?change={}", &change[..12]),
        Some(&relay.token),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let entries: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
    assert_eq!(entries.len(), 1, "{body}");
    assert_eq!(entries[0]["link"], team_id.as_str());
    assert_eq!(entries[0]["label"], "Wijkactieteam Ledeberg");
    assert_eq!(entries[0]["doc"], id(1).to_string());
    assert!(!body.contains(&team), "never the token");
    relay.stop().await;
}
