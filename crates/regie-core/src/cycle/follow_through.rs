//! A campaign's piste turned into an actie of a wijkactieplan: the actie
//! keeps its origin (campaign and piste), so it can always say why it
//! exists, and it carries the piste's text as its description.

use super::chain;
use crate::DocumentId;
use crate::campaign::Campaign;
use crate::kind::DocError;
use crate::plan::{LongText, Plan, Status};

/// Longest actie title taken from a piste (its first line).
const TITLE_CHARS: usize = 120;

/// Where the new actie goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Into<'a> {
    /// An ambitie the plan has.
    Ambition(&'a str),
    /// A new ambitie with this id, named after the campaign.
    NewAmbition(&'a str),
}

/// Adds piste `card` of `campaign` to `plan` as actie `action_id`.
pub fn action_from_piste(
    plan: &mut Plan,
    campaign_id: &DocumentId,
    campaign: &Campaign,
    card: &str,
    into: Into<'_>,
    action_id: &str,
) -> Result<(), DocError> {
    let piste = campaign
        .pistes()
        .find(|p| p.card == card)
        .ok_or(DocError::NotFound)?;
    let first_line = piste
        .text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let title: String = first_line.trim().chars().take(TITLE_CHARS).collect();
    let ambition = match into {
        Into::Ambition(id) => id.to_owned(),
        Into::NewAmbition(id) => {
            plan.add_ambition(id.to_owned(), &campaign.title)?;
            id.to_owned()
        }
    };
    plan.add_action(&ambition, action_id.to_owned(), &title, Status::Gepland)?;
    let action = plan.action_mut(action_id)?;
    action.origin = Some(chain::origin(campaign_id, card));
    action.description = LongText(piste.text.clone());
    Ok(())
}
