//! A study table (CSV with a header row) and validated columns taken from it: numbers, binary
//! labels, features. Every error names the file and the column.

use std::path::Path;

/// An error of the modelling layer, rendered as one line.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The table as a whole is unusable (unreadable, malformed, too small).
    #[error("{file}: {problem}")]
    Table { file: String, problem: String },
    /// One column of a table is missing or holds values the statistic cannot use.
    #[error("{file}: column '{column}': {problem}")]
    Column {
        file: String,
        column: String,
        problem: String,
    },
    /// A variable makes a model impossible to fit (separation, collinearity); the caller adds
    /// the file.
    #[error("variable '{variable}': {problem}")]
    Variable { variable: String, problem: String },
    /// The request itself is invalid (an option's value, too few cases).
    #[error("{0}")]
    Invalid(String),
}

/// The modelling layer's result type.
pub type Result<T> = std::result::Result<T, ModelError>;

/// A table of text cells, column by column, with the name of the file it came from.
#[derive(Debug, Clone)]
pub struct Table {
    file: String,
    headers: Vec<String>,
    columns: Vec<Vec<String>>,
}

impl Table {
    /// Reads a CSV file with a header row; every row must have as many cells as the header.
    pub fn read(path: &Path) -> Result<Table> {
        let file = path.display().to_string();
        let fail = |problem: String| ModelError::Table {
            file: file.clone(),
            problem,
        };
        let mut reader = csv::Reader::from_path(path).map_err(|e| fail(e.to_string()))?;
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| fail(e.to_string()))?
            .iter()
            .map(str::to_owned)
            .collect();
        let mut columns = vec![Vec::new(); headers.len()];
        for record in reader.records() {
            let record = record.map_err(|e| fail(e.to_string()))?;
            for (column, cell) in columns.iter_mut().zip(record.iter()) {
                column.push(cell.trim().to_owned());
            }
        }
        Table::from_columns(file, headers, columns)
    }

    /// A table from named text columns of equal length; `file` names its origin in errors.
    pub fn from_columns(
        file: impl Into<String>,
        headers: Vec<String>,
        columns: Vec<Vec<String>>,
    ) -> Result<Table> {
        let file = file.into();
        if columns.first().is_none_or(Vec::is_empty) {
            return Err(ModelError::Table {
                file,
                problem: "no data rows".into(),
            });
        }
        Ok(Table {
            file,
            headers,
            columns,
        })
    }

    /// The file the table came from.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The column names, in file order.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The number of data rows.
    pub fn rows(&self) -> usize {
        self.columns[0].len()
    }

    /// An error about `column` of this table.
    pub fn column_error(&self, column: &str, problem: impl Into<String>) -> ModelError {
        ModelError::Column {
            file: self.file.clone(),
            column: column.to_owned(),
            problem: problem.into(),
        }
    }

    /// The text cells of `column`.
    pub fn text(&self, column: &str) -> Result<&[String]> {
        match self.headers.iter().position(|h| h == column) {
            Some(index) => Ok(&self.columns[index]),
            None => Err(self.column_error(column, "no such column")),
        }
    }

    /// `column` as finite numbers; an empty cell, text, NaN or infinity is an error naming the
    /// row (1-based, data rows).
    pub fn numbers(&self, column: &str) -> Result<Vec<f64>> {
        self.text(column)?
            .iter()
            .enumerate()
            .map(|(row, cell)| match cell.parse::<f64>() {
                Ok(value) if value.is_finite() => Ok(value),
                Ok(_) => Err(self.column_error(column, format!("row {}: {cell}", row + 1))),
                Err(_) if cell.is_empty() => {
                    Err(self.column_error(column, format!("row {}: missing value", row + 1)))
                }
                Err(_) => {
                    Err(self
                        .column_error(column, format!("row {}: '{cell}' is not a number", row + 1)))
                }
            })
            .collect()
    }

    /// `column` as a feature: finite numbers that are not all equal.
    pub fn feature(&self, column: &str) -> Result<Vec<f64>> {
        let values = self.numbers(column)?;
        if values.iter().all(|&v| v == values[0]) {
            return Err(self.column_error(column, format!("constant column ({})", values[0])));
        }
        Ok(values)
    }

    /// `column` as a binary outcome: every value 0 or 1 (1 = positive), both present.
    pub fn label(&self, column: &str) -> Result<Vec<bool>> {
        let values = self.numbers(column)?;
        if let Some(bad) = values.iter().find(|&&v| v != 0.0 && v != 1.0) {
            return Err(self.column_error(column, format!("label must be 0 or 1, found {bad}")));
        }
        let labels: Vec<bool> = values.iter().map(|&v| v == 1.0).collect();
        if labels.iter().all(|&l| l == labels[0]) {
            let class = u8::from(labels[0]);
            return Err(self.column_error(column, format!("label has only class {class}")));
        }
        Ok(labels)
    }

    /// Several feature columns, in the order given.
    pub fn features(&self, columns: &[String]) -> Result<Vec<Vec<f64>>> {
        columns.iter().map(|c| self.feature(c)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(cells: &[&str]) -> Table {
        let column = cells.iter().map(|c| c.to_string()).collect();
        Table::from_columns("t.csv", vec!["a".into()], vec![column]).unwrap()
    }

    #[test]
    fn errors_name_file_column_and_row() {
        let message = table(&["1", "x"]).numbers("a").unwrap_err().to_string();
        assert_eq!(message, "t.csv: column 'a': row 2: 'x' is not a number");
        let message = table(&["1", "NaN"]).numbers("a").unwrap_err().to_string();
        assert_eq!(message, "t.csv: column 'a': row 2: NaN");
        let message = table(&["1"]).numbers("b").unwrap_err().to_string();
        assert_eq!(message, "t.csv: column 'b': no such column");
    }

    #[test]
    fn labels_are_zero_one_with_both_classes() {
        assert_eq!(
            table(&["0", "1", "1.0"]).label("a").unwrap(),
            [false, true, true]
        );
        assert!(table(&["0", "2"]).label("a").is_err());
        assert!(table(&["1", "1"]).label("a").is_err());
        assert!(table(&["3", "3"]).feature("a").is_err());
    }
}
