//! Context options that libzmq accepts and then applies in its own threads,
//! where a value the OS refuses is an abort (`posix_assert` in
//! `thread.cpp`), and the sizes that make `zmq_socket` throw.
//!
//! libzmq's `zmq_ctx_set` takes any `THREAD_SCHED_POLICY`, `THREAD_PRIORITY`
//! or `THREAD_AFFINITY_CPU_ADD` value `>= 0` and stores it; the first
//! `zmq_socket` starts the reaper and I/O threads, and each applies the
//! stored values to itself with `pthread_setschedparam`, `nice(-20)` and
//! `pthread_setaffinity_np`, asserting that they succeed. Whether they can
//! succeed depends on the combination of the three and on the process's
//! privileges (`CAP_SYS_NICE`, `RLIMIT_RTPRIO`, `RLIMIT_NICE`, its CPU set).
//!
//! So the binding keeps a mirror of the three (libzmq cannot report the
//! priority or the CPU set) and, before the first socket starts libzmq's
//! threads, applies exactly what libzmq will apply to a short-lived probe
//! thread: if the OS refuses it there, `socket()` returns an error instead
//! of libzmq aborting. Values that can never work are refused at `set`.

use std::collections::BTreeSet;

use crate::error::{Error, Result};
use crate::sys;

/// The largest `IO_THREADS` accepted. Each I/O thread needs two file
/// descriptors (its epoll instance and its mailbox) and libzmq aborts when
/// `epoll_create` or `pthread_create` fails while it starts them; with more
/// than 64, a socket's `AFFINITY` mask is shifted past 64 bits (undefined
/// behaviour, ctx.cpp:657). No deployment needs more than a few.
pub(crate) const MAX_IO_THREADS: i32 = 64;

/// Sockets libzmq may make beyond the application's `MAX_SOCKETS`: its own
/// monitor PAIRs, and the PAIR `zmq_ctx_term` makes for each inproc
/// connection still waiting for a bind, where it asserts (aborts) if the
/// context is full (ctx.cpp `terminate`), as it may be while its reaper has
/// not yet freed the slots of the sockets just closed.
pub(crate) const MAX_SOCKETS_HEADROOM: i32 = 64;

/// The thread and size options of one context, as libzmq stores them.
#[derive(Debug, Clone)]
pub(crate) struct ThreadOptions {
    policy: i32,
    priority: i32,
    cpus: BTreeSet<i32>,
    io_threads: i32,
    /// The application's `MAX_SOCKETS` (libzmq's is this plus the headroom).
    pub(crate) max_sockets: i32,
}

impl Default for ThreadOptions {
    fn default() -> Self {
        ThreadOptions {
            policy: sys::ZMQ_THREAD_SCHED_POLICY_DFLT,
            priority: sys::ZMQ_THREAD_PRIORITY_DFLT,
            cpus: BTreeSet::new(),
            io_threads: sys::ZMQ_IO_THREADS_DFLT,
            max_sockets: sys::ZMQ_MAX_SOCKETS_DFLT,
        }
    }
}

impl ThreadOptions {
    /// Checks a `zmq_ctx_set` before it is made; `socket_limit` is libzmq's
    /// `ZMQ_SOCKET_LIMIT`. Returns the options as they will be after it.
    pub(crate) fn check_set(&self, option: i32, value: i32, socket_limit: i32) -> Result<Self> {
        let mut next = self.clone();
        match option {
            sys::ZMQ_IO_THREADS => {
                if !(0..=MAX_IO_THREADS).contains(&value) {
                    return Err(Error::InvalidArgument("IO_THREADS is 0..=64"));
                }
                if !fds_allow_io_threads(value) {
                    return Err(Error::InvalidArgument(
                        "IO_THREADS needs two file descriptors per thread: RLIMIT_NOFILE is too low",
                    ));
                }
                next.io_threads = value;
            }
            sys::ZMQ_MAX_SOCKETS => {
                // libzmq documents SOCKET_LIMIT as the largest MAX_SOCKETS it
                // takes; above it (up to INT_MAX) `zmq_socket` reserves
                // gigabytes, and `max_sockets + io_threads + 2` overflowing
                // an int throws std::length_error through `zmq_socket`.
                if !(1..=socket_limit).contains(&value) {
                    return Err(Error::InvalidArgument(
                        "MAX_SOCKETS is 1..=SOCKET_LIMIT (ctx.get(zmq::SOCKET_LIMIT))",
                    ));
                }
                next.max_sockets = value;
            }
            sys::ZMQ_THREAD_SCHED_POLICY => {
                if value < 0 || !policy_exists(value) {
                    return Err(Error::InvalidArgument(
                        "THREAD_SCHED_POLICY is not a scheduling policy of this OS (SCHED_OTHER, SCHED_FIFO, ...)",
                    ));
                }
                next.policy = value;
            }
            // libzmq refuses a negative priority itself; what a priority
            // means depends on the policy, so the probe checks the pair.
            sys::ZMQ_THREAD_PRIORITY => next.priority = value,
            sys::ZMQ_THREAD_AFFINITY_CPU_ADD => {
                if !cpu_allowed(value) {
                    return Err(Error::InvalidArgument(
                        "THREAD_AFFINITY_CPU_ADD names a CPU this process may not run on",
                    ));
                }
                next.cpus.insert(value);
            }
            sys::ZMQ_THREAD_AFFINITY_CPU_REMOVE => {
                // libzmq refuses a CPU that is not in the set (EINVAL).
                next.cpus.remove(&value);
            }
            _ => {}
        }
        if next
            .max_sockets
            .checked_add(next.io_threads + 2 + MAX_SOCKETS_HEADROOM)
            .is_none()
        {
            return Err(Error::InvalidArgument(
                "MAX_SOCKETS + IO_THREADS is too large for libzmq",
            ));
        }
        Ok(next)
    }

    /// Before libzmq starts its threads (the first socket): applies what
    /// libzmq's `thread_t::applySchedulingParameters` will apply, to a
    /// probe thread, and reports what the OS refuses.
    pub(crate) fn check_start(&self) -> Result<()> {
        if self.policy == sys::ZMQ_THREAD_SCHED_POLICY_DFLT
            && self.priority == sys::ZMQ_THREAD_PRIORITY_DFLT
            && self.cpus.is_empty()
        {
            return Ok(()); // libzmq changes nothing
        }
        probe(self)
    }
}

#[cfg(target_os = "linux")]
fn policy_exists(policy: i32) -> bool {
    // SAFETY: a pure query; -1 (EINVAL) for a policy the OS does not know.
    unsafe { libc::sched_get_priority_min(policy) != -1 }
}

#[cfg(not(target_os = "linux"))]
fn policy_exists(_: i32) -> bool {
    true
}

#[cfg(target_os = "linux")]
fn cpu_allowed(cpu: i32) -> bool {
    let Ok(index) = usize::try_from(cpu) else {
        return false;
    };
    if index >= libc::CPU_SETSIZE as usize {
        return false; // CPU_SET ignores it: libzmq would set an empty mask
    }
    // SAFETY: `set` is a valid cpu_set_t for sched_getaffinity to fill.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) == 0
            && libc::CPU_ISSET(index, &set)
    }
}

#[cfg(not(target_os = "linux"))]
fn cpu_allowed(cpu: i32) -> bool {
    cpu >= 0
}

#[cfg(unix)]
fn fds_allow_io_threads(io_threads: i32) -> bool {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one rlimit through a valid pointer.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return true; // unknown: let libzmq try
    }
    // Two per I/O thread and two for the reaper, plus room for the
    // sockets' own mailboxes and the program's files.
    let needed = 2 * (io_threads as u64 + 1) + 64;
    limit.rlim_cur == libc::RLIM_INFINITY || needed <= limit.rlim_cur
}

#[cfg(not(unix))]
fn fds_allow_io_threads(_: i32) -> bool {
    true
}

#[cfg(target_os = "linux")]
fn probe(options: &ThreadOptions) -> Result<()> {
    let options = options.clone();
    // The probe thread exits at once, so what it changes of itself (its
    // policy, nice value, CPU set) goes with it.
    std::thread::Builder::new()
        .name("zmq-rs-probe".into())
        .spawn(move || apply_like_libzmq(&options))
        .map_err(|_| Error::from_errno(libc::EAGAIN))?
        .join()
        .unwrap_or(Err(Error::InvalidArgument(
            "the thread-option probe panicked",
        )))
}

#[cfg(not(target_os = "linux"))]
fn probe(_: &ThreadOptions) -> Result<()> {
    Ok(())
}

/// libzmq 4.3.5's `thread_t::applySchedulingParameters` (POSIX branch),
/// step by step, returning an error where libzmq asserts.
#[cfg(target_os = "linux")]
fn apply_like_libzmq(options: &ThreadOptions) -> Result<()> {
    let refused = |what: &'static str| Err(Error::InvalidArgument(what));
    // SAFETY: plain pthread/sched calls on the calling (probe) thread, with
    // valid pointers to local values.
    unsafe {
        let this = libc::pthread_self();
        let mut policy = 0;
        let mut param: libc::sched_param = std::mem::zeroed();
        if libc::pthread_getschedparam(this, &mut policy, &mut param) != 0 {
            return refused("THREAD_SCHED_POLICY: the scheduling parameters cannot be read");
        }
        if options.policy != sys::ZMQ_THREAD_SCHED_POLICY_DFLT {
            policy = options.policy;
        }
        let use_nice = policy != libc::SCHED_FIFO && policy != libc::SCHED_RR;
        if use_nice {
            param.sched_priority = 0;
        } else if options.priority != sys::ZMQ_THREAD_PRIORITY_DFLT {
            param.sched_priority = options.priority;
        }
        match libc::pthread_setschedparam(this, policy, &param) {
            0 => {}
            libc::EPERM => {
                return refused(
                    "THREAD_SCHED_POLICY/THREAD_PRIORITY: not permitted (needs CAP_SYS_NICE or RLIMIT_RTPRIO); libzmq would abort",
                )
            }
            _ => {
                return refused(
                    "THREAD_SCHED_POLICY/THREAD_PRIORITY: the OS refuses this policy and priority (SCHED_FIFO/SCHED_RR need a priority of 1..=99); libzmq would abort",
                )
            }
        }
        if use_nice
            && options.priority != sys::ZMQ_THREAD_PRIORITY_DFLT
            && options.priority > 0
            && libc::nice(-20) == -1
        {
            return refused(
                "THREAD_PRIORITY with a non-realtime policy makes libzmq call nice(-20), which is not permitted here (needs CAP_SYS_NICE or RLIMIT_NICE); libzmq would abort",
            );
        }
        if !options.cpus.is_empty() {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            for cpu in &options.cpus {
                libc::CPU_SET(*cpu as usize, &mut set);
            }
            if libc::pthread_setaffinity_np(this, std::mem::size_of::<libc::cpu_set_t>(), &set) != 0
            {
                return refused(
                    "THREAD_AFFINITY_CPU_ADD: the OS refuses this CPU set; libzmq would abort",
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_that_overflow_are_refused() {
        let o = ThreadOptions::default();
        assert!(o
            .check_set(sys::ZMQ_MAX_SOCKETS, i32::MAX, i32::MAX)
            .is_err());
        assert!(o.check_set(sys::ZMQ_MAX_SOCKETS, 65535, 65535).is_ok());
        assert!(o.check_set(sys::ZMQ_MAX_SOCKETS, 65536, 65535).is_err());
        assert!(o.check_set(sys::ZMQ_MAX_SOCKETS, 0, 65535).is_err());
        assert!(o.check_set(sys::ZMQ_IO_THREADS, -1, 65535).is_err());
        assert!(o.check_set(sys::ZMQ_IO_THREADS, 4, 65535).is_ok());
        assert!(o.check_set(sys::ZMQ_IO_THREADS, 64, 65535).is_ok());
        assert!(o.check_set(sys::ZMQ_IO_THREADS, 65, 65535).is_err());
    }

    #[test]
    fn unknown_policies_and_cpus_are_refused() {
        let o = ThreadOptions::default();
        assert!(o.check_set(sys::ZMQ_THREAD_SCHED_POLICY, 12345, 1).is_err());
        assert!(o.check_set(sys::ZMQ_THREAD_SCHED_POLICY, -1, 1).is_err());
        assert!(o
            .check_set(sys::ZMQ_THREAD_SCHED_POLICY, libc::SCHED_OTHER, 1)
            .is_ok());
        assert!(o
            .check_set(sys::ZMQ_THREAD_AFFINITY_CPU_ADD, 1000, 1)
            .is_err());
        assert!(o
            .check_set(sys::ZMQ_THREAD_AFFINITY_CPU_ADD, -1, 1)
            .is_err());
        assert!(o.check_set(sys::ZMQ_THREAD_AFFINITY_CPU_ADD, 0, 1).is_ok());
    }

    #[test]
    fn the_default_needs_no_probe_and_fifo_without_priority_is_refused() {
        assert!(ThreadOptions::default().check_start().is_ok());
        let fifo = ThreadOptions::default()
            .check_set(sys::ZMQ_THREAD_SCHED_POLICY, libc::SCHED_FIFO, 1)
            .unwrap();
        // SCHED_FIFO with libzmq's default priority keeps priority 0, which
        // SCHED_FIFO refuses (EINVAL) even for root.
        assert!(fifo.check_start().is_err());
    }
}
