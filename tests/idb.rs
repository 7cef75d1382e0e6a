//! Browser tests (wasm-bindgen-test in headless Chromium): documents saved
//! to IndexedDB load back equal.

#![cfg(target_arch = "wasm32")]

use automerge::Automerge;
use regie::platform::store::DocStore;
use regie_core::DocumentId;
use regie_core::author::Stamp;
use regie_core::plan::{Status, edit_plan, new_plan_document, read_plan};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn random_id() -> DocumentId {
    DocumentId::from_random_bytes(regie::platform::random_bytes())
}

/// Each test gets a database of its own, so tests cannot see each other.
async fn fresh_store() -> DocStore {
    DocStore::open(Some(&format!("regie-test-{}", random_id())))
        .await
        .expect("IndexedDB opens")
}

fn sample_plan() -> Automerge {
    let mut doc = new_plan_document("bloemekenswijk", &Stamp::default());
    edit_plan(&mut doc, &Stamp::default(), |p| {
        p.add_ambition("a1".into(), "Ontmoeting")
    })
    .unwrap();
    edit_plan(&mut doc, &Stamp::default(), |p| {
        p.add_action("a1", "x1".into(), "Buurtfeest", Status::Gepland)
    })
    .unwrap();
    doc
}

#[wasm_bindgen_test]
async fn a_saved_document_loads_back_equal() {
    let store = fresh_store().await;
    let id = random_id();
    let doc = sample_plan();
    store.save(&id, &doc).await.unwrap();

    let bytes = store
        .load(&id)
        .await
        .unwrap()
        .expect("the document is stored");
    let loaded = Automerge::load(&bytes).unwrap();
    assert_eq!(read_plan(&loaded).unwrap(), read_plan(&doc).unwrap());
    assert_eq!(loaded.get_heads(), doc.get_heads());
}

#[wasm_bindgen_test]
async fn saving_again_replaces_and_load_all_lists_every_document() {
    let store = fresh_store().await;
    let (first, second) = (random_id(), random_id());
    let mut doc = sample_plan();
    store.save(&first, &doc).await.unwrap();
    edit_plan(&mut doc, &Stamp::default(), |p| {
        p.set_status("x1", Status::Afgerond)
    })
    .unwrap();
    store.save(&first, &doc).await.unwrap();
    store
        .save(&second, &new_plan_document("drongen", &Stamp::default()))
        .await
        .unwrap();

    let mut all = store.load_all().await.unwrap();
    all.sort();
    let mut ids: Vec<_> = all.iter().map(|(id, _, _)| *id).collect();
    let mut expected = vec![first, second];
    expected.sort();
    ids.sort();
    assert_eq!(ids, expected);
    let (_, bytes, _) = all.iter().find(|(id, _, _)| *id == first).unwrap();
    let plan = read_plan(&Automerge::load(bytes).unwrap()).unwrap();
    assert_eq!(plan.ambitions[0].actions[0].status, Status::Afgerond);
}

#[wasm_bindgen_test]
async fn an_unknown_document_is_absent_not_an_error() {
    let store = fresh_store().await;
    assert_eq!(store.load(&random_id()).await.unwrap(), None);
}

#[wasm_bindgen_test]
async fn saves_from_two_tabs_merge_instead_of_overwriting() {
    let store = fresh_store().await;
    let id = random_id();
    let base = sample_plan();
    let mut tab_a = base.fork();
    let mut tab_b = base.fork();
    edit_plan(&mut tab_a, &Stamp::default(), |p| {
        p.set_status("x1", Status::Lopend)
    })
    .unwrap();
    edit_plan(&mut tab_b, &Stamp::default(), |p| {
        p.add_ambition("a2".into(), "Wonen")
    })
    .unwrap();
    store.save(&id, &tab_a).await.unwrap();
    store.save(&id, &tab_b).await.unwrap();

    let stored = Automerge::load(&store.load(&id).await.unwrap().unwrap()).unwrap();
    let plan = read_plan(&stored).unwrap();
    assert_eq!(plan.ambitions.len(), 2, "tab B's ambition is kept");
    assert_eq!(
        plan.ambitions[0].actions[0].status,
        Status::Lopend,
        "tab A's status is kept"
    );
}

#[wasm_bindgen_test]
async fn confirmed_heads_round_trip() {
    let store = fresh_store().await;
    let id = random_id();
    let doc = sample_plan();
    store.save_confirmed(&id, &doc.get_heads()).await.unwrap();
    assert_eq!(
        store.load_confirmed().await.unwrap(),
        vec![(id, doc.get_heads())]
    );
}

#[wasm_bindgen_test]
async fn appended_changes_load_and_compaction_keeps_every_tabs_changes() {
    let store = fresh_store().await;
    let id = random_id();
    let base = sample_plan();
    store.save(&id, &base).await.unwrap();
    // Two tabs each append only their new changes.
    let mut tab_a = base.fork();
    let mut tab_b = base.fork();
    edit_plan(&mut tab_a, &Stamp::default(), |p| {
        p.set_status("x1", Status::Afgerond)
    })
    .unwrap();
    edit_plan(&mut tab_b, &Stamp::default(), |p| {
        p.add_ambition("a2".into(), "Wonen")
    })
    .unwrap();
    let from_a = tab_a.save_after(&base.get_heads());
    let from_b = tab_b.save_after(&base.get_heads());
    assert!(
        from_a.len() < base.save().len(),
        "a chunk holds only the new change"
    );
    store.append(&id, &from_a, "0000000000001-a").await.unwrap();
    store.append(&id, &from_b, "0000000000002-b").await.unwrap();
    let all = store.load_all().await.unwrap();
    let (_, bytes, chunks) = all.iter().find(|(doc, _, _)| *doc == id).unwrap();
    assert_eq!(*chunks, 2);
    let plan = read_plan(&Automerge::load(bytes).unwrap()).unwrap();
    assert_eq!(plan.ambitions.len(), 2);
    assert_eq!(plan.ambitions[0].actions[0].status, Status::Afgerond);
    // Tab A compacts: tab B's appended change survives in the snapshot.
    store.save(&id, &tab_a).await.unwrap();
    let all = store.load_all().await.unwrap();
    let (_, bytes, chunks) = all.iter().find(|(doc, _, _)| *doc == id).unwrap();
    assert_eq!(*chunks, 0, "compaction removed the chunks it merged");
    let plan = read_plan(&Automerge::load(bytes).unwrap()).unwrap();
    assert_eq!(plan.ambitions.len(), 2, "tab B's ambitie is kept");
    assert_eq!(plan.ambitions[0].actions[0].status, Status::Afgerond);
}
