//! Stopping a batch cleanly: the first SIGINT (Ctrl-C) or SIGTERM (what Slurm and Kubernetes send
//! before killing a job) sets a flag; the batch starts no new case, finishes and writes the cases
//! in flight, and leaves its output in manifest order. The handler then resets itself, so a
//! second signal ends the process at once (the output is still a valid CSV: rows are appended
//! whole, and `--resume` drops a row cut short).

use std::sync::atomic::{AtomicBool, Ordering};

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn request_stop(_signal: libc::c_int) {
    STOP.store(true, Ordering::SeqCst);
}

/// Installs the handler for SIGINT and SIGTERM and returns the flag it sets.
pub fn install_stop_handler() -> &'static AtomicBool {
    for signal in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: the handler only stores to an atomic (async-signal-safe); the sigaction
        // structure is fully initialised (zeroed, then the fields set).
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = request_stop as extern "C" fn(libc::c_int) as libc::sighandler_t;
            action.sa_flags = libc::SA_RESETHAND;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(signal, &action, std::ptr::null_mut());
        }
    }
    &STOP
}
