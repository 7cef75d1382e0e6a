//! Every ronde tafel and campagne this device holds, with wijk, date, where
//! it stands and its knelpunt: found again without a URL.

use leptos::prelude::*;

use crate::ui::common::cycle::{BoardSection, Held};

#[component]
pub fn BoardList(held: Memo<Held>) -> impl IntoView {
    let rows = Memo::new(move |_| held.with(Held::boards));
    view! { <BoardSection class="card boards" heading="register.boards" empty="register.no_boards" rows/> }
}
