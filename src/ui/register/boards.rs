//! Every ronde tafel and campagne this device holds, with wijk, date, where
//! it stands and its knelpunt: found again without a URL.

use leptos::prelude::*;

use crate::ui::common::cycle::{BoardItem, Held};
use crate::ui::common::text::t;

#[component]
pub fn BoardList(held: Memo<Held>) -> impl IntoView {
    let rows = Memo::new(move |_| held.with(Held::boards));
    view! {
        <section class="card boards">
            <h2>{t("register.boards")}</h2>
            {move || {
                let rows = rows.get();
                if rows.is_empty() {
                    view! { <p class="muted">{t("register.no_boards")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="board-list">
                            {rows.into_iter().map(|row| view! { <BoardItem row/> }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
    }
}
