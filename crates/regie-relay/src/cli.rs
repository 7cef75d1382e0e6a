//! The `regie-relay token ...` commands. They change `tokens.json` under the
//! same lock as a running relay (see [`crate::tokens`]), so they may run
//! while it serves.

use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::bail;

use crate::audit::{AuditLog, Filter};
use crate::config::{Config, TokenAction};
use crate::tokens::{self, Kind, NewToken, Standing, TokenStore};

/// The link that opens the app with a token: the plan's page for a
/// one-document token, the home page otherwise. The token is in the
/// fragment, which a browser never sends to a server (so it stays out of
/// access logs and `Referer` headers); the app presents it itself.
pub fn share_link(base_url: &str, doc: Option<&regie_core::DocumentId>, token: &str) -> String {
    let base = base_url.trim_end_matches('/');
    match doc {
        Some(doc) => format!("{base}/plan/{doc}#token={token}"),
        None => format!("{base}/#token={token}"),
    }
}

/// Seconds since the Unix epoch as `YYYY-MM-DD HH:MM UTC`.
fn utc(seconds: u64) -> String {
    // Days to a civil date (Howard Hinnant's algorithm), proleptic Gregorian.
    let days = i64::try_from(seconds / 86_400).unwrap_or(i64::MAX / 2) + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    let minutes = seconds % 86_400 / 60;
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        minutes / 60,
        minutes % 60
    )
}

/// Runs a token subcommand, printing to stdout.
pub fn token(config: &Config, action: TokenAction) -> anyhow::Result<()> {
    let store = TokenStore::open(&config.data_dir)?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    match action {
        TokenAction::Create {
            edit: _,
            read_only,
            doc,
            label,
            scope,
            organisation,
            expires_in_days,
            base_url,
        } => {
            let kind = if read_only {
                Kind::ReadOnly
            } else {
                Kind::Edit
            };
            let new = NewToken {
                kind,
                doc,
                label,
                parent: None,
                expires_at: expires_in_days.map(|days| now + days * 86_400),
                scope,
                organisation,
            };
            let (token, record) = store.create(new, rand::random(), now)?;
            let base = base_url.unwrap_or_else(|| format!("http://{}", config.addr));
            println!("id:      {}", record.id);
            println!("token:   {token}");
            println!("scope:   {}", record.scope.as_deref().unwrap_or("stad"));
            if let Some(organisation) = &record.organisation {
                println!("for:     {organisation}");
            }
            println!("link:    {}", share_link(&base, doc.as_ref(), &token));
            if let Some(at) = record.expires_at {
                println!("expires: {}", utc(at));
            }
        }
        TokenAction::List => {
            println!(
                "{:<10}  {:<9}  {:<14}  {:<20}  {:<30}  {:<10}  {:<28}  {:<20}  label",
                "id", "access", "status", "expires", "document", "parent", "scope", "organisation"
            );
            let records = store.records()?;
            for r in &records {
                let status = match tokens::standing(&records, r, now) {
                    Standing::Active { .. } => "active",
                    Standing::Revoked => "revoked",
                    Standing::Expired => "expired",
                    Standing::ParentRevoked => "parent revoked",
                    Standing::ParentExpired => "parent expired",
                    Standing::BrokenChain => "broken chain",
                };
                println!(
                    "{:<10}  {:<9}  {:<14}  {:<20}  {:<30}  {:<10}  {:<28}  {:<20}  {}",
                    r.id,
                    match r.kind {
                        Kind::Edit => "edit",
                        Kind::ReadOnly => "read-only",
                    },
                    status,
                    r.expires_at.map_or("never".to_owned(), utc),
                    r.doc.map_or("(all)".to_owned(), |d| d.to_string()),
                    r.parent.as_deref().unwrap_or("-"),
                    r.scope.as_deref().unwrap_or("stad"),
                    r.organisation.as_deref().unwrap_or("-"),
                    r.label.as_deref().unwrap_or_default()
                );
            }
        }
        TokenAction::Revoke { id } => {
            if !store.revoke(&id)? {
                bail!("no token with id {id}");
            }
            println!("revoked {id} (and every link made with it)");
        }
    }
    Ok(())
}

/// Prints the audit trail's newest entries that `filter` keeps, with each
/// link's label from the token file.
pub fn audit(config: &Config, filter: &Filter, limit: usize) -> anyhow::Result<()> {
    let records = TokenStore::open(&config.data_dir)?.records()?;
    let entries = AuditLog::new(&config.data_dir).read(filter, limit)?;
    println!(
        "{:<20}  {:<10}  {:<30}  {:<30}  change",
        "when", "link", "label", "document"
    );
    for e in entries {
        let link = e.link.as_deref().unwrap_or("-");
        let label = records
            .iter()
            .find(|r| Some(&r.id) == e.link.as_ref())
            .and_then(|r| r.label.as_deref())
            .unwrap_or("");
        println!(
            "{:<20}  {:<10}  {:<30}  {:<30}  {}",
            utc(e.at),
            link,
            crate::logsafe::LogSafe(label),
            e.doc,
            e.change
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates() {
        assert_eq!(utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(utc(1_767_225_599), "2025-12-31 23:59 UTC");
        assert_eq!(
            utc(1_772_323_200 + 3_600 * 13 + 60 * 7),
            "2026-03-01 13:07 UTC"
        );
    }
}
