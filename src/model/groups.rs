//! A "Table 1": the table split by a two-level column, every other column summarised per group
//! and tested with [`super::table1`].
//!
//! A column is categorical when named in `categorical`, when any of its cells is not a number,
//! or when it holds at most 5 distinct integer values; otherwise it is numeric. Group order is
//! numeric when both levels are numbers, else lexicographic.

use indexmap::IndexMap;
use serde::Serialize;

use super::data::{Result, Table};
use super::table1::{TestResult, compare_counts, compare_numeric};

/// Integer-valued columns with at most this many distinct values count as categorical.
const MAX_INTEGER_LEVELS: usize = 5;

/// One compared variable.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// "numeric" or "categorical".
    pub kind: &'static str,
    /// Numeric: mean, SD, median per group; categorical: counts per level per group.
    pub summary: IndexMap<String, Vec<f64>>,
    /// The test and its result.
    #[serde(flatten)]
    pub result: TestResult,
}

/// The comparison of two groups.
#[derive(Debug, Clone, Serialize)]
pub struct GroupComparison {
    /// The grouping column.
    pub by: String,
    /// The two levels, in order.
    pub groups: [String; 2],
    /// Cases per group.
    pub n: [usize; 2],
    /// One entry per other column, in file order.
    pub variables: IndexMap<String, Comparison>,
}

/// Compares every column but `by` between the two levels of `by`.
pub fn compare_groups(table: &Table, by: &str, categorical: &[String]) -> Result<GroupComparison> {
    let group_cells = table.text(by)?;
    let groups = two_levels(table, by, group_cells)?;
    let in_first: Vec<bool> = group_cells.iter().map(|g| *g == groups[0]).collect();
    let n_first = in_first.iter().filter(|&&f| f).count();
    let mut variables = IndexMap::new();
    for column in table.headers().iter().filter(|h| *h != by) {
        let comparison = if categorical.contains(column) || !is_numeric(table, column)? {
            compare_categorical(table.text(column)?, &in_first)
        } else {
            compare_numeric_column(table.feature(column)?, &in_first)
        };
        variables.insert(column.clone(), comparison);
    }
    Ok(GroupComparison {
        by: by.to_owned(),
        groups,
        n: [n_first, in_first.len() - n_first],
        variables,
    })
}

/// The two distinct values of the grouping column, ordered.
fn two_levels(table: &Table, by: &str, cells: &[String]) -> Result<[String; 2]> {
    let mut levels: Vec<&String> = cells.iter().collect();
    levels.sort();
    levels.dedup();
    let [a, b] = levels[..] else {
        return Err(table.column_error(
            by,
            format!("needs exactly 2 groups, found {}", levels.len()),
        ));
    };
    let numeric = (a.parse::<f64>(), b.parse::<f64>());
    Ok(match numeric {
        (Ok(x), Ok(y)) if y < x => [b.clone(), a.clone()],
        _ => [a.clone(), b.clone()],
    })
}

/// Whether the column is numeric by the rule above; empty cells and NaN are errors.
fn is_numeric(table: &Table, column: &str) -> Result<bool> {
    let cells = table.text(column)?;
    if let Some(row) = cells.iter().position(|c| c.is_empty()) {
        return Err(table.column_error(column, format!("row {}: missing value", row + 1)));
    }
    if cells.iter().any(|c| c.parse::<f64>().is_err()) {
        return Ok(false);
    }
    let values = table.numbers(column)?;
    let mut distinct = values.clone();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let few_integers =
        distinct.len() <= MAX_INTEGER_LEVELS && distinct.iter().all(|v| v.fract() == 0.0);
    Ok(!few_integers)
}

/// Splits values by group membership.
fn split<T: Clone>(values: &[T], in_first: &[bool]) -> [Vec<T>; 2] {
    let pick = |first: bool| {
        values
            .iter()
            .zip(in_first)
            .filter(|&(_, &f)| f == first)
            .map(|(v, _)| v.clone())
            .collect()
    };
    [pick(true), pick(false)]
}

/// Mean, SD (n − 1), median per group, and the t-test or Mann–Whitney test.
fn compare_numeric_column(values: Vec<f64>, in_first: &[bool]) -> Comparison {
    let [a, b] = split(&values, in_first);
    let describe = |v: &[f64]| {
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let mut sorted = v.to_vec();
        sorted.sort_by(f64::total_cmp);
        let middle = sorted.len() / 2;
        let median = if sorted.len() % 2 == 1 {
            sorted[middle]
        } else {
            (sorted[middle - 1] + sorted[middle]) / 2.0
        };
        [mean, sd, median]
    };
    let (da, db) = (describe(&a), describe(&b));
    let summary = ["mean", "sd", "median"]
        .iter()
        .enumerate()
        .map(|(i, name)| (name.to_string(), vec![da[i], db[i]]))
        .collect();
    Comparison {
        kind: "numeric",
        summary,
        result: compare_numeric(&a, &b),
    }
}

/// Counts per level and group (levels sorted), and the χ² or Fisher test.
fn compare_categorical(cells: &[String], in_first: &[bool]) -> Comparison {
    let mut levels: Vec<&String> = cells.iter().collect();
    levels.sort();
    levels.dedup();
    let summary: IndexMap<String, Vec<f64>> = levels
        .iter()
        .map(|&level| {
            let count = |first: bool| {
                cells
                    .iter()
                    .zip(in_first)
                    .filter(|&(c, &f)| c == level && f == first)
                    .count() as f64
            };
            (level.clone(), vec![count(true), count(false)])
        })
        .collect();
    let counts: Vec<Vec<f64>> = summary.values().cloned().collect();
    // One level only: no association to test (SciPy's χ² with df = 0 gives 0 and p = 1).
    let result = if counts.len() < 2 {
        TestResult {
            test: "chi-square",
            statistic: 0.0,
            p: 1.0,
        }
    } else {
        compare_counts(&counts)
    };
    Comparison {
        kind: "categorical",
        summary,
        result,
    }
}
