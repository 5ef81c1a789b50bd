//! Training, test and external sets: from a split column, or a seeded stratified random split.

use rand::seq::SliceRandom;
use rand_pcg::Pcg64;
use serde::Serialize;

use crate::model::config::SplitConfig;
use crate::model::data::{Result, Table};

/// The set a case belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DataSet {
    /// Every transform and model is fitted here.
    Train,
    /// Internal validation.
    Test,
    /// External validation.
    External,
}

impl DataSet {
    /// The three sets, in report order.
    pub const ALL: [DataSet; 3] = [DataSet::Train, DataSet::Test, DataSet::External];

    /// The set's name in tables and figures.
    pub fn title(self) -> &'static str {
        match self {
            DataSet::Train => "Training",
            DataSet::Test => "Test",
            DataSet::External => "External",
        }
    }

    /// The set's key in results.json and the split column.
    pub fn key(self) -> &'static str {
        match self {
            DataSet::Train => "train",
            DataSet::Test => "test",
            DataSet::External => "external",
        }
    }
}

/// PCG stream of the split's shuffle.
const SPLIT_STREAM: u128 = 0x0073_706c_6974;

/// Assigns each row of `table` to a set as `split` says; `labels` are the rows' outcomes.
pub fn assign(table: &Table, split: &SplitConfig, labels: &[bool]) -> Result<Vec<DataSet>> {
    match split {
        SplitConfig::Column { column } => from_column(table, column),
        SplitConfig::Random {
            test_fraction,
            seed,
            external,
        } => {
            let mut sets = vec![DataSet::Train; labels.len()];
            if let Some(external) = external {
                let cells = table.text(&external.column)?;
                for (set, cell) in sets.iter_mut().zip(cells) {
                    if *cell == external.value {
                        *set = DataSet::External;
                    }
                }
            }
            let internal: Vec<usize> = (0..labels.len())
                .filter(|&i| sets[i] == DataSet::Train)
                .collect();
            for i in stratified_test_rows(labels, &internal, *test_fraction, *seed) {
                sets[i] = DataSet::Test;
            }
            Ok(sets)
        }
    }
}

/// The sets named by `column` (`train`, `test` or `external`).
fn from_column(table: &Table, column: &str) -> Result<Vec<DataSet>> {
    let cells = table.text(column)?;
    let parse = |(row, cell): (usize, &String)| match cell.as_str() {
        "train" => Ok(DataSet::Train),
        "test" => Ok(DataSet::Test),
        "external" => Ok(DataSet::External),
        other => Err(table.column_error(
            column,
            format!("row {}: '{other}' is not train, test or external", row + 1),
        )),
    };
    let sets: Vec<DataSet> = cells.iter().enumerate().map(parse).collect::<Result<_>>()?;
    if !sets.contains(&DataSet::Train) {
        return Err(table.column_error(column, "no training case"));
    }
    Ok(sets)
}

/// The test rows of a stratified split of `rows`: within each class, the rows are shuffled with
/// `seed` and the first round(class size · `test_fraction`) go to the test set.
pub fn stratified_test_rows(
    labels: &[bool],
    rows: &[usize],
    test_fraction: f64,
    seed: u64,
) -> Vec<usize> {
    let mut rng = Pcg64::new(u128::from(seed), SPLIT_STREAM);
    let mut test = Vec::new();
    for class in [true, false] {
        let mut members: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&i| labels[i] == class)
            .collect();
        members.shuffle(&mut rng);
        let count = (members.len() as f64 * test_fraction).round() as usize;
        test.extend_from_slice(&members[..count]);
    }
    test.sort_unstable();
    test
}
