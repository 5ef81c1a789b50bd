//! The study report renders in a browser: the example report is opened in headless Chromium,
//! and every figure must have drawn shapes and visible text, with a silent console.
//!
//! Without Chromium the browser tests are skipped, unless `RADIOME_REQUIRE_CHROMIUM=1` (CI).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use radiome::model::report::{ReportData, example, render, write};

/// Collects page errors from the start of the page (inserted first in `<head>`).
const ERROR_TRAP: &str = "<script>window.__errors = [];\
    window.addEventListener('error', e => window.__errors.push(String(e.message)));</script>";

/// Measures each figure's SVG as rendered and writes the result into `<pre id="probe">`.
const PROBE: &str = r#"<script>
(function () {
  const figures = [...document.querySelectorAll('figure')].map(figure => {
    const svg = figure.querySelector('svg');
    if (!svg) return null;
    const box = svg.getBoundingClientRect();
    const view = svg.viewBox.baseVal;
    const marks = [...svg.querySelectorAll('polyline, path, line, circle, polygon, text')]
      .map(e => e.getBBox()).filter(b => b.width > 0 || b.height > 0);
    const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim());
    const left = Math.min(...marks.map(b => b.x)), right = Math.max(...marks.map(b => b.x + b.width));
    const top = Math.min(...marks.map(b => b.y)), bottom = Math.max(...marks.map(b => b.y + b.height));
    return {
      width: box.width, height: box.height, marks: marks.length, texts: texts.length,
      invisible_texts: texts.filter(t => !(t.getComputedTextLength() > 0)).length,
      cover_x: marks.length ? (right - left) / view.width : 0,
      cover_y: marks.length ? (bottom - top) / view.height : 0,
    };
  });
  const out = document.createElement('pre');
  out.id = 'probe';
  out.textContent = JSON.stringify({ figures, errors: window.__errors });
  document.body.appendChild(out);
})();
</script>"#;

/// Figures the example report has: ROC, LASSO, decision curves, calibration, nomogram.
const EXAMPLE_FIGURES: usize = 5;

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("radiome-report-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The Chromium executable, or `None` (a failure when `RADIOME_REQUIRE_CHROMIUM=1`).
fn chromium() -> Option<&'static str> {
    let found = ["chromium", "chromium-browser"].into_iter().find(|name| {
        let mut probe = Command::new(name);
        probe
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        probe.status().is_ok_and(|status| status.success())
    });
    if found.is_none() {
        let required = std::env::var("RADIOME_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "RADIOME_REQUIRE_CHROMIUM=1 but no chromium on PATH"
        );
        eprintln!("skipped: no chromium on PATH");
    }
    found
}

/// The page's DOM after loading in headless Chromium, and Chromium's log (stderr).
fn load(browser: &str, page: &Path, dir: &Path) -> (String, String) {
    let (stdout, stderr) = (dir.join("dom.html"), dir.join("chromium.log"));
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .args([
            "--disable-background-networking",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(std::fs::File::create(&stderr).unwrap())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("chromium did not finish within 120 s on {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let read = |path: &Path| std::fs::read_to_string(path).unwrap();
    (read(&stdout), read(&stderr))
}

/// What is wrong with the rendered `html`: figures that did not draw, page or console errors.
fn render_problems(browser: &str, html: &str, dir: &Path) -> Vec<String> {
    let probed = html
        .replacen("<head>", &format!("<head>\n{ERROR_TRAP}"), 1)
        .replacen("</body>", &format!("{PROBE}\n</body>"), 1);
    let page = dir.join("probed.html");
    std::fs::write(&page, probed).unwrap();
    let (dom, log) = load(browser, &page, dir);
    let start = dom
        .find("<pre id=\"probe\">")
        .expect("probe output in the DOM")
        + 16;
    let json = &dom[start..start + dom[start..].find("</pre>").unwrap()];
    let probe: serde_json::Value = serde_json::from_str(&json.replace("&quot;", "\"")).unwrap();
    let mut problems: Vec<String> = probe["figures"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .filter_map(|(i, figure)| figure_problem(figure).map(|p| format!("figure {}: {p}", i + 1)))
        .collect();
    let errors = probe["errors"].as_array().unwrap();
    problems.extend(errors.iter().map(|e| format!("page error: {e}")));
    let console = log.lines().filter(|line| line.contains(":CONSOLE"));
    problems.extend(console.map(|line| format!("console: {line}")));
    problems
}

/// Why one probed figure did not render, if it did not.
fn figure_problem(figure: &serde_json::Value) -> Option<String> {
    let number = |key: &str| figure[key].as_f64().unwrap_or(0.0);
    if figure.is_null() {
        return Some("no <svg>".into());
    }
    let checks = [
        (
            number("width") >= 300.0 && number("height") >= 200.0,
            "rendered smaller than 300 × 200",
        ),
        (number("marks") >= 20.0, "fewer than 20 visible marks"),
        (number("texts") >= 5.0, "fewer than 5 labels"),
        (
            number("invisible_texts") == 0.0,
            "labels without rendered width (fonts?)",
        ),
        (
            number("cover_x") > 0.6 && number("cover_y") > 0.5,
            "marks cover too little of the canvas",
        ),
    ];
    let failed: Vec<&str> = checks
        .iter()
        .filter(|(ok, _)| !ok)
        .map(|(_, why)| *why)
        .collect();
    (!failed.is_empty()).then(|| format!("{} ({figure})", failed.join(", ")))
}

#[test]
fn every_figure_of_the_example_report_renders_in_chromium() {
    let dir = scratch("renders");
    let path = dir.join("report.html");
    write(&example::report_data(), &path).unwrap();
    let html = std::fs::read_to_string(&path).unwrap();
    assert_eq!(html.matches("<figure>").count(), EXAMPLE_FIGURES);
    let Some(browser) = chromium() else { return };
    let problems = render_problems(browser, &html, &dir);
    assert!(problems.is_empty(), "{problems:#?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The check above must catch a figure that does not draw: here the nomogram's SVG is emptied.
#[test]
fn a_figure_that_does_not_draw_is_caught() {
    let html = render(&example::report_data()).unwrap();
    let last_svg = html.rfind("<svg").unwrap();
    let end = last_svg + html[last_svg..].find("</svg>").unwrap();
    let broken = format!(
        "{}<svg width=\"1100\" height=\"500\">{}",
        &html[..last_svg],
        &html[end..]
    );
    let Some(browser) = chromium() else { return };
    let dir = scratch("broken");
    let problems = render_problems(browser, &broken, &dir);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].starts_with(&format!(
            "figure {EXAMPLE_FIGURES}: fewer than 20 visible marks"
        )),
        "{problems:#?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_page_is_self_contained() {
    let html = render(&example::report_data()).unwrap();
    for outside in ["<script", "src=", "href=", "url(", "@import"] {
        assert!(!html.contains(outside), "the page contains {outside}");
    }
    assert_eq!(html.matches("<svg").count(), EXAMPLE_FIGURES);
}

/// Equal JSON values, numbers to within serde_json's parsing (1e-15 relative: without its
/// `float_roundtrip` feature a parsed float may be one ulp off).
fn same_json(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value::{Array, Number, Object};
    match (a, b) {
        (Number(x), Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            (x - y).abs() <= 1e-15 * x.abs().max(y.abs())
        }
        (Array(x), Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y)),
        (Object(x), Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// results.json holds the same data: it must come back unchanged.
#[test]
fn report_data_round_trips_through_json() {
    let data = example::report_data();
    let json = serde_json::to_string(&data).unwrap();
    let back: ReportData = serde_json::from_str(&json).unwrap();
    let (back, data) = (
        serde_json::to_value(&back).unwrap(),
        serde_json::to_value(&data).unwrap(),
    );
    assert!(same_json(&back, &data));
    assert_eq!(data["nomogram"]["variables"][2]["scale"]["kind"], "levels");
}

#[test]
fn inconsistent_data_is_refused_with_the_section_named() {
    let mut data = example::report_data();
    data.decision_curves[1].models[2].values.pop();
    let error = render(&data).unwrap_err().to_string();
    assert_eq!(
        error,
        "report data, decision curves \"Test\" / \"Combined\": values has 98 values, expected 99"
    );
    let mut data = example::report_data();
    data.roc[0].curves[1].points[3].1 = f64::NAN;
    let error = render(&data).unwrap_err().to_string();
    assert_eq!(
        error,
        "report data, roc \"Training\" / \"Radiomics\": point 4: tpr is NaN, not in [0, 1]"
    );
}
