//! Socket monitor events (`zmq.utils.monitor.recv_monitor_message`).

use crate::error::{Error, Result};
use crate::{Event, Flags, Message, Socket};

/// One event read from a monitor socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitorEvent {
    /// What happened (`zmq::EVENT_CONNECTED`, ...).
    pub event: Event,
    /// The event's value: an fd, an errno, a reconnect interval, or a
    /// `PROTOCOL_ERROR_*`/ZAP status code, depending on the event.
    pub value: u32,
    /// The endpoint concerned.
    pub endpoint: String,
}

/// Reads one event from a monitor socket (pyzmq's
/// `zmq.utils.monitor.recv_monitor_message(m)`); see
/// [`Socket::get_monitor_socket`].
pub fn recv_monitor_message(monitor: &Socket, flags: impl Into<Flags>) -> Result<MonitorEvent> {
    parse(&monitor.recv_multipart_msg(flags)?)
}

/// A monitor message's parts as an event.
pub(crate) fn parse(parts: &[Message]) -> Result<MonitorEvent> {
    // libzmq's v1 format: [u16 event, u32 value] (native byte order), endpoint.
    let (Some(head), Some(endpoint)) = (parts.first(), parts.get(1)) else {
        return Err(Error::InvalidArgument(
            "not a monitor message (expected 2 parts)",
        ));
    };
    if head.len() != 6 {
        return Err(Error::InvalidArgument(
            "not a monitor message (first part is not 6 bytes)",
        ));
    }
    let event = u16::from_ne_bytes([head[0], head[1]]);
    let value = u32::from_ne_bytes([head[2], head[3], head[4], head[5]]);
    Ok(MonitorEvent {
        event: Event::from_bits_retain(u32::from(event)),
        value,
        endpoint: String::from_utf8_lossy(endpoint).into_owned(),
    })
}
