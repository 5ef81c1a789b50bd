//! Rounds of work from the cases that share one device, sent to it together. Each caller records
//! its own round (an owned command buffer) and hands it in; the first to arrive leads: it waits
//! until as many rounds are handed in as there are cases in flight ([`Participant`]s), or until a
//! short window passes, and submits them all at once. Every caller gets that submission's outcome
//! and reads back only its own outputs, so results never depend on who submitted with whom.
//!
//! A leader never waits when no other case is in flight, and never longer than the window.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use super::GpuError;

/// How long a leader waits by default for the rounds of the other cases in flight.
pub const COALESCE_WINDOW: Duration = Duration::from_millis(2);

/// How long a caller waits for a leader to submit its round before giving up (the leader
/// submits within the window; this only guards against a leader that never returns).
const OUTCOME_TIMEOUT: Duration = Duration::from_secs(300);

/// Gathers the rounds (`W`, e.g. command buffers) of concurrent callers into shared submissions
/// whose outcome (`R`, e.g. a submission index) every caller of the submission receives.
pub(super) struct Submitter<W, R> {
    state: Mutex<State<W, R>>,
    changed: Condvar,
    submissions: AtomicUsize,
    expired: AtomicUsize,
}

struct State<W, R> {
    /// Cases in flight (registered [`Participant`]s).
    participants: usize,
    window: Duration,
    /// The submission being gathered: its rounds, and where its outcome will be posted.
    pending: Vec<W>,
    open: Arc<Outcome<R>>,
    /// Whether a leader is waiting on the open submission.
    led: bool,
}

/// The outcome of one submission, posted once by its leader.
type Outcome<R> = OnceLock<Result<R, GpuError>>;

impl<W, R: Clone> Submitter<W, R> {
    /// A submitter whose leaders wait at most `window`.
    pub(super) fn new(window: Duration) -> Self {
        Submitter {
            state: Mutex::new(State {
                participants: 0,
                window,
                pending: Vec::new(),
                open: Arc::new(OnceLock::new()),
                led: false,
            }),
            changed: Condvar::new(),
            submissions: AtomicUsize::new(0),
            expired: AtomicUsize::new(0),
        }
    }

    /// Hands in `round` and returns the outcome of the submission it went out in; `submit`
    /// sends a submission's rounds to the device (called by the leader only).
    pub(super) fn submit(
        &self,
        round: W,
        submit: impl FnOnce(Vec<W>) -> Result<R, GpuError>,
    ) -> Result<R, GpuError> {
        let mut state = self.lock();
        state.pending.push(round);
        let outcome = Arc::clone(&state.open);
        if state.led {
            self.changed.notify_all();
            return self.await_outcome(state, &outcome);
        }
        state.led = true;
        let rounds = self.gather(state);
        self.submissions.fetch_add(1, Ordering::Relaxed);
        let result = submit(rounds);
        // Posted under the lock: a follower checks for it and starts waiting atomically, so it
        // cannot miss the notification.
        {
            let _state = self.lock();
            let _ = outcome.set(result.clone());
        }
        self.changed.notify_all();
        result
    }

    /// The leader's wait: until every participant's round is in or the window has passed. Takes
    /// the rounds and opens the next submission.
    fn gather(&self, mut state: MutexGuard<'_, State<W, R>>) -> Vec<W> {
        let deadline = Instant::now() + state.window;
        while state.pending.len() < state.participants.max(1) {
            let now = Instant::now();
            if now >= deadline {
                self.expired.fetch_add(1, Ordering::Relaxed);
                break;
            }
            state = (self.changed.wait_timeout(state, deadline - now))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        state.led = false;
        state.open = Arc::new(OnceLock::new());
        std::mem::take(&mut state.pending)
    }

    /// A follower's wait for its submission's outcome.
    fn await_outcome(
        &self,
        state: MutexGuard<'_, State<W, R>>,
        outcome: &Outcome<R>,
    ) -> Result<R, GpuError> {
        let _ = self
            .changed
            .wait_timeout_while(state, OUTCOME_TIMEOUT, |_| outcome.get().is_none())
            .unwrap_or_else(PoisonError::into_inner);
        (outcome.get().cloned())
            .unwrap_or_else(|| Err(GpuError::Job("the round was never submitted".into())))
    }

    /// Registers a case in flight until the guard is dropped.
    pub(super) fn participate(&self) -> Participant<'_, W, R> {
        self.lock().participants += 1;
        Participant { submitter: self }
    }

    /// Sets how long leaders wait for the other participants.
    pub(super) fn set_window(&self, window: Duration) {
        self.lock().window = window;
    }

    /// Submissions made so far.
    pub(super) fn submissions(&self) -> usize {
        self.submissions.load(Ordering::Relaxed)
    }

    /// Submissions made when the window ran out before every participant's round was in.
    pub(super) fn expired_windows(&self) -> usize {
        self.expired.load(Ordering::Relaxed)
    }

    fn lock(&self) -> MutexGuard<'_, State<W, R>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A case in flight on a [`Submitter`] (see [`crate::gpu::Gpu::participate`]): leaders wait for
/// its rounds until it is dropped.
pub struct Participant<'a, W, R> {
    submitter: &'a Submitter<W, R>,
}

impl<W, R> Drop for Participant<'_, W, R> {
    fn drop(&mut self) {
        let mut state = (self.submitter.state.lock()).unwrap_or_else(PoisonError::into_inner);
        state.participants -= 1;
        // A leader waiting for this case's round may now have every round it waits for.
        self.submitter.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Barrier;

    type Rounds = Submitter<usize, Vec<usize>>;

    /// Participant `i` hands in its number `rounds[i]` times (once all are registered); returns
    /// the numbers each one's first submission carried.
    fn run_participants(submitter: &Rounds, rounds: &[usize]) -> Vec<Vec<usize>> {
        let registered = Barrier::new(rounds.len());
        std::thread::scope(|scope| {
            let handles: Vec<_> = (rounds.iter().enumerate())
                .map(|(i, &rounds)| {
                    let registered = &registered;
                    scope.spawn(move || {
                        let _case = submitter.participate();
                        registered.wait();
                        let carried: Vec<_> = (0..rounds)
                            .map(|_| submitter.submit(i, Ok).unwrap())
                            .collect();
                        carried.into_iter().next().unwrap()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        })
    }

    #[test]
    fn the_rounds_of_every_participant_go_out_in_one_submission() {
        let submitter = Rounds::new(Duration::from_secs(600));
        let carried = run_participants(&submitter, &[1, 1, 1, 1]);
        assert_eq!(submitter.submissions(), 1);
        assert_eq!(submitter.expired_windows(), 0);
        for mut rounds in carried {
            rounds.sort();
            assert_eq!(rounds, [0, 1, 2, 3]);
        }
    }

    #[test]
    fn participants_that_finish_stop_being_waited_for() {
        // 1, 2 and 3 rounds: the first submission carries three rounds, the second the two
        // participants left, the third the last one's; no leader waits for a finished case.
        let submitter = Rounds::new(Duration::from_secs(600));
        let carried = run_participants(&submitter, &[1, 2, 3]);
        assert!(carried.iter().all(|rounds| rounds.len() == 3));
        assert_eq!(submitter.submissions(), 3);
        assert_eq!(submitter.expired_windows(), 0);
    }

    #[test]
    fn a_lone_participant_or_caller_is_never_held() {
        let submitter = Rounds::new(Duration::from_secs(600));
        run_participants(&submitter, &[5]);
        assert_eq!(submitter.submit(7, Ok).unwrap(), [7]);
        assert_eq!(submitter.submissions(), 6);
        assert_eq!(submitter.expired_windows(), 0);
    }

    #[test]
    fn a_leader_submits_after_the_window_when_a_participant_never_comes() {
        let submitter = Rounds::new(Duration::from_millis(20));
        let _absent = submitter.participate();
        let _present = submitter.participate();
        assert_eq!(submitter.submit(1, Ok).unwrap(), [1]);
        assert_eq!(submitter.expired_windows(), 1);
    }

    #[test]
    fn a_failed_submission_is_every_caller_s_error() {
        let submitter = Rounds::new(Duration::from_secs(600));
        let _case = submitter.participate();
        let failed = submitter.submit(1, |_| Err(GpuError::Job("device lost".into())));
        assert_eq!(
            failed.unwrap_err().to_string(),
            "GPU job failed: device lost"
        );
    }
}
