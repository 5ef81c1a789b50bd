//! The page: one self-contained HTML document with the tables and the inline SVG figures, a
//! little CSS, no scripts and no external resources.

use std::fmt::Write;

use super::data::{LassoPath, Nomogram, ReportData, Table};
use super::points::{NomogramScales, format_tick};
use super::{ReportError, plot};

/// The page's style sheet: a narrow column of text, booktabs-like tables, figures to width.
const STYLE: &str = "
body { font-family: Helvetica, Arial, sans-serif; color: #222; max-width: 1240px;
       margin: 2em auto; padding: 0 1.5em; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
p.note { color: #555; margin: 0.3em 0; }
table { border-collapse: collapse; margin: 1.2em 0; font-size: 0.92em;
        font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; font-weight: bold; padding-bottom: 0.4em;
          white-space: nowrap; }
thead th { border-top: 2px solid #222; border-bottom: 1px solid #222; }
tbody tr:last-child td { border-bottom: 2px solid #222; }
th, td { padding: 0.25em 0.9em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
figure { margin: 1.2em 0 2em; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: #444; font-size: 0.92em; margin-top: 0.5em; max-width: 1100px; }
";

/// Running numbers of the page's tables and figures.
#[derive(Default)]
struct Page {
    body: String,
    tables: usize,
    figures: usize,
}

impl Page {
    fn heading(&mut self, text: &str) {
        let _ = writeln!(self.body, "<h2>{}</h2>", escape(text));
    }

    fn table(&mut self, table: &Table) {
        self.tables += 1;
        let caption = format!("Table {}. {}", self.tables, table.caption);
        let _ = writeln!(
            self.body,
            "<table>\n<caption>{}</caption>",
            escape(&caption)
        );
        let cells = |row: &[String], tag: &str| -> String {
            row.iter()
                .map(|c| format!("<{tag}>{}</{tag}>", escape(c)))
                .collect()
        };
        let _ = writeln!(
            self.body,
            "<thead><tr>{}</tr></thead>\n<tbody>",
            cells(&table.header, "th")
        );
        for row in &table.rows {
            let _ = writeln!(self.body, "<tr>{}</tr>", cells(row, "td"));
        }
        self.body.push_str("</tbody>\n</table>\n");
    }

    fn figure(&mut self, svg: &str, caption: &str) {
        self.figures += 1;
        let caption = escape(&format!("Figure {}. {caption}", self.figures));
        let _ = writeln!(
            self.body,
            "<figure>\n{svg}\n<figcaption>{caption}</figcaption>\n</figure>"
        );
    }
}

/// The whole page for `data` (already validated).
pub fn page(data: &ReportData) -> Result<String, ReportError> {
    let mut page = Page::default();
    data.tables.iter().for_each(|table| page.table(table));
    if !data.roc.is_empty() {
        page.heading("Discrimination");
        let caption = "ROC curves of each model per data set, with the AUC in the legend; the dashed diagonal is chance.";
        page.figure(&plot::roc_figure(&data.roc)?, caption);
    }
    if let Some(lasso) = &data.lasso {
        page.heading("Feature selection");
        page.figure(&plot::lasso_figure(lasso)?, &lasso_caption(lasso));
    }
    if !data.decision_curves.is_empty() {
        page.heading("Clinical usefulness");
        let caption = "Decision curves: net benefit of each model over the threshold probability, against treating all and treating none.";
        page.figure(&plot::decision_figure(&data.decision_curves)?, caption);
    }
    if !data.calibration.is_empty() {
        page.heading("Calibration");
        let caption = "Calibration: observed frequency against mean predicted probability per bin; marker area is proportional to the bin's number of cases, the dashed diagonal is perfect calibration.";
        page.figure(&plot::calibration_figure(&data.calibration)?, caption);
    }
    if let Some(nomogram) = &data.nomogram {
        nomogram_section(&mut page, nomogram)?;
    }
    Ok(document(data, &page.body))
}

fn lasso_caption(lasso: &LassoPath) -> String {
    format!(
        "LASSO logistic regression: (a) cross-validated binomial deviance (mean ± 1 SE) over log(λ); \
         (b) coefficient paths. Dashed lines: λmin = {:.4} and λ1se = {:.4}.",
        lasso.lambda_min, lasso.lambda_1se
    )
}

/// The nomogram and its points tables.
fn nomogram_section(page: &mut Page, nomogram: &Nomogram) -> Result<(), ReportError> {
    let scales = nomogram.scales()?;
    page.heading("Nomogram");
    let caption = format!(
        "Nomogram of the {} model: read each variable's points on the top scale, add them, and \
         read the sum on the total points scale against the linear predictor and \"{}\".",
        nomogram.model, nomogram.outcome
    );
    page.figure(
        &plot::nomogram_figure(&nomogram.outcome, &scales)?,
        &caption,
    );
    page.table(&points_table(&scales));
    page.table(&risk_table(&nomogram.outcome, &scales));
    Ok(())
}

/// Each variable's marked values and their points.
fn points_table(scales: &NomogramScales) -> Table {
    // The variable's name heads its first row only.
    let rows = scales.variables.iter().flat_map(|axis| {
        axis.ticks.iter().enumerate().map(|(i, (label, points))| {
            let name = if i == 0 {
                axis.name.clone()
            } else {
                String::new()
            };
            vec![name, label.clone(), format!("{points:.1}")]
        })
    });
    Table {
        caption: "Nomogram points per variable value".into(),
        header: vec!["Variable".into(), "Value".into(), "Points".into()],
        rows: rows.collect(),
    }
}

/// Total points at each marked risk, with the linear predictor there.
fn risk_table(outcome: &str, scales: &NomogramScales) -> Table {
    let rows = scales.risk_ticks.iter().map(|&(total, risk)| {
        let linear_predictor = (risk / (1.0 - risk)).ln();
        vec![
            format!("{total:.1}"),
            format!("{linear_predictor:.3}"),
            format_tick(risk),
        ]
    });
    Table {
        caption: format!("Nomogram: total points at each marked value of \"{outcome}\""),
        header: vec![
            "Total points".into(),
            "Linear predictor".into(),
            outcome.into(),
        ],
        rows: rows.collect(),
    }
}

/// The document around `body`: head with title and style, the heading and notes.
fn document(data: &ReportData, body: &str) -> String {
    let title = escape(&data.title);
    let notes: String = data
        .notes
        .iter()
        .map(|note| format!("<p class=\"note\">{}</p>\n", escape(note)))
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n\
         {notes}{body}</body>\n</html>\n"
    )
}

/// `text` with HTML's special characters escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
    }

    #[test]
    fn tables_are_numbered_and_escaped() {
        let mut page = Page::default();
        let table = Table {
            caption: "p < 0.05".into(),
            header: vec!["a".into()],
            rows: vec![vec!["<1".into()]],
        };
        page.table(&table);
        page.table(&table);
        assert!(
            page.body
                .contains("<caption>Table 1. p &lt; 0.05</caption>")
        );
        assert!(
            page.body
                .contains("<caption>Table 2. p &lt; 0.05</caption>")
        );
        assert!(page.body.contains("<td>&lt;1</td>"));
    }
}
