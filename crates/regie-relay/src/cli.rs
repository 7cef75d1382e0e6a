//! The `regie-relay token ...` commands.

use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::bail;

use crate::config::{Config, TokenAction};
use crate::tokens::{Kind, TokenStore};

/// The link that opens the app with a token: the plan's page for a
/// one-document token, the home page otherwise.
pub fn share_link(base_url: &str, doc: Option<&regie_core::DocumentId>, token: &str) -> String {
    let base = base_url.trim_end_matches('/');
    match doc {
        Some(doc) => format!("{base}/plan/{doc}?token={token}"),
        None => format!("{base}/?token={token}"),
    }
}

/// Runs a token subcommand, printing to stdout.
pub fn token(config: &Config, action: TokenAction) -> anyhow::Result<()> {
    let store = TokenStore::open(&config.data_dir)?;
    match action {
        TokenAction::Create {
            edit: _,
            read_only,
            doc,
            label,
            base_url,
        } => {
            let kind = if read_only {
                Kind::ReadOnly
            } else {
                Kind::Edit
            };
            let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
            let (token, record) = store.create(kind, doc, label, rand::random(), now)?;
            let base = base_url.unwrap_or_else(|| format!("http://{}", config.addr));
            println!("id:    {}", record.id);
            println!("token: {token}");
            println!("link:  {}", share_link(&base, doc.as_ref(), &token));
        }
        TokenAction::List => {
            println!(
                "{:<10}  {:<9}  {:<8}  {:<30}  label",
                "id", "access", "status", "document"
            );
            for r in store.records()? {
                println!(
                    "{:<10}  {:<9}  {:<8}  {:<30}  {}",
                    r.id,
                    match r.kind {
                        Kind::Edit => "edit",
                        Kind::ReadOnly => "read-only",
                    },
                    if r.revoked { "revoked" } else { "active" },
                    r.doc.map_or("(all)".to_owned(), |d| d.to_string()),
                    r.label.unwrap_or_default()
                );
            }
        }
        TokenAction::Revoke { id } => {
            if !store.revoke(&id)? {
                bail!("no token with id {id}");
            }
            println!("revoked {id}");
        }
    }
    Ok(())
}
