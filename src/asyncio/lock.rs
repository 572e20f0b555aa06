//! The lock around an async socket: a mutex without poisoning.
//!
//! Every operation on a `zmq::asyncio` socket takes it once, around one
//! non-blocking libzmq call; on a socket that always has a message ready
//! that is millions of times a second. `std::sync::Mutex` costs about ten
//! instructions more per lock than the two atomic operations it needs: it
//! reads the global panic count when it locks and again when it unlocks,
//! to poison itself if the holder panicked. Here a panic cannot leave the
//! socket half changed (libzmq calls do not unwind, and the waiter list is
//! changed by calls that leave it whole), so poisoning has nothing to
//! protect, and the crate ignored it already.
//!
//! The algorithm is std's futex mutex (and Drepper's "Futexes are tricky",
//! mutex 2): a state word, `UNLOCKED`, `LOCKED`, or `CONTENDED` when a
//! thread may be asleep waiting for it. The fast paths are one
//! compare-and-swap to lock and one swap to unlock. A thread that finds it
//! locked spins a little (the holder is inside one libzmq call), then
//! sleeps on a condition variable instead of a futex: std's own `Mutex` and
//! `Condvar`, so that nothing here calls the OS itself. A sleeper marks the
//! state `CONTENDED` while it holds `sleep`, and an unlocker that sees
//! `CONTENDED` takes `sleep` before it signals, so a wake-up cannot fall
//! between a sleeper's check and its wait.

use std::cell::UnsafeCell;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};

const UNLOCKED: u32 = 0;
const LOCKED: u32 = 1;
/// Locked, and a thread may be asleep waiting for it.
const CONTENDED: u32 = 2;

/// How many times a thread that finds the lock held looks again before it
/// sleeps (as std's futex mutex: while the holder is alone with it).
const SPINS: u32 = 100;

/// A mutual-exclusion lock that does not poison (see the module).
pub(crate) struct Lock<T> {
    state: AtomicU32,
    /// Held by a sleeper from marking the state `CONTENDED` to its wait,
    /// and by an unlocker while it signals.
    sleep: Mutex<()>,
    wake: Condvar,
    value: UnsafeCell<T>,
}

// SAFETY: the lock hands out access to `value` to one thread at a time (a
// `Guard` exists only while the state is not `UNLOCKED` and was set by the
// guard's own acquisition), so sharing the lock moves `T` between threads
// but never shares it: `T: Send` is what that needs, as for std's Mutex.
unsafe impl<T: Send> Sync for Lock<T> {}
// SAFETY: as above: the lock owns a `T`, which may move with it.
unsafe impl<T: Send> Send for Lock<T> {}

/// Access to a [`Lock`]'s value; unlocks when dropped.
///
/// Neither `Send` nor `Sync` (the raw pointer in the `PhantomData`), as
/// std's `MutexGuard` is not `Send`: a future that held one across an
/// `.await` (which the crate never does) could then not be spawned, and
/// the compiler says so.
pub(crate) struct Guard<'a, T> {
    lock: &'a Lock<T>,
    _not_send: PhantomData<(&'a mut T, *const ())>,
}

impl<T> Lock<T> {
    pub(crate) fn new(value: T) -> Lock<T> {
        Lock {
            state: AtomicU32::new(UNLOCKED),
            sleep: Mutex::new(()),
            wake: Condvar::new(),
            value: UnsafeCell::new(value),
        }
    }

    /// Waits until the lock is free, and takes it.
    #[inline]
    pub(crate) fn lock(&self) -> Guard<'_, T> {
        if self
            .state
            .compare_exchange(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            self.lock_contended();
        }
        Guard {
            lock: self,
            _not_send: PhantomData,
        }
    }

    #[cold]
    #[inline(never)]
    fn lock_contended(&self) {
        // Spin while the holder is alone with it; once someone sleeps
        // (CONTENDED), newcomers queue behind them rather than jump ahead.
        let mut state = self.state.load(Ordering::Relaxed);
        for _ in 0..SPINS {
            if state != LOCKED {
                break;
            }
            std::hint::spin_loop();
            state = self.state.load(Ordering::Relaxed);
        }
        if state == UNLOCKED
            && self
                .state
                .compare_exchange(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
        {
            return;
        }
        // `sleep` guards nothing but the gap between the swap and the wait:
        // a panic elsewhere while it was held leaves nothing inconsistent.
        let mut sleep = self.sleep.lock().unwrap_or_else(PoisonError::into_inner);
        // Taken as CONTENDED: whether others still sleep is not known, so
        // the unlock after this one signals too (at worst for nobody).
        while self.state.swap(CONTENDED, Ordering::Acquire) != UNLOCKED {
            sleep = self
                .wake
                .wait(sleep)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    #[cold]
    #[inline(never)]
    fn wake_one(&self) {
        // Taking `sleep` waits until a sleeper that has marked the state
        // is in its wait, where the signal reaches it.
        let _sleep = self.sleep.lock().unwrap_or_else(PoisonError::into_inner);
        self.wake.notify_one();
    }

    pub(crate) fn into_inner(self) -> T {
        self.value.into_inner()
    }
}

impl<T> Deref for Guard<'_, T> {
    type Target = T;
    #[inline]
    fn deref(&self) -> &T {
        // SAFETY: this guard holds the lock (see `Lock`'s Sync): no other
        // reference to the value exists until it is dropped.
        unsafe { &*self.lock.value.get() }
    }
}

impl<T> DerefMut for Guard<'_, T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`, and `&mut self` makes this the only
        // reference through the guard.
        unsafe { &mut *self.lock.value.get() }
    }
}

impl<T> Drop for Guard<'_, T> {
    /// Unlocks, and wakes one sleeper if any may wait. The lock is free
    /// before that: the wake-up takes `sleep`, which a sleeper holds only
    /// between a swap and its wait (as std's unlock makes a futex call).
    #[inline]
    fn drop(&mut self) {
        if self.lock.state.swap(UNLOCKED, Ordering::Release) == CONTENDED {
            self.lock.wake_one();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Lock;
    use std::sync::Arc;

    /// Threads that increment one counter under the lock, with the lock
    /// held across a yield so that others find it taken, spin and sleep:
    /// every increment counts (none lost to two holders at once), and
    /// nobody sleeps for ever (the test would hang).
    #[test]
    fn excludes_under_contention_and_wakes_sleepers() {
        const THREADS: usize = 4;
        const ROUNDS: usize = 20_000;
        let lock = Arc::new(Lock::new((0usize, false)));
        let threads: Vec<_> = (0..THREADS)
            .map(|_| {
                let lock = Arc::clone(&lock);
                std::thread::spawn(move || {
                    for round in 0..ROUNDS {
                        let mut held = lock.lock();
                        assert!(!held.1, "two holders at once");
                        held.1 = true;
                        let before = held.0;
                        if round % 64 == 0 {
                            std::thread::yield_now();
                        }
                        held.0 = before + 1;
                        held.1 = false;
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().expect("a locking thread");
        }
        let lock = Arc::into_inner(lock).expect("the last reference");
        assert_eq!(lock.into_inner().0, THREADS * ROUNDS);
    }

    #[test]
    fn a_panic_while_held_leaves_it_usable() {
        let lock = Arc::new(Lock::new(1));
        let other = Arc::clone(&lock);
        let result = std::thread::spawn(move || {
            let _held = other.lock();
            panic!("while holding the lock");
        })
        .join();
        assert!(result.is_err());
        assert_eq!(*lock.lock(), 1);
    }
}
