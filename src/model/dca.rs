//! Decision-curve analysis: the net benefit of treating the cases whose predicted risk reaches a
//! threshold probability t, NB(t) = TP/n − FP/n · t/(1 − t), beside treating all and none, as
//! dcurves' `dca` (a case is test-positive when its risk ≥ t).

use serde::Serialize;

/// Net benefit per threshold for one risk score (probabilities in [0, 1]).
pub fn net_benefit(risks: &[f64], labels: &[bool], thresholds: &[f64]) -> Vec<f64> {
    let n = labels.len() as f64;
    thresholds
        .iter()
        .map(|&t| {
            let positive = risks.iter().zip(labels).filter(|&(&r, _)| r >= t);
            let (tp, fp) =
                positive.fold(
                    (0.0, 0.0),
                    |(tp, fp), (_, &l)| {
                        if l { (tp + 1.0, fp) } else { (tp, fp + 1.0) }
                    },
                );
            tp / n - fp / n * t / (1.0 - t)
        })
        .collect()
}

/// Net benefit of treating everyone: prevalence − (1 − prevalence) · t/(1 − t).
pub fn treat_all(labels: &[bool], thresholds: &[f64]) -> Vec<f64> {
    let prevalence = labels.iter().filter(|&&l| l).count() as f64 / labels.len() as f64;
    thresholds
        .iter()
        .map(|&t| prevalence - (1.0 - prevalence) * t / (1.0 - t))
        .collect()
}

/// A decision curve analysis of several scores.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionCurves {
    /// Number of cases.
    pub n: usize,
    /// Fraction of positive cases.
    pub prevalence: f64,
    /// Threshold probabilities.
    pub thresholds: Vec<f64>,
    /// Treat everyone.
    pub treat_all: Vec<f64>,
    /// Treat no one (always 0).
    pub treat_none: Vec<f64>,
    /// Each score's net benefit, in input order.
    pub scores: indexmap::IndexMap<String, Vec<f64>>,
}

/// Decision curves for named risk scores at `thresholds`.
pub fn decision_curves(
    scores: &[(String, Vec<f64>)],
    labels: &[bool],
    thresholds: &[f64],
) -> DecisionCurves {
    DecisionCurves {
        n: labels.len(),
        prevalence: labels.iter().filter(|&&l| l).count() as f64 / labels.len() as f64,
        thresholds: thresholds.to_vec(),
        treat_all: treat_all(labels, thresholds),
        treat_none: vec![0.0; thresholds.len()],
        scores: scores
            .iter()
            .map(|(name, risks)| (name.clone(), net_benefit(risks, labels, thresholds)))
            .collect(),
    }
}

/// Thresholds `start:stop:step` (inclusive of `stop` within half a step): start + i · step.
/// Each must lie in [0, 1).
pub fn parse_thresholds(spec: &str) -> Result<Vec<f64>, String> {
    let parts: Vec<f64> = spec
        .split(':')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("thresholds '{spec}': expected start:stop:step"))?;
    let [start, stop, step] = parts[..] else {
        return Err(format!("thresholds '{spec}': expected start:stop:step"));
    };
    if !(0.0..1.0).contains(&start)
        || !(start..1.0).contains(&stop)
        || step <= 0.0
        || !step.is_finite()
    {
        return Err(format!(
            "thresholds '{spec}': need 0 <= start <= stop < 1 and step > 0"
        ));
    }
    let count = ((stop - start) / step + 0.5).floor() as usize + 1;
    Ok((0..count).map(|i| start + i as f64 * step).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn net_benefit_counts_risks_at_the_threshold_as_positive() {
        let risks = [0.2, 0.5, 0.8, 0.5];
        let labels = [false, true, true, false];
        // t = 0.5: TP 2, FP 1 of 4 → 0.5 − 0.25 · 1.
        assert_eq!(net_benefit(&risks, &labels, &[0.5]), [0.25]);
        assert_eq!(treat_all(&labels, &[0.5]), [0.0]);
        let t = parse_thresholds("0.01:0.99:0.01").unwrap();
        assert_eq!((t.len(), t[0]), (99, 0.01));
        assert!(parse_thresholds("0.5:1:0.1").is_err());
    }
}
