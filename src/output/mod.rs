//! Extraction results and their writers: PyRadiomics' batch CSV layout and a flat JSON object.

use std::io::Write;

use indexmap::IndexMap;

pub use crate::pyrepr::python_float_repr;

/// One value of a result row: a diagnostic (text, written as PyRadiomics writes it) or a feature.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Text(String),
    Number(f64),
    /// A feature PyRadiomics returns as a Python `int`.
    Integer(i64),
}

impl Value {
    /// The value as PyRadiomics' batch CSV writes it (Python `str`/`repr`).
    pub fn to_csv_field(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Number(x) => python_float_repr(*x),
            Value::Integer(i) => i.to_string(),
        }
    }

    /// The numeric value, when this is a feature.
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(x) => Some(*x),
            Value::Integer(i) => Some(*i as f64),
            Value::Text(_) => None,
        }
    }
}

/// One case's results in PyRadiomics' order: `Image`, `Mask`, `diagnostics_*`, then features
/// named `<imageType>_<class>_<feature>`.
pub type ResultRow = IndexMap<String, Value>;

/// Writes rows as PyRadiomics' batch CSV: one header row (the keys of the first row) and one value
/// row per case.
pub fn write_csv<W: Write>(out: W, rows: &[ResultRow]) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    if let Some(first) = rows.first() {
        writer.write_record(first.keys())?;
    }
    for row in rows {
        writer.write_record(row.values().map(Value::to_csv_field))?;
    }
    writer.flush()
}

/// Writes one row as a flat JSON object with the same keys; features are numbers (NaN and the
/// infinities, which JSON cannot hold, are written as the strings `"nan"`, `"inf"`, `"-inf"`).
pub fn write_json<W: Write>(mut out: W, row: &ResultRow) -> std::io::Result<()> {
    let object: serde_json::Map<String, serde_json::Value> = row
        .iter()
        .map(|(k, v)| {
            let json = match v {
                Value::Text(s) => serde_json::Value::String(s.clone()),
                Value::Number(x) => serde_json::Number::from_f64(*x)
                    .map(serde_json::Value::Number)
                    .unwrap_or_else(|| serde_json::Value::String(python_float_repr(*x))),
                Value::Integer(i) => serde_json::Value::from(*i),
            };
            (k.clone(), json)
        })
        .collect();
    serde_json::to_writer_pretty(&mut out, &object)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> ResultRow {
        let mut row = ResultRow::new();
        row.insert("Image".into(), Value::Text("a, b.nrrd".into()));
        row.insert("original_glcm_Contrast".into(), Value::Number(0.5));
        row.insert("original_glcm_Idmn".into(), Value::Number(f64::NAN));
        row.insert("original_glcm_MCC".into(), Value::Integer(1));
        row
    }

    #[test]
    fn csv_has_header_and_one_row_per_case() {
        let mut buf = Vec::new();
        write_csv(&mut buf, &[row(), row()]).unwrap();
        let text = String::from_utf8(buf).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "Image,original_glcm_Contrast,original_glcm_Idmn,original_glcm_MCC"
        );
        assert_eq!(lines[1], "\"a, b.nrrd\",0.5,nan,1");
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn json_keeps_key_order_and_writes_nan_as_text() {
        let mut buf = Vec::new();
        write_json(&mut buf, &row()).unwrap();
        let text = String::from_utf8(buf).unwrap();
        let image = text.find("Image").unwrap();
        let contrast = text.find("Contrast").unwrap();
        assert!(image < contrast);
        assert!(text.contains("\"original_glcm_Idmn\": \"nan\""));
        assert!(text.contains("\"original_glcm_MCC\": 1\n"));
    }
}
