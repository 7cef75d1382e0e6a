//! Pairing with a device nearby when no server is in reach: the header's
//! "In de buurt" button and its dialog. One tablet shows its code as a QR
//! code (and as text); the other scans it (or takes the text) and shows
//! its answer code back, which the first one takes in the same way.
//!
//! The pairing grants "bewerken" or "alleen lezen", like a share link; a
//! device that cannot edit itself can only grant reading. The status line
//! always says what happens next. Closing the dialog gives up a pairing
//! that has not linked yet.

use leptos::html::{Input, Textarea, Video};
use leptos::prelude::*;
use leptos::task::spawn_local;
use regie_core::direct::pairing::Grant;
use regie_core::direct::qr::Qr;

use super::dialog::Dialog;
use super::text::{Notice, said_text, t, tr};
use crate::platform::Workspace;
use crate::platform::device::camera::{self, ScanState};
use crate::platform::device::clipboard;
use crate::platform::dom;
use crate::platform::workspace::Taken;

/// The header button that opens the pairing dialog.
#[component]
pub fn NearbyButton() -> impl IntoView {
    let open = RwSignal::new(false);
    let on_close = Callback::new(move |()| open.set(false));
    view! {
        <button
            type="button"
            id="nearby-open"
            class="small nearby-open"
            aria-label=t("nearby.open_label")
            aria-haspopup="dialog"
            on:click=move |_| open.set(true)
        >
            {t("nearby.open")}
        </button>
        {move || open.get().then(|| view! { <NearbyDialog on_close/> })}
    }
}

/// Where this device is in a pairing.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    /// Nothing asked yet.
    Idle,
    /// Making this device's first code.
    Starting,
    /// Showing this device's first code, waiting for the answer code.
    Showing(String),
    /// Reading a code from the other device.
    Taking,
    /// Showing the answer code to the other device's first code.
    Answering(String),
    /// The answer was taken: the link is being made.
    Linking,
}

impl Step {
    /// The code to show, and whether it is an answer.
    fn code(&self) -> Option<(String, bool)> {
        match self {
            Step::Showing(code) => Some((code.clone(), false)),
            Step::Answering(code) => Some((code.clone(), true)),
            _ => None,
        }
    }

    /// What happens next, by key.
    fn status_key(&self) -> &'static str {
        match self {
            Step::Idle => "nearby.status_idle",
            Step::Starting => "nearby.status_starting",
            Step::Showing(_) => "nearby.status_show",
            Step::Taking => "nearby.status_taking",
            Step::Answering(_) => "nearby.status_answer",
            Step::Linking => "nearby.status_linking",
        }
    }
}

#[component]
fn NearbyDialog(on_close: Callback<()>) -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let may_edit = move || workspace.may_grant_edit();
    let grant = RwSignal::new(if may_edit() { Grant::Edit } else { Grant::Read });
    // Access can drop while the dialog is open; so does what it may grant.
    Effect::new(move |_| {
        if !may_edit() {
            grant.set(Grant::Read);
        }
    });
    let step = RwSignal::new(Step::Idle);
    let error = RwSignal::new(None::<Notice>);
    let typed = RwSignal::new(String::new());
    let peers_at_open = workspace.direct_peers();
    let linked = Memo::new(move |_| workspace.direct_peers() > peers_at_open);

    let start = move |_| {
        error.set(None);
        step.set(Step::Starting);
        spawn_local(async move {
            let shown = workspace.pairing_start(grant.get_untracked()).await;
            let _ = match shown {
                Ok(code) => step.try_set(Step::Showing(code)),
                Err(said) => {
                    let _ = error.try_set(Some(Notice::Said(said)));
                    step.try_set(Step::Idle)
                }
            };
        });
    };
    let take = move |code: String| {
        // Base45 has no lower case; a space is one of its characters, so only
        // the ends of lines go (and the workspace checks the rest).
        let code = code.trim_matches(['\n', '\r', '\t']).to_ascii_uppercase();
        if code.trim().is_empty() {
            error.set(Some(Notice::Key("nearby.empty_code")));
            return;
        }
        error.set(None);
        let before = step.get_untracked();
        step.set(Step::Taking);
        spawn_local(async move {
            let taken = workspace.pairing_take(code, grant.get_untracked()).await;
            let _ = match taken {
                Ok(Taken::Answer(answer)) => step.try_set(Step::Answering(answer)),
                Ok(Taken::Linking) => step.try_set(Step::Linking),
                Err(said) => {
                    let _ = error.try_set(Some(Notice::Said(said)));
                    step.try_set(before)
                }
            };
        });
    };
    let video = NodeRef::<Video>::new();
    let scanner = camera::use_scanner(video, move |code| {
        typed.set(code.clone());
        take(code);
    });
    let scan_possible = camera::can_scan();
    // A scan that failed says why like any other error, until the next try.
    Effect::new(move |_| {
        if let ScanState::Failed(said) = scanner.state() {
            error.set(Some(Notice::Said(said)));
        }
    });

    let close = Callback::new(move |()| {
        scanner.stop();
        if !linked.get_untracked() {
            workspace.pairing_cancel();
        }
        on_close.run(());
    });
    let cancel = move |_| {
        close.run(());
        dom::focus_id("nearby-open");
    };
    let status = move || {
        if let Some(notice) = error.get() {
            return ("error", notice.text());
        }
        if linked.get() {
            return ("linked", tr("nearby.status_linked"));
        }
        if scanner.active() {
            return ("scanning", tr("nearby.status_scanning"));
        }
        let step = step.get();
        ("step", tr(step.status_key()))
    };
    let idle = move || step.get() == Step::Idle;
    let busy = move || matches!(step.get(), Step::Starting | Step::Taking);
    let title = Signal::derive(move || tr("nearby.title"));

    view! {
        <Dialog class="nearby" title_id="nearby-title" title close_label="nearby.close" on_close=close>
            <p class="muted">{t("nearby.intro")}</p>
            <p
                class="nearby-status"
                role="status"
                aria-live="polite"
                data-test="pairing-status"
                data-state=move || status().0
            >
                {move || status().1}
            </p>
            <fieldset class="nearby-grant" disabled=move || !idle()>
                <legend>{t("nearby.grant_legend")}</legend>
                <label class="check">
                    <input
                        type="radio"
                        name="nearby-grant"
                        data-test="grant-edit"
                        prop:checked=move || grant.get() == Grant::Edit
                        disabled=move || !may_edit()
                        aria-describedby=move || (!may_edit()).then_some("nearby-edit-reason")
                        on:change=move |_| grant.set(Grant::Edit)
                    />
                    {t("nearby.grant_edit")}
                </label>
                <label class="check">
                    <input
                        type="radio"
                        name="nearby-grant"
                        data-test="grant-read"
                        prop:checked=move || grant.get() == Grant::Read
                        on:change=move |_| grant.set(Grant::Read)
                    />
                    {t("nearby.grant_read")}
                </label>
                {move || (!may_edit()).then(|| view! {
                    <p id="nearby-edit-reason" class="muted">{t("nearby.edit_not_allowed")}</p>
                })}
            </fieldset>
            <div class="nearby-parts">
                <section class="nearby-part" aria-labelledby="nearby-show-title">
                    {move || match step.get().code() {
                        Some((code, answer)) => view! { <CodeView code answer/> }.into_any(),
                        None => view! {
                            <h3 id="nearby-show-title">{t("nearby.my_code")}</h3>
                            <button
                                type="button"
                                class="primary"
                                data-test="pairing-show"
                                disabled=move || !idle()
                                on:click=start
                            >
                                {t("nearby.show")}
                            </button>
                        }.into_any(),
                    }}
                </section>
                <section class="nearby-part" aria-labelledby="nearby-take-title">
                    <h3 id="nearby-take-title">{t("nearby.take_title")}</h3>
                    <TakeForm typed busy=Signal::derive(busy) on_take=Callback::new(move |code: String| {
                        scanner.stop();
                        take(code);
                    })/>
                    {if scan_possible {
                        view! {
                            <button
                                type="button"
                                data-test="pairing-scan"
                                aria-pressed=move || scanner.active().to_string()
                                disabled=busy
                                on:click=move |_| {
                                    if scanner.active() {
                                        scanner.stop();
                                    } else {
                                        error.set(None);
                                        scanner.start();
                                    }
                                }
                            >
                                {move || tr(if scanner.active() { "nearby.scan_stop" } else { "nearby.scan" })}
                            </button>
                        }.into_any()
                    } else {
                        view! { <p class="muted" data-test="scan-unavailable">{t("nearby.scan_hint")}</p> }.into_any()
                    }}
                    <video
                        node_ref=video
                        class="nearby-video"
                        aria-label=t("nearby.video_label")
                        hidden=move || !scanner.active()
                    ></video>
                </section>
            </div>
            <div class="nearby-actions">
                <button type="button" data-test="pairing-cancel" on:click=cancel>{t("nearby.cancel")}</button>
            </div>
        </Dialog>
    }
}

/// The field for the other device's code, typed or pasted.
#[component]
fn TakeForm(
    typed: RwSignal<String>,
    busy: Signal<bool>,
    on_take: Callback<String>,
) -> impl IntoView {
    let input = NodeRef::<Input>::new();
    view! {
        <form class="nearby-take" on:submit=move |ev| {
            ev.prevent_default();
            on_take.run(typed.get_untracked());
        }>
            <label for="pairing-input">{t("nearby.input_label")}</label>
            <input
                id="pairing-input"
                type="text"
                data-test="pairing-input"
                node_ref=input
                autocomplete="off"
                autocapitalize="characters"
                spellcheck="false"
                prop:value=move || typed.get()
                on:input=move |ev| typed.set(event_target_value(&ev))
            />
            <button type="submit" data-test="pairing-take" disabled=move || busy.get()>
                {t("nearby.take")}
            </button>
        </form>
    }
}

/// A code to show: as a QR code to scan and as text to copy.
#[component]
fn CodeView(code: String, answer: bool) -> impl IntoView {
    let field = NodeRef::<Textarea>::new();
    let copied = RwSignal::new(None::<&'static str>);
    let for_copy = code.clone();
    let copy = move |_| {
        let code = for_copy.clone();
        spawn_local(async move {
            let done = clipboard::copy_text(&code).await;
            if !done && let Some(field) = field.get_untracked() {
                field.select();
            }
            let _ = copied.try_set(Some(if done {
                "nearby.copied"
            } else {
                "nearby.copy_failed"
            }));
        });
    };
    let picture = match Qr::of_code(&code) {
        Ok(qr) => qr_view(&qr).into_any(),
        Err(said) => {
            view! { <p class="form-error" role="alert">{move || said_text(&said)}</p> }.into_any()
        }
    };
    view! {
        <h3 id="nearby-show-title">{t(if answer { "nearby.answer_code" } else { "nearby.my_code" })}</h3>
        {picture}
        <label for="pairing-code">{t("nearby.code_text")}</label>
        <textarea
            id="pairing-code"
            class="nearby-code"
            data-test="pairing-code"
            node_ref=field
            readonly
            rows="4"
            spellcheck="false"
            prop:value=code
        ></textarea>
        <button type="button" data-test="pairing-copy" on:click=copy>{t("nearby.copy")}</button>
        <p class="nearby-copied" aria-live="polite">{move || copied.get().map(tr)}</p>
    }
}

/// The QR code as inline SVG: one path of dark modules on a light square.
fn qr_view(qr: &Qr) -> impl IntoView + use<> {
    let side = qr.side();
    view! {
        <svg
            class="qr"
            data-test="pairing-qr"
            data-version=qr.version()
            viewBox=format!("0 0 {side} {side}")
            role="img"
            aria-label=t("nearby.qr_label")
        >
            <rect class="qr-light" width=side height=side></rect>
            <path class="qr-dark" d=qr.svg_path()></path>
        </svg>
    }
}
