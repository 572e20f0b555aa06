//! `zmq.Frame`: one message part, owned by libzmq's `zmq_msg_t`.

use std::alloc::Layout;
use std::ffi::{c_void, CStr};
use std::fmt;
use std::ops::Deref;

use crate::error::{cvt, Error, Result};
use crate::{sys, MessageProperty};

/// libzmq stores messages up to this size inside `zmq_msg_t` itself
/// (`max_vsm_size` on 64-bit): copying them is cheaper than zero-copy.
const MAX_INLINE: usize = 33;

/// One message part (pyzmq's `zmq.Frame`), owning a libzmq `zmq_msg_t`.
///
/// Its bytes are reachable as `&[u8]` (`&*msg`, [`as_bytes`](Self::as_bytes)).
/// libzmq may share a received message's buffer with other messages (one
/// PUB delivering to several inproc SUBs, `zmq_send_const`, copies), so
/// mutable access is only given when libzmq reports the buffer unshared
/// ([`as_mut_bytes`](Self::as_mut_bytes)), or after copying
/// ([`to_mut`](Self::to_mut)).
///
/// ```
/// let msg = zmq::Message::from("hello");
/// assert_eq!(&*msg, b"hello");
/// assert_eq!(msg.len(), 5);
/// assert!(!msg.more());
/// ```
pub struct Message {
    raw: sys::zmq_msg_t,
    /// After [`to_mut`](Self::to_mut) copied a shared message: the original,
    /// which still answers for what libzmq cannot give a copy (the MORE
    /// flag, metadata). `None` for every other message.
    origin: Origin,
}

/// [`Message::origin`]: an `Option<Box<Message>>` whose drop is out of line
/// and cold, so that a message's own drop (every received or sent one) is
/// a null check and `zmq_msg_close`, inlined where it happens, instead of a
/// call into recursive drop glue.
#[derive(Default)]
struct Origin(std::mem::ManuallyDrop<Option<Box<Message>>>);

impl Origin {
    #[inline]
    fn is_some(&self) -> bool {
        self.0.is_some()
    }

    #[cold]
    #[inline(never)]
    fn clear(&mut self) {
        *self.0 = None;
    }
}

impl std::ops::Deref for Origin {
    type Target = Option<Box<Message>>;
    #[inline]
    fn deref(&self) -> &Option<Box<Message>> {
        &self.0
    }
}

impl std::ops::DerefMut for Origin {
    #[inline]
    fn deref_mut(&mut self) -> &mut Option<Box<Message>> {
        &mut self.0
    }
}

impl Drop for Origin {
    #[inline]
    fn drop(&mut self) {
        #[cold]
        #[inline(never)]
        fn drop_origin(origin: Box<Message>) {
            drop(origin)
        }
        // SAFETY: taken once, here, and never used again.
        if let Some(origin) = unsafe { std::mem::ManuallyDrop::take(&mut self.0) } {
            drop_origin(origin)
        }
    }
}

// SAFETY: a zmq_msg_t may be moved to and used from another thread (libzmq
// moves messages between its own threads; shared content is refcounted
// atomically), and zero-copy buffers we give libzmq are `Send + 'static`.
unsafe impl Send for Message {}
// SAFETY: every `&self` method only reads (data, size, flags, properties,
// refcounted metadata); nothing mutates through a shared reference.
unsafe impl Sync for Message {}

impl Message {
    /// An empty message (`zmq_msg_init`), e.g. to receive into.
    #[doc(alias = "zmq_msg_init")]
    #[inline]
    pub fn new() -> Message {
        let mut raw = sys::zmq_msg_t::uninit();
        // SAFETY: `raw` is writable storage; zmq_msg_init always succeeds.
        unsafe { sys::zmq_msg_init(&mut raw) };
        Message::from_raw_parts(raw)
    }

    #[inline]
    fn from_raw_parts(raw: sys::zmq_msg_t) -> Message {
        Message {
            raw,
            origin: Origin::default(),
        }
    }

    /// A message of `size` zeroed bytes, to fill through
    /// [`as_mut_bytes`](Self::as_mut_bytes) before sending. A size that
    /// cannot be allocated is an error (`ENOMEM`), not an abort.
    ///
    /// ```
    /// let mut msg = zmq::Message::with_size(4)?;
    /// msg.as_mut_bytes().unwrap().copy_from_slice(b"abcd");
    /// assert_eq!(&*msg, b"abcd");
    /// assert_eq!(zmq::Message::with_size(usize::MAX).unwrap_err().errno(), zmq::ENOMEM);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_msg_init_size")]
    #[inline]
    pub fn with_size(size: usize) -> Result<Message> {
        // Rust's own limit for one allocation (with room for libzmq's
        // header): larger sizes cannot be a slice.
        if size > isize::MAX as usize - 4096 {
            return Err(Error::from_errno(libc::ENOMEM));
        }
        let mut raw = sys::zmq_msg_t::uninit();
        // SAFETY: `raw` is writable storage for the message. libzmq guards
        // `sizeof(content_t) + size` against overflow and reports ENOMEM.
        cvt(unsafe { sys::zmq_msg_init_size(&mut raw, size) })?;
        if size > 0 {
            // SAFETY: fresh, unshared storage of `size` bytes; zeroed
            // through a raw pointer before any reference to it exists.
            unsafe { std::ptr::write_bytes(sys::zmq_msg_data(&mut raw) as *mut u8, 0, size) };
        }
        Ok(Message::from_raw_parts(raw))
    }

    /// A message over static data, without copying; it is never mutable.
    ///
    /// ```
    /// static GREETING: &[u8] = b"hello";
    /// let msg = zmq::Message::from_static(GREETING);
    /// assert_eq!(msg.get(zmq::SHARED)?, 1); // libzmq treats it as constant
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[inline]
    pub fn from_static(data: &'static [u8]) -> Message {
        if data.is_empty() {
            return Message::new();
        }
        let mut raw = sys::zmq_msg_t::uninit();
        // SAFETY: `data` lives forever and is never written: with no free
        // function libzmq makes a constant message that it only reads.
        let rc = unsafe {
            sys::zmq_msg_init_data(
                &mut raw,
                data.as_ptr() as *mut c_void,
                data.len(),
                None,
                std::ptr::null_mut(),
            )
        };
        if rc == -1 {
            std::alloc::handle_alloc_error(Layout::new::<[u8; 64]>());
        }
        Message::from_raw_parts(raw)
    }

    #[inline]
    fn from_copy(data: &[u8]) -> Message {
        let mut raw = Message::init_size(data.len());
        if !data.is_empty() {
            // SAFETY: fresh, unshared storage of `data.len()` bytes, written
            // once through a raw pointer before any reference to it exists;
            // `data` is a separate Rust buffer, so they cannot overlap.
            unsafe {
                std::ptr::copy_nonoverlapping(
                    data.as_ptr(),
                    sys::zmq_msg_data(&mut raw) as *mut u8,
                    data.len(),
                )
            };
        }
        Message::from_raw_parts(raw)
    }

    /// `zmq_msg_init_size` for the bytes of an existing Rust buffer:
    /// `size` bytes of storage that nothing has written yet (never exposed
    /// before it is).
    fn init_size(size: usize) -> sys::zmq_msg_t {
        let mut raw = sys::zmq_msg_t::uninit();
        // SAFETY: `raw` is writable storage for the message.
        if unsafe { sys::zmq_msg_init_size(&mut raw, size) } == -1 {
            // Only ENOMEM, for a size that a Rust buffer already has: treat
            // it as Rust treats allocation failure.
            std::alloc::handle_alloc_error(
                Layout::array::<u8>(size).unwrap_or(Layout::new::<u8>()),
            );
        }
        raw
    }

    /// A second message with the same content, without copying it
    /// (`zmq_msg_copy`, pyzmq's `copy.copy(frame)`): libzmq counts
    /// references to the buffer, so one payload can be sent many times, or
    /// on several sockets, at the cost of a reference count each. Messages
    /// of up to 33 bytes live inside the message and are copied instead.
    ///
    /// It takes `&mut self` because libzmq marks the source shared (from
    /// then on neither message is writable in place: see
    /// [`to_mut`](Self::to_mut)).
    ///
    /// ```
    /// let ctx = zmq::Context::new();
    /// let (push, pull) = (ctx.socket(zmq::PUSH)?, ctx.socket(zmq::PULL)?);
    /// pull.bind("inproc://fast-copy")?;
    /// push.connect("inproc://fast-copy")?;
    /// let mut payload = zmq::Message::from(vec![7u8; 4096]);
    /// for _ in 0..3 {
    ///     push.send(payload.fast_copy(), 0)?; // no copy of the 4096 bytes
    /// }
    /// for _ in 0..3 {
    ///     assert_eq!(pull.recv_msg(0)?, payload);
    /// }
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_msg_copy")]
    #[inline]
    pub fn fast_copy(&mut self) -> Message {
        let mut copy = Message::new();
        // SAFETY: both are live, initialised messages and `&mut self` makes
        // this the only access to the source, whose flags and reference
        // count libzmq updates. zmq_msg_copy fails only for an invalid
        // message (EFAULT), which a `Message` never is; `copy` stays a valid
        // empty message even then, and the bytes are copied instead.
        if unsafe { sys::zmq_msg_copy(&mut copy.raw, &mut self.raw) } == -1 {
            return self.copy_bytes();
        }
        if self.origin.is_some() {
            self.copy_origin_to(&mut copy);
        }
        copy
    }

    /// Makes this message a copy of `source` without copying its bytes
    /// (`zmq_msg_copy` into this message): [`fast_copy`](Self::fast_copy)
    /// in place, for a loop that sends one payload again and again through
    /// one reused message, as C does, with nothing moved:
    ///
    /// ```
    /// let ctx = zmq::Context::new();
    /// let (push, pull) = (ctx.socket(zmq::PUSH)?, ctx.socket(zmq::PULL)?);
    /// pull.bind("inproc://copy-from")?;
    /// push.connect("inproc://copy-from")?;
    /// let mut payload = zmq::Message::from(vec![7u8; 4096]);
    /// let mut msg = zmq::Message::new();
    /// for _ in 0..3 {
    ///     msg.copy_from(&mut payload);
    ///     push.send(&mut msg, 0)?; // sends the copy, leaves `msg` empty
    /// }
    /// assert_eq!(pull.recv_msg(0)?, payload);
    /// # Ok::<(), zmq::Error>(())
    /// ```
    #[doc(alias = "zmq_msg_copy")]
    #[inline]
    pub fn copy_from(&mut self, source: &mut Message) {
        // SAFETY: both are live, initialised messages, distinct (two `&mut`);
        // libzmq closes this one's old content first. It fails only for an
        // invalid message (EFAULT), which a `Message` never is.
        if unsafe { sys::zmq_msg_copy(&mut self.raw, &mut source.raw) } == -1 {
            *self = source.copy_bytes();
        }
        self.forget_origin();
        if source.origin.is_some() {
            source.copy_origin_to(self);
        }
    }

    /// `fast_copy` when libzmq could not copy: the bytes, copied.
    #[cold]
    #[inline(never)]
    fn copy_bytes(&mut self) -> Message {
        let mut copy = Message::from_copy(self.as_bytes());
        if self.origin.is_some() {
            self.copy_origin_to(&mut copy);
        }
        copy
    }

    /// `fast_copy` of a message `to_mut` copied: the copy gets a (shared)
    /// copy of the original too.
    #[cold]
    #[inline(never)]
    fn copy_origin_to(&mut self, copy: &mut Message) {
        if let Some(origin) = self.origin.as_mut() {
            *copy.origin = Some(Box::new(origin.fast_copy()));
        }
    }

    /// Hands a vector to libzmq without copying; it is freed (in Rust) when
    /// libzmq releases the last reference, on whichever thread that is.
    fn from_vec(mut data: Vec<u8>) -> Message {
        if data.len() <= MAX_INLINE {
            return Message::from_copy(&data);
        }
        let (ptr, len, capacity) = (data.as_mut_ptr(), data.len(), data.capacity());
        std::mem::forget(data);
        let mut raw = sys::zmq_msg_t::uninit();
        // SAFETY: `ptr` is valid for `len` bytes until `free_vec` runs; the
        // capacity travels in `hint` so free_vec can rebuild the Vec.
        let rc = unsafe {
            sys::zmq_msg_init_data(
                &mut raw,
                ptr.cast(),
                len,
                Some(free_vec),
                capacity as *mut c_void,
            )
        };
        if rc == -1 {
            // libzmq did not take the buffer (it will not call free_vec):
            // take it back before reporting the allocation failure.
            // SAFETY: rebuilt from the parts forgotten above, once.
            drop(unsafe { Vec::from_raw_parts(ptr, len, capacity) });
            std::alloc::handle_alloc_error(Layout::new::<[u8; 64]>());
        }
        Message::from_raw_parts(raw)
    }

    /// The bytes (pyzmq's `frame.bytes`).
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        let len = self.len();
        if len == 0 {
            return &[];
        }
        // SAFETY: zmq_msg_data only reads the message (it takes a non-const
        // pointer for historical reasons). The data is valid for `len` bytes
        // while `self` is borrowed: inline data moves only with `self`, and
        // shared data is refcounted and never written through libzmq.
        unsafe {
            let data = sys::zmq_msg_data(&self.raw as *const _ as *mut sys::zmq_msg_t);
            std::slice::from_raw_parts(data as *const u8, len)
        }
    }

    /// The bytes, mutably, if no other message can see them: `None` when
    /// libzmq reports the buffer shared (`ZMQ_SHARED`) or constant.
    ///
    /// ```
    /// let mut msg = zmq::Message::from(vec![0u8; 100]);
    /// msg.as_mut_bytes().unwrap()[0] = 7;
    /// assert_eq!(msg[0], 7);
    /// ```
    #[inline]
    pub fn as_mut_bytes(&mut self) -> Option<&mut [u8]> {
        if self.is_shared() {
            return None;
        }
        let len = self.len();
        if len == 0 {
            return Some(&mut []);
        }
        // SAFETY: the buffer is not shared with any other message (libzmq's
        // SHARED flag covers copies and constant data), so this is the only
        // reference to it, tied to `&mut self`.
        unsafe {
            let data = sys::zmq_msg_data(&mut self.raw);
            Some(std::slice::from_raw_parts_mut(data as *mut u8, len))
        }
    }

    /// The bytes, mutably, copying them first into a private buffer if they
    /// are shared (copy-on-write).
    ///
    /// The copy keeps what the message said about itself: [`more`](Self::more),
    /// the metadata ([`gets`](Self::gets)), and (draft) the routing id and
    /// group, so a forwarder may edit a part and send it on as it came.
    /// libzmq cannot attach the first two to a new message, so the original
    /// is kept alongside for them (and freed with this message).
    ///
    /// ```
    /// let ctx = zmq::Context::new();
    /// let (a, b) = (ctx.socket(zmq::PAIR)?, ctx.socket(zmq::PAIR)?);
    /// a.bind("inproc://to-mut-doc")?;
    /// b.connect("inproc://to-mut-doc")?;
    /// static BODY: [u8; 100] = [b'x'; 100];
    /// a.send(zmq::Message::from_static(&BODY), zmq::SNDMORE)?; // shared
    /// a.send("end", 0)?;
    /// let mut part = b.recv_msg(0)?;
    /// part.to_mut()[0] = b'!';
    /// assert!(part.more()); // still says a part follows
    /// assert_eq!(part[0], b'!');
    /// # Ok::<(), zmq::Error>(())
    /// ```
    pub fn to_mut(&mut self) -> &mut [u8] {
        if self.is_shared() {
            #[cfg_attr(not(feature = "draft"), allow(unused_mut))]
            let mut copy = Message::from_copy(self.as_bytes());
            #[cfg(feature = "draft")]
            self.copy_routing_to(&mut copy);
            let mut old = std::mem::replace(self, copy);
            // One original is enough: a copy of a copy keeps the first.
            *self.origin = Some(match old.origin.take() {
                Some(first) => first,
                None => Box::new(old),
            });
        }
        self.as_mut_bytes().unwrap_or_default()
    }

    /// Gives `copy` this message's routing id and group (draft), which
    /// libzmq reads from the message itself when it is sent.
    #[cfg(feature = "draft")]
    fn copy_routing_to(&self, copy: &mut Message) {
        if let Some(id) = self.routing_id() {
            let _ = copy.set_routing_id(id);
        }
        // SAFETY: the group is a NUL-terminated string (at most 255 bytes)
        // stored in `self`, alive for the call; libzmq copies it into `copy`.
        unsafe {
            let group = sys::zmq_msg_group(&self.raw as *const _ as *mut _);
            if !group.is_null() && *group != 0 {
                sys::zmq_msg_set_group(&mut copy.raw, group);
            }
        }
    }

    #[inline]
    fn is_shared(&self) -> bool {
        // SAFETY: reads a flag of an initialised message.
        unsafe { sys::zmq_msg_get(&self.raw, sys::ZMQ_SHARED) != 0 }
    }

    /// The size in bytes (`len(frame)`).
    #[doc(alias = "zmq_msg_size")]
    #[inline]
    pub fn len(&self) -> usize {
        // SAFETY: reads the size of an initialised message.
        unsafe { sys::zmq_msg_size(&self.raw) }
    }

    /// Whether the message has no bytes.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether more parts follow this one (`frame.more`).
    #[doc(alias = "zmq_msg_more")]
    #[inline]
    pub fn more(&self) -> bool {
        // SAFETY: reads a flag of an initialised message.
        let own = unsafe { sys::zmq_msg_more(&self.raw) != 0 };
        own || self.origin.as_ref().is_some_and(|origin| origin.more())
    }

    /// A property (`frame.get(zmq.SHARED)`): [`MORE`](crate::MORE),
    /// [`SRCFD`](crate::SRCFD), [`SHARED`](crate::SHARED).
    #[doc(alias = "zmq_msg_get")]
    pub fn get(&self, property: MessageProperty) -> Result<i32> {
        // SAFETY: reads a property of an initialised message.
        cvt(unsafe { sys::zmq_msg_get(&self.raw, property.0) })
    }

    /// Metadata of a received message (`frame.get("Peer-Address")`):
    /// `"Socket-Type"`, `"Routing-Id"`, `"User-Id"` (set by a ZAP handler),
    /// `"Peer-Address"`, or a name a peer set; `None` when absent.
    #[doc(alias = "zmq_msg_gets")]
    pub fn gets(&self, property: &str) -> Option<String> {
        let name = std::ffi::CString::new(property).ok()?;
        // SAFETY: live message, NUL-terminated name; the returned string
        // belongs to the message's metadata, alive while `self` is, and is
        // copied at once.
        let own = unsafe {
            let value = sys::zmq_msg_gets(&self.raw, name.as_ptr());
            (!value.is_null()).then(|| CStr::from_ptr(value).to_string_lossy().into_owned())
        };
        own.or_else(|| self.origin.as_ref()?.gets(property))
    }

    /// The routing id of a message received from a SERVER/PEER socket, or to
    /// set before sending to one (draft; `frame.routing_id`); `None` if unset.
    #[cfg(feature = "draft")]
    #[doc(alias = "zmq_msg_routing_id")]
    pub fn routing_id(&self) -> Option<u32> {
        // SAFETY: reads a field of an initialised message.
        let id = unsafe { sys::zmq_msg_routing_id(&self.raw as *const _ as *mut _) };
        (id != 0).then_some(id)
    }

    /// Sets the routing id (draft; 0 is refused with `EINVAL`).
    #[cfg(feature = "draft")]
    #[doc(alias = "zmq_msg_set_routing_id")]
    pub fn set_routing_id(&mut self, routing_id: u32) -> Result<()> {
        // SAFETY: writes a field of an initialised message we own.
        cvt(unsafe { sys::zmq_msg_set_routing_id(&mut self.raw, routing_id) }).map(drop)
    }

    /// The group of a RADIO/DISH message (draft; `frame.group`).
    #[cfg(feature = "draft")]
    #[doc(alias = "zmq_msg_group")]
    pub fn group(&self) -> Option<String> {
        // SAFETY: the group is stored in the message, alive while `self` is;
        // copied at once.
        unsafe {
            let group = sys::zmq_msg_group(&self.raw as *const _ as *mut _);
            if group.is_null() || *group == 0 {
                return None;
            }
            Some(CStr::from_ptr(group).to_string_lossy().into_owned())
        }
    }

    /// The length of the group (draft), 0 without one.
    #[cfg(feature = "draft")]
    pub(crate) fn group_len(&self) -> usize {
        // SAFETY: the group is a NUL-terminated string stored in `self`.
        unsafe {
            let group = sys::zmq_msg_group(&self.raw as *const _ as *mut _);
            if group.is_null() {
                0
            } else {
                CStr::from_ptr(group).to_bytes().len()
            }
        }
    }

    /// Sets the group for RADIO (draft; 1..=255 bytes, no NUL: longer
    /// groups are refused rather than cut as libzmq would). A message's
    /// group is set once: libzmq 4.3.5 corrupts the message when a group
    /// replaces another (a long one's pointer is overwritten by a short
    /// one's bytes), so a message that has a group (one set before, or one
    /// received from a DISH) refuses a new one; make a new message instead.
    #[cfg(feature = "draft")]
    #[doc(alias = "zmq_msg_set_group")]
    pub fn set_group(&mut self, group: &str) -> Result<()> {
        if self.group_len() > 0 {
            return Err(crate::Error::InvalidArgument(
                "a message's group can be set once (libzmq corrupts a replaced one)",
            ));
        }
        if group.is_empty() {
            return Err(crate::Error::InvalidArgument("a group is 1..=255 bytes"));
        }
        // libzmq would silently cut a longer group at 255 bytes, making it
        // match another group: refuse it instead.
        if group.len() > sys::ZMQ_GROUP_MAX_LENGTH as usize {
            return Err(crate::Error::InvalidArgument(
                "a group is at most 255 bytes",
            ));
        }
        let c_group = crate::error::c_string("group", group)?;
        // SAFETY: live message; NUL-terminated group, copied by libzmq.
        cvt(unsafe { sys::zmq_msg_set_group(&mut self.raw, c_group.as_ptr()) }).map(drop)
    }

    /// The `zmq_msg_t`, for `zmq::sys` calls that only read it.
    #[inline]
    pub fn as_raw(&self) -> *const sys::zmq_msg_t {
        &self.raw
    }

    /// The `zmq_msg_t`, for `zmq::sys` calls.
    ///
    /// # Safety
    /// The message must stay initialised, and the caller must not create a
    /// second owner (e.g. by a bitwise copy) or write into shared data.
    pub unsafe fn as_raw_mut_unchecked(&mut self) -> *mut sys::zmq_msg_t {
        &mut self.raw
    }

    #[inline]
    pub(crate) fn as_raw_mut(&mut self) -> *mut sys::zmq_msg_t {
        &mut self.raw
    }

    /// Forgets the original kept by `to_mut`: the content is being replaced
    /// (a receive into this message, or a send that emptied it).
    #[inline]
    pub(crate) fn forget_origin(&mut self) {
        if self.origin.is_some() {
            self.origin.clear();
        }
    }
}

/// Frees a `Message::from_vec` buffer: called by libzmq, on any of its
/// threads, when the last reference goes. It must never unwind into C.
unsafe extern "C" fn free_vec(data: *mut c_void, hint: *mut c_void) {
    let _ = std::panic::catch_unwind(|| {
        // SAFETY: `data` and the capacity in `hint` come from the Vec that
        // `from_vec` forgot; libzmq calls this exactly once. The length
        // does not matter for freeing bytes.
        drop(unsafe { Vec::from_raw_parts(data as *mut u8, 0, hint as usize) });
    });
}

impl Drop for Message {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: initialised message, closed once; zmq_msg_close only fails
        // (EFAULT) on invalid messages, which safe code cannot make.
        unsafe { sys::zmq_msg_close(&mut self.raw) };
    }
}

impl Default for Message {
    fn default() -> Message {
        Message::new()
    }
}

impl Deref for Message {
    type Target = [u8];
    #[inline]
    fn deref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl AsRef<[u8]> for Message {
    #[inline]
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Message")
            .field("len", &self.len())
            .field("more", &self.more())
            .field(
                "bytes",
                &String::from_utf8_lossy(&self.as_bytes()[..self.len().min(64)]),
            )
            .finish()
    }
}

impl PartialEq for Message {
    fn eq(&self, other: &Message) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}
impl Eq for Message {}

impl PartialEq<[u8]> for Message {
    fn eq(&self, other: &[u8]) -> bool {
        self.as_bytes() == other
    }
}

/// Without copying (small buffers go inline; see [`Sendable`](crate::Sendable)).
impl From<Vec<u8>> for Message {
    #[inline]
    fn from(data: Vec<u8>) -> Message {
        Message::from_vec(data)
    }
}
/// Without copying.
impl From<Box<[u8]>> for Message {
    fn from(data: Box<[u8]>) -> Message {
        Message::from_vec(data.into_vec())
    }
}
/// Without copying.
impl From<String> for Message {
    fn from(text: String) -> Message {
        Message::from_vec(text.into_bytes())
    }
}
/// By copy.
impl From<&[u8]> for Message {
    #[inline]
    fn from(data: &[u8]) -> Message {
        Message::from_copy(data)
    }
}
/// By copy.
impl<const N: usize> From<&[u8; N]> for Message {
    fn from(data: &[u8; N]) -> Message {
        Message::from_copy(data)
    }
}
/// By copy.
impl From<&str> for Message {
    fn from(text: &str) -> Message {
        Message::from_copy(text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vec_messages_are_zero_copy_above_the_inline_size() {
        let data = vec![5u8; 1000];
        let ptr = data.as_ptr();
        let msg = Message::from(data);
        assert_eq!(msg.as_bytes().as_ptr(), ptr);
        assert_eq!(msg.len(), 1000);
        let small = Message::from(vec![1u8; 10]);
        assert_eq!(&*small, &[1u8; 10]);
    }

    #[test]
    fn empty_and_sized_messages() {
        assert!(Message::new().is_empty());
        assert!(Message::from(Vec::new()).is_empty());
        let mut m = Message::with_size(4).unwrap();
        assert_eq!(&*m, &[0, 0, 0, 0]);
        m.as_mut_bytes().unwrap().copy_from_slice(b"abcd");
        assert_eq!(&*m, b"abcd");
    }

    #[test]
    fn static_messages_are_never_mutable_but_copy_on_write() {
        static DATA: [u8; 100] = [9; 100];
        let mut m = Message::from_static(&DATA);
        assert!(m.as_mut_bytes().is_none());
        m.to_mut()[0] = 1;
        assert_eq!(m[0], 1);
        assert_eq!(DATA[0], 9);
    }

    #[test]
    fn gets_absent_property_is_none() {
        let m = Message::from("x");
        assert_eq!(m.gets("Peer-Address"), None);
        assert_eq!(m.gets("bad\0name"), None);
    }
}
