//! What a scoped link costs the relay: the engine time to take one change to
//! a big plan (300 acties, about 1,300 changes) from a link without a scope,
//! from a wijkactieteam link (each change tried on a copy of the document
//! first) and from a netwerk link (also checked operation by operation).
//! Run by `cargo xtask bench`; prints one JSON line.
//!
//! One client and a relay run the real sync engine in memory; only the
//! relay's `receive` of frames carrying changes is timed.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use automerge::Automerge;
use regie_core::author::Stamp;
use regie_core::plan::{SignalForm, Status, TextField, edit_plan, edit_text, new_plan_document};
use regie_core::scope::LinkScope;
use regie_core::{Access, ConnId, DocumentId, Effect, LinkId, Repo, SharePolicy};

const ACTIES: usize = 300;
const HISTORY: usize = 1_000;
const SAMPLES: usize = 200;
const LINK: &str = "00000000aa";

fn big_plan() -> Automerge {
    let stamp = Stamp::default();
    let mut doc = new_plan_document("ledeberg", &stamp);
    edit_plan(&mut doc, &stamp, |p| {
        p.add_ambition("a".into(), "Wonen")?;
        for i in 0..ACTIES {
            p.add_action("a", format!("x{i}"), &format!("Actie {i}"), Status::Gepland)?;
        }
        Ok(())
    })
    .unwrap();
    let mut text = String::new();
    for i in 0..HISTORY {
        text.push(char::from(b'a' + (i % 26) as u8));
        let field = TextField::Description(&format!("x{}", i % ACTIES));
        edit_text(&mut doc, &stamp, field, &text).unwrap();
    }
    doc
}

struct Pair {
    relay: Repo,
    client: Repo,
    up: VecDeque<Vec<u8>>,
    down: VecDeque<Vec<u8>>,
    timed: Vec<Duration>,
}

impl Pair {
    fn new(plan: &Automerge, id: DocumentId, access: Access) -> Pair {
        let mut pair = Pair {
            relay: Repo::new("relay".into(), SharePolicy::OnRequest),
            client: Repo::new("client".into(), SharePolicy::Announce),
            up: VecDeque::new(),
            down: VecDeque::new(),
            timed: Vec::new(),
        };
        pair.relay.insert(id, plan.clone());
        pair.client.insert(id, plan.fork());
        let effects = pair.relay.connect_with(ConnId(1), false, access);
        pair.route(false, effects);
        let effects = pair.client.connect_upstream(ConnId(0));
        pair.route(true, effects);
        pair.settle(false);
        pair
    }

    fn route(&mut self, from_client: bool, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Send { frame, .. } if from_client => self.up.push_back(frame),
                Effect::Send { frame, .. } => self.down.push_back(frame),
                Effect::Persist { id, .. } => {
                    let released = if from_client {
                        self.client.persisted(id)
                    } else {
                        self.relay.persisted(id)
                    };
                    self.route(from_client, released);
                }
                Effect::Close { reason, .. } => panic!("closed: {reason}"),
                _ => {}
            }
        }
    }

    fn settle(&mut self, time: bool) {
        while !self.up.is_empty() || !self.down.is_empty() {
            while let Some(frame) = self.up.pop_front() {
                let start = Instant::now();
                let effects = self.relay.receive(ConnId(1), &frame);
                if time && effects.iter().any(|e| matches!(e, Effect::Persist { .. })) {
                    self.timed.push(start.elapsed());
                }
                self.route(false, effects);
            }
            while let Some(frame) = self.down.pop_front() {
                let effects = self.client.receive(ConnId(0), &frame);
                self.route(true, effects);
            }
        }
    }

    fn edit(&mut self, id: DocumentId, edit: impl FnOnce(&mut Automerge)) {
        let (_, effects) = self.client.change(id, edit).unwrap();
        self.route(true, effects);
        self.settle(true);
    }

    /// Median and mean of the timed receives, in microseconds.
    fn figures(&self) -> (f64, f64) {
        let mut us: Vec<f64> = self.timed.iter().map(|d| d.as_secs_f64() * 1e6).collect();
        us.sort_by(f64::total_cmp);
        let mean = us.iter().sum::<f64>() / us.len() as f64;
        (us[us.len() / 2], mean)
    }
}

fn access(scope: Option<&str>) -> Access {
    Access {
        scope: scope.map(|s| LinkScope::parse(s).unwrap()),
        link: LinkId::parse(LINK),
        ..Access::FULL
    }
}

fn typing(plan: &Automerge, id: DocumentId, scope: Option<&str>) -> (f64, f64) {
    let mut pair = Pair::new(plan, id, access(scope));
    let mut text = String::from("Begin");
    for _ in 0..SAMPLES {
        text.push('x');
        let typed = text.clone();
        pair.edit(id, move |d| {
            edit_text(d, &Stamp::default(), TextField::Description("x7"), &typed).unwrap()
        });
    }
    pair.figures()
}

fn signals(plan: &Automerge, id: DocumentId) -> (f64, f64) {
    let mut pair = Pair::new(plan, id, access(Some("netwerk:ledeberg")));
    for i in 0..SAMPLES {
        let form = SignalForm {
            what: format!("Signaal {i}"),
            thema: "wonen".into(),
            date: "2026-12-01".into(),
            ..SignalForm::default()
        };
        pair.edit(id, move |d| {
            edit_plan(d, &Stamp::default(), |p| {
                p.add_signal(format!("s{i}"), &form, Some(LINK))
            })
            .unwrap()
        });
    }
    pair.figures()
}

fn main() {
    let plan = big_plan();
    let id = DocumentId::from_random_bytes([5; 16]);
    let changes = plan.get_changes(&[]).len();
    let (open_p50, open_mean) = typing(&plan, id, None);
    let (team_p50, team_mean) = typing(&plan, id, Some("team:ledeberg"));
    let (netwerk_p50, netwerk_mean) = signals(&plan, id);
    println!(
        "{{\"bench\":\"scoped_changes\",\"plan_changes\":{changes},\"samples\":{SAMPLES},\
         \"unscoped\":{{\"p50_us\":{open_p50:.0},\"mean_us\":{open_mean:.0}}},\
         \"team\":{{\"p50_us\":{team_p50:.0},\"mean_us\":{team_mean:.0}}},\
         \"netwerk_signal\":{{\"p50_us\":{netwerk_p50:.0},\"mean_us\":{netwerk_mean:.0}}},\
         \"team_over_unscoped\":{:.2}}}",
        team_p50 / open_p50
    );
}
