//! Property: 3–5 clients making random plan edits, with links cut and re-made,
//! frames duplicated and deliveries interleaved in any order across links,
//! and (in half the cases) every write reported durable late, in any order
//! relative to the frames, always converge once the network heals.
//!
//! The default run checks 2,000 cases. For a soak, set `REGIE_SOAK_CASES`
//! (`PROPTEST_CASES` is honoured too), best with `--release`:
//! `REGIE_SOAK_CASES=100000 cargo test -p regie-core --release --test sim_prop`.

mod support;

use proptest::prelude::*;
use regie_core::DocumentId;
use regie_core::author::Stamp;
use regie_core::plan::{Status, new_plan_document};
use support::Star;

#[derive(Debug, Clone)]
enum Op {
    Edit {
        client: usize,
        what: u8,
        pick: usize,
    },
    Deliver {
        client: usize,
        up: bool,
    },
    Duplicate {
        client: usize,
        up: bool,
    },
    Cut {
        client: usize,
    },
    Link {
        client: usize,
    },
    /// Storage reports the oldest outstanding write of the relay (`None`)
    /// or of a client (only with delayed durability).
    Persist {
        client: Option<usize>,
    },
}

fn op(clients: usize) -> impl Strategy<Value = Op> {
    let c = 0..clients;
    prop_oneof![
        3 => (c.clone(), 0u8..4, 0usize..8).prop_map(|(client, what, pick)| Op::Edit { client, what, pick }),
        6 => (c.clone(), any::<bool>()).prop_map(|(client, up)| Op::Deliver { client, up }),
        1 => (c.clone(), any::<bool>()).prop_map(|(client, up)| Op::Duplicate { client, up }),
        1 => c.clone().prop_map(|client| Op::Cut { client }),
        1 => c.clone().prop_map(|client| Op::Link { client }),
        2 => prop::option::of(c).prop_map(|client| Op::Persist { client }),
    ]
}

fn scenario() -> impl Strategy<Value = (usize, bool, Vec<Op>)> {
    (3usize..=5, any::<bool>())
        .prop_flat_map(|(n, delayed)| (Just(n), Just(delayed), prop::collection::vec(op(n), 0..80)))
}

fn apply_edit(net: &mut Star, client: usize, id: DocumentId, what: u8, pick: usize) {
    let plan = net.plan(client, id);
    let status = Status::ALL[pick % Status::ALL.len()];
    let fresh = format!(
        "c{client}-{}",
        net.clients[client].seen.len() + pick * 1000 + what as usize
    );
    let actions: Vec<String> = plan
        .ambitions
        .iter()
        .flat_map(|a| a.actions.iter().map(|x| x.id.clone()))
        .collect();
    match (what, plan.ambitions.is_empty(), actions.is_empty()) {
        (0, _, _) | (1, true, _) => net.edit(client, id, |p| {
            p.add_ambition(format!("amb-{fresh}-{}", p.ambitions.len()), "Ambitie")
        }),
        (1, false, _) | (2 | 3, _, true) if !plan.ambitions.is_empty() => {
            let ambition = plan.ambitions[pick % plan.ambitions.len()].id.clone();
            net.edit(client, id, |p| {
                let n = p.action_count();
                p.add_action(&ambition, format!("act-{fresh}-{n}"), "Actie", status)
            })
        }
        (2, _, false) => {
            let action = actions[pick % actions.len()].clone();
            net.edit(client, id, |p| p.set_status(&action, status))
        }
        (3, _, false) => {
            let action = actions[pick % actions.len()].clone();
            net.edit(client, id, |p| {
                p.rename_action(&action, &format!("Actie van {client}"))
            })
        }
        _ => {}
    }
}

/// The number of cases: `REGIE_SOAK_CASES`, else `PROPTEST_CASES`, else 2,000.
fn soak_cases() -> u32 {
    ["REGIE_SOAK_CASES", "PROPTEST_CASES"]
        .iter()
        .find_map(|name| std::env::var(name).ok()?.trim().parse().ok())
        .unwrap_or(2_000)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: soak_cases(),
        ..ProptestConfig::default()
    })]

    #[test]
    fn clients_converge_whatever_the_network_does((n, delayed, ops) in scenario()) {
        let id = DocumentId::from_random_bytes([5; 16]);
        let mut net = if delayed { Star::delayed(n) } else { Star::new(n) };
        let effects = net.clients[0].repo.insert(id, new_plan_document("ledeberg", &Stamp::default()));
        net.route_client(0, effects);
        for i in 0..n {
            net.connect(i);
            if i > 0 {
                let effects = net.clients[i].repo.want(id);
                net.route_client(i, effects);
            }
        }
        net.settle();

        for op in ops {
            match op {
                Op::Edit { client, what, pick } => apply_edit(&mut net, client, id, what, pick),
                Op::Deliver { client, up } => {
                    net.deliver(client, up);
                }
                Op::Duplicate { client, up } => {
                    let c = &net.clients[client];
                    let queue = if up { &c.up } else { &c.down };
                    if let Some(frame) = queue.front().cloned() {
                        net.deliver_frame(client, up, &frame);
                    }
                }
                Op::Cut { client } => net.disconnect(client),
                Op::Link { client } => net.connect(client),
                Op::Persist { client: None } => {
                    net.persist_relay();
                }
                Op::Persist { client: Some(client) } => {
                    net.persist_client(client);
                }
            }
        }

        for i in 0..n {
            net.connect(i);
        }
        net.settle();
        let relay_heads = net.relay.doc(&id).expect("relay holds the plan").get_heads();
        for i in 0..n {
            let heads = net.clients[i].repo.doc(&id).unwrap().get_heads();
            prop_assert_eq!(&heads, &relay_heads, "client {} differs from the relay", i);
            prop_assert_eq!(net.plan(i, id), net.plan(0, id));
        }
    }
}
