//! "Dit toestel": storage, backup and the app's own updates.
//!
//! - [`DevicePage`] (`/toestel`): space used and available, persistent
//!   storage, the documents on this device, making a backup file and merging
//!   one back in, the app's version.
//! - [`DeviceBanners`], on every page: a new version is ready (reload only
//!   when the person says so), space is running out.
//!
//! Browser work (files, storage, the service worker) is done by
//! [`crate::platform::device`] and the workspace; this module only shows it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use regie_core::backup::{self, ImportReport};
use regie_core::plan::Plan;

use crate::platform::Workspace;
use crate::platform::device::{self, StorageEstimate};
use crate::ui::common::text::{Notice, said_text, t, tr, tr_with};
use crate::ui::common::wipe::WipeButton;

/// The page about this device.
#[component]
pub fn DevicePage() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    // Measure afresh on opening the page; the background timer is slower.
    spawn_local(device::refresh_storage());
    let count = move || workspace.document_count();
    let plans = move || workspace.all::<Plan>().len();
    view! {
        <h1>{t("device.title")}</h1>
        <section class="card storage" aria-labelledby="storage-title">
            <h2 id="storage-title">{t("device.storage")}</h2>
            <StorageUse/>
            <p class="document-count" data-count=count>
                {move || match count() {
                    1 => tr("device.one_document"),
                    n => tr_with("device.documents", &[("n", &n.to_string())]),
                }}
                {move || match plans() {
                    0 => String::new(),
                    1 => tr("device.of_which_one_plan"),
                    n => tr_with("device.of_which_plans", &[("n", &n.to_string())]),
                }}
                "."
            </p>
            <Persistence/>
        </section>
        <BackupSection/>
        <section class="card wipe" aria-labelledby="wipe-title">
            <h2 id="wipe-title">{t("wipe.title")}</h2>
            <p>{t("wipe.explain")}</p>
            <WipeButton/>
        </section>
        <VersionSection/>
    }
}

/// Used and available space, as text and as a bar.
#[component]
fn StorageUse() -> impl IntoView {
    move || match device::storage_estimate() {
        Some(estimate) => {
            let text = tr_with(
                "device.used_of",
                &[
                    ("used", &human_bytes(estimate.usage)),
                    ("quota", &human_bytes(estimate.quota)),
                ],
            );
            let percent = percent(estimate);
            view! {
                <div class="progress storage-use">
                    <progress
                        max="100"
                        value=percent
                        aria-label=t("device.used_label")
                        aria-valuetext=text.clone()
                    ></progress>
                    <span class="storage-text">{text}</span>
                </div>
                {estimate.nearly_full().then(|| view! {
                    <p class="form-error">
                        {t("device.nearly_full")}
                    </p>
                })}
            }
            .into_any()
        }
        None => view! {
            <p class="muted">{t("device.no_estimate")}</p>
        }
        .into_any(),
    }
}

/// Whether the browser keeps the documents when the device runs short of
/// space, and a button to ask again.
#[component]
fn Persistence() -> impl IntoView {
    let asking = RwSignal::new(false);
    let ask = move |_| {
        asking.set(true);
        spawn_local(async move {
            device::request_persistence().await;
            asking.set(false);
        });
    };
    view! {
        <p class="persistence" data-persisted=move || device::persisted().map(|p| p.to_string())>
            {move || match device::persisted() {
                Some(true) => tr("device.persisted"),
                Some(false) => tr("device.not_persisted"),
                None => tr("device.persistence_unknown"),
            }}
        </p>
        <Show when=move || device::persisted() == Some(false)>
            <button type="button" on:click=ask disabled=move || asking.get()>
                {t("device.ask_persistence")}
            </button>
        </Show>
    }
}

/// Where an export or import stands.
#[derive(Debug, Clone, PartialEq)]
enum Work {
    Idle,
    /// A locale key, and how far along (done, total) if known.
    Busy(&'static str, Option<(usize, usize)>),
    Exported(usize),
    Imported(ImportReport),
    Failed(Notice),
}

/// Making a backup file and merging one in.
#[component]
fn BackupSection() -> impl IntoView {
    let workspace = expect_context::<Workspace>();
    let work = RwSignal::new(Work::Idle);
    let busy = move || matches!(work.get(), Work::Busy(..));
    let export = move |_| {
        work.set(Work::Busy("device.exporting", None));
        spawn_local(async move {
            let (bytes, count) = workspace
                .export_backup(crate::platform::now_ms(), |done, total| {
                    work.set(Work::Busy("device.exporting_n", Some((done, total))))
                })
                .await;
            let name = backup::file_name(&crate::platform::today());
            work.set(match device::save_file(&name, backup::MIME_TYPE, &bytes) {
                Ok(()) => Work::Exported(count),
                Err(said) => Work::Failed(Notice::Said(said)),
            });
        });
    };
    let import = move |ev: leptos::ev::Event| {
        work.set(Work::Busy("device.reading", None));
        spawn_local(async move {
            let file = match device::chosen_file(&ev).await {
                Ok(Some(file)) => file,
                Ok(None) => return work.set(Work::Idle),
                Err(said) => return work.set(Work::Failed(Notice::Said(said))),
            };
            let outcome = workspace
                .import_backup(&file.bytes, |done, total| {
                    work.set(Work::Busy("device.importing_n", Some((done, total))))
                })
                .await;
            work.set(match outcome {
                Ok(report) => Work::Imported(report),
                Err(said) => Work::Failed(Notice::Said(said.with("file", &file.name))),
            });
            device::refresh_storage().await;
        });
    };
    view! {
        <section class="card backup" aria-labelledby="backup-title">
            <h2 id="backup-title">{t("device.backup")}</h2>
            <p>{t("device.backup_intro")}</p>
            <p>
                <button type="button" class="primary" on:click=export disabled=busy>
                    {t("device.make_backup")}
                </button>
            </p>
            <label for="backup-file">{t("device.restore_backup")}</label>
            <input
                id="backup-file"
                type="file"
                accept=".regie,application/json"
                aria-describedby="backup-work"
                on:change=import
                disabled=busy
            />
            <div id="backup-work" role="status" aria-live="polite">
                {move || match work.get() {
                    Work::Idle => None,
                    Work::Busy(key, progress) => {
                        let text = match progress {
                            Some((done, total)) => tr_with(key, &[("done", &done.to_string()), ("total", &total.to_string())]),
                            None => tr(key),
                        };
                        Some(view! { <p class="backup-progress">{text}</p> }.into_any())
                    }
                    Work::Exported(n) => Some(view! {
                        <p class="form-ok backup-done">
                            {tr_with("device.exported", &[("n", &n.to_string())])}
                        </p>
                    }.into_any()),
                    Work::Imported(report) => Some(view! { <Report report/> }.into_any()),
                    Work::Failed(notice) => Some(view! { <p class="form-error">{move || notice.text()}</p> }.into_any()),
                }}
            </div>
        </section>
    }
}

/// What an import did, with every skipped record.
#[component]
fn Report(report: ImportReport) -> impl IntoView {
    let summary = tr_with(
        "device.imported",
        &[
            ("added", &documents(report.added.len())),
            ("merged", &documents(report.merged.len())),
            ("unchanged", &report.unchanged.len().to_string()),
        ],
    );
    let damaged = report.damaged;
    view! {
        <div class="backup-report">
            <p class="form-ok">{summary}</p>
            {(!damaged.is_empty()).then(|| view! {
                <p class="form-error">
                    {match damaged.len() {
                        1 => tr("device.one_damaged"),
                        n => tr_with("device.damaged", &[("n", &n.to_string())]),
                    }}
                </p>
                <ul class="damaged">
                    {damaged
                        .iter()
                        .map(|d| view! { <li><code>{d.label()}</code> ": " {said_text(&d.damage.text())}</li> })
                        .collect_view()}
                </ul>
            })}
        </div>
    }
}

fn documents(n: usize) -> String {
    match n {
        1 => tr("device.one_doc"),
        n => tr_with("device.docs", &[("n", &n.to_string())]),
    }
}

/// The app's version, and looking for a new one.
#[component]
fn VersionSection() -> impl IntoView {
    let looked = RwSignal::new(false);
    let look = move |_| {
        looked.set(true);
        device::check_for_update();
    };
    let version = device::version();
    view! {
        <section class="card version" aria-labelledby="version-title">
            <h2 id="version-title">{t("device.version")}</h2>
            <p>
                {if version.is_empty() {
                    tr("device.dev_version")
                } else {
                    tr_with("device.version_n", &[("version", &version)])
                }}
            </p>
            <p role="status">
                {move || match (device::update_available(), looked.get()) {
                    (true, _) => tr("device.update_ready"),
                    (false, true) => tr("device.update_looked"),
                    (false, false) => String::new(),
                }}
            </p>
            <button type="button" on:click=look>{t("device.look_for_update")}</button>
        </section>
    }
}

/// Banners about this device shown on every page (a new version, space running out).
#[component]
pub fn DeviceBanners() -> impl IntoView {
    view! {
        <UpdateBanner/>
        <QuotaBanner/>
    }
}

/// "There is a new version": reloads only when asked, and asks to save
/// first if a form is open.
#[component]
fn UpdateBanner() -> impl IntoView {
    let blocked = RwSignal::new(false);
    let reload = move |_| {
        if device::work_in_progress() && !blocked.get_untracked() {
            blocked.set(true);
        } else {
            device::reload_for_update();
        }
    };
    view! {
        <Show when=device::update_available>
            <div class="banner info update-banner" role="status">
                <span>{t("device.new_version")} " "</span>
                <button type="button" class="primary" on:click=reload>
                    {move || if blocked.get() { tr("device.reload_anyway") } else { tr("device.reload") }}
                </button>
                <Show when=move || blocked.get()>
                    <span class="form-error">
                        " " {t("device.window_open")}
                    </span>
                </Show>
            </div>
        </Show>
    }
}

/// Space running out: says so and leads to "Dit toestel".
#[component]
fn QuotaBanner() -> impl IntoView {
    move || {
        device::storage_estimate()
            .filter(StorageEstimate::nearly_full)
            .map(|estimate| {
                view! {
                    <p class="banner warning quota-warning" role="alert">
                        {tr_with(
                            "device.quota_warning",
                            &[("used", &human_bytes(estimate.usage)), ("quota", &human_bytes(estimate.quota))],
                        )}
                        " "
                        <A href="/toestel">{t("device.quota_link")}</A>
                    </p>
                }
            })
    }
}

fn percent(estimate: StorageEstimate) -> String {
    format!("{:.1}", estimate.fraction() * 100.0)
}

/// A size as people in Flanders write it: "12,4 MB", "1,2 GB", "850 kB".
fn human_bytes(bytes: f64) -> String {
    const UNITS: [&str; 5] = ["", "kB", "MB", "GB", "TB"];
    let mut value = bytes.max(0.0);
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    let text = if unit == 0 || value >= 100.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}").replace('.', ",")
    };
    let unit = if unit == 0 {
        tr("device.bytes")
    } else {
        UNITS[unit].to_owned()
    };
    format!("{text} {unit}")
}
