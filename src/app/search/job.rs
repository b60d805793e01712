//! Work on another thread that the UI thread collects when it is done, without waiting for it:
//! building a search index, finishing a search whose first page is already shown.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

/// A running piece of work; dropping it asks the work to stop and waits for it.
pub struct Job<T> {
    handle: Option<JoinHandle<Option<T>>>,
    cancel: Arc<AtomicBool>,
}

/// What the work checks now and then: `stopped()` means its result is no longer wanted.
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A flag of its own (tests, or work run on the caller's thread).
    pub fn new(stopped: bool) -> Cancel {
        Cancel(Arc::new(AtomicBool::new(stopped)))
    }

    pub fn stopped(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

impl<T: Send + 'static> Job<T> {
    /// Runs `work` on a new thread; it gives `None` when it stopped early.
    pub fn spawn(work: impl FnOnce(&Cancel) -> Option<T> + Send + 'static) -> Job<T> {
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = Cancel(cancel.clone());
        let handle = std::thread::Builder::new()
            .name("choucha-job".into())
            .spawn(move || work(&flag))
            .expect("a thread");
        Job {
            handle: Some(handle),
            cancel,
        }
    }
}

impl<T> Job<T> {
    pub fn is_finished(&self) -> bool {
        self.handle.as_ref().is_none_or(|h| h.is_finished())
    }

    /// Waits for the result. `None` when the work stopped early; a panic in it is raised here.
    pub fn wait(mut self) -> Option<T> {
        let handle = self.handle.take()?;
        match handle.join() {
            Ok(v) => v,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

impl<T> Drop for Job<T> {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            // Waiting keeps what the work holds (an index, say) from outliving the job.
            let _ = h.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gives_the_result_or_stops_when_dropped() {
        let job = Job::spawn(|_| Some(6 * 7));
        assert_eq!(job.wait(), Some(42));
        let (tx, rx) = std::sync::mpsc::channel();
        let job: Job<()> = Job::spawn(move |cancel| {
            while !cancel.stopped() {
                std::thread::yield_now();
            }
            tx.send("stopped").unwrap();
            None
        });
        assert!(!job.is_finished());
        drop(job);
        assert_eq!(rx.try_recv(), Ok("stopped"));
    }
}
