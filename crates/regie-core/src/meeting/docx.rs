//! The minutes as an editable Word document (`.docx`, built with
//! `docx-rs`), for those who must file them: a title, headings, paragraphs,
//! list items and the attendance as a table, in the document's own styles
//! so a secretary can restyle it.

use docx_rs::{
    BorderType, BreakType, Docx, Paragraph, Run, RunFonts, Style as DocxStyle, StyleType, Table,
    TableBorder, TableBorderPosition, TableBorders, TableCell, TableRow,
};

use super::minutes::{Style, WordsBlock};

/// The file's media type.
pub const MEDIA_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The blocks as a `.docx` file.
pub fn write(blocks: &[WordsBlock]) -> Result<Vec<u8>, String> {
    let mut docx = Docx::new()
        .default_fonts(RunFonts::new().ascii("Calibri").hi_ansi("Calibri"))
        .default_size(22)
        .add_style(heading("Title", "Title", 36))
        .add_style(heading("Heading1", "Heading 1", 28))
        .add_style(heading("Heading2", "Heading 2", 24));
    for block in blocks {
        docx = match block {
            WordsBlock::Line(style, text) => docx.add_paragraph(paragraph(*style, text)),
            WordsBlock::Table(rows) => docx.add_table(table(rows)),
        };
    }
    let mut file = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut file).map_err(|e| e.to_string())?;
    Ok(file.into_inner())
}

fn heading(id: &str, name: &str, half_points: usize) -> DocxStyle {
    DocxStyle::new(id, StyleType::Paragraph)
        .name(name)
        .size(half_points)
        .bold()
}

fn paragraph(style: Style, text: &str) -> Paragraph {
    let run = |text: &str| Run::new().add_text(text);
    match style {
        Style::Title => Paragraph::new().style("Title").add_run(run(text)),
        Style::Heading => Paragraph::new().style("Heading1").add_run(run(text)),
        Style::Subheading => Paragraph::new().style("Heading2").add_run(run(text)),
        Style::Item => Paragraph::new()
            .indent(Some(360), None, None, None)
            .add_run(run(&format!("• {text}"))),
        // Notes keep the lines people typed.
        Style::Paragraph => {
            let lines: Vec<&str> = text.split('\n').collect();
            lines
                .iter()
                .enumerate()
                .fold(Paragraph::new(), |p, (i, line)| {
                    let r = run(line);
                    p.add_run(if i + 1 < lines.len() {
                        r.add_break(BreakType::TextWrapping)
                    } else {
                        r
                    })
                })
        }
    }
}

fn table(rows: &[Vec<String>]) -> Table {
    let border = |position| {
        TableBorder::new(position)
            .border_type(BorderType::Single)
            .size(4)
    };
    let borders = [
        TableBorderPosition::Top,
        TableBorderPosition::Bottom,
        TableBorderPosition::Left,
        TableBorderPosition::Right,
        TableBorderPosition::InsideH,
        TableBorderPosition::InsideV,
    ]
    .into_iter()
    .fold(TableBorders::new(), |b, p| b.set(border(p)));
    Table::new(
        rows.iter()
            .enumerate()
            .map(|(i, row)| {
                TableRow::new(
                    row.iter()
                        .map(|cell| {
                            let run = Run::new().add_text(cell);
                            let run = if i == 0 { run.bold() } else { run };
                            TableCell::new().add_paragraph(Paragraph::new().add_run(run))
                        })
                        .collect(),
                )
            })
            .collect(),
    )
    .set_borders(borders)
}
