//! Home: one page per person. Making or opening the plan of a wijk, "mijn
//! wijken" (the plans this link covers on this device), the ronde tafels
//! still open and the campagnes running, and the signals that need the
//! regisseurs' attention: everything found without being sent a URL.
//!
//! - [`create`]: making the plan of a wijk, or opening the one that exists;
//! - [`overview`]: the plans, open boards and signals needing attention.

pub mod create;
pub mod overview;

use leptos::prelude::*;

use self::create::CreatePlan;
use self::overview::{Attention, MyWijken, OpenBoards};
use crate::platform::Workspace;
use crate::ui::common::cycle::Held;
use crate::ui::common::text::{t, tr};
use crate::ui::identity::WhoAmI;

/// The home page.
#[component]
pub fn Home() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let held = Memo::new(move |_| Held::read(workspace));
    let notice = move || match (workspace.token().is_some(), workspace.can_write()) {
        (false, _) => Some(tr("home.no_link")),
        (true, false) => Some(tr("home.read_only")),
        (true, true) => None,
    };
    view! {
        <h1>{t("home.title")}</h1>
        <WhoAmI/>
        {move || notice().map(|text| view! { <p class="banner info" role="note">{text}</p> })}
        <CreatePlan/>
        <div class="home-grid">
            <MyWijken held/>
            <OpenBoards held/>
            <Attention held/>
        </div>
    }
}
